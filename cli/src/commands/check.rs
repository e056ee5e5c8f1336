//! `slz-iam check`: the pre-deploy gate. Analyses the project, compares each role with what the
//! code needs, applies `slz-iam.toml` (severities, ignores with reasons) and inline suppressions
//! (`slz-iam: ignore[code] reason` on the line or the line above), prints the findings and fails
//! on those at or above `--fail-on`.

use crate::emit;
use crate::CheckFormat;
use serde::Deserialize;
use slz_analyzer::check::{check, finding_doc, Finding, FINDINGS};
use slz_analyzer::diagnostics::{Location, Severity};
use slz_analyzer::ir::LineIndex;
use slz_analyzer::{FsError, SourceFs};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// `slz-iam.toml` at the project root.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Code -> `error` | `warning` | `info` | `off`.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    #[serde(default)]
    pub ignore: Vec<Ignore>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    pub code: String,
    pub function: Option<String>,
    pub action: Option<String>,
    pub resource: Option<String>,
    pub reason: String,
}

impl Ignore {
    fn matches(&self, f: &Finding) -> bool {
        self.code == f.code
            && self
                .function
                .as_ref()
                .is_none_or(|x| f.function.as_ref() == Some(x))
            && self
                .action
                .as_ref()
                .is_none_or(|x| f.action.as_ref().is_some_and(|a| a.eq_ignore_ascii_case(x)))
            && self
                .resource
                .as_ref()
                .is_none_or(|x| f.resource.as_ref() == Some(x))
    }
}

fn severity(name: &str) -> Option<Severity> {
    match name {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        _ => None,
    }
}

/// Whether the source line of a finding (or the line above) suppresses its code. `texts` keeps
/// each file read and indexed by line once.
fn suppressed(
    read: &dyn Fn(&Path) -> Option<String>,
    texts: &mut HashMap<PathBuf, Option<(String, LineIndex)>>,
    f: &Finding,
) -> bool {
    let entry = texts.entry(f.location.file.clone()).or_insert_with(|| {
        read(&f.location.file).map(|text| {
            let lines = LineIndex::new(&text);
            (text, lines)
        })
    });
    let Some((text, lines)) = entry else {
        return false;
    };
    let at = f.location.line;
    [at, at.saturating_sub(1)]
        .into_iter()
        .filter(|&l| l >= 1)
        .map(|l| lines.line_text(text, l))
        .any(|line| {
            line.find("slz-iam: ignore[").is_some_and(|i| {
                let rest = &line[i + "slz-iam: ignore[".len()..];
                rest.split(']')
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .any(|c| c.trim() == f.code)
            })
        })
}

/// Findings after configuration and suppressions, plus warnings for ignores that matched nothing.
/// `read` gives a project file's current text (for inline suppressions).
pub fn apply_config(
    read: &dyn Fn(&Path) -> Option<String>,
    config_file: &Path,
    cfg: &CheckConfig,
    findings: Vec<Finding>,
) -> Vec<Finding> {
    let mut used = vec![false; cfg.ignore.len()];
    let mut texts = HashMap::new();
    let mut out = Vec::new();
    for mut f in findings {
        if let Some(i) = cfg.ignore.iter().position(|ig| ig.matches(&f)) {
            used[i] = true;
            continue;
        }
        if suppressed(read, &mut texts, &f) {
            continue;
        }
        match cfg.severity.get(f.code).map(String::as_str) {
            Some("off") => continue,
            Some(s) => {
                if let Some(sev) = severity(s) {
                    f.severity = sev;
                }
            }
            None => {}
        }
        out.push(f);
    }
    for (i, ig) in cfg.ignore.iter().enumerate() {
        if !used[i] {
            out.push(Finding {
                location: Location::new(config_file, 1, 1),
                code: "unused-ignore",
                severity: Severity::Warning,
                function: ig.function.clone(),
                message: format!(
                    "the ignore of {} ({}) matched no finding",
                    ig.code, ig.reason
                ),
                action: ig.action.clone(),
                resource: ig.resource.clone(),
                replacement: Vec::new(),
            });
        }
    }
    out.sort();
    out
}

/// The words `--fail-on` accepts: finding codes and severities.
fn fail_on_words() -> String {
    let mut words: Vec<&str> = FINDINGS.iter().map(|(c, _, _)| *c).collect();
    words.extend(["error", "warning", "info"]);
    words.join(", ")
}

/// `--fail-on` as a list of words; an unknown word is a usage error, never a gate that silently
/// fails on nothing.
pub fn parse_fail_on(fail_on: &str) -> Result<Vec<String>, String> {
    let words: Vec<String> = fail_on
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    for w in &words {
        if severity(w).is_none() && finding_doc(w).is_none() {
            return Err(format!(
                "--fail-on: unknown code or severity `{w}`; use any of {}",
                fail_on_words()
            ));
        }
    }
    Ok(words)
}

/// Whether a finding fails the run: `--fail-on` lists codes and/or severities (`error`,
/// `warning`: that severity or worse).
fn fails(f: &Finding, fail_on: &[String]) -> bool {
    fail_on.iter().any(|x| match severity(x) {
        Some(min) => f.severity >= min,
        None => x == f.code,
    })
}

pub fn run(
    dir: Option<PathBuf>,
    config: Option<PathBuf>,
    format: CheckFormat,
    fail_on: &str,
) -> Result<u8, String> {
    let fail_on = parse_fail_on(fail_on)?;
    let loaded = match crate::project::load_all(dir.clone(), config) {
        Ok(loaded) => loaded,
        Err(e) => {
            let line = e.to_string();
            return Err(unusable(
                format, &e.file, e.line, e.column, &e.message, line,
            ));
        }
    };
    let root = loaded
        .config_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let root = dir.unwrap_or(root);
    let cfg_path = root.join(CONFIG_FILE);
    // Read like every project file: confined to the root (a symlink leading out of it is refused,
    // never followed), regular files only, capped.
    let disk = crate::fs::DiskFs::new(&root).map_err(|e| {
        let why = format!("cannot open {}: {e}", root.display());
        unusable(format, &root, 0, 0, &why, why.clone())
    })?;
    let cfg = match disk.read_up_to(Path::new(CONFIG_FILE), MAX_SETTINGS_BYTES) {
        Ok(text) => match parse_config(&text, &cfg_path) {
            Ok(cfg) => cfg,
            Err(why) => return Err(unusable(format, &cfg_path, 0, 0, &why, why.clone())),
        },
        Err(FsError::NotFound) => CheckConfig::default(),
        Err(e) => {
            let why = match e {
                FsError::Outside => format!(
                    "{}: leads outside the project folder; refused",
                    cfg_path.display()
                ),
                FsError::TooLarge(_) => format!(
                    "{}: over {} KiB; refused",
                    cfg_path.display(),
                    MAX_SETTINGS_BYTES >> 10
                ),
                e => format!("{}: {e}; refused", cfg_path.display()),
            };
            return Err(unusable(format, &cfg_path, 0, 0, &why, why.clone()));
        }
    };
    let findings = check(&loaded.project, &loaded.report);
    let read = |p: &Path| disk.read(p).ok();
    let findings = apply_config(&read, Path::new(CONFIG_FILE), &cfg, findings);
    let out = match format {
        CheckFormat::Text => emit::findings::text(&root, &findings),
        CheckFormat::Json => emit::findings::json(&findings),
        CheckFormat::Sarif => emit::findings::sarif(&root, &findings),
        CheckFormat::Github => emit::findings::github(&root, &findings),
    };
    super::print(&out)?;
    let status = if findings.iter().any(|f| fails(f, &fail_on)) {
        1
    } else {
        0
    };
    // The process exits next: the project and report need not be freed one value at a time.
    std::mem::forget(loaded);
    Ok(status)
}

/// Unusable input: for the machine-read formats, a document that says why (SARIF with one error
/// result, a workflow annotation) is printed first, so a CI step never reads zero bytes; the run
/// still ends with `line_text` on standard error and exit status 2.
fn unusable(
    format: CheckFormat,
    file: &Path,
    line: u32,
    column: u32,
    message: &str,
    line_text: String,
) -> String {
    let doc = match format {
        CheckFormat::Sarif => emit::findings::sarif_unusable(file, line, column, message),
        CheckFormat::Github => emit::findings::github_unusable(file, line, column, message),
        CheckFormat::Text | CheckFormat::Json => return line_text,
    };
    match super::print(&doc) {
        Ok(()) => line_text,
        Err(e) => e,
    }
}

/// The check configuration's file name, at the project root.
pub const CONFIG_FILE: &str = "slz-iam.toml";

/// Largest `slz-iam.toml` read.
pub const MAX_SETTINGS_BYTES: u64 = 1 << 20;

/// Parses and validates `slz-iam.toml` (`path` names it in messages).
pub fn parse_config(text: &str, path: &Path) -> Result<CheckConfig, String> {
    let cfg: CheckConfig =
        toml::from_str(text).map_err(|e| format!("{}: {}", path.display(), e.message()))?;
    let codes = || {
        FINDINGS
            .iter()
            .map(|(c, _, _)| *c)
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (code, sev) in &cfg.severity {
        if finding_doc(code).is_none() {
            return Err(format!(
                "{}: [severity] names unknown finding code `{code}`; codes are {}",
                path.display(),
                codes()
            ));
        }
        if severity(sev).is_none() && sev != "off" {
            return Err(format!(
                "{}: `{code}` has severity `{sev}`; use error, warning, info or off",
                path.display()
            ));
        }
    }
    // An ignore of a code that does not exist would silence nothing while looking like it does.
    if let Some(ig) = cfg.ignore.iter().find(|ig| finding_doc(&ig.code).is_none()) {
        return Err(format!(
            "{}: [[ignore]] names unknown finding code `{}`; codes are {}",
            path.display(),
            ig.code,
            codes()
        ));
    }
    Ok(cfg)
}

//! What the user says about the findings: `slz-iam.toml` at the project root (severities, ignores
//! with reasons) and inline suppressions in the source (`slz-iam: ignore[code] reason` on the line
//! or the line above), applied to the raw findings of [`super::check`]. Files come through
//! [`SourceFs`], so the editor's unsaved buffers and the project's confinement apply.

use super::{finding_doc, Finding, FINDINGS};
use crate::diagnostics::{Location, Severity};
use crate::ir::LineIndex;
use crate::{FsError, SourceFs};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The settings file's name, at the project root.
pub const SETTINGS_FILE: &str = "slz-iam.toml";

/// Largest settings file read.
pub const MAX_SETTINGS_BYTES: u64 = 1 << 20;

/// `slz-iam.toml`.
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

/// Why the settings file cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingsError {
    /// It is there but cannot be read: outside the project (a symlink), not a regular file,
    /// over [`MAX_SETTINGS_BYTES`] (`FsError::TooLarge`), not UTF-8.
    Read(FsError),
    /// It does not parse or names what does not exist; the message names the file.
    Invalid(String),
}

/// A severity by its name in the settings and in `--fail-on`.
pub fn severity_named(name: &str) -> Option<Severity> {
    match name {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        _ => None,
    }
}

/// The settings of the project whose root `fs` reads: the defaults when there is no
/// [`SETTINGS_FILE`]. `shown` names the file in messages.
pub fn read_settings(fs: &dyn SourceFs, shown: &Path) -> Result<CheckConfig, SettingsError> {
    match fs.read(Path::new(SETTINGS_FILE)) {
        Ok(text) if text.len() as u64 > MAX_SETTINGS_BYTES => {
            Err(SettingsError::Read(FsError::TooLarge(text.len() as u64)))
        }
        Ok(text) => parse_settings(&text, shown).map_err(SettingsError::Invalid),
        Err(FsError::NotFound) => Ok(CheckConfig::default()),
        Err(e) => Err(SettingsError::Read(e)),
    }
}

/// Parses and validates `slz-iam.toml` (`path` names it in messages).
pub fn parse_settings(text: &str, path: &Path) -> Result<CheckConfig, String> {
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
        if severity_named(sev).is_none() && sev != "off" {
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

/// Whether the source line of a finding (or the line above) suppresses its code. `texts` keeps
/// each file read and indexed by line once.
fn suppressed(
    fs: &dyn SourceFs,
    texts: &mut HashMap<PathBuf, Option<(String, LineIndex)>>,
    f: &Finding,
) -> bool {
    let entry = texts.entry(f.location.file.clone()).or_insert_with(|| {
        fs.read(&f.location.file).ok().map(|text| {
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

/// `findings` after the settings and the inline suppressions (source lines read through `fs`),
/// plus an `unused-ignore` at [`SETTINGS_FILE`] for each ignore that matched nothing; sorted.
pub fn apply_settings(
    fs: &dyn SourceFs,
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
        if suppressed(fs, &mut texts, &f) {
            continue;
        }
        match cfg.severity.get(f.code).map(String::as_str) {
            Some("off") => continue,
            Some(s) => {
                if let Some(sev) = severity_named(s) {
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
                location: Location::new(SETTINGS_FILE, 1, 1),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemFs;

    const CONFIG: &str = "service: s\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  iam:\n    role:\n      statements:\n        - Effect: Allow\n          Action: s3:GetObject\n          Resource: arn:aws:s3:::b/*\nfunctions:\n  mailer:\n    handler: mailer.handler\n";

    fn handler(above_the_call: &str) -> String {
        format!("const {{ SNSClient, PublishCommand }} = require('@aws-sdk/client-sns');\nconst sns = new SNSClient({{}});\n{above_the_call}\nexports.handler = async () => sns.send(new PublishCommand({{ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: 'x' }}));\n")
    }

    fn files(above_the_call: &str, settings: Option<&str>) -> MemFs {
        let mut files = vec![
            ("serverless.yml".to_string(), CONFIG.to_string()),
            ("mailer.js".to_string(), handler(above_the_call)),
        ];
        if let Some(s) = settings {
            files.push((SETTINGS_FILE.to_string(), s.to_string()));
        }
        MemFs::new(files)
    }

    fn codes(findings: &[Finding]) -> Vec<(&'static str, String)> {
        findings
            .iter()
            .map(|f| (f.code, f.location.file.display().to_string()))
            .collect()
    }

    #[test]
    fn settings_and_suppressions_are_read_through_the_callers_files() {
        let plain = files("// nothing to say", None);
        let project = crate::project::read_yaml_config(CONFIG, Path::new("serverless.yml"));
        let report = crate::analyze(&project, &plain);
        let cfg = read_settings(&plain, Path::new(SETTINGS_FILE)).unwrap();
        let found = super::super::findings(&project, &report, &cfg, &plain);
        assert!(
            codes(&found).contains(&("missing-permission", "mailer.js".into())),
            "{found:?}"
        );
        assert!(codes(&found).contains(&("excess-permission", "serverless.yml".into())));

        // The same analysis, the comment above the call now suppressing it: the text comes from
        // the files given (an editor's buffer), not from anywhere else.
        let edited = files(
            "// slz-iam: ignore[missing-permission] published by a later stack",
            Some("[severity]\nexcess-permission = \"off\"\n\n[[ignore]]\ncode = \"wildcard-action\"\nreason = \"none yet\"\n"),
        );
        let cfg = read_settings(&edited, Path::new(SETTINGS_FILE)).unwrap();
        let found = super::super::findings(&project, &report, &cfg, &edited);
        assert_eq!(
            codes(&found),
            vec![("unused-ignore", SETTINGS_FILE.to_string())],
            "{found:?}"
        );
    }

    #[test]
    fn unusable_settings_say_why() {
        let shown = Path::new("proj/slz-iam.toml");
        let bad = files("", Some("[severity]\nno-such-code = \"off\"\n"));
        match read_settings(&bad, shown) {
            Err(SettingsError::Invalid(why)) => {
                assert!(
                    why.starts_with("proj/slz-iam.toml: [severity] names unknown"),
                    "{why}"
                )
            }
            other => panic!("{other:?}"),
        }
        let large = "# padding\n".repeat((MAX_SETTINGS_BYTES / 10 + 1) as usize);
        let big = files("", Some(&large));
        assert!(matches!(
            read_settings(&big, shown),
            Err(SettingsError::Read(FsError::TooLarge(_)))
        ));
        assert!(read_settings(&files("", None), shown).is_ok_and(|c| c.ignore.is_empty()));
        assert_eq!(severity_named("warning"), Some(Severity::Warning));
        assert_eq!(severity_named("off"), None);
    }
}

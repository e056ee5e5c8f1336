//! `slz-iam check`: the pre-deploy gate. Analyses the project, takes its findings from the
//! library (each role compared with what the code needs, after `slz-iam.toml` and inline
//! suppressions: [`slz_analyzer::check::findings`]), prints them and fails on those at or above
//! `--fail-on`.

use crate::emit::formats::Format;
use crate::emit::{Unusable, View};
use slz_analyzer::check::{
    finding_doc, read_settings, severity_named as severity, Finding, SettingsError, FINDINGS,
    MAX_SETTINGS_BYTES, SETTINGS_FILE,
};
use slz_analyzer::FsError;
use std::path::{Path, PathBuf};

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
    format: &'static Format,
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
    let cfg_path = root.join(SETTINGS_FILE);
    // Read like every project file, through the reader the project was read with: confined to
    // the root (a symlink leading out of it is refused, never followed), regular files only,
    // capped.
    let cfg = match read_settings(&loaded.fs, &cfg_path) {
        Ok(cfg) => cfg,
        Err(SettingsError::Invalid(why)) => {
            return Err(unusable(format, &cfg_path, 0, 0, &why, why.clone()))
        }
        Err(SettingsError::Read(e)) => {
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
    let findings = slz_analyzer::check::findings(&loaded.project, &loaded.report, &cfg, &loaded.fs);
    let view = View {
        report: &loaded.report,
        project: &loaded.project,
        findings: &findings,
        root: &root,
        files: &loaded.fs,
        config_text: &loaded.source,
        edited: None,
    };
    super::to_stdout(|out| format.emitter.emit(out, &view))?;
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
    format: &Format,
    file: &Path,
    line: u32,
    column: u32,
    message: &str,
    line_text: String,
) -> String {
    let why = Unusable {
        file,
        line,
        column,
        message,
    };
    match super::to_stdout(|out| format.emitter.emit_unusable(out, &why)) {
        Ok(()) => line_text,
        Err(e) => e,
    }
}

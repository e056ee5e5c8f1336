//! Findings of `check` as text (with the source line), JSON, SARIF 2.1.0 (GitHub code scanning)
//! and GitHub workflow annotations.

use crate::emit::escape;
use serde_json::json;
use slz_analyzer::check::{finding_doc, Finding, FINDINGS};
use slz_analyzer::diagnostics::Severity;
use std::fmt::Write as _;
use std::path::Path;

fn sev(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "info",
    }
}

/// The path as the user sees it from where they ran the tool.
fn shown(root: &Path, file: &Path) -> String {
    let p = if root.as_os_str().is_empty() || root == Path::new(".") {
        file.to_path_buf()
    } else {
        root.join(file)
    };
    p.to_string_lossy().replace('\\', "/")
}

/// A file read once for the source lines it shows: its text and where each line starts.
struct Lines {
    text: String,
    starts: Vec<usize>,
}

impl Lines {
    fn read(path: &Path) -> Option<Lines> {
        let text = std::fs::read_to_string(path).ok()?;
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&i| i < text.len())
            .collect();
        Some(Lines { text, starts })
    }

    /// Line `n` (from 1) without its line break, as `str::lines` gives it.
    fn line(&self, n: usize) -> Option<&str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        let end = self.starts.get(n).map_or(self.text.len(), |&e| e - 1);
        let line = &self.text[start..end];
        let line = line.strip_suffix('\n').unwrap_or(line);
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

pub fn text(root: &Path, findings: &[Finding]) -> String {
    let mut out = String::new();
    // Each file is read once, however many findings point into it.
    let mut files: std::collections::HashMap<&Path, Option<Lines>> =
        std::collections::HashMap::new();
    for f in findings {
        let path = shown(root, &f.location.file);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            escape::terminal_path(&path),
            f.location.line,
            f.location.column,
            sev(f.severity),
            f.code,
            escape::terminal(&f.message)
        );
        let lines = files
            .entry(f.location.file.as_path())
            .or_insert_with(|| Lines::read(&root.join(&f.location.file)));
        let line = lines
            .as_ref()
            .and_then(|l| l.line((f.location.line as usize).max(1)));
        if let Some(line) = line {
            let _ = writeln!(out, "    | {}", escape::terminal(line.trim_end()));
        }
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let _ = writeln!(out, "{} finding(s), {errors} error(s)", findings.len());
    out
}

pub fn json(findings: &[Finding]) -> String {
    let v: Vec<_> = findings
        .iter()
        .map(|f| {
            json!({
                "code": f.code, "severity": sev(f.severity), "message": f.message,
                "function": f.function, "action": f.action, "resource": f.resource,
                "file": f.location.file.to_string_lossy().replace('\\', "/"),
                "line": f.location.line, "column": f.location.column,
            })
        })
        .collect();
    let mut s =
        serde_json::to_string_pretty(&json!({"version": 1, "findings": v})).unwrap_or_default();
    s.push('\n');
    s
}

pub fn sarif(root: &Path, findings: &[Finding]) -> String {
    let rules: Vec<_> = FINDINGS
        .iter()
        .map(|(code, s, doc)| {
            json!({
                "id": code,
                "name": code,
                "shortDescription": {"text": code},
                "fullDescription": {"text": doc},
                "help": {"text": doc},
                "defaultConfiguration": {"level": match s { Severity::Error => "error", Severity::Warning => "warning", _ => "note" }},
            })
        })
        .collect();
    let results: Vec<_> = findings
        .iter()
        .map(|f| {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                _ => "note",
            };
            json!({
                "ruleId": f.code,
                "ruleIndex": FINDINGS.iter().position(|(c, _, _)| *c == f.code).unwrap_or(0),
                "level": level,
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": shown(root, &f.location.file)},
                    "region": {"startLine": f.location.line.max(1), "startColumn": f.location.column.max(1)},
                }}],
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "slz-iam", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The rule of [`sarif_unusable`]'s one result.
const UNUSABLE_RULE: &str = "unusable-input";
const UNUSABLE_DOC: &str = "The project's config (or slz-iam.toml) cannot be used: it is not found, does not parse, is not a map of settings, or is too large. Nothing was checked; the run exits with status 2.";

/// A SARIF 2.1.0 document for a run that could not check anything: the tool's driver, one
/// error result at `file` (line 1 when the position is unknown) and an unsuccessful invocation,
/// so that an upload step reads a valid document that says why instead of zero bytes.
pub fn sarif_unusable(file: &Path, line: u32, column: u32, message: &str) -> String {
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "slz-iam",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": [{
                    "id": UNUSABLE_RULE,
                    "name": UNUSABLE_RULE,
                    "shortDescription": {"text": UNUSABLE_RULE},
                    "fullDescription": {"text": UNUSABLE_DOC},
                    "help": {"text": UNUSABLE_DOC},
                    "defaultConfiguration": {"level": "error"},
                }],
            }},
            "invocations": [{"executionSuccessful": false, "exitCode": 2}],
            "results": [{
                "ruleId": UNUSABLE_RULE,
                "ruleIndex": 0,
                "level": "error",
                "message": {"text": message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": file.to_string_lossy().replace('\\', "/")},
                    "region": {"startLine": line.max(1), "startColumn": column.max(1)},
                }}],
            }],
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A workflow annotation for a run that could not check anything (see [`sarif_unusable`]).
pub fn github_unusable(file: &Path, line: u32, column: u32, message: &str) -> String {
    format!(
        "::error file={},line={},col={},title={}::{}\n",
        escape::github_property(&file.to_string_lossy().replace('\\', "/")),
        line.max(1),
        column.max(1),
        escape::github_property(UNUSABLE_RULE),
        escape::github_message(message)
    )
}

pub fn github(root: &Path, findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let kind = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            _ => "notice",
        };
        // Every value from the repository is escaped: a file name or message cannot end the
        // command, add properties, or start a command of its own.
        let message = escape::github_message(&f.message);
        let title = escape::github_property(finding_doc(f.code).map(|d| d.0).unwrap_or(f.code));
        let _ = writeln!(
            out,
            "::{kind} file={},line={},col={},title={title}::{message}",
            escape::github_property(&shown(root, &f.location.file)),
            f.location.line,
            f.location.column
        );
    }
    out
}

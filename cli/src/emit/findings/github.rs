//! `check --format github`: one workflow command per finding, so GitHub Actions shows it on the
//! pull request's lines; every value from the repository escaped.

use super::{shown, UNUSABLE_RULE};
use crate::emit::{escape, Emitter, Unusable, View};
use slz_analyzer::check::{finding_doc, Finding};
use slz_analyzer::diagnostics::Severity;
use std::fmt::Write as _;
use std::path::Path;

pub struct Github;

impl Emitter for Github {
    fn emit(&self, out: &mut dyn std::io::Write, view: &View) -> std::io::Result<()> {
        out.write_all(render(view.root, view.findings).as_bytes())
    }

    fn emit_unusable(&self, out: &mut dyn std::io::Write, why: &Unusable) -> std::io::Result<()> {
        out.write_all(unusable(why.file, why.line, why.column, why.message).as_bytes())
    }
}

fn render(root: &Path, findings: &[Finding]) -> String {
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

/// A workflow annotation for a run that could not check anything.
fn unusable(file: &Path, line: u32, column: u32, message: &str) -> String {
    format!(
        "::error file={},line={},col={},title={}::{}\n",
        escape::github_property(&file.to_string_lossy().replace('\\', "/")),
        line.max(1),
        column.max(1),
        escape::github_property(UNUSABLE_RULE),
        escape::github_message(message)
    )
}

//! `check --format text`: one `file:line:column: severity[code]: message` line per finding, the
//! source line it points at under it (read through the view's files, as the analysis read it),
//! and a count.

use super::{sev, shown, Lines};
use crate::emit::{escape, Emitter, View};
use slz_analyzer::diagnostics::Severity;
use std::fmt::Write as _;
use std::path::Path;

pub struct Text;

impl Emitter for Text {
    fn emit(&self, out: &mut dyn std::io::Write, view: &View) -> std::io::Result<()> {
        out.write_all(render(view).as_bytes())
    }
}

fn render(view: &View) -> String {
    let (root, findings) = (view.root, view.findings);
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
            .or_insert_with(|| view.text_of(&f.location.file).map(Lines::new));
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

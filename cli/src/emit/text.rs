//! Diagnostics as `file:line:column: severity[code]: message` lines, for the terminal, with the
//! control characters of names and messages shown escaped ([`crate::emit::escape::terminal`]).

use crate::emit::escape;

use slz_analyzer::Report;
use std::fmt::Write as _;

pub fn diagnostics(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let sev = serde_json::to_value(d.severity)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}:{}:{}: {sev}[{}]: {}",
            escape::terminal_path(&d.location.file.to_string_lossy()),
            d.location.line,
            d.location.column,
            d.code,
            escape::terminal(&d.message)
        );
    }
    out
}

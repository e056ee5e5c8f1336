//! `check --format json`: the findings as a versioned JSON document.

use super::sev;
use crate::emit::{Emitter, View};
use serde_json::json;
use slz_analyzer::check::Finding;

pub struct Json;

impl Emitter for Json {
    fn emit(&self, out: &mut dyn std::io::Write, view: &View) -> std::io::Result<()> {
        out.write_all(render(view.findings).as_bytes())
    }
}

fn render(findings: &[Finding]) -> String {
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

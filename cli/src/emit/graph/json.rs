//! `graph --format json`: the function names and the edges of the JSON contract.

use crate::emit::{Emitter, View};
use slz_analyzer::Report;

pub struct Json;

impl Emitter for Json {
    fn emit(&self, out: &mut dyn std::io::Write, view: &View) -> std::io::Result<()> {
        out.write_all(render(view.report).as_bytes())
    }
}

fn render(report: &Report) -> String {
    let v = report.to_json();
    let graph = serde_json::json!({
        "functions": report.functions.iter().map(|f| f.name.clone()).collect::<Vec<_>>(),
        "edges": v["edges"],
    });
    let mut s = serde_json::to_string_pretty(&graph).unwrap_or_default();
    s.push('\n');
    s
}

//! `graph --format mermaid`: a Mermaid flowchart, labels with controls escaped and no `"`.

use super::id;
use crate::emit::{Emitter, View};
use slz_analyzer::Report;
use std::fmt::Write as _;

pub struct Mermaid;

impl Emitter for Mermaid {
    fn emit(&self, out: &mut dyn std::io::Write, view: &View) -> std::io::Result<()> {
        out.write_all(render(view.report).as_bytes())
    }
}

fn render(report: &Report) -> String {
    let mut out = String::from("flowchart LR\n");
    for f in &report.functions {
        let label = crate::emit::escape::terminal(&f.name).replace('"', "'");
        let _ = writeln!(out, "  {}[\"{label}\"]", id(&f.name));
    }
    for e in &report.edges {
        let via = crate::emit::escape::terminal(&e.via).replace('"', "'");
        let _ = writeln!(out, "  {} -- {via} --> {}", id(&e.from), id(&e.to));
    }
    out
}

//! `graph --format dot`: Graphviz, one box per function, one labelled edge per call between them.

use super::id;
use crate::emit::{Emitter, View};
use slz_analyzer::Report;
use std::fmt::Write as _;

pub struct Dot;

impl Emitter for Dot {
    fn emit(&self, out: &mut dyn std::io::Write, view: &View) -> std::io::Result<()> {
        out.write_all(render(view.report).as_bytes())
    }
}

fn render(report: &Report) -> String {
    let mut out = String::from("digraph functions {\n  rankdir=LR;\n  node [shape=box];\n");
    for f in &report.functions {
        let _ = writeln!(out, "  {} [label={:?}];", id(&f.name), f.name);
    }
    for e in &report.edges {
        let _ = writeln!(
            out,
            "  {} -> {} [label={:?}];",
            id(&e.from),
            id(&e.to),
            e.via
        );
    }
    out.push_str("}\n");
    out
}

//! `slz-iam graph`: the function graph with its edge kinds, as Graphviz DOT, Mermaid or JSON.

use slz_analyzer::Report;
use std::fmt::Write as _;

fn id(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

pub fn dot(report: &Report) -> String {
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

pub fn mermaid(report: &Report) -> String {
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

pub fn json(report: &Report) -> String {
    let v = report.to_json();
    let graph = serde_json::json!({
        "functions": report.functions.iter().map(|f| f.name.clone()).collect::<Vec<_>>(),
        "edges": v["edges"],
    });
    let mut s = serde_json::to_string_pretty(&graph).unwrap_or_default();
    s.push('\n');
    s
}

//! `--format yaml`: per function, the Serverless Framework v4 block
//! `functions.<fn>.iam.role.statements`, ready to paste into serverless.yml, with a comment
//! naming the source line of each permission.

use crate::emit::{Emitter, View};
use serde_json::Value;
use slz_analyzer::Report;
use std::fmt::Write as _;

pub struct Yaml;

impl Emitter for Yaml {
    fn emit(&self, out: &mut dyn std::io::Write, view: &View) -> std::io::Result<()> {
        out.write_all(render(view.report).as_bytes())
    }
}

fn render(report: &Report) -> String {
    let mut out = String::from("functions:\n");
    for f in &report.functions {
        let _ = writeln!(out, "  {}:", scalar(&f.name));
        if f.statements.is_empty() {
            let _ = writeln!(
                out,
                "    # no AWS permission needed by the code (or none found: see the diagnostics)"
            );
            continue;
        }
        out.push_str("    iam:\n      role:\n        statements:\n");
        for s in &f.statements {
            let sources: Vec<String> = f
                .permissions
                .iter()
                .filter(|p| s.actions.contains(&p.action))
                .flat_map(|p| {
                    p.sources.iter().map(|l| {
                        // A comment line: a file name cannot end it or show controls.
                        let file = l.file.to_string_lossy();
                        format!("{}:{}", crate::emit::escape::terminal(&file), l.line)
                    })
                })
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let _ = writeln!(out, "          # {} ({})", s.sid, sources.join(", "));
            out.push_str("          - Effect: Allow\n            Action:\n");
            for a in &s.actions {
                let _ = writeln!(out, "              - {a}");
            }
            out.push_str("            Resource:\n");
            for r in &s.resources {
                write_item(&mut out, &report.render_resource(r), 14);
            }
        }
    }
    out
}

pub fn write_item(out: &mut String, v: &Value, indent: usize) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(map) => {
            for (i, (k, v)) in map.iter().enumerate() {
                let lead = if i == 0 {
                    format!("{pad}- ")
                } else {
                    format!("{pad}  ")
                };
                let _ = writeln!(out, "{lead}{k}: {}", inline(v));
            }
        }
        other => {
            let _ = writeln!(out, "{pad}- {}", inline(other));
        }
    }
}

fn inline(v: &Value) -> String {
    match v {
        Value::String(s) => scalar(s),
        other => other.to_string(),
    }
}

/// A YAML scalar, quoted when plain style would change its meaning; one holding a character YAML
/// may not carry as it is (controls, DEL, C1) or one that would reorder the text on a terminal
/// (bidi controls) is double-quoted with those escaped.
pub fn scalar(s: &str) -> String {
    slz_analyzer::edit::yaml_scalar(s)
}

#[cfg(test)]
mod tests {
    use super::scalar;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(scalar("arn:aws:s3:::b/*"), "arn:aws:s3:::b/*");
        assert_eq!(scalar("*"), "'*'");
        assert_eq!(scalar("true"), "'true'");
        assert_eq!(scalar("it's: x"), "'it''s: x'");
        assert_eq!(
            scalar("a\x1b[2J\"\\\u{9b}"),
            "\"a\\u001b[2J\\\"\\\\\\u009b\""
        );
        assert_eq!(scalar("a\u{202e}b\nc"), "\"a\\u202eb\\u000ac\"");
    }
}

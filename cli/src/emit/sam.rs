//! `--format sam`: per function, the `Policies:` block of an `AWS::Serverless::Function`, with
//! inline statements whose resources use `!Sub`-style intrinsics, ready to paste into the template.

use crate::emit::yaml::{scalar, write_item};
use crate::emit::{Emitter, View};
use slz_analyzer::Report;
use std::fmt::Write as _;

pub struct Sam;

impl Emitter for Sam {
    fn emit(&self, out: &mut dyn std::io::Write, view: &View) -> std::io::Result<()> {
        out.write_all(render(view.report).as_bytes())
    }
}

fn render(report: &Report) -> String {
    let mut out = String::from("Resources:\n");
    for f in &report.functions {
        let _ = writeln!(out, "  {}:", scalar(&f.name));
        out.push_str("    Properties:\n");
        if f.statements.is_empty() {
            out.push_str("      # no AWS permission needed by the code (or none found: see the diagnostics)\n");
            continue;
        }
        out.push_str("      Policies:\n        - Version: '2012-10-17'\n          Statement:\n");
        for s in &f.statements {
            let _ = writeln!(
                out,
                "            - Sid: {}\n              Effect: Allow\n              Action:",
                s.sid
            );
            for a in &s.actions {
                let _ = writeln!(out, "                - {a}");
            }
            out.push_str("              Resource:\n");
            for r in &s.resources {
                write_item(&mut out, &report.render_resource(r), 16);
            }
        }
    }
    out
}

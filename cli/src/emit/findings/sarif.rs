//! `check --format sarif`: a SARIF 2.1.0 document (GitHub code scanning) with every finding code
//! as a rule; for a run that could not check anything, a document with one error result that
//! says why.

use super::{shown, UNUSABLE_DOC, UNUSABLE_RULE};
use crate::emit::{Emitter, Unusable, View};
use serde_json::json;
use slz_analyzer::check::{Finding, FINDINGS};
use slz_analyzer::diagnostics::Severity;
use std::path::Path;

pub struct Sarif;

impl Emitter for Sarif {
    fn emit(&self, out: &mut dyn std::io::Write, view: &View) -> std::io::Result<()> {
        out.write_all(render(view.root, view.findings).as_bytes())
    }

    fn emit_unusable(&self, out: &mut dyn std::io::Write, why: &Unusable) -> std::io::Result<()> {
        out.write_all(unusable(why.file, why.line, why.column, why.message).as_bytes())
    }
}

fn render(root: &Path, findings: &[Finding]) -> String {
    let rules: Vec<_> = FINDINGS
        .iter()
        .map(|(code, s, doc)| {
            json!({
                "id": code,
                "name": code,
                "shortDescription": {"text": code},
                "fullDescription": {"text": doc},
                "help": {"text": doc},
                "defaultConfiguration": {"level": match s { Severity::Error => "error", Severity::Warning => "warning", _ => "note" }},
            })
        })
        .collect();
    let results: Vec<_> = findings
        .iter()
        .map(|f| {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                _ => "note",
            };
            json!({
                "ruleId": f.code,
                "ruleIndex": FINDINGS.iter().position(|(c, _, _)| *c == f.code).unwrap_or(0),
                "level": level,
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri_reference(&shown(root, &f.location.file))},
                    "region": {"startLine": f.location.line.max(1), "startColumn": f.location.column.max(1)},
                }}],
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "slz-iam", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A SARIF 2.1.0 document for a run that could not check anything: the tool's driver, one
/// error result at `file` (line 1 when the position is unknown) and an unsuccessful invocation,
/// so that an upload step reads a valid document that says why instead of zero bytes.
fn unusable(file: &Path, line: u32, column: u32, message: &str) -> String {
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "slz-iam",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": [{
                    "id": UNUSABLE_RULE,
                    "name": UNUSABLE_RULE,
                    "shortDescription": {"text": UNUSABLE_RULE},
                    "fullDescription": {"text": UNUSABLE_DOC},
                    "help": {"text": UNUSABLE_DOC},
                    "defaultConfiguration": {"level": "error"},
                }],
            }},
            "invocations": [{"executionSuccessful": false, "exitCode": 2}],
            "results": [{
                "ruleId": UNUSABLE_RULE,
                "ruleIndex": 0,
                "level": "error",
                "message": {"text": message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri_reference(&file.to_string_lossy().replace('\\', "/"))},
                    "region": {"startLine": line.max(1), "startColumn": column.max(1)},
                }}],
            }],
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A relative path as a URI reference, as SARIF's `artifactLocation.uri` must be (RFC 3986):
/// every byte outside the unreserved characters and `/` percent-encoded, so a space, `%`, `#`,
/// `?` or a non-ASCII name in the repository points at the file it names.
fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod uri_tests {
    use super::uri_reference;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri_reference("src/app.js"), "src/app.js");
        assert_eq!(
            uri_reference("my dir/a#b?c%d.py"),
            "my%20dir/a%23b%3Fc%25d.py"
        );
        assert_eq!(uri_reference("fns/caf\u{e9}.ts"), "fns/caf%C3%A9.ts");
    }
}

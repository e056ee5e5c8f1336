//! The analysis result and its machine-readable form (the version-1 JSON contract other tools read).

use crate::diagnostics::{Diagnostic, Severity};
use crate::project::Framework;
use crate::synth::{Permission, Statement};
use crate::value::Template;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::path::PathBuf;

#[derive(Clone, Debug, Default)]
pub struct FunctionReport {
    pub name: String,
    pub handler: String,
    /// The handler's source file, when found.
    pub source: Option<PathBuf>,
    pub statements: Vec<Statement>,
    pub permissions: Vec<Permission>,
    /// What the config grants the function's role today.
    pub declared: Vec<crate::project::DeclaredStatement>,
    pub managed_policies: Vec<String>,
    /// The runtime the config gives the function, when it does.
    pub runtime: Option<String>,
    /// Why some of the function's code was not read (the diagnostics that make its analysis
    /// incomplete, sorted); empty when all of it was. A function with gaps may need more than
    /// its generated policy grants.
    pub gaps: Vec<Diagnostic>,
}

impl FunctionReport {
    /// Whether all the code reachable from the handler was read, so the policy is complete.
    pub fn analysed(&self) -> bool {
        self.gaps.is_empty()
    }

    /// The contract's `analysis`: `analysed`, or the code of the first reason it is not.
    pub fn analysis(&self) -> &'static str {
        self.gaps.first().map_or("analysed", |d| d.code)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub via: String,
    pub file: PathBuf,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct AuthRecommendation {
    pub function: String,
    pub event: String,
    pub current: String,
    pub recommended: String,
    pub reason: String,
}

#[derive(Clone, Debug)]
pub struct Report {
    pub framework: Framework,
    pub config: PathBuf,
    pub functions: Vec<FunctionReport>,
    pub edges: Vec<Edge>,
    pub auth: Vec<AuthRecommendation>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Functions serialised in batches: the entries of a batch in parallel, then written in order, so
/// that the text of one batch only is held in memory.
struct InBatches<'a>(&'a Report);

/// Functions per batch: enough to keep every thread busy, small next to the whole output.
const BATCH: usize = 256;

impl Serialize for InBatches<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use rayon::prelude::*;
        use serde::ser::{Error, SerializeSeq};
        let report = self.0;
        let mut seq = s.serialize_seq(Some(report.functions.len()))?;
        for batch in report.functions.chunks(BATCH) {
            let entries: Vec<Box<RawValue>> = batch
                .par_iter()
                .map(|f| report.function_entry(f))
                .collect::<serde_json::Result<_>>()
                .map_err(S::Error::custom)?;
            for e in &entries {
                seq.serialize_element(e)?;
            }
        }
        seq.end()
    }
}

/// Appends what is written to it, with four spaces after each newline.
struct Indented<'a>(&'a mut Vec<u8>);

impl std::io::Write for Indented<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for (i, line) in buf.split(|b| *b == b'\n').enumerate() {
            if i > 0 {
                self.0.extend_from_slice(b"\n    ");
            }
            self.0.extend_from_slice(line);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Report {
    /// One line saying how many functions there are and how many were analysed, then each
    /// other outcome with its count: `42 functions: 39 analysed, 2 java21 (not supported yet),
    /// 1 handler not found`. Runtimes are the config's text: escape before printing.
    pub fn summary(&self) -> String {
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        let mut analysed = 0;
        for f in &self.functions {
            let label = match f.analysis() {
                "analysed" => {
                    analysed += 1;
                    continue;
                }
                "unsupported-runtime" => match &f.runtime {
                    Some(rt) => format!("{rt} (not supported yet)"),
                    None => "runtime not supported yet".into(),
                },
                "missing-handler" => "handler not found".into(),
                "path-outside-project" => "code outside the project".into(),
                "image-without-source" => "image without source".into(),
                "missing-module" => "with a local module missing".into(),
                other => other.replace('-', " "),
            };
            *counts.entry(label).or_default() += 1;
        }
        let n = self.functions.len();
        let mut line = format!(
            "{n} function{}: {analysed} analysed",
            if n == 1 { "" } else { "s" }
        );
        for (label, count) in counts {
            line.push_str(&format!(", {count} {label}"));
        }
        line
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Serverless resolves `${aws:region}` in plain strings; templates need `Fn::Sub`.
    pub fn render_resource(&self, t: &Template) -> Value {
        t.to_policy_json(crate::project::reader(self.framework).resolves_plain_variables())
    }

    /// The version-1 JSON contract as a tree.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.json_view()).unwrap_or(Value::Null)
    }

    /// The version-1 JSON contract, borrowed from the report: serialise it directly
    /// (`serde_json::to_writer_pretty`) to write the contract without building a tree first.
    /// Functions are prepared in parallel.
    pub fn json_view(&self) -> impl Serialize + '_ {
        use rayon::prelude::*;
        self.view_with(
            self.functions
                .par_iter()
                .map(|f| self.function_view(f))
                .collect::<Vec<_>>(),
        )
    }

    /// The version-1 JSON contract as pretty-printed text, the same as serialising
    /// [`Report::json_view`] with `serde_json::to_string_pretty`, and a final newline.
    pub fn to_json_text(&self) -> String {
        let mut text = Vec::new();
        // Writing to memory fails only if serialising does, which borrowed views never do.
        let _ = self.write_json(&mut text);
        String::from_utf8(text).unwrap_or_default()
    }

    /// Writes [`Report::to_json_text`] to `out`. Each function's entry, most of the text, is
    /// serialised on its own and in parallel, then placed in the document as it is written.
    pub fn write_json(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.view_with(InBatches(self)))?;
        out.write_all(b"\n")
    }

    /// One function's entry of the contract, as the pretty-printer writes it inside `functions`.
    fn function_entry(&self, f: &FunctionReport) -> serde_json::Result<Box<RawValue>> {
        let mut text = Vec::new();
        // An entry of `functions` sits two levels deep: its lines after the first get the indent
        // the pretty-printer gives that depth (JSON strings hold no raw newline).
        serde_json::to_writer_pretty(Indented(&mut text), &self.function_view(f))?;
        // serde_json writes UTF-8 only.
        RawValue::from_string(String::from_utf8_lossy(&text).into_owned())
    }

    /// The contract around `functions`.
    fn view_with<F: Serialize>(&self, functions: F) -> json_view::Report<'_, F> {
        json_view::Report {
            version: 1,
            project: json_view::Project {
                framework: &self.framework,
                config: slash_path(&self.config),
            },
            functions,
            edges: self
                .edges
                .iter()
                .map(|e| json_view::Edge {
                    from: &e.from,
                    to: &e.to,
                    via: &e.via,
                    file: slash_path(&e.file),
                    line: e.line,
                })
                .collect(),
            auth: self
                .auth
                .iter()
                .map(|a| json_view::Auth {
                    function: &a.function,
                    event: &a.event,
                    current: &a.current,
                    recommended: &a.recommended,
                    reason: &a.reason,
                })
                .collect(),
            diagnostics: self
                .diagnostics
                .iter()
                .map(json_view::Diagnostic::of)
                .collect(),
        }
    }

    fn function_view<'a>(&self, f: &'a FunctionReport) -> json_view::Function<'a> {
        let declared = |implicit: bool| {
            f.declared
                .iter()
                .filter(|d| d.implicit == implicit)
                .map(|d| json_view::DeclaredStatement {
                    effect: &d.effect,
                    action: &d.actions,
                    resource: d
                        .resources
                        .iter()
                        .map(|r| self.render_resource(r))
                        .collect(),
                })
                .collect()
        };
        json_view::Function {
            name: &f.name,
            handler: &f.handler,
            analysis: f.analysis(),
            analysis_gaps: f.gaps.iter().map(json_view::Diagnostic::of).collect(),
            policy: json_view::Policy {
                version: "2012-10-17",
                statement: f
                    .statements
                    .iter()
                    .map(|s| json_view::Statement {
                        sid: &s.sid,
                        effect: "Allow",
                        action: &s.actions,
                        resource: s
                            .resources
                            .iter()
                            .map(|r| self.render_resource(r))
                            .collect(),
                    })
                    .collect(),
            },
            permissions: f
                .permissions
                .iter()
                .map(|p| json_view::Permission {
                    action: &p.action,
                    resource: self.render_resource(&p.resource),
                    sources: p
                        .sources
                        .iter()
                        .map(|l| json_view::Source {
                            file: slash_path(&l.file),
                            line: l.line,
                            column: l.column,
                        })
                        .collect(),
                    reason: p.reasons.join(", "),
                })
                .collect(),
            declared: json_view::Declared {
                statements: declared(false),
                framework_statements: declared(true),
                managed_policies: &f.managed_policies,
            },
        }
    }
}

/// A path as the contract writes it: `/`-separated on every platform.
fn slash_path(p: &std::path::Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// The shapes of the version-1 JSON contract; field order is key order.
mod json_view {
    use crate::diagnostics::Severity;
    use crate::project::Framework;
    use serde::Serialize;
    use serde_json::Value;

    #[derive(Serialize)]
    pub struct Report<'a, F> {
        pub version: u32,
        pub project: Project<'a>,
        pub functions: F,
        pub edges: Vec<Edge<'a>>,
        pub auth: Vec<Auth<'a>>,
        pub diagnostics: Vec<Diagnostic<'a>>,
    }

    #[derive(Serialize)]
    pub struct Project<'a> {
        pub framework: &'a Framework,
        pub config: String,
    }

    #[derive(Serialize)]
    pub struct Function<'a> {
        pub name: &'a str,
        pub handler: &'a str,
        /// `analysed`, or the code of the first reason some of the code was not read.
        pub analysis: &'static str,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub analysis_gaps: Vec<Diagnostic<'a>>,
        pub policy: Policy<'a>,
        pub permissions: Vec<Permission<'a>>,
        pub declared: Declared<'a>,
    }

    #[derive(Serialize)]
    pub struct Policy<'a> {
        #[serde(rename = "Version")]
        pub version: &'static str,
        #[serde(rename = "Statement")]
        pub statement: Vec<Statement<'a>>,
    }

    #[derive(Serialize)]
    pub struct Statement<'a> {
        #[serde(rename = "Sid")]
        pub sid: &'a str,
        #[serde(rename = "Effect")]
        pub effect: &'static str,
        #[serde(rename = "Action")]
        pub action: &'a [String],
        #[serde(rename = "Resource")]
        pub resource: Vec<Value>,
    }

    #[derive(Serialize)]
    pub struct Permission<'a> {
        pub action: &'a str,
        pub resource: Value,
        pub sources: Vec<Source>,
        pub reason: String,
    }

    #[derive(Serialize)]
    pub struct Source {
        pub file: String,
        pub line: u32,
        pub column: u32,
    }

    #[derive(Serialize)]
    pub struct Declared<'a> {
        pub statements: Vec<DeclaredStatement<'a>>,
        pub framework_statements: Vec<DeclaredStatement<'a>>,
        pub managed_policies: &'a [String],
    }

    #[derive(Serialize)]
    pub struct DeclaredStatement<'a> {
        #[serde(rename = "Effect")]
        pub effect: &'a str,
        #[serde(rename = "Action")]
        pub action: &'a [String],
        #[serde(rename = "Resource")]
        pub resource: Vec<Value>,
    }

    #[derive(Serialize)]
    pub struct Edge<'a> {
        pub from: &'a str,
        pub to: &'a str,
        pub via: &'a str,
        pub file: String,
        pub line: u32,
    }

    #[derive(Serialize)]
    pub struct Auth<'a> {
        pub function: &'a str,
        pub event: &'a str,
        pub current: &'a str,
        pub recommended: &'a str,
        pub reason: &'a str,
    }

    #[derive(Serialize)]
    pub struct Diagnostic<'a> {
        pub code: &'static str,
        pub severity: Severity,
        pub message: &'a str,
        pub file: String,
        pub line: u32,
        pub column: u32,
    }

    impl<'a> Diagnostic<'a> {
        pub fn of(d: &'a crate::diagnostics::Diagnostic) -> Self {
            Diagnostic {
                code: d.code,
                severity: d.severity,
                message: &d.message,
                file: super::slash_path(&d.location.file),
                line: d.location.line,
                column: d.location.column,
            }
        }
    }
}

//! The analysis result and its machine-readable form (the version-1 JSON contract other tools read).

use crate::diagnostics::{Diagnostic, Severity};
use crate::project::Framework;
use crate::synth::{Permission, Statement};
use crate::value::Template;
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Clone, Debug)]
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

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Serverless resolves `${aws:region}` in plain strings; templates need `Fn::Sub`.
    pub fn render_resource(&self, t: &Template) -> Value {
        t.to_policy_json(matches!(
            self.framework,
            Framework::Serverless | Framework::Serverlize
        ))
    }

    pub fn to_json(&self) -> Value {
        let path = |p: &PathBuf| p.to_string_lossy().replace('\\', "/");
        let functions: Vec<Value> = self
            .functions
            .iter()
            .map(|f| {
                let statements: Vec<Value> = f
                    .statements
                    .iter()
                    .map(|s| {
                        json!({
                            "Sid": s.sid,
                            "Effect": "Allow",
                            "Action": s.actions,
                            "Resource": s.resources.iter().map(|r| self.render_resource(r)).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                let permissions: Vec<Value> = f
                    .permissions
                    .iter()
                    .map(|p| {
                        json!({
                            "action": p.action,
                            "resource": self.render_resource(&p.resource),
                            "sources": p.sources.iter().map(|l| json!({"file": path(&l.file), "line": l.line, "column": l.column})).collect::<Vec<_>>(),
                            "reason": p.reasons.join(", "),
                        })
                    })
                    .collect();
                let declared = |implicit: bool| -> Vec<Value> {
                    f.declared
                    .iter()
                    .filter(|d| d.implicit == implicit)
                    .map(|d| {
                        json!({
                            "Effect": d.effect,
                            "Action": d.actions,
                            "Resource": d.resources.iter().map(|r| self.render_resource(r)).collect::<Vec<_>>(),
                        })
                    })
                    .collect()
                };
                json!({
                    "name": f.name,
                    "handler": f.handler,
                    "policy": {"Version": "2012-10-17", "Statement": statements},
                    "permissions": permissions,
                    "declared": {
                        "statements": declared(false),
                        "framework_statements": declared(true),
                        "managed_policies": f.managed_policies,
                    },
                })
            })
            .collect();
        json!({
            "version": 1,
            "project": {"framework": self.framework, "config": path(&self.config)},
            "functions": functions,
            "edges": self.edges.iter().map(|e| json!({"from": e.from, "to": e.to, "via": e.via, "file": path(&e.file), "line": e.line})).collect::<Vec<_>>(),
            "auth": self.auth.iter().map(|a| json!({"function": a.function, "event": a.event, "current": a.current, "recommended": a.recommended, "reason": a.reason})).collect::<Vec<_>>(),
            "diagnostics": self.diagnostics.iter().map(|d| json!({
                "code": d.code, "severity": d.severity, "message": d.message,
                "file": path(&d.location.file), "line": d.location.line, "column": d.location.column,
            })).collect::<Vec<_>>(),
        })
    }
}

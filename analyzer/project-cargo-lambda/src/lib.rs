//! A cargo-lambda project with no serverless.yml or template: every binary of the crate in
//! `Cargo.toml` is a function (named after the binary, or the package for `src/main.rs`).

pub mod reader;

use slz_core::diagnostics::{Diagnostic, Location};
use slz_core::value::{Part, Template};
use slz_project::{Code, Framework, Function, Project};
use std::path::Path;

pub fn read(source: &str, manifest: &Path) -> Project {
    let mut project = Project::new(Framework::CargoLambda, manifest);
    let doc = match slz_core::cargo::parse(source) {
        Ok(doc) => doc,
        Err(e) => {
            project.diagnostics.push(Diagnostic::new(
                "config-parse-error",
                Location::new(manifest, e.line, 1),
                format!("{} does not parse: {}", manifest.display(), e.message),
            ));
            return project;
        }
    };
    let dir = manifest.parent().unwrap_or(Path::new("")).to_path_buf();
    let package = doc
        .package
        .clone()
        .unwrap_or_else(|| "function".to_string());
    project.service = package.clone();
    let mut bins: Vec<(String, u32)> = Vec::new();
    for b in &doc.bins {
        let Some(name) = &b.name else {
            project.diagnostics.push(Diagnostic::new(
                "invalid-config",
                Location::new(manifest, 1, 1),
                format!(
                    "a [[bin]] table of {} has no `name`; cargo requires one, so it is not read",
                    manifest.display()
                ),
            ));
            continue;
        };
        if bins.iter().any(|(seen, _)| seen == name) {
            // Cargo refuses a manifest with two binaries of one name: the second is not a
            // second function.
            project.diagnostics.push(Diagnostic::new(
                "invalid-config",
                Location::new(manifest, b.line, 1),
                format!(
                    "binary `{name}` is declared twice in {}; cargo refuses duplicate binary names, so only the first is read",
                    manifest.display()
                ),
            ));
            continue;
        }
        bins.push((name.clone(), b.line));
    }
    // A binary is placed at its `name` line, the package's own at the top of the manifest.
    let names: Vec<(String, Option<String>, u32)> = if bins.is_empty() {
        vec![(package.clone(), None, 1)]
    } else {
        bins.into_iter()
            .map(|(b, line)| (b.clone(), Some(b), line))
            .collect()
    };
    for (name, bin, line) in names {
        project.functions.push(Function {
            name: name.clone(),
            handler: "bootstrap".into(),
            runtime: Some("provided.al2023".into()),
            code: Code::Binary {
                dir: dir.clone(),
                name: bin,
                language: "rust".into(),
            },
            environment: Default::default(),
            events: Vec::new(),
            managed_policies: Vec::new(),
            destinations: Vec::new(),
            implicit: Vec::new(),
            declared: Vec::new(),
            deployed_name: Template(vec![Part::Lit(name.clone())]),
            location: Location::new(manifest, line, 1),
            logical_id: name,
        });
    }
    project
}

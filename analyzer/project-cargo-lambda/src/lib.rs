//! A cargo-lambda project with no serverless.yml or template: every binary of the crate in
//! `Cargo.toml` is a function (named after the binary, or the package for `src/main.rs`).

pub mod reader;

use slz_core::diagnostics::{Diagnostic, Location};
use slz_core::value::{Part, Template};
use slz_project::{Code, Framework, Function, Project};
use std::path::Path;

pub fn read(source: &str, manifest: &Path) -> Project {
    let mut project = Project::new(Framework::CargoLambda, manifest);
    let doc: toml::Value = match toml::from_str(source) {
        Ok(v) => v,
        Err(e) => {
            let line = e
                .span()
                .map(|s| source[..s.start.min(source.len())].lines().count().max(1))
                .unwrap_or(1);
            project.diagnostics.push(Diagnostic::new(
                "config-parse-error",
                Location::new(manifest, u32::try_from(line).unwrap_or(1), 1),
                format!("{} does not parse: {}", manifest.display(), e.message()),
            ));
            return project;
        }
    };
    let dir = manifest.parent().unwrap_or(Path::new("")).to_path_buf();
    let package = doc
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .unwrap_or("function")
        .to_string();
    project.service = package.clone();
    let lines = bin_name_lines(source);
    let mut bins: Vec<String> = Vec::new();
    for b in doc
        .get("bin")
        .and_then(|b| b.as_array())
        .into_iter()
        .flatten()
    {
        let Some(name) = b.get("name").and_then(|n| n.as_str()) else {
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
        if bins.iter().any(|seen| seen == name) {
            // Cargo refuses a manifest with two binaries of one name: the second is not a
            // second function.
            let line = lines
                .iter()
                .filter(|(n, _)| n == name)
                .nth(1)
                .map_or(1, |(_, l)| *l);
            project.diagnostics.push(Diagnostic::new(
                "invalid-config",
                Location::new(manifest, line, 1),
                format!(
                    "binary `{name}` is declared twice in {}; cargo refuses duplicate binary names, so only the first is read",
                    manifest.display()
                ),
            ));
            continue;
        }
        bins.push(name.to_string());
    }
    let names: Vec<(String, Option<String>)> = if bins.is_empty() {
        vec![(package.clone(), None)]
    } else {
        bins.into_iter().map(|b| (b.clone(), Some(b))).collect()
    };
    for (name, bin) in names {
        // A binary is placed at its `name` line, the package's own at the top of the manifest.
        let line = bin
            .as_ref()
            .and_then(|b| lines.iter().find(|(n, _)| n == b))
            .map_or(1, |(_, l)| *l);
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

/// The `name = "..."` lines of the manifest's `[[bin]]` tables, with their 1-based line numbers, to
/// place diagnostics (the TOML reader keeps no positions).
fn bin_name_lines(source: &str) -> Vec<(String, u32)> {
    let mut in_bin = false;
    let mut out = Vec::new();
    for (i, line) in source.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') {
            in_bin = line.replace(' ', "") == "[[bin]]";
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if in_bin && key.trim() == "name" {
            let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
            out.push((value.to_string(), u32::try_from(i + 1).unwrap_or(u32::MAX)));
        }
    }
    out
}

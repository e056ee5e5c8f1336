//! A cargo-lambda project with no serverless.yml or template: every binary of the crate in
//! `Cargo.toml` is a function (named after the binary, or the package for `src/main.rs`).

use super::{Framework, Function, Project, RustBinary};
use crate::diagnostics::{Diagnostic, Location};
use crate::value::{Part, Template};
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
    let bins: Vec<String> = doc
        .get("bin")
        .and_then(|b| b.as_array())
        .map(|bins| {
            bins.iter()
                .filter_map(|b| b.get("name").and_then(|n| n.as_str()).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let names: Vec<(String, Option<String>)> = if bins.is_empty() {
        vec![(package.clone(), None)]
    } else {
        bins.into_iter().map(|b| (b.clone(), Some(b))).collect()
    };
    for (name, bin) in names {
        project.functions.push(Function {
            name: name.clone(),
            handler: "bootstrap".into(),
            runtime: Some("provided.al2023".into()),
            handler_module: dir.join("src/main"),
            handler_export: "main".into(),
            rust_binary: Some(RustBinary {
                crate_dir: dir.clone(),
                name: bin,
            }),
            environment: Default::default(),
            events: Vec::new(),
            managed_policies: Vec::new(),
            destinations: Vec::new(),
            implicit: Vec::new(),
            declared: Vec::new(),
            deployed_name: Template(vec![Part::Lit(name.clone())]),
            logical_id: name,
            location: Location::new(manifest, 1, 1),
        });
    }
    project
}

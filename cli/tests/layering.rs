//! The crates' layering, as ARCHITECTURE.md states it, read from each crate's `Cargo.toml`: the
//! core and the catalog depend on no other crate of the project; the front-end API and the
//! project API see only those two; no language front-end depends on a project format or on the
//! engine, and no project format on a language front-end or on the engine.

use std::collections::BTreeMap;
use std::path::Path;

/// Each crate under `analyzer/` with the project's crates it depends on.
fn crates() -> BTreeMap<String, Vec<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../analyzer");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&root).unwrap().flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path().join("Cargo.toml")) else {
            continue;
        };
        let manifest: toml::Value = toml::from_str(&text).unwrap();
        let name = manifest["package"]["name"].as_str().unwrap().to_string();
        let deps = manifest
            .get("dependencies")
            .and_then(|d| d.as_table())
            .map(|t| {
                t.keys()
                    .filter(|k| k.starts_with("slz-"))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        out.insert(name, deps);
    }
    out
}

/// Which crates a crate of this kind may depend on.
fn allowed(name: &str, dep: &str) -> bool {
    let is_lang = |n: &str| n.starts_with("slz-lang-");
    let is_project = |n: &str| n.starts_with("slz-project-");
    match name {
        "slz-core" => false,
        "slz-catalog" => dep == "slz-core",
        "slz-lang" | "slz-project" => matches!(dep, "slz-core" | "slz-catalog"),
        n if is_lang(n) => matches!(dep, "slz-core" | "slz-catalog" | "slz-lang"),
        n if is_project(n) => matches!(dep, "slz-core" | "slz-catalog" | "slz-project"),
        // The engine sees everything; the fuzz targets drive the engine.
        "slz-analyzer" => true,
        "slz-fuzz" => dep == "slz-analyzer",
        _ => false,
    }
}

#[test]
fn each_crate_depends_only_on_the_layers_below_it() {
    let crates = crates();
    for name in [
        "slz-core",
        "slz-catalog",
        "slz-lang",
        "slz-lang-js",
        "slz-lang-python",
        "slz-lang-rust",
        "slz-project",
        "slz-project-serverless",
        "slz-project-sam",
        "slz-analyzer",
    ] {
        assert!(crates.contains_key(name), "no crate {name} under analyzer/");
    }
    let mut broken = Vec::new();
    for (name, deps) in &crates {
        for dep in deps {
            if !allowed(name, dep) {
                broken.push(format!("{name} depends on {dep}"));
            }
        }
    }
    assert!(broken.is_empty(), "layering broken: {broken:?}");
}

#[test]
fn the_rule_rejects_a_language_crate_that_sees_a_project_crate() {
    assert!(!allowed("slz-lang-js", "slz-project-serverless"));
    assert!(!allowed("slz-project-sam", "slz-lang-rust"));
    assert!(!allowed("slz-lang-python", "slz-analyzer"));
    assert!(allowed("slz-lang-rust", "slz-lang"));
}

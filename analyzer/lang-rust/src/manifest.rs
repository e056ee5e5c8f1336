//! What a crate's `Cargo.toml` says that resolving its modules and binaries needs (a workspace's
//! members included), read once per run through the module cache.

use slz_core::cache::CrateManifest;
use slz_lang::frontend::Files;
use std::path::Path;
use std::sync::Arc;

/// The crate whose `Cargo.toml` is `path`, read and parsed once per run.
pub fn crate_manifest(files: Files<'_>, path: &Path) -> Option<Arc<CrateManifest>> {
    files
        .cache
        .crate_manifest(path, || parse(&files.fs.read(path).ok()?))
}

/// The library, dependency and binary names of a `Cargo.toml`, as Rust paths spell them.
pub fn parse(manifest: &str) -> Option<CrateManifest> {
    let manifest: toml::Value = toml::from_str(manifest).ok()?;
    let rust_name = |n: &str| n.replace('-', "_");
    let lib = manifest
        .get("lib")
        .and_then(|l| l.get("name"))
        .or_else(|| manifest.get("package").and_then(|p| p.get("name")))
        .and_then(|n| n.as_str())
        .map(rust_name);
    let dependencies = ["dependencies", "dev-dependencies", "build-dependencies"]
        .iter()
        .filter_map(|t| manifest.get(t).and_then(|d| d.as_table()))
        .flat_map(|table| table.keys())
        .map(|k| rust_name(k))
        .collect();
    let bins = manifest
        .get("bin")
        .and_then(|b| b.as_array())
        .into_iter()
        .flatten()
        .filter_map(|b| {
            let name = b.get("name")?.as_str()?.to_string();
            let path = b.get("path").and_then(|p| p.as_str()).map(str::to_string);
            Some((name, path))
        })
        .collect();
    let package = manifest
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string);
    let members = manifest
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(|m| m.as_array())
        .into_iter()
        .flatten()
        .filter_map(|m| m.as_str().map(str::to_string))
        .collect();
    Some(CrateManifest {
        lib,
        dependencies,
        bins,
        package,
        members,
    })
}

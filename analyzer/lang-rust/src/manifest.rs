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

/// The library, dependency and binary names of a `Cargo.toml`; None when it does not parse.
pub fn parse(manifest: &str) -> Option<CrateManifest> {
    slz_core::cargo::parse(manifest).ok()
}

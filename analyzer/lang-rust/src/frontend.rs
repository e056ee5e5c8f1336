//! The Rust front-end as the engine sees it: `.rs` modules of a crate, `mod`/`use` paths resolved
//! as rustc does for the files of one crate, a binary's `main.rs` found as cargo and cargo-lambda
//! build it, aws-sdk-rust.

use crate::lower::lower_file;
use crate::manifest::crate_manifest;
use crate::sdk::RustSdk;
use slz_core::code::Code;
use slz_core::fs::normalize;
use slz_core::ir::ModuleIr;
use slz_core::value::Template;
use slz_lang::frontend::{self, Files, Frontend};
use slz_lang::sdk::{SdkModel, Val};
use std::path::{Path, PathBuf};

#[derive(Default)]
pub struct Rust {
    sdk: RustSdk,
}

impl Frontend for Rust {
    fn id(&self) -> &'static str {
        "rust"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["rs"]
    }

    fn lower(&self, path: &Path, text: &str) -> ModuleIr {
        lower_file(path, text)
    }

    /// `self::x` (a `mod x;` of this file), `super::x`, `crate::a::b` (from the crate's `src/`);
    /// files `x.rs` or `x/mod.rs`. Other paths are crates, not files.
    fn resolve(&self, files: Files<'_>, from: &Path, spec: &str) -> Option<PathBuf> {
        let mut segs: Vec<&str> = spec.split("::").collect();
        let dir = from.parent().unwrap_or(Path::new(""));
        let stem = from.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let is_root = matches!(stem, "main" | "lib" | "mod");
        let mut base = match segs.first().copied() {
            Some("self") => {
                segs.remove(0);
                if is_root {
                    dir.to_path_buf()
                } else {
                    dir.join(stem)
                }
            }
            Some("super") => {
                segs.remove(0);
                let own = if is_root {
                    dir.to_path_buf()
                } else {
                    dir.join(stem)
                };
                own.parent()?.to_path_buf()
            }
            Some("crate") => {
                segs.remove(0);
                let src = from
                    .ancestors()
                    .find(|a| a.file_name().is_some_and(|n| n == "src"))?;
                src.to_path_buf()
            }
            // The crate's own library, by its name, from one of its binaries.
            Some(first) => {
                let Some(src) = from
                    .ancestors()
                    .find(|a| a.file_name().is_some_and(|n| n == "src"))
                else {
                    return self.resolve(files, from, &format!("self::{spec}"));
                };
                // The standard library and the crate's dependencies are never files of the project
                // (a local module of the same name would be ambiguous to rustc).
                if matches!(first, "std" | "core" | "alloc") {
                    return None;
                }
                let manifest_path = src.parent()?.join("Cargo.toml");
                let names = crate_manifest(files, &manifest_path)?;
                if names.dependencies.contains(first) {
                    return None;
                }
                let lib_name = names.lib.clone()?;
                if first != lib_name || !files.fs.is_file(&src.join("lib.rs")) {
                    // Uniform paths: `use dynamodb::X` names a child module (`mod dynamodb;`).
                    return self.resolve(files, from, &format!("self::{spec}"));
                }
                segs.remove(0);
                if segs.is_empty() {
                    return Some(src.join("lib.rs"));
                }
                src.to_path_buf()
            }
            None => return None,
        };
        if segs.is_empty() {
            return files.first_file([
                base.join("main.rs"),
                base.join("lib.rs"),
                base.join("mod.rs"),
            ]);
        }
        let last = segs.pop()?;
        for s in segs {
            base = base.join(s);
        }
        files.first_file([
            base.join(format!("{last}.rs")),
            base.join(last).join("mod.rs"),
        ])
    }

    fn entry(&self, files: Files<'_>, code: &Code) -> Option<PathBuf> {
        match code {
            Code::Module { module, .. } => frontend::module_file(files, module, &["rs"]),
            Code::Binary { language, .. } if language == self.id() => {
                binary_main(files, code).ok().flatten()
            }
            _ => None,
        }
    }

    fn sdk(&self) -> &dyn SdkModel {
        &self.sdk
    }

    fn lambda_context(&self, function_name: &Template) -> Val {
        frontend::lambda_context(function_name, "function_name", "invoked_function_arn")
    }
}

/// The `main.rs` of a binary's source. A folder of `target/lambda/<bin>/` (cargo-lambda's
/// output) names the binary of the crate above `target`; the crate's `Cargo.toml` `[[bin]]` table
/// gives its path, else `src/bin/<bin>.rs`, `src/bin/<bin>/main.rs` or `src/main.rs`. Without a
/// name, the crate's only `[[bin]]` is the one. A workspace's root sends the search to the member
/// that builds the binary (a member pattern `crates/*` is tried as `crates/<bin>`). Err with
/// the `[[bin]] path` when it leaves the project (`../x.rs`, an absolute path): cargo builds that
/// file and no other, so it is neither read nor replaced by a guess.
pub fn binary_main(files: Files<'_>, code: &Code) -> Result<Option<PathBuf>, String> {
    binary_main_in(files, code, true)
}

/// [`binary_main`], searching a workspace's members when `workspace` (a member's own
/// `[workspace]` is not followed: cargo does not nest workspaces).
fn binary_main_in(
    files: Files<'_>,
    code: &Code,
    workspace: bool,
) -> Result<Option<PathBuf>, String> {
    let Code::Binary { dir, name, .. } = code else {
        return Ok(None);
    };
    let Some(mut dir) = normalize(dir.as_path()) else {
        return Ok(None);
    };
    let mut name = name.clone();
    let comps: Vec<String> = dir
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    if let Some(i) = comps
        .windows(2)
        .position(|w| w[0] == "target" && w[1] == "lambda")
    {
        name = name.or_else(|| comps.get(i + 2).cloned());
        dir = comps[..i].iter().collect();
    }
    // The crate: the nearest folder with a Cargo.toml, from the code folder up.
    let Some(krate) = dir
        .ancestors()
        .find(|a| files.fs.is_file(&a.join("Cargo.toml")))
    else {
        return Ok(None);
    };
    let krate = krate.to_path_buf();
    let manifest = crate_manifest(files, &krate.join("Cargo.toml"));
    // A workspace: the member crate that builds the binary.
    if let Some(m) = manifest
        .as_ref()
        .filter(|m| workspace && !m.members.is_empty())
    {
        for member in workspace_members(&m.members, name.as_deref()) {
            let Some(member) = normalize(&krate.join(member)).filter(|m| *m != krate) else {
                continue;
            };
            let Some(member_manifest) = crate_manifest(files, &member.join("Cargo.toml")) else {
                continue;
            };
            let builds_it = match &name {
                Some(name) => {
                    member_manifest.package.as_deref() == Some(name.as_str())
                        || member_manifest
                            .bins
                            .iter()
                            .any(|b| b.name.as_deref() == Some(name.as_str()))
                        || files
                            .fs
                            .is_file(&member.join("src/bin").join(format!("{name}.rs")))
                        || files
                            .fs
                            .is_file(&member.join("src/bin").join(name).join("main.rs"))
                }
                None => true,
            };
            if builds_it {
                let code = Code::Binary {
                    dir: member,
                    name: name.clone(),
                    language: "rust".into(),
                };
                if let Some(found) = binary_main_in(files, &code, false)? {
                    return Ok(Some(found));
                }
            }
        }
        if manifest.as_ref().is_some_and(|m| m.package.is_none()) {
            return Ok(None);
        }
    }
    // No name: the crate's only declared binary.
    if name.is_none() {
        if let Some([only]) = manifest.as_ref().map(|m| m.bins.as_slice()) {
            name = only.name.clone();
        }
    }
    let mut candidates = Vec::new();
    if let Some(name) = &name {
        let declared = manifest.iter().flat_map(|m| &m.bins);
        for bin in declared.filter(|b| b.name.as_deref() == Some(name.as_str())) {
            if let Some(p) = &bin.path {
                if normalize(&krate.join(p)).is_none() {
                    return Err(p.clone());
                }
                candidates.push(krate.join(p));
            }
        }
        candidates.push(krate.join("src/bin").join(format!("{name}.rs")));
        candidates.push(krate.join("src/bin").join(name).join("main.rs"));
    }
    candidates.push(krate.join("src/main.rs"));
    Ok(candidates
        .into_iter()
        .filter_map(|c| normalize(&c))
        .find(|c| files.fs.is_file(c)))
}

/// The member folders of a workspace to search for binary `name`: each member as written, a
/// pattern's `*` as the binary's name (with `-` and `_` both), since a folder cannot be listed.
fn workspace_members(members: &[String], name: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    for m in members {
        if !m.contains(['*', '?', '[']) {
            out.push(m.clone());
        } else if let (Some(name), Some(prefix)) = (name, m.strip_suffix('*')) {
            if !prefix.contains(['*', '?', '[']) {
                out.push(format!("{prefix}{name}"));
                out.push(format!("{prefix}{}", name.replace('-', "_")));
                out.push(format!("{prefix}{}", name.replace('_', "-")));
            }
        }
    }
    let mut unique: Vec<String> = Vec::new();
    for m in out {
        if !unique.contains(&m) {
            unique.push(m);
        }
    }
    unique
}

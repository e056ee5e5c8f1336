//! The one reader of `Cargo.toml`, shared by the Rust front-end (a crate's library, dependencies,
//! binaries and workspace members) and the cargo-lambda project format (its functions are the
//! crate's binaries). Names are kept as written, and also as Rust paths spell them (`-` as `_`)
//! where imports need them; each `[[bin]]` table keeps the line of its `name` for diagnostics
//! (the TOML reader keeps no positions).

use crate::cache::CrateManifest;

/// A `[[bin]]` table: its name (cargo requires one), its `path` when given, and the line of its
/// `name` (1 when unknown).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BinTable {
    pub name: Option<String>,
    pub path: Option<String>,
    pub line: u32,
}

/// Why a `Cargo.toml` does not parse, and the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    pub line: u32,
    pub message: String,
}

/// Reads a `Cargo.toml`.
pub fn parse(source: &str) -> Result<CrateManifest, ManifestError> {
    let manifest: toml::Value = toml::from_str(source).map_err(|e| ManifestError {
        line: e
            .span()
            .map(|s| source[..s.start.min(source.len())].lines().count().max(1))
            .and_then(|l| u32::try_from(l).ok())
            .unwrap_or(1),
        message: e.message().to_string(),
    })?;
    let rust_name = |n: &str| n.replace('-', "_");
    let text = |v: Option<&toml::Value>| v.and_then(|n| n.as_str()).map(str::to_string);
    let package = text(manifest.get("package").and_then(|p| p.get("name")));
    let lib = text(manifest.get("lib").and_then(|l| l.get("name")))
        .or_else(|| package.clone())
        .map(|n| rust_name(&n));
    let dependencies = ["dependencies", "dev-dependencies", "build-dependencies"]
        .iter()
        .filter_map(|t| manifest.get(t).and_then(|d| d.as_table()))
        .flat_map(|table| table.keys())
        .map(|k| rust_name(k))
        .collect();
    let mut lines = bin_name_lines(source).into_iter();
    let bins = manifest
        .get("bin")
        .and_then(|b| b.as_array())
        .into_iter()
        .flatten()
        .map(|b| {
            let name = text(b.get("name"));
            // The name lines come in the order of the tables that have one.
            let line = match &name {
                Some(n) => lines
                    .by_ref()
                    .find(|(l, _)| l == n)
                    .map_or(1, |(_, line)| line),
                None => 1,
            };
            BinTable {
                name,
                path: text(b.get("path")),
                line,
            }
        })
        .collect();
    let members = manifest
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(|m| m.as_array())
        .into_iter()
        .flatten()
        .filter_map(|m| m.as_str().map(str::to_string))
        .collect();
    Ok(CrateManifest {
        lib,
        dependencies,
        bins,
        package,
        members,
    })
}

/// The `name = "..."` lines of the manifest's `[[bin]]` tables, with their 1-based line numbers.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_with_binaries_a_library_and_members() {
        let m = parse(
            "[package]\nname = \"my-api\"\n\n[dependencies]\naws-sdk-s3 = \"1\"\n\n[[bin]]\nname = \"get-item\"\npath = \"src/get.rs\"\n\n[[bin]]\npath = \"x.rs\"\n\n[workspace]\nmembers = [\"crates/*\"]\n",
        )
        .unwrap();
        assert_eq!(m.package.as_deref(), Some("my-api"));
        assert_eq!(m.lib.as_deref(), Some("my_api"));
        assert!(m.dependencies.contains("aws_sdk_s3"));
        assert_eq!(
            m.bins,
            [
                BinTable {
                    name: Some("get-item".into()),
                    path: Some("src/get.rs".into()),
                    line: 8
                },
                BinTable {
                    name: None,
                    path: Some("x.rs".into()),
                    line: 1
                }
            ]
        );
        assert_eq!(m.members, ["crates/*"]);
    }

    #[test]
    fn an_error_has_its_line() {
        let e = parse("[package]\nname = \"x\"\nversion = \n").unwrap_err();
        assert_eq!(e.line, 3);
    }
}

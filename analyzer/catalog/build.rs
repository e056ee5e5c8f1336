//! Embeds the data in `rules/` (catalog, overrides, SDK naming) into the analyzer, so the binary
//! needs no files at run time. Writes `$OUT_DIR/rules_data.rs`: sorted `(name, contents)` tables.

use std::fmt::Write as _;
use std::path::Path;

fn table(out: &mut String, name: &str, dir: &Path, ext: &str) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().and_then(|e| e.to_str()) == Some(ext));
    files.sort_by_key(|p| p.file_stem().map(|s| s.to_os_string()));
    writeln!(out, "pub static {name}: &[(&str, &str)] = &[").unwrap();
    for f in files {
        let stem = f.file_stem().unwrap().to_string_lossy().to_string();
        let abs = f.canonicalize().unwrap();
        writeln!(
            out,
            "    ({stem:?}, include_str!({:?})),",
            abs.display().to_string()
        )
        .unwrap();
    }
    writeln!(out, "];").unwrap();
}

fn main() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let mut out = String::new();
    table(
        &mut out,
        "SERVICES",
        &rules.join("catalog/services"),
        "json",
    );
    table(&mut out, "IAM", &rules.join("catalog/iam"), "json");
    table(&mut out, "OVERRIDES", &rules.join("overrides"), "toml");
    table(&mut out, "SDK_NAMING", &rules.join("sdk"), "toml");
    let index = rules.join("catalog/index.json").canonicalize().unwrap();
    println!("cargo:rerun-if-changed={}", index.display());
    writeln!(
        out,
        "pub static INDEX: &str = include_str!({:?});",
        index.display().to_string()
    )
    .unwrap();
    let sam = rules
        .join("sam-policy-templates.toml")
        .canonicalize()
        .unwrap();
    println!("cargo:rerun-if-changed={}", sam.display());
    writeln!(
        out,
        "pub static SAM_POLICY_TEMPLATES: &str = include_str!({:?});",
        sam.display().to_string()
    )
    .unwrap();
    let conn = rules.join("sam-connectors.toml").canonicalize().unwrap();
    println!("cargo:rerun-if-changed={}", conn.display());
    writeln!(
        out,
        "pub static SAM_CONNECTORS: &str = include_str!({:?});",
        conn.display().to_string()
    )
    .unwrap();
    let returns = rules
        .join("cloudformation/returns.toml")
        .canonicalize()
        .unwrap();
    println!("cargo:rerun-if-changed={}", returns.display());
    writeln!(
        out,
        "pub static CFN_RETURNS: &str = include_str!({:?});",
        returns.display().to_string()
    )
    .unwrap();
    let events = rules.join("events.toml").canonicalize().unwrap();
    println!("cargo:rerun-if-changed={}", events.display());
    writeln!(
        out,
        "pub static EVENTS: &str = include_str!({:?});",
        events.display().to_string()
    )
    .unwrap();
    let check = rules.join("check.toml").canonicalize().unwrap();
    println!("cargo:rerun-if-changed={}", check.display());
    writeln!(
        out,
        "pub static CHECK: &str = include_str!({:?});",
        check.display().to_string()
    )
    .unwrap();
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("rules_data.rs");
    std::fs::write(dest, out).unwrap();
}

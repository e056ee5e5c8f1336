//! `slz-iam generate`: find the config, read the project, analyse it, print the policies.

use crate::emit;
use crate::fs::DiskFs;
use crate::Format;
use slz_analyzer::project::{cargo, sam, serverless};
use std::path::{Path, PathBuf};

/// Config files looked for, in order, when `--config` is not given.
const CONFIG_NAMES: &[&str] = &[
    "serverless.yml",
    "serverless.yaml",
    "template.yaml",
    "template.yml",
    "template.json",
];

/// Reads the project at `dir` (or the config's folder) and analyses it.
pub fn load(dir: Option<PathBuf>, config: Option<PathBuf>) -> Result<slz_analyzer::Report, String> {
    let root = match (&dir, &config) {
        (Some(d), _) => d.clone(),
        (None, Some(c)) => c.parent().map(Path::to_path_buf).unwrap_or_default(),
        (None, None) => PathBuf::from("."),
    };
    let root = if root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        root
    };
    if !root.is_dir() {
        return Err(format!("{} is not a folder", root.display()));
    }
    let config_path = match config {
        Some(c) => c,
        None => CONFIG_NAMES
            .iter()
            .chain(["Cargo.toml"].iter())
            .map(|n| root.join(n))
            .find(|p| p.is_file())
            .ok_or_else(|| {
                format!(
                    "no serverless.yml in {} (name one with --config)",
                    root.display()
                )
            })?,
    };
    let text = std::fs::read(&config_path)
        .map_err(|e| format!("cannot read {}: {e}", config_path.display()))?;
    let text = String::from_utf8(text)
        .map_err(|_| format!("{} is not UTF-8 text", config_path.display()))?;
    let fs = DiskFs::new(&root).map_err(|e| format!("cannot open {}: {e}", root.display()))?;
    let root_abs = root.canonicalize().map_err(|e| e.to_string())?;
    let config_abs = config_path.canonicalize().map_err(|e| e.to_string())?;
    let rel = config_abs
        .strip_prefix(&root_abs)
        .map_err(|_| {
            format!(
                "{} is outside the project folder {}",
                config_path.display(),
                root.display()
            )
        })?
        .to_path_buf();
    let project = if rel.file_name().is_some_and(|n| n == "Cargo.toml") {
        cargo::read(&text, &rel)
    } else if sam::is_template(&text) {
        sam::read(&text, &rel)
    } else {
        serverless::read(&text, &rel)
    };
    Ok(slz_analyzer::analyze(&project, &fs))
}

pub fn run(dir: Option<PathBuf>, config: Option<PathBuf>, format: Format) -> Result<u8, String> {
    let report = load(dir, config)?;
    let out = match format {
        Format::Json => emit::json::render(&report),
        Format::Yaml => emit::yaml::render(&report),
        Format::Sam => emit::sam::render(&report),
    };
    print!("{out}");
    eprint!("{}", emit::text::diagnostics(&report));
    Ok(if report.has_errors() { 1 } else { 0 })
}

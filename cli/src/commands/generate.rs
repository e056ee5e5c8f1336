//! `slz-iam generate`: find the config, read the project, analyse it, print the policies; with
//! `--format diff` or `--write`, show or apply the recommended config changes.

use crate::emit;
use crate::project::{load_all, Loaded};
use crate::Format;
use std::path::{Path, PathBuf};

/// The config text with the generated statements and the recommended endpoint auth applied; the
/// notes (where grants went and why, what was left alone) go to stderr.
fn edited(loaded: &Loaded) -> String {
    let plan = slz_analyzer::edit::config_edits(&loaded.project, &loaded.source, &loaded.report);
    for note in &plan.notes {
        eprintln!("slz-iam: note: {note}");
    }
    slz_analyzer::edit::apply(&loaded.source, &plan.edits)
}

pub fn run(
    dir: Option<PathBuf>,
    config: Option<PathBuf>,
    format: Format,
    write: bool,
) -> Result<u8, String> {
    let loaded = load_all(dir, config).map_err(|e| {
        if write {
            format!("{e}; refusing to write it")
        } else {
            e
        }
    })?;
    let report = &loaded.report;
    if write {
        let new = edited(&loaded);
        if new != loaded.source {
            write_atomically(&loaded.config_path, &loaded.source, &new)?;
            eprintln!("slz-iam: updated {}", loaded.config_path.display());
        }
    }
    match format {
        // The largest output: written as it is produced.
        Format::Json => super::to_stdout(|out| emit::json::write(report, out))?,
        Format::Yaml => super::print(&emit::yaml::render(report))?,
        Format::Sam => super::print(&emit::sam::render(report))?,
        Format::Diff => {
            let new = if write {
                loaded.source.clone()
            } else {
                edited(&loaded)
            };
            let name = loaded.project.config.display().to_string();
            let diff = similar::TextDiff::from_lines(&loaded.source, &new)
                .unified_diff()
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string();
            super::print(&diff)?;
        }
    }
    eprint!("{}", emit::text::diagnostics(report));
    let status = if report.has_errors() { 1 } else { 0 };
    // The process exits next: the project and report need not be freed one value at a time.
    std::mem::forget(loaded);
    Ok(status)
}

/// Writes `new` over `path` through a temporary file in the same folder and a rename, unless the
/// file changed on disk since it was read as `old`.
pub fn write_atomically(path: &Path, old: &str, new: &str) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.slz-iam.tmp"));
    std::fs::write(&tmp, new).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    let now = std::fs::read_to_string(path).unwrap_or_default();
    if now != old {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!(
            "{} changed on disk while slz-iam ran; not written",
            path.display()
        ));
    }
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot replace {}: {e}", path.display())
    })
}

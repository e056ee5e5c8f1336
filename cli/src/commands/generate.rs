//! `slz-iam generate`: find the config, read the project, analyse it, print the policies; with
//! `--format diff` or `--write`, show or apply the recommended config changes, once they pass the
//! gate in [`crate::write`].

use crate::emit;
use crate::emit::escape::terminal;
use crate::project::load_all;
use crate::write;
use crate::Format;
use std::path::PathBuf;

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
            e.to_string()
        }
    })?;
    let report = &loaded.report;
    let diff = matches!(format, Format::Diff);
    let plan = if write || diff {
        let plan = write::plan(&loaded).map_err(|reason| {
            let what = if write {
                "not written"
            } else {
                "no diff shown"
            };
            format!("{}: {reason}; {what}", loaded.config_path.display())
        })?;
        for note in &plan.notes {
            eprintln!("slz-iam: note: {}", terminal(note));
        }
        for name in &plan.unwritten {
            eprintln!(
                "slz-iam: {}: function `{}`: what its code needs is not all written (see the note above)",
                terminal(&loaded.config_path.to_string_lossy()),
                terminal(name)
            );
        }
        for (name, why) in &plan.skipped {
            eprintln!(
                "slz-iam: {}: function `{}` left as it is: {}",
                terminal(&loaded.config_path.to_string_lossy()),
                terminal(name),
                terminal(why)
            );
        }
        Some(plan)
    } else {
        None
    };
    if let Some(plan) = plan.as_ref().filter(|p| write && p.text != loaded.source) {
        let real = write::write_through(
            &loaded.root,
            &loaded.config_path,
            &loaded.source,
            &plan.text,
        )?;
        let linked = std::fs::symlink_metadata(&loaded.config_path)
            .is_ok_and(|m| m.file_type().is_symlink());
        if linked {
            eprintln!(
                "slz-iam: updated {} (through the link {})",
                terminal(&real.to_string_lossy()),
                terminal(&loaded.config_path.to_string_lossy())
            );
        } else {
            eprintln!(
                "slz-iam: updated {}",
                terminal(&loaded.config_path.to_string_lossy())
            );
        }
    }
    match format {
        // The largest output: written as it is produced.
        Format::Json => super::to_stdout(|out| emit::json::write(report, out))?,
        Format::Yaml => super::print(&emit::yaml::render(report))?,
        Format::Sam => super::print(&emit::sam::render(report))?,
        Format::Diff => {
            // After a write, the config already holds the changes: nothing is left to show.
            let new = match &plan {
                Some(p) if !write => p.text.as_str(),
                _ => loaded.source.as_str(),
            };
            let name = loaded.project.config.display().to_string();
            let diff = emit::udiff::unified(
                loaded.source.as_str(),
                new,
                &format!("a/{name}"),
                &format!("b/{name}"),
            );
            super::print(&diff)?;
        }
    }
    eprint!("{}", emit::text::diagnostics(report));
    eprintln!("{}", terminal(&report.summary()));
    // A function left alone, or one whose needs the edits could not write, makes the write
    // fall short of what was asked: not a success.
    let skipped = plan
        .as_ref()
        .is_some_and(|p| !p.skipped.is_empty() || !p.unwritten.is_empty());
    let status = if report.has_errors() || skipped { 1 } else { 0 };
    // The process exits next: the project and report need not be freed one value at a time.
    std::mem::forget(loaded);
    Ok(status)
}

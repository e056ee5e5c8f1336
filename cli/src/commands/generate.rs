//! `slz-iam generate`: find the config, read the project, analyse it, print the policies; with
//! `--format diff` or `--write`, show or apply the recommended config changes, once they pass the
//! gate in [`crate::write`].

use crate::emit::escape::terminal;
use crate::emit::formats::Format;
use crate::emit::{self, View};
use crate::project::load_all;
use crate::write;
use std::path::PathBuf;

pub fn run(
    dir: Option<PathBuf>,
    config: Option<PathBuf>,
    format: &'static Format,
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
    let diff = format.emitter.shows_edits();
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
        if write::is_link(&loaded.config_path) {
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
    // After a write, the config already holds the changes: nothing is left to show.
    let edited = plan.as_ref().filter(|_| !write).map(|p| p.text.as_str());
    let view = View {
        report,
        project: &loaded.project,
        findings: &[],
        root: &loaded.root,
        files: &loaded.fs,
        config_text: &loaded.source,
        edited,
    };
    // Written as it is produced (the JSON contract is the largest output).
    super::to_stdout(|out| format.emitter.emit(out, &view))?;
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

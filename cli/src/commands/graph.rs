//! `slz-iam graph`: analyse the project and print its function graph.

use crate::emit::formats::Format;
use crate::emit::{self, View};
use std::path::PathBuf;

pub fn run(
    dir: Option<PathBuf>,
    config: Option<PathBuf>,
    format: &'static Format,
) -> Result<u8, String> {
    let loaded = crate::project::load_all(dir, config)?;
    let view = View {
        report: &loaded.report,
        project: &loaded.project,
        findings: &[],
        root: &loaded.root,
        files: &loaded.fs,
        config_text: &loaded.source,
        edited: None,
    };
    super::to_stdout(|out| format.emitter.emit(out, &view))?;
    eprint!("{}", emit::text::diagnostics(&loaded.report));
    let status = if loaded.report.has_errors() { 1 } else { 0 };
    // The process exits next: the project and report need not be freed one value at a time.
    std::mem::forget(loaded);
    Ok(status)
}

//! `slz-iam graph`: analyse the project and print its function graph.

use crate::emit;
use crate::GraphFormat;
use std::path::PathBuf;

pub fn run(
    dir: Option<PathBuf>,
    config: Option<PathBuf>,
    format: GraphFormat,
) -> Result<u8, String> {
    let report = crate::project::load(dir, config)?;
    let out = match format {
        GraphFormat::Dot => emit::graph::dot(&report),
        GraphFormat::Mermaid => emit::graph::mermaid(&report),
        GraphFormat::Json => emit::graph::json(&report),
    };
    super::print(&out)?;
    eprint!("{}", emit::text::diagnostics(&report));
    Ok(if report.has_errors() { 1 } else { 0 })
}

//! What every fuzz target shares: a project whose one function's handler is the fuzzed source,
//! analysed end to end through an in-memory file system.

use slz_analyzer::project::Project;
use slz_analyzer::{MemFs, Report};
use std::path::Path;

/// A serverless.yml with one function per runtime, each reading a table name from its
/// environment, so that the evaluator has values to follow.
pub const CONFIG: &str = "service: fuzz
provider:
  name: aws
  environment:
    TABLE: fuzz-table
functions:
  js:
    handler: src/handler.main
    runtime: nodejs20.x
  py:
    handler: src/app.main
    runtime: python3.12
";

/// Analyses `source` as the handler file `file` (e.g. `src/handler.ts`) of the project `CONFIG`
/// (or `config` when given), and returns the project and its report.
pub fn analyse(config: &str, files: &[(&str, &str)]) -> (Project, Report) {
    let project = Project::read_yaml_config(config, Path::new("serverless.yml"));
    let fs = MemFs::new(files.iter().copied());
    let report = slz_analyzer::analyze(&project, &fs);
    (project, report)
}

/// Analyses the fuzzer's bytes as the handler `handler` of `CONFIG` and as the local module
/// `module` it may import, end to end.
pub fn analyse_handler(data: &[u8], handler: &str, module: &str) {
    let source = text(data);
    let (_, report) = analyse(
        CONFIG,
        &[(handler, source.as_str()), (module, source.as_str())],
    );
    std::hint::black_box(report.to_json());
}

/// The fuzzer's bytes as text (lossy: the tool's own reader refuses non-UTF-8 before parsing).
pub fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

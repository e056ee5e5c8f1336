//! slz-fuzz: the fuzz targets' bodies ([`targets`]) and what they share: a project whose one
//! function's handler is the fuzzed source, analysed end to end through an in-memory file system.
//! The libFuzzer binaries are in `fuzz/` (outside the workspace: they need libFuzzer and coverage
//! flags); this crate is in it, so CI type-checks every target and runs each over its seeds.

pub mod targets;

use slz_analyzer::project::Project;
use slz_analyzer::{MemFs, Report};
use std::path::Path;
use std::sync::OnceLock;

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

/// Reads `config` as the project's serverless.yml (or template) and analyses it over `files`, held
/// in memory, on a thread with the binary's stack. A panic the analysis caught and reported as an
/// `internal-error` diagnostic is still a bug: it fails the run here.
pub fn analyse(config: &str, files: &[(&str, &str)]) -> (Project, Report) {
    analyse_with(
        || slz_analyzer::project::read_yaml_config(config, Path::new("serverless.yml")),
        files,
    )
}

/// Like [`analyse`], with the project read by `read`.
pub fn analyse_with(
    read: impl FnOnce() -> Project + Send,
    files: &[(&str, &str)],
) -> (Project, Report) {
    let (project, report) = pool().install(|| {
        let project = read();
        let fs = MemFs::new(files.iter().copied());
        let report = slz_analyzer::analyze(&project, &fs);
        (project, report)
    });
    if let Some(d) = report
        .diagnostics
        .iter()
        .find(|d| d.code == "internal-error")
    {
        panic!("internal error: {}", d.message);
    }
    (project, report)
}

/// The fuzzer's own thread as the pool's only worker: the analysis and its parallel loops run
/// inline on it, with no hand-over per input (a thread per input, or a worker woken per input,
/// cost more than most inputs' analysis). `fuzz/run.sh` raises the stack limit to the binary's
/// analysis stack before starting a target, and the smoke test runs on a thread with that stack,
/// so this thread has the stack the binary's analysis thread has. The first thread to analyse
/// owns the pool: call the targets from one thread.
fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build()
            .expect("a pool on the fuzzer's thread")
    })
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

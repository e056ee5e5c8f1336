//! The Rust front-end and the evaluator: the fuzzed text is the `main.rs` (and the library) of a
//! cargo-lambda crate with no config (every binary a function), analysed end to end.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slz_analyzer::project::cargo;
use std::path::Path;

const MANIFEST: &str = "[package]\nname = \"fuzz\"\nversion = \"0.1.0\"\n";

fuzz_target!(|data: &[u8]| {
    let source = slz_iam_fuzz::text(data);
    let files = [
        ("Cargo.toml", MANIFEST),
        ("src/main.rs", source.as_str()),
        ("src/lib.rs", source.as_str()),
    ];
    let (_, report) =
        slz_iam_fuzz::analyse_with(|| cargo::read(MANIFEST, Path::new("Cargo.toml")), &files);
    std::hint::black_box(report.to_json());
});

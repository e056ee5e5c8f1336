//! The Rust front-end and the evaluator: the fuzzed text is the `main.rs` (and the library) of a
//! cargo-lambda crate with no config (every binary a function), analysed end to end.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| slz_fuzz::targets::rust(data));

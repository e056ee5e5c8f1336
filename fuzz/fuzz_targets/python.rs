//! The Python front-end and the evaluator: the fuzzed text is a boto3 handler (and the local
//! module it may import), analysed end to end.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| slz_fuzz::targets::python(data));

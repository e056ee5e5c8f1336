//! The Python front-end and the evaluator: the fuzzed text is a boto3 handler (and the local
//! module it may import), analysed end to end.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = slz_iam_fuzz::text(data);
    let files = [
        ("src/app.py", source.as_str()),
        ("src/lib.py", source.as_str()),
    ];
    let (_, report) = slz_iam_fuzz::analyse(slz_iam_fuzz::CONFIG, &files);
    std::hint::black_box(report.to_json());
});

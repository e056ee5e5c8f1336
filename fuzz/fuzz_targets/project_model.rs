//! The serverless.yml and SAM/CloudFormation readers on arbitrary config text: parse, resolve
//! variables and intrinsics, read functions, roles and declared policies, then analyse.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let config = slz_iam_fuzz::text(data);
    let handler = "exports.main = async () => {};";
    let (_, report) = slz_iam_fuzz::analyse(&config, &[("src/handler.js", handler)]);
    std::hint::black_box(report.to_json());
});

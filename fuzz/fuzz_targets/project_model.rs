//! The serverless.yml and SAM/CloudFormation readers on arbitrary config text: parse, resolve
//! variables and intrinsics, read functions, roles and declared policies, then analyse.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| slz_fuzz::targets::project_model(data));

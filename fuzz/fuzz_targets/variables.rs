//! The variable resolver: the first line is a value to resolve (`${self:custom.a}-x`, `!Sub ...`),
//! the rest a config whose nodes it may name (cycles, missing keys, deep nesting).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| slz_fuzz::targets::variables(data));

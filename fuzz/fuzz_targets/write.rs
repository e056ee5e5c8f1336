//! `--write` on arbitrary configs: when the config parses, the edits `generate --write` would make
//! must give a config that still parses, and every line outside the edited ranges must be kept,
//! byte for byte and in order.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| slz_fuzz::targets::write(data));

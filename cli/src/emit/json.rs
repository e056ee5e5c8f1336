//! `--format json`: the version-1 contract (see the README), pretty-printed, stable key order.

use crate::emit::{Emitter, View};

pub struct Json;

impl Emitter for Json {
    /// Writes the contract to `out` as it is produced, without holding all of it in memory first.
    fn emit(&self, out: &mut dyn std::io::Write, view: &View) -> std::io::Result<()> {
        view.report.write_json(out)
    }
}

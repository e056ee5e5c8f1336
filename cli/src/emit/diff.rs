//! `--format diff`: the unified diff of the config before and after the recommended edits
//! ([`crate::emit::udiff`]); empty when there is nothing to change, or once the edits are written.

use crate::emit::{udiff, Emitter, View};

pub struct Diff;

impl Emitter for Diff {
    fn emit(&self, out: &mut dyn std::io::Write, view: &View) -> std::io::Result<()> {
        let new = view.edited.unwrap_or(view.config_text);
        let name = view.project.config.display().to_string();
        let diff = udiff::unified(
            view.config_text,
            new,
            &format!("a/{name}"),
            &format!("b/{name}"),
        );
        out.write_all(diff.as_bytes())
    }

    fn shows_edits(&self) -> bool {
        true
    }
}

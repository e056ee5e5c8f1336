//! Output formats. Each is one [`Emitter`] over the same [`View`] (report, findings, project),
//! and [`formats::FORMATS`] maps every command's `--format` names to them: a new format is one
//! file and one entry there.

pub mod diff;
pub mod escape;
pub mod findings;
pub mod formats;
pub mod graph;
pub mod json;
pub mod sam;
pub mod text;
pub mod udiff;
pub mod yaml;

use slz_analyzer::check::Finding;
use slz_analyzer::project::Project;
use slz_analyzer::{Report, SourceFs};
use std::io::{self, Write};
use std::path::Path;

/// What a format renders: the analysis and what the command made of it.
pub struct View<'a> {
    pub report: &'a Report,
    pub project: &'a Project,
    /// `check`'s findings, after the settings (empty for the other commands).
    pub findings: &'a [Finding],
    /// The project folder as the user named it: files are shown joined to it.
    pub root: &'a Path,
    /// The project's files, read as the analysis read them (source lines shown with findings).
    pub files: &'a dyn SourceFs,
    /// The config's text as it was read.
    pub config_text: &'a str,
    /// The config's text after the recommended edits, when they were planned and not written.
    pub edited: Option<&'a str>,
}

impl View<'_> {
    /// The text of project file `file`: the config as it was read, any other through
    /// [`View::files`].
    pub fn text_of(&self, file: &Path) -> Option<String> {
        if file == self.project.config {
            return Some(self.config_text.to_string());
        }
        self.files.read(file).ok()
    }
}

/// A run that could read nothing to check: where and why.
pub struct Unusable<'a> {
    pub file: &'a Path,
    /// 1-based; 0 when unknown.
    pub line: u32,
    pub column: u32,
    pub message: &'a str,
}

/// One output format.
pub trait Emitter: Sync {
    fn emit(&self, out: &mut dyn Write, view: &View) -> io::Result<()>;

    /// Whether the output shows the recommended config edits: the command then plans them (through
    /// the write gate) and hands them over in [`View::edited`].
    fn shows_edits(&self) -> bool {
        false
    }

    /// For a run that could not check anything: a document a machine reader can take in place of
    /// zero bytes. By default nothing: the reason goes to standard error in every format.
    fn emit_unusable(&self, _out: &mut dyn Write, _why: &Unusable) -> io::Result<()> {
        Ok(())
    }
}

//! The formats of `check`'s findings, one file each: text with the source line (`text.rs`), JSON
//! (`json.rs`), SARIF 2.1.0 for GitHub code scanning (`sarif.rs`) and GitHub workflow annotations
//! (`github.rs`); what they share is here.

pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use slz_analyzer::diagnostics::Severity;
use std::path::Path;

pub(crate) fn sev(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "info",
    }
}

/// The path as the user sees it from where they ran the tool.
pub(crate) fn shown(root: &Path, file: &Path) -> String {
    let p = if root.as_os_str().is_empty() || root == Path::new(".") {
        file.to_path_buf()
    } else {
        root.join(file)
    };
    p.to_string_lossy().replace('\\', "/")
}

/// A file read once for the source lines it shows: its text and where each line starts.
pub(crate) struct Lines {
    text: String,
    starts: Vec<usize>,
}

impl Lines {
    pub(crate) fn new(text: String) -> Lines {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&i| i < text.len())
            .collect();
        Lines { text, starts }
    }

    /// Line `n` (from 1) without its line break, as `str::lines` gives it.
    pub(crate) fn line(&self, n: usize) -> Option<&str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        let end = self.starts.get(n).map_or(self.text.len(), |&e| e - 1);
        let line = &self.text[start..end];
        let line = line.strip_suffix('\n').unwrap_or(line);
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// The rule of the one result of a run that could not check anything.
pub(crate) const UNUSABLE_RULE: &str = "unusable-input";
pub(crate) const UNUSABLE_DOC: &str = "The project's config (or slz-iam.toml) cannot be used: it is not found, does not parse, is not a map of settings, or is too large. Nothing was checked; the run exits with status 2.";

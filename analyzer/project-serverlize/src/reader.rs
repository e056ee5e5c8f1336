//! A Serverlize project as a [`ProjectReader`]: `.serverlize.config.ts`, one function per folder
//! of `functions/` (`index.ts` or `index.js`) and `.env`, all TypeScript lowered by the lowering
//! the engine passes in.

use crate::FunctionSource;
use slz_core::diagnostics::{Diagnostic, Location};
use slz_core::dir::MAX_DIR_ENTRIES;
use slz_core::fs::SourceFs;
use slz_core::ir::ModuleIr;
use slz_project::reader::ProjectReader;
use slz_project::{Framework, Project};
use std::path::Path;

/// The entry file names of a function folder, in the order they are looked for.
const ENTRIES: &[&str] = &["index.ts", "index.js", "index.mts", "index.mjs"];

pub struct Serverlize {
    /// The JS front-end's lowering.
    pub lower: fn(&Path, &str) -> ModuleIr,
}

impl ProjectReader for Serverlize {
    fn framework(&self) -> Framework {
        Framework::Serverlize
    }

    fn config_names(&self) -> &'static [&'static str] {
        &[".serverlize.config.ts", ".serverlize.config.js"]
    }

    fn reads_file(&self, config: &Path) -> bool {
        config
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(".serverlize.config."))
    }

    /// The function folders are listed through `fs`, like every folder the tool reads: a
    /// `functions` folder linked out of the project is not listed, nor is a folder in it that
    /// links out; past [`MAX_DIR_ENTRIES`] entries the rest are not read, and a `too-many-entries`
    /// diagnostic says so.
    fn read(&self, config: &Path, source: &str, fs: &dyn SourceFs) -> Project {
        let base = config.parent().unwrap_or(Path::new(""));
        let folder = base.join("functions");
        let listing = fs.list_dir(&folder).unwrap_or_default();
        let mut functions = Vec::new();
        for name in listing.folders() {
            let found = ENTRIES.iter().find_map(|entry| {
                let path = folder.join(name).join(entry);
                fs.read(&path).ok().map(|text| (path, text))
            });
            if let Some((path, text)) = found {
                functions.push(FunctionSource {
                    name: name.to_string(),
                    path,
                    text,
                });
            }
        }
        let dotenv = fs.read(&base.join(".env")).ok();
        let mut project = crate::read(source, config, &functions, dotenv.as_deref(), &self.lower);
        if listing.omitted > 0 {
            project.diagnostics.push(Diagnostic::new(
                "too-many-entries",
                Location::new(config, 1, 1),
                format!(
                    "{} holds more than {MAX_DIR_ENTRIES} entries: the {} past the first {MAX_DIR_ENTRIES} by name are not read",
                    folder.display(),
                    listing.omitted
                ),
            ));
        }
        project
    }

    fn resolves_plain_variables(&self) -> bool {
        true
    }

    /// The config, `.env`, and any file under `functions/` (a function added or removed).
    fn reshapes(&self, changed: &Path) -> bool {
        changed.file_name().is_some_and(|n| n == ".env")
            || self.reads_file(changed)
            || changed.starts_with("functions")
    }
}

//! The registry of language front-ends: the one place that lists them. Everything the engine
//! does per language (which files a front-end reads, how imports resolve, where a function's code
//! starts, which SDK model judges its calls) is a lookup here.

use slz_core::code::Code;
use slz_lang::frontend::{Files, Frontend};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

static FRONTENDS: LazyLock<[Box<dyn Frontend>; 3]> = LazyLock::new(|| {
    [
        Box::new(slz_lang_js::frontend::Js::default()),
        Box::new(slz_lang_python::frontend::Python::default()),
        Box::new(slz_lang_rust::frontend::Rust::default()),
    ]
});

/// Every front-end, in the order a handler module's extensions are tried.
pub fn all() -> impl Iterator<Item = &'static dyn Frontend> {
    FRONTENDS.iter().map(|f| f.as_ref())
}

/// The front-end that reads `path`, by its extension; None for data files (`.json`) and files of
/// languages not read yet.
pub fn for_path(path: &Path) -> Option<&'static dyn Frontend> {
    let ext = path.extension()?.to_str()?;
    all().find(|f| f.extensions().contains(&ext))
}

/// The front-end whose id is `id`.
pub fn by_id(id: &str) -> Option<&'static dyn Frontend> {
    all().find(|f| f.id() == id)
}

/// The source file `code` starts at, and the front-end that reads it: a binary's language reads
/// it; a module is looked up with each front-end's extensions in turn.
pub fn entry(files: Files<'_>, code: &Code) -> Option<(PathBuf, &'static dyn Frontend)> {
    let candidates: Box<dyn Iterator<Item = &'static dyn Frontend>> = match code {
        Code::Binary { language, .. } | Code::Inline { language, .. } => {
            Box::new(by_id(language).into_iter())
        }
        Code::Module { .. } | Code::Image { .. } => Box::new(all()),
    };
    for f in candidates {
        if let Some(file) = f.entry(files, code) {
            return Some((file, f));
        }
    }
    None
}

//! A cargo-lambda crate as a [`ProjectReader`]: `Cargo.toml` with no deployment config, so no
//! roles are declared anywhere and the tool writes nothing.

use slz_core::fs::SourceFs;
use slz_project::reader::ProjectReader;
use slz_project::{Framework, Project};
use std::path::Path;

pub struct CargoLambda;

impl ProjectReader for CargoLambda {
    fn framework(&self) -> Framework {
        Framework::CargoLambda
    }

    fn config_names(&self) -> &'static [&'static str] {
        &["Cargo.toml"]
    }

    fn reads_file(&self, config: &Path) -> bool {
        config.file_name().is_some_and(|n| n == "Cargo.toml")
    }

    fn read(&self, config: &Path, source: &str, _fs: &dyn SourceFs) -> Project {
        crate::read(source, config)
    }

    fn declares_roles(&self) -> bool {
        false
    }

    fn reshapes(&self, changed: &Path) -> bool {
        changed.file_name().is_some_and(|n| n == "Cargo.toml")
    }
}

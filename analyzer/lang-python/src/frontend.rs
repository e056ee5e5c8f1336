//! The Python front-end as the engine sees it: `.py` modules, imports resolved as the Lambda
//! runtime's `sys.path` finds them, boto3.

use crate::lower::lower_file;
use crate::sdk::Boto3;
use slz_core::code::Code;
use slz_core::ir::ModuleIr;
use slz_core::limits::Syntax;
use slz_core::value::Template;
use slz_lang::frontend::{self, Files, Frontend};
use slz_lang::sdk::{SdkModel, Val};
use std::path::{Path, PathBuf};

#[derive(Default)]
pub struct Python {
    sdk: Boto3,
}

impl Frontend for Python {
    fn id(&self) -> &'static str {
        "python"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["py"]
    }

    fn syntax(&self) -> Syntax {
        Syntax::Lines
    }

    fn lower(&self, path: &Path, text: &str) -> ModuleIr {
        lower_file(path, text)
    }

    /// `.x` / `..x` from the importing file's package; `a.b` from the importing file's folder or
    /// any folder above it inside the project (the function's code root and layers).
    fn resolve(&self, files: Files<'_>, from: &Path, spec: &str) -> Option<PathBuf> {
        let dots = spec.chars().take_while(|c| *c == '.').count();
        let rest = spec[dots..].replace('.', "/");
        let candidates = |base: &Path| -> Vec<PathBuf> {
            if rest.is_empty() {
                vec![base.join("__init__.py")]
            } else {
                vec![
                    base.join(format!("{rest}.py")),
                    base.join(&rest).join("__init__.py"),
                ]
            }
        };
        let from_dir = from.parent().unwrap_or(Path::new(""));
        if dots > 0 {
            let mut base = from_dir.to_path_buf();
            for _ in 1..dots {
                if !base.pop() {
                    return None;
                }
            }
            return files.first_file(candidates(&base));
        }
        files.first_file(from_dir.ancestors().flat_map(candidates))
    }

    /// `from . import name` in a package's `__init__.py`: `name.py` or `name/__init__.py` beside it.
    fn submodule(&self, files: Files<'_>, package: &Path, name: &str) -> Option<PathBuf> {
        if package.file_name()? != "__init__.py" {
            return None;
        }
        let dir = package.parent()?;
        files.first_file([
            dir.join(format!("{name}.py")),
            dir.join(name).join("__init__.py"),
        ])
    }

    fn entry(&self, files: Files<'_>, code: &Code) -> Option<PathBuf> {
        match code {
            Code::Module { module, .. } => frontend::module_file(files, module, &["py"]),
            _ => None,
        }
    }

    fn sdk(&self) -> &dyn SdkModel {
        &self.sdk
    }

    fn lambda_context(&self, function_name: &Template) -> Val {
        frontend::lambda_context(function_name, "function_name", "invoked_function_arn")
    }
}

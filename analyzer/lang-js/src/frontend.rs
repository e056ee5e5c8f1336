//! The JS/TS front-end as the engine sees it: `.js`/`.ts` and their module variants, relative
//! imports resolved as Node.js and TypeScript's bundler resolution do, the AWS SDK for JavaScript.

use crate::aliases;
use crate::lower::lower_file;
use crate::sdk::JsSdk;
use slz_core::code::Code;
use slz_core::fs::normalize;
use slz_core::ir::ModuleIr;
use slz_core::value::Template;
use slz_lang::frontend::{self, Files, Frontend};
use slz_lang::sdk::{is_relative, SdkModel, Val};
use std::path::{Path, PathBuf};

/// The extensions of JS and TS modules.
pub const EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "ts", "mts", "cts", "tsx", "jsx"];

#[derive(Default)]
pub struct Js {
    sdk: JsSdk,
}

impl Frontend for Js {
    fn id(&self) -> &'static str {
        "js"
    }

    fn extensions(&self) -> &'static [&'static str] {
        EXTENSIONS
    }

    fn lower(&self, path: &Path, text: &str) -> ModuleIr {
        lower_file(path, text)
    }

    /// `./x` and `../x` from the importing file; a non-relative specifier only through the
    /// project's aliases (tsconfig `paths` and `baseUrl`, package.json `imports`): packages are not
    /// files of the project.
    fn resolve(&self, files: Files<'_>, from: &Path, spec: &str) -> Option<PathBuf> {
        if !is_relative(spec) {
            return aliases::candidates(files, from, spec)
                .into_iter()
                .find_map(|base| probe(files, base));
        }
        let base = normalize(&from.parent().unwrap_or(Path::new("")).join(spec))?;
        probe(files, base)
    }

    fn entry(&self, files: Files<'_>, code: &Code) -> Option<PathBuf> {
        match code {
            // Compiled output (`dist/x`) is looked for as the source it was built from.
            Code::Module { module, .. } => frontend::module_file(files, module, EXTENSIONS)
                .or_else(|| {
                    aliases::sources_of_output(files, module)
                        .iter()
                        .find_map(|m| frontend::module_file(files, m, EXTENSIONS))
                }),
            _ => None,
        }
    }

    fn sdk(&self) -> &dyn SdkModel {
        &self.sdk
    }

    fn lambda_context(&self, function_name: &Template) -> Val {
        frontend::lambda_context(function_name, "functionName", "invokedFunctionArn")
    }
}

/// The module `base` names: the file itself, its TS source when it names the compiled `.js`, the
/// name with each extension, or the folder's `index`. A data file (`./schema.json`) is found when
/// named exactly.
fn probe(files: Files<'_>, base: PathBuf) -> Option<PathBuf> {
    let stem_ts = base
        .extension()
        .and_then(|e| e.to_str())
        .and_then(|e| match e {
            "js" => Some("ts"),
            "mjs" => Some("mts"),
            "cjs" => Some("cts"),
            "jsx" => Some("tsx"),
            _ => None,
        });
    // Built one at a time: most imports are found by the first candidates.
    let with_ext = |ext: &str| {
        let mut s = base.clone().into_os_string();
        s.push(".");
        s.push(ext);
        PathBuf::from(s)
    };
    let mut candidates = std::iter::once(base.clone())
        .chain(stem_ts.map(|ts| base.with_extension(ts)))
        .chain(EXTENSIONS.iter().map(|ext| with_ext(ext)))
        .chain(
            EXTENSIONS
                .iter()
                .map(|ext| base.join(format!("index.{ext}"))),
        );
    // Code files, or the named file itself when it is data (`import schema from './s.json'`).
    candidates.find(|c| {
        let code = c
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e));
        (code || *c == base) && files.fs.is_file(c)
    })
}

//! The [`Frontend`] trait: everything the engine asks of a language. A new language is a crate
//! implementing it plus one line in the engine's registry; the engine never matches on a
//! language or a file extension itself.

use crate::sdk::{SdkModel, Val};
use slz_core::cache::ModuleCache;
use slz_core::code::Code;
use slz_core::fs::SourceFs;
use slz_core::ir::ModuleIr;
use slz_core::limits::Syntax;
use slz_core::value::Template;
use std::path::{Path, PathBuf};

/// The project's files as a front-end sees them while it resolves imports and entries: read
/// through the run's [`SourceFs`], with what is already known cached in the run's [`ModuleCache`].
#[derive(Clone, Copy)]
pub struct Files<'f> {
    pub fs: &'f dyn SourceFs,
    pub cache: &'f ModuleCache,
}

impl Files<'_> {
    /// The first of `candidates` that is a file of the project.
    pub fn first_file(&self, candidates: impl IntoIterator<Item = PathBuf>) -> Option<PathBuf> {
        candidates.into_iter().find(|c| self.fs.is_file(c))
    }
}

/// A language front-end.
pub trait Frontend: Send + Sync {
    /// Its short name (`js`, `python`, `rust`), as a [`Code::Binary`] names its language.
    fn id(&self) -> &'static str;

    /// The extensions of its source files, most usual first: a handler module is looked up with
    /// each in turn.
    fn extensions(&self) -> &'static [&'static str];

    /// How its files separate statements, for the limits checked before parsing.
    fn syntax(&self) -> Syntax {
        Syntax::Braces
    }

    /// The file, as IR. Never fails: what does not parse is a diagnostic in the module.
    fn lower(&self, path: &Path, text: &str) -> ModuleIr;

    /// The file of the project an import in `from` names (`./x`, `.x`, `crate::x`), if any;
    /// None for packages, the standard library and anything outside the project.
    fn resolve(&self, files: Files<'_>, from: &Path, specifier: &str) -> Option<PathBuf>;

    /// A module inside the package `package` (Python `from . import name`).
    fn submodule(&self, _files: Files<'_>, _package: &Path, _name: &str) -> Option<PathBuf> {
        None
    }

    /// The source file a function's code starts at, when this front-end reads that code.
    fn entry(&self, files: Files<'_>, code: &Code) -> Option<PathBuf>;

    /// What it knows about its language's AWS SDK.
    fn sdk(&self) -> &dyn SdkModel;

    /// The context object a handler receives, as its language spells the members: the Lambda
    /// context of the function deployed as `function_name`.
    fn lambda_context(&self, function_name: &Template) -> Val;
}

/// The module file `module` (a path without extension) names with one of `extensions`.
pub fn module_file(files: Files<'_>, module: &Path, extensions: &[&str]) -> Option<PathBuf> {
    files.first_file(extensions.iter().map(|ext| {
        let mut s = module.as_os_str().to_os_string();
        s.push(".");
        s.push(ext);
        PathBuf::from(s)
    }))
}

/// A Lambda context object whose members `name_member` and `arn_member` hold the function's
/// name and ARN (`functionName` and `invokedFunctionArn` in JS).
pub fn lambda_context(function_name: &Template, name_member: &str, arn_member: &str) -> Val {
    use slz_core::value::Part;
    let mut arn = Template::lit("arn:aws:lambda:");
    arn.push(Part::Pseudo("AWS::Region".into()));
    arn.push(Part::Lit(":".into()));
    arn.push(Part::Pseudo("AWS::AccountId".into()));
    arn.push(Part::Lit(":function:".into()));
    arn.extend(function_name.clone());
    Val::Object(vec![
        (name_member.to_string(), Val::Text(function_name.clone())),
        (arn_member.to_string(), Val::Text(arn)),
    ])
}

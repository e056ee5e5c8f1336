//! What a function's code is, as its project config says: a module the runtime loads, a binary
//! built from source, code written in the config itself, or a container image. Project readers
//! fill it in; language front-ends find the source file it starts at.

use crate::diagnostics::Location;
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Code {
    /// A module the runtime loads: `module` is its path relative to the project root without
    /// extension (`functions/get-index`), `export` the name the runtime calls (`handler`).
    Module { module: PathBuf, export: String },
    /// A binary built from source (a `bootstrap` for an OS-only runtime): the folder the build
    /// starts from (a crate, or cargo-lambda's `target/lambda/<bin>/`), the binary's name when the
    /// config gives it, and the front-end that reads its source (`rust`), or `make` when the
    /// folder's Makefile builds it (SAM `BuildMethod: makefile`) and says in which language.
    Binary {
        dir: PathBuf,
        name: Option<String>,
        language: String,
    },
    /// Source written in the config itself (SAM `InlineCode`, CloudFormation `Code.ZipFile`), in
    /// the language of its runtime (a front-end's id, else the runtime as written), whose first
    /// line is at `at` in the config (`at.column` is where its lines start there).
    Inline {
        language: String,
        text: String,
        at: Location,
        export: String,
        /// The text is an `Fn::Sub` string: its `${Name}` are the template's references
        /// (`${Table}`, `${Queue.Arn}`, `${AWS::Region}`), filled in at deploy time.
        substituted: bool,
    },
    /// A container image built from `context` (with `dockerfile`, relative to it, when it is not
    /// the default `Dockerfile`); None when the config names a prebuilt image only. `cmd` is the
    /// config's override of the image's `CMD` (SAM `ImageConfig.Command`), empty when the
    /// Dockerfile's own applies.
    Image {
        context: Option<PathBuf>,
        dockerfile: Option<PathBuf>,
        cmd: Vec<String>,
    },
}

impl Code {
    /// The name the runtime calls: a module's export, `main` for a binary.
    pub fn export(&self) -> &str {
        match self {
            Code::Module { export, .. } | Code::Inline { export, .. } => export,
            Code::Binary { .. } => "main",
            // `CMD ["app.handler"]`: the name after the module.
            Code::Image { cmd, .. } => cmd
                .first()
                .and_then(|c| c.rsplit_once('.'))
                .map_or("handler", |(_, name)| name),
        }
    }
}

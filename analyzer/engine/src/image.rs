//! Where a container image function's code is: its Dockerfile, read from the build context
//! the config names, says which files of the context the image holds (`COPY`, `ADD`), from which
//! folder the runtime loads the handler (`WORKDIR`, else `LAMBDA_TASK_ROOT`), and the handler
//! (`CMD`, unless the config's `ImageConfig.Command` overrides it). The handler is then found
//! among the image's files, through an [`Overlay`], by the front-end of the base image's
//! language or of the file found. When the image's code cannot be found, the function gets an
//! `image-without-source` diagnostic saying why, never silence.

use crate::dockerfile;
use crate::frontends;
use crate::overlay::{Overlay, OverlayFs};
use crate::project::{Code, Function};
use slz_core::cache::ModuleCache;
use slz_core::diagnostics::Diagnostic;
use slz_core::fs::{normalize, SourceFs};
use slz_lang::frontend::Files;
use std::path::{Path, PathBuf};

/// The overlay holding the image's files and the handler's module in it, or the diagnostic
/// saying why the function's code is not analysed.
pub fn entry(
    f: &Function,
    fs: &dyn SourceFs,
    cache: &ModuleCache,
) -> Result<(Overlay, Code), Diagnostic> {
    let Code::Image {
        context,
        dockerfile,
        cmd,
    } = &f.code
    else {
        return Err(without(f, "is not described by the config".into()));
    };
    let Some(context) = context else {
        return Err(without(
            f,
            "is prebuilt (no `Metadata.DockerContext` says what it is built from)".into(),
        ));
    };
    let df = context.join(dockerfile.as_deref().unwrap_or(Path::new("Dockerfile")));
    let (Some(context), Some(df)) = (normalize(context), normalize(&df)) else {
        return Err(Diagnostic::new(
            "path-outside-project",
            f.location.clone(),
            format!(
                "function `{}`: its image's build context or Dockerfile ({}) is outside the project folder; it is not read",
                f.name,
                df.display()
            ),
        ));
    };
    let text = fs.read(&df).map_err(|e| {
        without(
            f,
            format!("is built from {}, which cannot be read ({e})", df.display()),
        )
    })?;
    let docker = dockerfile::parse(&text);
    let cmd = if cmd.is_empty() { &docker.cmd } else { cmd };
    let Some(handler) = cmd.first().cloned() else {
        return Err(without(
            f,
            format!(
                "names no handler (no `CMD` in {}, no `ImageConfig.Command`)",
                df.display()
            ),
        ));
    };
    let language = docker.base_language();
    if let Some(lang) = language.as_deref() {
        if frontends::by_id(lang).is_none() {
            return Err(Diagnostic::new(
                "unsupported-runtime",
                f.location.clone(),
                format!(
                    "function `{}`: the {lang} runtime (the base image of {}) is not analysed yet; no policy generated",
                    f.name,
                    df.display()
                ),
            ));
        }
    }
    let (module, export) = handler
        .rsplit_once('.')
        .unwrap_or((handler.as_str(), "handler"));
    // Python names a module by dots (`pkg.app`), Node.js by its path (`src/app`).
    let mut modules = vec![module.to_string()];
    if language.as_deref() != Some("js") && module.contains('.') {
        modules.insert(0, module.replace('.', "/"));
    }
    let root = docker.root().to_string();
    let overlay = Overlay::Image {
        context: context.clone(),
        dockerfile: docker,
        dockerfile_path: df.clone(),
    };
    let found = {
        let ofs = OverlayFs {
            inner: fs,
            overlay: &overlay,
        };
        let files = Files { fs: &ofs, cache };
        modules.iter().find_map(|m| {
            let module: PathBuf = overlay.image_path(&format!("{root}/{m}"))?;
            let code = Code::Module {
                module,
                export: export.to_string(),
            };
            frontends::entry(files, &code).map(|_| code)
        })
    };
    match found {
        Some(code) => Ok((overlay, code)),
        None => Err(without(
            f,
            format!(
                "runs `{handler}`, but {} copies no source file of module `{module}` into {root}",
                df.display()
            ),
        )),
    }
}

/// `image-without-source` at the function: its image `why`.
fn without(f: &Function, why: String) -> Diagnostic {
    Diagnostic::new(
        "image-without-source",
        f.location.clone(),
        format!(
            "function `{}`: its container image {why}; its code is not analysed",
            f.name
        ),
    )
}

//! The pipeline for one project: for each function, find its handler file, walk the code reachable
//! from the handler's export, resolve each SDK call's resources and synthesise the policy. Files come
//! through [`SourceFs`]; nothing here touches the disk.

use crate::diagnostics::{Diagnostic, Location};
use crate::frontends;
use crate::interp::{Evaluator, ModuleLoader, Program};
use crate::interp::{Found, HttpCall};
use crate::ir::ModuleIr;
use crate::limits;
use crate::overlay::{Overlay, OverlayFs};
use crate::project::{Code, Function, Project};
use crate::report::{FunctionReport, Report};
use crate::resolve::{grants_for, Grant};
use crate::synth;
use slz_core::cache::ModuleCache;
pub use slz_core::fs::{normalize, FsError, MemFs, SourceFs};
use slz_lang::frontend::{Files, Frontend};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Finds and lowers the modules of a run through the front-ends' registry.
struct Loader<'f> {
    files: Files<'f>,
}

impl ModuleLoader for Loader<'_> {
    fn submodule(&self, package: &Path, name: &str) -> Option<PathBuf> {
        frontends::for_path(package)?.submodule(self.files, package, name)
    }

    fn resolve(&self, from: &Path, spec: &str) -> Option<PathBuf> {
        frontends::for_path(from)?.resolve(self.files, from, spec)
    }

    fn load(&self, path: &Path) -> Arc<ModuleIr> {
        self.files.cache.get_or_lower(path, || {
            let mut module = self.lower(path);
            module.shrink();
            module
        })
    }
}

impl Loader<'_> {
    fn lower(&self, path: &Path) -> ModuleIr {
        let read = self.files.fs.read(path);
        let frontend = frontends::for_path(path);
        if let Some(exceeded) = read.as_ref().ok().and_then(|text| {
            limits::check(
                text,
                frontend.map_or(limits::Syntax::Braces, |f| f.syntax()),
            )
        }) {
            let (line, what) = match exceeded {
                limits::Exceeded::Nesting(line) => (
                    line,
                    format!(
                        "nests brackets more than {} levels deep",
                        limits::MAX_NESTING
                    ),
                ),
                limits::Exceeded::Chain(line) => (
                    line,
                    format!(
                        "has a run of more than {} tokens without a `,` or `;`",
                        limits::MAX_CHAIN_TOKENS
                    ),
                ),
            };
            return ModuleIr {
                path: path.to_path_buf(),
                diagnostics: vec![Diagnostic::new(
                    "nesting-too-deep",
                    Location::new(path, line, 1),
                    format!("{} {what}; not analysed", path.display()),
                )],
                functions: vec![Default::default()],
                ..ModuleIr::default()
            };
        }
        match (read, frontend) {
            (Ok(text), Some(frontend)) => frontend.lower(path, &text),
            // A data file imported by code: no calls, no exports we can use.
            (Ok(_), None) => ModuleIr {
                path: path.to_path_buf(),
                functions: vec![Default::default()],
                ..ModuleIr::default()
            },
            (Err(e), _) => {
                let (code, message) = match e {
                    FsError::TooLarge(n) => (
                        "file-too-large",
                        format!(
                            "{} is {n} bytes, over the limit; not analysed",
                            path.display()
                        ),
                    ),
                    FsError::NotUtf8 => (
                        "non-utf8-file",
                        format!("{} is not UTF-8 text; not analysed", path.display()),
                    ),
                    FsError::NotFound | FsError::Outside => (
                        "missing-module",
                        format!("{} cannot be read", path.display()),
                    ),
                    FsError::Io(msg) => (
                        "missing-module",
                        format!("{} cannot be read: {msg}", path.display()),
                    ),
                };
                ModuleIr {
                    path: path.to_path_buf(),
                    diagnostics: vec![Diagnostic::new(code, Location::new(path, 1, 1), message)],
                    functions: vec![Default::default()],
                    ..ModuleIr::default()
                }
            }
        }
    }
}

/// The source file a function's code starts at, and the front-end that reads it.
pub fn handler_file(
    f: &Function,
    fs: &dyn SourceFs,
    cache: &ModuleCache,
) -> Option<(PathBuf, &'static dyn Frontend)> {
    code_file(&f.code, fs, cache)
}

/// The source file `code` starts at, and the front-end that reads it.
fn code_file(
    code: &Code,
    fs: &dyn SourceFs,
    cache: &ModuleCache,
) -> Option<(PathBuf, &'static dyn Frontend)> {
    let files = Files { fs, cache };
    match code {
        // `infra/../backends/app`: looked up, and reported, as the normal path.
        Code::Module { module, export } => {
            let module = normalize(module)?;
            let export = export.clone();
            frontends::entry(files, &Code::Module { module, export })
        }
        code => frontends::entry(files, code),
    }
}

/// Lowers into `cache` the handler files that `config_text` (the config at `config`) appears to
/// name, so that the parsers can start while the config is still being read: a line scan for
/// `handler`, `CodeUri` and `Binary` keys (YAML or JSON), each handler taken relative to the
/// config's folder and to the `CodeUri` above it, as a module path and, for Python, as a dotted
/// one; a name that is no module is tried as a Rust binary. The scan only guesses: a file it
/// misses is lowered when a function first needs it, one it names wrongly is lowered for nothing,
/// and the analysis reads the same lowered modules either way.
pub fn prewarm(config_text: &str, config: &Path, fs: &dyn SourceFs, cache: &ModuleCache) {
    use rayon::prelude::*;
    let base = config.parent().unwrap_or(Path::new(""));
    let mut guesses = BTreeSet::new();
    let mut code_dir = "";
    // One pair per line, or several in a flow mapping or a JSON object on one line.
    for pair in config_text.lines().flat_map(|l| l.split([',', '{'])) {
        let Some((key, value)) = key_value(pair) else {
            continue;
        };
        if value.is_empty() || value.contains(['$', '{', '[', '!', '*']) {
            continue;
        }
        if key.eq_ignore_ascii_case("codeuri") {
            code_dir = value;
        } else if key.eq_ignore_ascii_case("handler") && value != "bootstrap" {
            guesses.insert((code_dir, value, false));
        } else if key.eq_ignore_ascii_case("binary") {
            guesses.insert((code_dir, value, true));
        }
    }
    let files = Files { fs, cache };
    let loader = Loader { files };
    guesses
        .into_par_iter()
        .for_each(|(code_dir, value, binary)| {
            let dir = base.join(code_dir);
            let rust = |name: &str| {
                let code = Code::Binary {
                    dir: dir.clone(),
                    name: Some(name.to_string()),
                    language: "rust".into(),
                };
                frontends::entry(files, &code).map(|(file, _)| file)
            };
            let file = if binary {
                rust(value)
            } else {
                let (module, name) = value.rsplit_once('.').unwrap_or((value, ""));
                [module.to_string(), module.replace('.', "/")]
                    .iter()
                    .filter_map(|m| normalize(&dir.join(m)))
                    .find_map(|module| {
                        let code = Code::Module {
                            module,
                            export: String::new(),
                        };
                        frontends::entry(files, &code).map(|(file, _)| file)
                    })
                    .or_else(|| (!name.is_empty()).then(|| rust(name)).flatten())
            };
            if let Some(file) = file {
                loader.load(&file);
            }
        });
}

/// The key and scalar value of a YAML or JSON pair (`  Handler: app.handler`, `"handler":
/// "app.handler"`), quotes and a trailing comment removed.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_start();
    let line = line.strip_prefix("- ").unwrap_or(line);
    let (key, value) = line.split_once(':')?;
    let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
    let value = value
        .split(" #")
        .next()?
        .trim()
        .trim_end_matches('}')
        .trim();
    Some((key, value.trim_matches(|c| c == '"' || c == '\'')))
}

/// Grants with the call or config line each comes from.
type Grants = Vec<(Grant, Location)>;

/// What one function's analysis found, before the project-wide steps (edges, auth) that combine
/// all functions. Kept by the language server and recomputed only when one of `files` changes.
#[derive(Clone, Debug)]
pub struct FunctionAnalysis {
    pub report: FunctionReport,
    /// Grants with where they come from, and the SDK calls; None when the function could not be
    /// analysed (no handler file, unsupported runtime, an internal error).
    facts: Option<(Grants, Vec<Found>)>,
    http: Vec<HttpCall>,
    pub diagnostics: Vec<Diagnostic>,
    /// The source files the analysis read: a change to any of them makes it stale.
    pub files: BTreeSet<PathBuf>,
}

impl FunctionAnalysis {
    /// The analysis of `f` before anything is found.
    fn empty(f: &Function) -> Self {
        FunctionAnalysis {
            report: FunctionReport {
                name: f.name.clone(),
                handler: f.handler.clone(),
                source: None,
                statements: Vec::new(),
                permissions: Vec::new(),
                declared: f.declared.clone(),
                managed_policies: f.managed_policies.clone(),
                runtime: f.runtime.clone(),
                gaps: Vec::new(),
            },
            facts: None,
            http: Vec::new(),
            diagnostics: Vec::new(),
            files: BTreeSet::new(),
        }
    }

    /// For code written as an `Fn::Sub` string: `${Name}` in the resources it needs become the
    /// template references they are at deploy time (`Ref`, `Fn::GetAtt`, pseudo parameters),
    /// and the permissions and statements are made again from them.
    fn substitute_references(&mut self, project: &Project) {
        use crate::value::{Part, Template};
        let Some((grants, _)) = &mut self.facts else {
            return;
        };
        let reference = |name: &str| {
            let part = if name.starts_with("AWS::") {
                Part::Pseudo(name.to_string())
            } else if let Some((id, attribute)) = name.split_once('.') {
                Part::GetAtt(id.to_string(), attribute.to_string())
            } else {
                Part::Ref(name.to_string())
            };
            Template(vec![part])
        };
        for (grant, _) in grants.iter_mut() {
            let mut resource = Template::default();
            for part in &grant.resource.0 {
                match part {
                    Part::Lit(text) if text.contains("${") => {
                        resource.extend(Template::substitute(text, reference));
                    }
                    other => resource.push(other.clone()),
                }
            }
            grant.resource = resource;
        }
        self.report.permissions = synth::permissions(grants);
        let plain_variables = crate::project::reader(project.framework).resolves_plain_variables();
        self.report.statements = synth::statements(&self.report.permissions, |t| {
            t.to_policy_json(plain_variables).to_string()
        });
    }

    /// Every location `real` maps moved to where it says: diagnostics, the sources of
    /// permissions, the handler file, the files read, calls and grants.
    fn move_locations(&mut self, real: impl Fn(&Location) -> Option<Location>) {
        let fix = |at: &mut Location| {
            if let Some(moved) = real(at) {
                *at = moved;
            }
        };
        let file_of = |path: &Path| {
            real(&Location::new(path, 1, 1)).map_or_else(|| path.to_path_buf(), |l| l.file)
        };
        for d in &mut self.diagnostics {
            fix(&mut d.location);
        }
        for p in &mut self.report.permissions {
            p.sources.iter_mut().for_each(fix);
            p.sources.sort();
            p.sources.dedup();
        }
        self.report.source = self.report.source.as_deref().map(file_of);
        self.files = self.files.iter().map(|p| file_of(p)).collect();
        for call in &mut self.http {
            fix(&mut call.location);
        }
        if let Some((grants, found)) = &mut self.facts {
            grants.iter_mut().for_each(|(_, at)| fix(at));
            found.iter_mut().for_each(|fd| fix(&mut fd.location));
        }
    }
}

/// Analyses every function of `project`.
pub fn analyze(project: &Project, fs: &dyn SourceFs) -> Report {
    analyze_with(project, fs, &ModuleCache::default()).0
}

/// [`analyze`] with modules already lowered into `cache` (by [`prewarm`]); also returns what
/// the per-function analyses leave after the report took their findings, for the caller to free
/// or, in a process about to exit, not to.
pub fn analyze_with(
    project: &Project,
    fs: &dyn SourceFs,
    cache: &ModuleCache,
) -> (Report, Vec<FunctionAnalysis>) {
    use rayon::prelude::*;
    // One task per function; a module two functions share is lowered once (the cache makes the
    // second wait). The order of the results is the order of the functions.
    let mut analyses: Vec<FunctionAnalysis> = project
        .functions
        .par_iter()
        .map(|f| analyze_function(project, f, fs, cache))
        .collect();
    // The reports and diagnostics move into the report; the rest is only read.
    let functions = analyses
        .iter_mut()
        .map(|a| std::mem::take(&mut a.report))
        .collect();
    let diagnostics = analyses
        .iter_mut()
        .flat_map(|a| std::mem::take(&mut a.diagnostics))
        .collect();
    let report = assemble_from(project, &analyses, functions, diagnostics);
    (report, analyses)
}

/// Analyses one function: its handler and the code reachable from it, lowered through `cache`.
pub fn analyze_function(
    project: &Project,
    f: &Function,
    fs: &dyn SourceFs,
    cache: &ModuleCache,
) -> FunctionAnalysis {
    let mut out = analyze_code(project, f, fs, cache);
    let mut gaps: Vec<Diagnostic> = out
        .diagnostics
        .iter()
        .filter(|d| crate::diagnostics::makes_analysis_incomplete(d.code))
        .cloned()
        .collect();
    gaps.sort();
    gaps.dedup();
    gaps.shrink_to_fit();
    out.report.gaps = gaps;
    out
}

/// [`analyze_function`] before its gaps are collected from its diagnostics. Inline code and
/// container images are read through an [`Overlay`] of the project's files, and what the
/// analysis reports about the overlay's files is moved back to where they are.
fn analyze_code(
    project: &Project,
    f: &Function,
    fs: &dyn SourceFs,
    cache: &ModuleCache,
) -> FunctionAnalysis {
    let (overlay, code) = match &f.code {
        Code::Inline {
            language,
            text,
            at,
            export,
            ..
        } => match frontends::by_id(language) {
            Some(frontend) => {
                let ext = frontend.extensions().first().copied().unwrap_or("txt");
                let path = Overlay::inline_path(&project.config, &f.name, ext);
                let template = fs.read(&at.file).unwrap_or_default();
                let overlay = Overlay::inline(path.clone(), text, at.clone(), &template);
                let code = Code::Module {
                    module: path.with_extension(""),
                    export: export.clone(),
                };
                (Some(overlay), code)
            }
            None => (None, f.code.clone()),
        },
        Code::Image { .. } => match crate::image::entry(f, fs, &ModuleCache::default()) {
            Ok((overlay, code)) => (Some(overlay), code),
            Err(diagnostic) => {
                let mut out = FunctionAnalysis::empty(f);
                out.diagnostics.push(diagnostic);
                // Writing the Dockerfile can make the image's source found.
                if let Code::Image {
                    context: Some(context),
                    dockerfile,
                    ..
                } = &f.code
                {
                    let df = context.join(dockerfile.as_deref().unwrap_or(Path::new("Dockerfile")));
                    out.files.extend(normalize(&df));
                }
                return out;
            }
        },
        Code::Binary {
            dir,
            name,
            language,
        } if language == "make" => {
            let mut out = match made_binary(f, dir, name, fs) {
                Ok(code) => analyze_entry(project, f, &code, fs, cache),
                Err((diagnostic, runtime)) => {
                    let mut out = FunctionAnalysis::empty(f);
                    out.diagnostics.push(diagnostic);
                    out.report.runtime = runtime.or(out.report.runtime);
                    out
                }
            };
            // A change to the Makefile can change what is built.
            if let Some(makefile) = normalize(&dir.join("Makefile")) {
                out.files.insert(makefile);
            }
            return out;
        }
        _ => return analyze_entry(project, f, &f.code, fs, cache),
    };
    let Some(overlay) = overlay else {
        return analyze_entry(project, f, &code, fs, cache);
    };
    let ofs = OverlayFs {
        inner: fs,
        overlay: &overlay,
    };
    // The overlay's virtual files are lowered into a cache of this analysis only: a later
    // analysis, after the files they stand for changed, never finds them stale in the run's.
    let own = ModuleCache::default();
    let mut out = analyze_entry(project, f, &code, &ofs, &own);
    if let Code::Image { .. } = f.code {
        // The image's command, as the Dockerfile gives it when the config does not.
        if out.report.handler.is_empty() {
            if let Code::Module { module, export } = &code {
                let name = module.file_name().unwrap_or_default().to_string_lossy();
                out.report.handler = format!("{name}.{export}");
            }
        }
    }
    out.move_locations(|at| overlay.real(fs, at));
    out.files.insert(overlay.source().to_path_buf());
    if let Code::Inline {
        substituted: true, ..
    } = f.code
    {
        out.substitute_references(project);
    }
    out
}

/// The binary the Makefile in `dir` builds for `f` (its `build-<LogicalId>` target), or the
/// diagnostic saying why it is not analysed and the language it is in, when known.
fn made_binary(
    f: &Function,
    dir: &Path,
    name: &Option<String>,
    fs: &dyn SourceFs,
) -> Result<Code, (Diagnostic, Option<String>)> {
    use crate::makefile::{build, Build};
    let makefile = dir.join("Makefile");
    let text = normalize(&makefile)
        .and_then(|m| fs.read(&m).ok())
        .unwrap_or_default();
    let unsupported = |what: &str, language: Option<&str>| {
        let diagnostic = Diagnostic::new(
            "unsupported-runtime",
            f.location.clone(),
            format!(
                "function `{}`: {what} ({}, target `build-{}`); it is not analysed yet, no policy generated",
                f.name,
                makefile.display(),
                f.logical_id
            ),
        );
        (diagnostic, language.map(str::to_string))
    };
    match build(&text, &f.logical_id) {
        Build::Rust(bin) => Ok(Code::Binary {
            dir: dir.to_path_buf(),
            name: name.clone().or(bin),
            language: "rust".into(),
        }),
        Build::Go => Err(unsupported("its Makefile builds it with Go", Some("go"))),
        Build::Other => Err(unsupported(
            "its Makefile builds it with neither cargo nor go",
            None,
        )),
        // No Makefile there, or no target for the function: a folder of cargo-lambda's output
        // (`target/lambda/<bin>/`) deployed as it is, with the build metadata unused, is still a
        // Rust binary found through its crate, as before the Makefile was read.
        Build::NoTarget
            if {
                let rust = Code::Binary {
                    dir: dir.to_path_buf(),
                    name: name.clone(),
                    language: "rust".into(),
                };
                let cache = ModuleCache::default();
                crate::frontends::entry(Files { fs, cache: &cache }, &rust).is_some()
            } =>
        {
            Ok(Code::Binary {
                dir: dir.to_path_buf(),
                name: name.clone(),
                language: "rust".into(),
            })
        }
        Build::NoTarget => Err((
            Diagnostic::new(
                "missing-handler",
                f.location.clone(),
                format!(
                    "function `{}` is built by a Makefile (`BuildMethod: makefile`), but {} has no target `build-{}`",
                    f.name,
                    makefile.display(),
                    f.logical_id
                ),
            ),
            None,
        )),
    }
}

/// [`analyze_code`] for the code `code` (a function's own, or where an overlay puts it).
fn analyze_entry(
    project: &Project,
    f: &Function,
    code: &Code,
    fs: &dyn SourceFs,
    cache: &ModuleCache,
) -> FunctionAnalysis {
    let mut out = FunctionAnalysis::empty(f);
    if let Code::Module { module, .. } = code {
        if normalize(module).is_none() {
            out.diagnostics.push(Diagnostic::new(
                "path-outside-project",
                f.location.clone(),
                format!(
                    "function `{}`: its code ({}) is outside the project folder; it is not read",
                    f.name,
                    module.display()
                ),
            ));
            return out;
        }
    }
    if let Code::Binary { language, .. } = code {
        let files = Files { fs, cache };
        let outside = match language.as_str() {
            "rust" => slz_lang_rust::frontend::binary_main(files, code).err(),
            _ => None,
        };
        if let Some(path) = outside {
            out.diagnostics.push(Diagnostic::new(
                "path-outside-project",
                f.location.clone(),
                format!(
                    "function `{}`: its binary's source ({path}, the `[[bin]] path` of its Cargo.toml) is outside the project folder; it is not read",
                    f.name
                ),
            ));
            return out;
        }
    }
    let found = code_file(code, fs, cache);
    if let Some(runtime) = unsupported_runtime(f, found.is_some()) {
        out.diagnostics.push(Diagnostic::new(
            "unsupported-runtime",
            f.location.clone(),
            format!(
                "function `{}`: the {runtime} runtime is not analysed yet; no policy generated",
                f.name
            ),
        ));
        return out;
    }
    let Some((file, frontend)) = found else {
        out.diagnostics.push(Diagnostic::new(
            "missing-handler",
            f.location.clone(),
            format!(
                "function `{}`: handler `{}` names no source file ({})",
                f.name,
                f.handler,
                expected_source(code)
            ),
        ));
        return out;
    };
    out.report.source = Some(file.clone());
    out.files.insert(file.clone());
    let loader = Loader {
        files: Files { fs, cache },
    };
    let program = Program::new(&loader);
    // A bug in the analyzer must not cost the other functions their policies.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut ev = Evaluator::new(&program, frontend.sdk(), &f.environment);
        let context = frontend.lambda_context(&f.deployed_name);
        let found = ev.run(&file, code.export(), context);
        let policies = std::mem::take(&mut ev.policies);
        (
            found,
            std::mem::take(&mut ev.diagnostics),
            std::mem::take(&mut ev.http),
            policies,
        )
    }));
    out.files.extend(program.paths());
    out.diagnostics.extend(program.diagnostics());
    for (from, line, spec) in program.missing.borrow().iter() {
        out.diagnostics.push(Diagnostic::new(
            "missing-module",
            Location::new(from.clone(), *line, 1),
            format!("`{spec}` imported by {} is not a file of the project; code behind it is not analysed", from.display()),
        ));
    }
    let (found, http) = match outcome {
        Ok((found, mut diags, http, policies)) => {
            out.diagnostics.append(&mut diags);
            out.diagnostics
                .extend(crate::graph::authorizer_checks(project, f, &policies));
            (found, http)
        }
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            out.diagnostics.push(Diagnostic::new(
                "internal-error",
                Location::new(file.clone(), 1, 1),
                format!(
                    "analysing function `{}` failed ({why}); it gets no policy",
                    f.name
                ),
            ));
            return out;
        }
    };
    let mut grants = Vec::new();
    for fd in &found {
        if fd.op.other_credentials {
            // A client built with its own credentials: the call runs as whoever they belong to.
            out.diagnostics.push(Diagnostic::new(
                "assumed-credentials",
                fd.location.clone(),
                format!(
                    "{}.{} ({}) runs with the credentials its client was built with, not the function's role; no permission granted for it",
                    fd.op.service, fd.op.operation, fd.op.via
                ),
            ));
            continue;
        }
        for g in grants_for(&fd.op, &fd.location, project, &mut out.diagnostics) {
            grants.push((g, fd.location.clone()));
        }
    }
    grants.extend(destination_grants(f, &project.config));
    for g in &f.implicit {
        let grant = Grant {
            action: g.action.clone(),
            resource: g.resource.clone(),
            reason: g.reason.clone(),
            failure_path: false,
        };
        grants.push((grant, g.location.clone()));
    }
    for call in &http {
        grants.extend(crate::graph::http_grant(call, &mut out.diagnostics));
    }
    crate::guard::guard(
        &mut grants,
        |r| crate::resolve::ref_returns_arn(project, r),
        &mut out.diagnostics,
    );
    out.report.permissions = synth::permissions(&grants);
    let plain_variables = crate::project::reader(project.framework).resolves_plain_variables();
    out.report.statements = synth::statements(&out.report.permissions, |t| {
        t.to_policy_json(plain_variables).to_string()
    });
    out.http = http;
    // Kept for the whole run, for every function: without the spare room of their pushes.
    out.report.permissions.shrink_to_fit();
    out.report.statements.shrink_to_fit();
    out.diagnostics.shrink_to_fit();
    out.http.shrink_to_fit();
    grants.shrink_to_fit();
    out.facts = Some((grants, found));
    out
}

/// What a function's code was looked for as, and why it was not found, for the message.
fn expected_source(code: &Code) -> String {
    match code {
        Code::Module { module, .. } => match module
            .ancestors()
            .find(|a| a.extension().is_some_and(|e| e == "zip" || e == "jar"))
        {
            // `CodeUri: build/app.zip`: a built archive, whose content is not read.
            Some(archive) => format!(
                "the code is the archive {}, whose content is not read",
                archive.display()
            ),
            None => format!("{}.js/.ts/.py/... not found", module.display()),
        },
        Code::Binary { dir, name, .. } => match name {
            Some(name) => format!(
                "the source of binary `{name}` in {} not found",
                dir.display()
            ),
            None => format!("the binary's source in {} not found", dir.display()),
        },
        Code::Inline { at, .. } => format!("the code at line {} not found", at.line),
        Code::Image { context, .. } => match context {
            Some(context) => format!("the image's source in {} not found", context.display()),
            None => "the image's source not found".to_string(),
        },
    }
}

/// The runtime a function declares when its code is in a language no front-end reads: Java,
/// .NET, Ruby, Go (`go1.x`), or an OS-only runtime (`provided.*`) with no source the front-ends
/// read (a Go or C++ `bootstrap`; a Rust binary is found through its crate).
fn unsupported_runtime(f: &Function, handler_found: bool) -> Option<&str> {
    let runtime = f.runtime.as_deref()?;
    let lower = runtime.to_ascii_lowercase();
    let foreign = ["java", "dotnet", "ruby", "go"]
        .iter()
        .any(|p| lower.starts_with(p));
    let custom = lower.starts_with("provided") && !handler_found;
    (foreign || custom).then_some(runtime)
}

/// The project-wide steps over every function's analysis: calls between functions, auth
/// recommendations, and all diagnostics, sorted.
pub fn assemble(project: &Project, analyses: &[FunctionAnalysis]) -> Report {
    let functions = analyses.iter().map(|a| a.report.clone()).collect();
    let diagnostics = analyses
        .iter()
        .flat_map(|a| a.diagnostics.iter().cloned())
        .collect();
    assemble_from(project, analyses, functions, diagnostics)
}

/// [`assemble`] with each analysis' report (`functions`, in the same order) and diagnostics
/// already taken out.
fn assemble_from(
    project: &Project,
    analyses: &[FunctionAnalysis],
    functions: Vec<FunctionReport>,
    function_diagnostics: Vec<Diagnostic>,
) -> Report {
    let mut diagnostics = project.diagnostics.clone();
    diagnostics.extend(function_diagnostics);
    let unreadable = diagnostics.iter().any(|d| d.code == "config-parse-error");
    if project.functions.is_empty() && !unreadable {
        diagnostics.push(Diagnostic::new(
            "no-functions",
            Location::new(&project.config, 1, 1),
            format!(
                "{} declares no functions; there is nothing to analyse",
                project.config.display()
            ),
        ));
    }
    let mut facts = Vec::new();
    let mut http_calls = Vec::new();
    for (a, report) in analyses.iter().zip(&functions) {
        if let Some((grants, found)) = &a.facts {
            facts.push(crate::graph::FunctionFacts {
                name: &report.name,
                grants,
                found,
            });
            http_calls.push((report.name.as_str(), a.http.as_slice()));
        }
    }
    let mut edges = crate::graph::edges(project, &facts);
    edges.extend(crate::graph::http_edges(project, &http_calls));
    edges.sort();
    edges.dedup();
    let auth = crate::graph::auth(project, &edges);
    diagnostics.extend(crate::graph::unsigned_calls(project, &edges));
    diagnostics.sort();
    diagnostics.dedup();
    Report {
        framework: project.framework,
        config: project.config.clone(),
        functions,
        edges,
        auth,
        diagnostics,
    }
}

/// What the role needs to deliver asynchronous-invocation results to the configured destinations
/// (`rules/events.toml`); a destination of a kind not listed there needs nothing known.
fn destination_grants(f: &Function, config: &Path) -> Vec<(Grant, Location)> {
    f.destinations
        .iter()
        .filter_map(|d| {
            let action = &crate::catalog::catalog()
                .events
                .destination(&d.kind)?
                .action;
            let grant = Grant {
                action: action.to_string(),
                resource: d.target.clone(),
                reason: format!("asynchronous invocation destination ({})", d.kind),
                failure_path: false,
            };
            Some((grant, Location::new(config, d.line, 1)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARGO: &str =
        "[package]\nname = \"app\"\n\n[[bin]]\nname = \"orders\"\npath = \"bins/orders.rs\"\n";

    fn files() -> MemFs {
        MemFs::new([
            ("src/a.js", "exports.handler = async () => ({});\n"),
            ("py/b.py", "def main(event, context):\n    return {}\n"),
            (
                "py/pkg/mod.py",
                "def handler(event, context):\n    return {}\n",
            ),
            ("fn/app.ts", "export const handler = async () => ({});\n"),
            ("Cargo.toml", CARGO),
            ("bins/orders.rs", "fn main() {}\n"),
            ("src/bin/reports.rs", "fn main() {}\n"),
            ("unused.js", "exports.handler = 1;\n"),
        ])
    }

    #[test]
    fn prewarm_lowers_the_handlers_a_serverless_yml_names() {
        let config = "\
service: app
provider:
  name: aws
  runtime: nodejs20.x
functions:
  a:
    handler: src/a.handler # the API
  b:
    handler: 'py/b.main'
    runtime: python3.12
  c:
    handler: ${self:custom.h}
  orders:
    handler: app.orders
    runtime: provided.al2023
# handler: unused.handler is a comment, but the scan only guesses
";
        let fs = files();
        let cache = ModuleCache::default();
        prewarm(config, Path::new("serverless.yml"), &fs, &cache);
        for lowered in ["src/a.js", "py/b.py", "bins/orders.rs"] {
            assert!(cache.is_lowered(Path::new(lowered)), "{lowered}");
        }
        assert!(!cache.is_lowered(Path::new("src/bin/reports.rs")));
        assert!(!cache.is_lowered(Path::new("unused.js")));
        // What was lowered ahead is what the analysis would have lowered: same report.
        let project = crate::project::read_yaml_config(config, Path::new("serverless.yml"));
        let warm = analyze_with(&project, &fs, &cache).0.to_json();
        assert_eq!(warm, crate::analyze(&project, &fs).to_json());
    }

    #[test]
    fn an_image_function_is_analysed_again_from_its_changed_files() {
        let template = "\
Transform: AWS::Serverless-2016-10-31
Resources:
  Img:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
    Metadata:
      DockerContext: app
";
        let dockerfile =
            "FROM public.ecr.aws/lambda/python:3.12\nCOPY main.py ./\nCMD [\"main.handler\"]\n";
        let code = |call: &str| format!("import boto3\n\ndef handler(e, c):\n    {call}\n");
        let project = crate::project::read_yaml_config(template, Path::new("template.yaml"));
        let f = &project.functions[0];
        let cache = ModuleCache::default();
        let before = MemFs::new([
            ("app/Dockerfile", dockerfile.to_string()),
            ("app/main.py", code("boto3.client('s3').list_buckets()")),
        ]);
        let a = analyze_function(&project, f, &before, &cache);
        assert_eq!(a.report.source.as_deref(), Some(Path::new("app/main.py")));
        assert!(
            a.files.contains(Path::new("app/Dockerfile")),
            "{:?}",
            a.files
        );
        assert_eq!(a.report.permissions[0].action, "s3:ListAllMyBuckets");
        // As the language server does: the changed file is invalidated, the function analysed again.
        let after = MemFs::new([
            ("app/Dockerfile", dockerfile.to_string()),
            ("app/main.py", code("boto3.client('sqs').list_queues()")),
        ]);
        cache.invalidate(Path::new("app/main.py"));
        let b = analyze_function(&project, f, &after, &cache);
        assert_eq!(b.report.permissions[0].action, "sqs:ListQueues");
    }

    #[test]
    fn prewarm_follows_code_uri_dotted_python_modules_and_rust_binaries() {
        let template = r#"{
  "Resources": {
    "App": {"Type": "AWS::Serverless::Function",
      "Properties": {"CodeUri": "fn/", "Handler": "app.handler", "Runtime": "nodejs20.x"}},
    "Py": {"Type": "AWS::Serverless::Function",
      "Properties": {"CodeUri": "py/", "Handler": "pkg.mod.handler", "Runtime": "python3.12"}},
    "Reports": {"Type": "AWS::Serverless::Function",
      "Properties": {"CodeUri": ".", "Handler": "bootstrap", "Runtime": "provided.al2023"},
      "Metadata": {"BuildMethod": "rust-cargolambda", "BuildProperties": {"Binary": "reports"}}}
  }
}"#;
        let fs = files();
        let cache = ModuleCache::default();
        prewarm(template, Path::new("template.json"), &fs, &cache);
        for lowered in ["fn/app.ts", "py/pkg/mod.py", "src/bin/reports.rs"] {
            assert!(cache.is_lowered(Path::new(lowered)), "{lowered}");
        }
        let project = crate::project::read_yaml_config(template, Path::new("template.json"));
        let warm = analyze_with(&project, &fs, &cache).0.to_json();
        assert_eq!(warm, crate::analyze(&project, &fs).to_json());
    }
}

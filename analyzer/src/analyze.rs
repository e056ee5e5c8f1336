//! The pipeline for one project: for each function, find its handler file, walk the code reachable
//! from the handler's export, resolve each SDK call's resources and synthesise the policy. Files come
//! through [`SourceFs`]; nothing here touches the disk.

use crate::cache::ModuleCache;
use crate::diagnostics::{Diagnostic, Location};
use crate::interp::SdkModel;
use crate::interp::{is_relative, Evaluator, ModuleLoader, Program};
use crate::interp::{Found, HttpCall};
use crate::ir::ModuleIr;
use crate::lang::js::{lower::lower_file, sdk::JsSdk};
use crate::lang::python::{lower::lower_file as lower_python, sdk::Boto3};
use crate::lang::rust::{lower::lower_file as lower_rust, sdk::RustSdk};
use crate::limits;
use crate::project::{Function, Project};
use crate::report::{FunctionReport, Report};
use crate::resolve::{grants_for, Grant};
use crate::synth;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    TooLarge(u64),
    NotUtf8,
    Outside,
    Io(String),
}

impl std::fmt::Display for FsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FsError::NotFound => write!(f, "not found"),
            FsError::TooLarge(bytes) => write!(f, "too large ({} MiB)", bytes >> 20),
            FsError::NotUtf8 => write!(f, "not UTF-8 text"),
            FsError::Outside => write!(f, "outside the project folder"),
            FsError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// The project's files, by path relative to the project root.
/// `Sync`: functions are analysed in parallel, all reading through the same one.
pub trait SourceFs: Sync {
    fn read(&self, path: &Path) -> Result<String, FsError>;
    fn is_file(&self, path: &Path) -> bool;
    /// The entries of folder `path` (`""`: the root), confined like [`SourceFs::read`]: a
    /// symlink is listed as what it leads to when that is inside the project, and not listed
    /// otherwise (nor are FIFOs, devices, sockets); sorted, at most
    /// [`crate::dir::MAX_DIR_ENTRIES`] (see [`crate::dir::DirListing::new`]).
    fn list_dir(&self, path: &Path) -> Result<crate::dir::DirListing, FsError>;
}

/// Files held in memory, by normalised relative path: for tests, fuzzing and embedders that
/// have no disk.
#[derive(Clone, Debug, Default)]
pub struct MemFs {
    files: BTreeMap<PathBuf, String>,
}

impl MemFs {
    pub fn new<P: AsRef<Path>, T: Into<String>>(files: impl IntoIterator<Item = (P, T)>) -> MemFs {
        MemFs {
            files: files
                .into_iter()
                .filter_map(|(p, t)| Some((normalize(p.as_ref())?, t.into())))
                .collect(),
        }
    }
}

impl SourceFs for MemFs {
    fn read(&self, path: &Path) -> Result<String, FsError> {
        let path = normalize(path).ok_or(FsError::Outside)?;
        self.files.get(&path).cloned().ok_or(FsError::NotFound)
    }

    fn is_file(&self, path: &Path) -> bool {
        normalize(path).is_some_and(|p| self.files.contains_key(&p))
    }

    fn list_dir(&self, path: &Path) -> Result<crate::dir::DirListing, FsError> {
        use crate::dir::{DirEntry, DirListing, EntryKind};
        let dir = normalize(path).ok_or(FsError::Outside)?;
        if self.files.contains_key(&dir) {
            return Err(FsError::NotFound);
        }
        let mut found = false;
        let entries: Vec<DirEntry> = self
            .files
            .range(dir.clone()..)
            .map_while(|(p, _)| p.strip_prefix(&dir).ok())
            .filter_map(|rest| {
                found = true;
                let mut parts = rest.components();
                let name = parts.next()?.as_os_str().to_string_lossy().to_string();
                let kind = match parts.next() {
                    Some(_) => EntryKind::Folder,
                    None => EntryKind::File,
                };
                Some(DirEntry::new(name, kind))
            })
            .collect();
        if !found && !dir.as_os_str().is_empty() {
            return Err(FsError::NotFound);
        }
        Ok(DirListing::new(entries))
    }
}

pub const JS_EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "ts", "mts", "cts", "tsx", "jsx"];
const OTHER_HANDLER_EXTENSIONS: &[&str] = &["py", "rs"];

/// Joins and normalises a relative path without touching the disk; None when it leaves the root.
pub fn normalize(path: &Path) -> Option<PathBuf> {
    // Most paths are already normal (`src/app.js`): a byte scan says so without parsing components.
    if let Some(s) = path.to_str() {
        let normal = !s.is_empty()
            && !s.starts_with('/')
            && !s.contains('\\')
            && s.split('/').all(|c| !c.is_empty() && c != "." && c != "..");
        if normal {
            return Some(PathBuf::from(s));
        }
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

struct Loader<'f> {
    fs: &'f dyn SourceFs,
    cache: &'f ModuleCache,
}

fn is_python(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "py")
}

fn is_rust(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "rs")
}

impl Loader<'_> {
    /// Rust: `self::x` (a `mod x;` of this file), `super::x`, `crate::a::b` (from the crate's
    /// `src/`); files `x.rs` or `x/mod.rs`. Other paths are crates, not files.
    fn resolve_rust(&self, from: &Path, spec: &str) -> Option<PathBuf> {
        let mut segs: Vec<&str> = spec.split("::").collect();
        let dir = from.parent().unwrap_or(Path::new(""));
        let stem = from.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let is_root = matches!(stem, "main" | "lib" | "mod");
        let mut base = match segs.first().copied() {
            Some("self") => {
                segs.remove(0);
                if is_root {
                    dir.to_path_buf()
                } else {
                    dir.join(stem)
                }
            }
            Some("super") => {
                segs.remove(0);
                let own = if is_root {
                    dir.to_path_buf()
                } else {
                    dir.join(stem)
                };
                own.parent()?.to_path_buf()
            }
            Some("crate") => {
                segs.remove(0);
                let src = from
                    .ancestors()
                    .find(|a| a.file_name().is_some_and(|n| n == "src"))?;
                src.to_path_buf()
            }
            // The crate's own library, by its name, from one of its binaries.
            Some(first) => {
                let Some(src) = from
                    .ancestors()
                    .find(|a| a.file_name().is_some_and(|n| n == "src"))
                else {
                    return self.resolve_rust(from, &format!("self::{spec}"));
                };
                // The standard library and the crate's dependencies are never files of the project
                // (a local module of the same name would be ambiguous to rustc).
                if matches!(first, "std" | "core" | "alloc") {
                    return None;
                }
                let manifest_path = src.parent()?.join("Cargo.toml");
                let names = crate_manifest(self.cache, self.fs, &manifest_path)?;
                if names.dependencies.contains(first) {
                    return None;
                }
                let lib_name = names.lib.clone()?;
                if first != lib_name || !self.fs.is_file(&src.join("lib.rs")) {
                    // Uniform paths: `use dynamodb::X` names a child module (`mod dynamodb;`).
                    return self.resolve_rust(from, &format!("self::{spec}"));
                }
                segs.remove(0);
                if segs.is_empty() {
                    return Some(src.join("lib.rs"));
                }
                src.to_path_buf()
            }
            None => return None,
        };
        if segs.is_empty() {
            return [
                base.join("main.rs"),
                base.join("lib.rs"),
                base.join("mod.rs"),
            ]
            .into_iter()
            .find(|c| self.fs.is_file(c));
        }
        let last = segs.pop()?;
        for s in segs {
            base = base.join(s);
        }
        [
            base.join(format!("{last}.rs")),
            base.join(last).join("mod.rs"),
        ]
        .into_iter()
        .find(|c| self.fs.is_file(c))
    }

    /// Python: `.x` / `..x` from the importing file's package; `a.b` from the importing file's
    /// folder or any folder above it inside the project (the function's code root and layers).
    fn resolve_python(&self, from: &Path, spec: &str) -> Option<PathBuf> {
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
            return candidates(&base).into_iter().find(|c| self.fs.is_file(c));
        }
        from_dir
            .ancestors()
            .flat_map(candidates)
            .find(|c| self.fs.is_file(c))
    }
}

impl ModuleLoader for Loader<'_> {
    fn submodule(&self, package: &Path, name: &str) -> Option<PathBuf> {
        if package.file_name()? != "__init__.py" {
            return None;
        }
        let dir = package.parent()?;
        [
            dir.join(format!("{name}.py")),
            dir.join(name).join("__init__.py"),
        ]
        .into_iter()
        .find(|c| self.fs.is_file(c))
    }

    fn resolve(&self, from: &Path, spec: &str) -> Option<PathBuf> {
        if is_python(from) {
            return self.resolve_python(from, spec);
        }
        if is_rust(from) {
            return self.resolve_rust(from, spec);
        }
        if !is_relative(spec) {
            return None;
        }
        let base = normalize(&from.parent().unwrap_or(Path::new("")).join(spec))?;
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
            .chain(JS_EXTENSIONS.iter().map(|ext| with_ext(ext)))
            .chain(
                JS_EXTENSIONS
                    .iter()
                    .map(|ext| base.join(format!("index.{ext}"))),
            );
        // Code files, or the named file itself when it is data (`import schema from './s.json'`).
        candidates.find(|c| {
            let code = c
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| JS_EXTENSIONS.contains(&e));
            (code || *c == base) && self.fs.is_file(c)
        })
    }

    fn load(&self, path: &Path) -> Arc<ModuleIr> {
        self.cache.get_or_lower(path, || {
            let mut module = self.lower(path);
            module.shrink();
            module
        })
    }
}

/// The crate whose `Cargo.toml` is `path`, read and parsed once per run through `cache`.
fn crate_manifest(
    cache: &ModuleCache,
    fs: &dyn SourceFs,
    path: &Path,
) -> Option<Arc<crate::cache::CrateManifest>> {
    cache.crate_manifest(path, || parse_manifest(&fs.read(path).ok()?))
}

/// The library, dependency and binary names of a `Cargo.toml`, as Rust paths spell them.
fn parse_manifest(manifest: &str) -> Option<crate::cache::CrateManifest> {
    let manifest: toml::Value = toml::from_str(manifest).ok()?;
    let rust_name = |n: &str| n.replace('-', "_");
    let lib = manifest
        .get("lib")
        .and_then(|l| l.get("name"))
        .or_else(|| manifest.get("package").and_then(|p| p.get("name")))
        .and_then(|n| n.as_str())
        .map(rust_name);
    let dependencies = ["dependencies", "dev-dependencies", "build-dependencies"]
        .iter()
        .filter_map(|t| manifest.get(t).and_then(|d| d.as_table()))
        .flat_map(|table| table.keys())
        .map(|k| rust_name(k))
        .collect();
    let bins = manifest
        .get("bin")
        .and_then(|b| b.as_array())
        .into_iter()
        .flatten()
        .filter_map(|b| {
            let name = b.get("name")?.as_str()?.to_string();
            let path = b.get("path").and_then(|p| p.as_str()).map(str::to_string);
            Some((name, path))
        })
        .collect();
    Some(crate::cache::CrateManifest {
        lib,
        dependencies,
        bins,
    })
}

impl Loader<'_> {
    fn lower(&self, path: &Path) -> ModuleIr {
        let read = self.fs.read(path);
        if let Some(exceeded) = read
            .as_ref()
            .ok()
            .and_then(|text| limits::check(text, is_python(path)))
        {
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
        match read {
            Ok(text) if is_python(path) => lower_python(path, &text),
            Ok(text) if is_rust(path) => lower_rust(path, &text),
            Ok(_)
                if !path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| JS_EXTENSIONS.contains(&e)) =>
            {
                // A data file imported by code: no calls, no exports we can use.
                ModuleIr {
                    path: path.to_path_buf(),
                    functions: vec![Default::default()],
                    ..ModuleIr::default()
                }
            }
            Ok(text) => lower_file(path, &text),
            Err(e) => {
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

/// The source file a handler names: `functions/get-index` + a known extension; for Rust
/// functions (`provided` runtimes, `bootstrap` handlers) the binary's `main.rs`.
pub fn handler_file(f: &Function, fs: &dyn SourceFs, cache: &ModuleCache) -> Option<PathBuf> {
    let base = normalize(&f.handler_module)?;
    if let Some(bin) = &f.rust_binary {
        return rust_entry(bin, fs, cache);
    }
    module_source(&base, fs)
}

/// The source file of handler module `base` (a normal path without extension): the first known
/// extension that names a file.
fn module_source(base: &Path, fs: &dyn SourceFs) -> Option<PathBuf> {
    JS_EXTENSIONS
        .iter()
        .chain(OTHER_HANDLER_EXTENSIONS)
        .find_map(|ext| {
            let mut s = base.as_os_str().to_os_string();
            s.push(".");
            s.push(ext);
            let p = PathBuf::from(s);
            fs.is_file(&p).then_some(p)
        })
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
    let loader = Loader { fs, cache };
    guesses
        .into_par_iter()
        .for_each(|(code_dir, value, binary)| {
            let dir = base.join(code_dir);
            let rust = |name: &str| {
                let bin = crate::project::RustBinary {
                    crate_dir: dir.clone(),
                    name: Some(name.to_string()),
                };
                rust_entry(&bin, fs, cache)
            };
            let file = if binary {
                rust(value)
            } else {
                let (module, name) = value.rsplit_once('.').unwrap_or((value, ""));
                [module.to_string(), module.replace('.', "/")]
                    .iter()
                    .filter_map(|m| normalize(&dir.join(m)))
                    .find_map(|m| module_source(&m, fs))
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

/// The `main.rs` of a Rust function's binary. A `CodeUri` of `target/lambda/<bin>/` (cargo-lambda's
/// output) names the binary of the crate above `target`; the crate's `Cargo.toml` `[[bin]]` table
/// gives its path, else `src/bin/<bin>.rs`, `src/bin/<bin>/main.rs` or `src/main.rs`.
fn rust_entry(
    bin: &crate::project::RustBinary,
    fs: &dyn SourceFs,
    cache: &ModuleCache,
) -> Option<PathBuf> {
    rust_entry_checked(bin, fs, cache).ok().flatten()
}

/// [`rust_entry`], or the `[[bin]] path` of the binary when it leaves the project (`../x.rs`, an
/// absolute path): cargo builds that file and no other, so it is neither read nor replaced by
/// a guess.
fn rust_entry_checked(
    bin: &crate::project::RustBinary,
    fs: &dyn SourceFs,
    cache: &ModuleCache,
) -> Result<Option<PathBuf>, String> {
    let Some(mut dir) = normalize(bin.crate_dir.as_path()) else {
        return Ok(None);
    };
    let mut name = bin.name.clone();
    let comps: Vec<String> = dir
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    if let Some(i) = comps
        .windows(2)
        .position(|w| w[0] == "target" && w[1] == "lambda")
    {
        name = name.or_else(|| comps.get(i + 2).cloned());
        dir = comps[..i].iter().collect();
    }
    // The crate: the nearest folder with a Cargo.toml, from the code folder up.
    let Some(krate) = dir.ancestors().find(|a| fs.is_file(&a.join("Cargo.toml"))) else {
        return Ok(None);
    };
    let krate = krate.to_path_buf();
    let manifest = crate_manifest(cache, fs, &krate.join("Cargo.toml"));
    let mut candidates = Vec::new();
    if let Some(name) = &name {
        let declared = manifest.iter().flat_map(|m| &m.bins);
        for (_, path) in declared.filter(|(n, _)| n == name) {
            if let Some(p) = path {
                if normalize(&krate.join(p)).is_none() {
                    return Err(p.clone());
                }
                candidates.push(krate.join(p));
            }
        }
        candidates.push(krate.join("src/bin").join(format!("{name}.rs")));
        candidates.push(krate.join("src/bin").join(name).join("main.rs"));
    }
    candidates.push(krate.join("src/main.rs"));
    Ok(candidates
        .into_iter()
        .filter_map(|c| normalize(&c))
        .find(|c| fs.is_file(c)))
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

/// [`analyze_function`] before its gaps are collected from its diagnostics.
fn analyze_code(
    project: &Project,
    f: &Function,
    fs: &dyn SourceFs,
    cache: &ModuleCache,
) -> FunctionAnalysis {
    let mut out = FunctionAnalysis {
        report: FunctionReport {
            name: f.name.clone(),
            handler: f.handler.clone(),
            source: None,
            statements: Vec::new(),
            permissions: Vec::new(),
            declared: f.declared.clone(),
            managed_policies: f.managed_policies.clone(),
            gaps: Vec::new(),
        },
        facts: None,
        http: Vec::new(),
        diagnostics: Vec::new(),
        files: BTreeSet::new(),
    };
    if f.rust_binary.is_none() && normalize(&f.handler_module).is_none() {
        out.diagnostics.push(Diagnostic::new(
            "path-outside-project",
            f.location.clone(),
            format!(
                "function `{}`: its code ({}) is outside the project folder; it is not read",
                f.name,
                f.handler_module.display()
            ),
        ));
        return out;
    }
    if let Some(bin) = &f.rust_binary {
        if let Err(path) = rust_entry_checked(bin, fs, cache) {
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
    let found = handler_file(f, fs, cache);
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
    let Some(file) = found else {
        out.diagnostics.push(Diagnostic::new(
            "missing-handler",
            f.location.clone(),
            format!(
                "function `{}`: handler `{}` names no source file ({}.js/.ts/.py/... not found)",
                f.name,
                f.handler,
                f.handler_module.display()
            ),
        ));
        return out;
    };
    out.report.source = Some(file.clone());
    out.files.insert(file.clone());
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let (js_sdk, boto3, rust_sdk) = (JsSdk::default(), Boto3::default(), RustSdk::default());
    let sdk: &dyn SdkModel = match ext {
        "py" => &boto3,
        "rs" => &rust_sdk,
        e if JS_EXTENSIONS.contains(&e) => &js_sdk,
        _ => {
            out.diagnostics.push(Diagnostic::new(
                "unsupported-runtime",
                f.location.clone(),
                format!(
                    "function `{}`: {} handlers are not analysed yet; no policy generated",
                    f.name, ext
                ),
            ));
            return out;
        }
    };
    let loader = Loader { fs, cache };
    let program = Program::new(&loader);
    // A bug in the analyzer must not cost the other functions their policies.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut ev = Evaluator::new(&program, sdk, &f.environment);
        let found = ev.run(&file, &f.handler_export, &f.deployed_name);
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
    let framework_serverless = project.framework == crate::project::Framework::Serverless;
    out.report.statements = synth::statements(&out.report.permissions, |t| {
        t.to_policy_json(framework_serverless).to_string()
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

/// What the role needs to deliver asynchronous-invocation results to the configured destinations.
fn destination_grants(f: &Function, config: &Path) -> Vec<(Grant, Location)> {
    f.destinations
        .iter()
        .filter_map(|d| {
            let action = match d.kind.as_str() {
                "sqs" => "sqs:SendMessage",
                "sns" => "sns:Publish",
                "eventBus" => "events:PutEvents",
                "function" => "lambda:InvokeFunction",
                _ => return None,
            };
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

    #[test]
    fn mem_fs_lists_folders_from_its_paths() {
        use crate::dir::{DirEntry, EntryKind};
        let fs = MemFs::new([
            ("functions/B/index.ts", ""),
            ("functions/A/index.ts", ""),
            ("functions/A/lib/x.ts", ""),
            ("functions/readme.md", ""),
            ("functions-old/C/index.ts", ""),
            ("top.txt", ""),
        ]);
        let l = fs.list_dir(Path::new("functions")).unwrap();
        assert_eq!(
            l.entries,
            vec![
                DirEntry::new("A", EntryKind::Folder),
                DirEntry::new("B", EntryKind::Folder),
                DirEntry::new("readme.md", EntryKind::File),
            ]
        );
        let root = fs.list_dir(Path::new("")).unwrap();
        let names: Vec<&str> = root.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["functions", "functions-old", "top.txt"]);
        assert_eq!(
            fs.list_dir(Path::new("./functions/A/../B"))
                .unwrap()
                .entries,
            vec![DirEntry::new("index.ts", EntryKind::File)]
        );
        assert_eq!(fs.list_dir(Path::new("top.txt")), Err(FsError::NotFound));
        assert_eq!(fs.list_dir(Path::new("nothing")), Err(FsError::NotFound));
        assert_eq!(fs.list_dir(Path::new("../x")), Err(FsError::Outside));
    }

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
        let project = Project::read_yaml_config(config, Path::new("serverless.yml"));
        let warm = analyze_with(&project, &fs, &cache).0.to_json();
        assert_eq!(warm, crate::analyze(&project, &fs).to_json());
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
        let project = Project::read_yaml_config(template, Path::new("template.json"));
        let warm = analyze_with(&project, &fs, &cache).0.to_json();
        assert_eq!(warm, crate::analyze(&project, &fs).to_json());
    }
}

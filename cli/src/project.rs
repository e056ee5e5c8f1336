//! Finding and reading a project: the config file (given, or the first of `CONFIG_NAMES` in the
//! folder), the framework reader that turns it into a [`Project`], and the analysis, through any
//! [`SourceFs`] (the disk for commands, open editor buffers over the disk for the language server).

use crate::fs::DiskFs;
use slz_analyzer::project::Project;
use slz_analyzer::{FsError, Report, SourceFs};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// Config files looked for, in order, when `--config` is not given: each project format's names.
pub static CONFIG_NAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(slz_analyzer::project::config_names);

/// Largest config file read (a 10,000-function serverless.yml is about 2.5 MB).
pub const MAX_CONFIG_BYTES: u64 = 64 << 20;

/// Configs from this size on are read while the handler files are parsed (about 300 functions).
const PREWARM_CONFIG_BYTES: usize = 64 << 10;

/// A project as read from disk, and its analysis.
pub struct Loaded {
    pub report: Report,
    pub project: Project,
    /// The project folder the config and the files it names are read from.
    pub root: PathBuf,
    /// The config file as given or found, and its text when it was read.
    pub config_path: PathBuf,
    pub source: String,
    /// The reader every file of the project was read with, for the reads that follow (settings,
    /// suppressions, source lines shown with findings).
    pub fs: DiskFs,
}

/// Why a project cannot be read: unusable input. Displayed as the one line the commands print
/// (`file:line:column: message` when a position is known).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// The file (or folder) at fault, as the user named or the tool found it.
    pub file: PathBuf,
    /// 1-based; 0 when the error has no position in the file.
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl LoadError {
    fn new(file: &Path, message: String) -> Self {
        LoadError {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            message,
        }
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file.display(),
                self.line,
                self.column,
                self.message
            )
        } else {
            f.write_str(&self.message)
        }
    }
}

impl From<LoadError> for String {
    fn from(e: LoadError) -> String {
        e.to_string()
    }
}

/// Reads the project at `dir` (or the config's folder) and analyses it.
pub fn load(dir: Option<PathBuf>, config: Option<PathBuf>) -> Result<Report, String> {
    Ok(load_all(dir, config).map(|l| l.report)?)
}

/// For a command, which exits after using the result: the lowered modules and per-function
/// analyses behind the report are never freed.
pub fn load_all(dir: Option<PathBuf>, config: Option<PathBuf>) -> Result<Loaded, LoadError> {
    let root = match (&dir, &config) {
        (Some(d), _) => d.clone(),
        (None, Some(c)) => c.parent().map(Path::to_path_buf).unwrap_or_default(),
        (None, None) => PathBuf::from("."),
    };
    let root = if root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        root
    };
    if !root.is_dir() {
        return Err(LoadError::new(
            &root,
            format!("{} is not a folder", root.display()),
        ));
    }
    let fs = DiskFs::new(&root)
        .map_err(|e| LoadError::new(&root, format!("cannot open {}: {e}", root.display())))?;
    // The config is named relative to the root before anything is opened: a `--config` outside
    // the project is refused without being read, and the file is then read like any other,
    // through the confined reader (a symlink leading out of the root, a FIFO or a device is
    // refused).
    let (config_path, rel) = match config {
        Some(c) => {
            let rel = relative_to(&c, &root, fs.root()).ok_or_else(|| {
                LoadError::new(
                    &c,
                    format!(
                        "{} is outside the project folder {}; not read",
                        c.display(),
                        root.display()
                    ),
                )
            })?;
            (c, rel)
        }
        None => {
            let rel = CONFIG_NAMES
                .iter()
                .map(PathBuf::from)
                // A name that is there but cannot be read (a symlink out of the project, a
                // FIFO) is reported below, not passed over.
                .find(|p| fs.is_file(p) || fs.lists_non_folder(p))
                .ok_or_else(|| {
                    LoadError::new(&root, format!(
                        "no serverless.yml, template.yaml, .serverlize.config.ts or Cargo.toml in {} (name one with --config)",
                        root.display()
                    ))
                })?;
            (root.join(&rel), rel)
        }
    };
    let source = fs.read_up_to(&rel, MAX_CONFIG_BYTES).map_err(|e| {
        let message = match e {
            FsError::TooLarge(size) => format!(
                "{} is over {} MiB ({} MiB read); configs over {} MiB are refused",
                config_path.display(),
                MAX_CONFIG_BYTES >> 20,
                size >> 20,
                MAX_CONFIG_BYTES >> 20
            ),
            FsError::NotUtf8 => format!("{} is not UTF-8 text", config_path.display()),
            FsError::Outside => format!(
                "{} is outside the project folder {} (through a symlink); not read",
                config_path.display(),
                root.display()
            ),
            e => format!("cannot read {}: {e}", config_path.display()),
        };
        LoadError::new(&config_path, message)
    })?;
    // The files a config names are relative to where it really is (a config symlinked from
    // another folder of the project).
    let rel = fs.real_path(&rel).unwrap_or(rel);
    // The handler files the config names are parsed on the other threads while a large config is
    // read; a small one is read before the threads would even be ready.
    let cache = slz_analyzer::cache::ModuleCache::default();
    let project = if source.len() < PREWARM_CONFIG_BYTES {
        read_project(&rel, &source, &fs)
    } else {
        rayon::join(
            || read_project(&rel, &source, &fs),
            || slz_analyzer::analyze::prewarm(&source, &rel, &fs, &cache),
        )
        .0
    };
    // A config that does not parse, or is for a provider other than AWS, leaves nothing to
    // analyse: unusable input, one line.
    if let Some(d) = project.diagnostics.iter().find(|d| {
        matches!(
            d.code,
            "config-parse-error" | "unsupported-provider" | "unsupported-config"
        )
    }) {
        return Err(LoadError {
            file: root.join(&d.location.file),
            line: d.location.line.max(1),
            column: d.location.column.max(1),
            message: d.message.clone(),
        });
    }
    let (report, spent) = slz_analyzer::analyze::analyze_with(&project, &fs, &cache);
    // The command prints the report and exits: freeing the lowered modules and the analyses
    // (millions of small allocations, most made on other threads) would only delay it.
    std::mem::forget((spent, cache));
    Ok(Loaded {
        report,
        project,
        root,
        config_path,
        source,
        fs,
    })
}

/// `path` relative to the project root (given as `root`, resolved as `real_root`), by its name
/// alone: nothing is opened or resolved on the way (a relative `path` is relative to the working
/// folder). `None` when it is not under the root.
pub fn relative_to(path: &Path, root: &Path, real_root: &Path) -> Option<PathBuf> {
    let path = lexical(&std::path::absolute(path).ok()?);
    [
        lexical(&std::path::absolute(root).ok()?),
        real_root.to_path_buf(),
    ]
    .iter()
    .find_map(|r| path.strip_prefix(r).ok())
    .filter(|rel| !rel.as_os_str().is_empty())
    .map(Path::to_path_buf)
}

/// `path` with `.` and `..` taken out by name.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The project model from its config text (`rel`, relative to the project root), by the format
/// that reads it. Files the model itself needs (Serverlize function folders, `.env`) come through
/// `fs`.
pub fn read_project(rel: &Path, source: &str, fs: &dyn SourceFs) -> Project {
    slz_analyzer::project::read(rel, source, fs)
}

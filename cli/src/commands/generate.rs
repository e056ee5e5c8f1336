//! `slz-iam generate`: find the config, read the project, analyse it, print the policies; with
//! `--format diff` or `--write`, show or apply the recommended config changes.

use crate::emit;
use crate::fs::DiskFs;
use crate::Format;
use slz_analyzer::project::{cargo, sam, serverless, serverlize, Project};
use slz_analyzer::Report;
use std::path::{Path, PathBuf};

/// Config files looked for, in order, when `--config` is not given.
const CONFIG_NAMES: &[&str] = &[
    "serverless.yml",
    "serverless.yaml",
    "template.yaml",
    "template.yml",
    "template.json",
    ".serverlize.config.ts",
    ".serverlize.config.js",
    "Cargo.toml",
];

/// A project as read from disk, and its analysis.
pub struct Loaded {
    pub report: Report,
    pub project: Project,
    /// The config file as given or found, and its text when it was read.
    pub config_path: PathBuf,
    pub source: String,
}

/// Reads the project at `dir` (or the config's folder) and analyses it.
pub fn load(dir: Option<PathBuf>, config: Option<PathBuf>) -> Result<Report, String> {
    load_all(dir, config).map(|l| l.report)
}

pub fn load_all(dir: Option<PathBuf>, config: Option<PathBuf>) -> Result<Loaded, String> {
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
        return Err(format!("{} is not a folder", root.display()));
    }
    let config_path = match config {
        Some(c) => c,
        None => CONFIG_NAMES
            .iter()
            .map(|n| root.join(n))
            .find(|p| p.is_file())
            .ok_or_else(|| {
                format!(
                    "no serverless.yml, template.yaml, .serverlize.config.ts or Cargo.toml in {} (name one with --config)",
                    root.display()
                )
            })?,
    };
    let text = std::fs::read(&config_path)
        .map_err(|e| format!("cannot read {}: {e}", config_path.display()))?;
    let source = String::from_utf8(text)
        .map_err(|_| format!("{} is not UTF-8 text", config_path.display()))?;
    let fs = DiskFs::new(&root).map_err(|e| format!("cannot open {}: {e}", root.display()))?;
    let root_abs = root.canonicalize().map_err(|e| e.to_string())?;
    let config_abs = config_path.canonicalize().map_err(|e| e.to_string())?;
    let rel = config_abs
        .strip_prefix(&root_abs)
        .map_err(|_| {
            format!(
                "{} is outside the project folder {}",
                config_path.display(),
                root.display()
            )
        })?
        .to_path_buf();
    let file_name = rel
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let project = if file_name.starts_with(".serverlize.config.") {
        read_serverlize(&root, &source, &rel)
    } else if file_name == "Cargo.toml" {
        cargo::read(&source, &rel)
    } else if sam::is_template(&source) {
        sam::read(&source, &rel)
    } else {
        serverless::read(&source, &rel)
    };
    let report = slz_analyzer::analyze(&project, &fs);
    Ok(Loaded {
        report,
        project,
        config_path,
        source,
    })
}

/// A Serverlize project: the config, `functions/<Name>/index.{ts,js}` and `.env`.
fn read_serverlize(root: &Path, source: &str, rel: &Path) -> Project {
    use slz_analyzer::SourceFs;
    let fs = DiskFs::new(root).ok();
    let read = |p: &Path| fs.as_ref().and_then(|fs| fs.read(p).ok());
    let base = rel.parent().unwrap_or(Path::new(""));
    let mut functions = Vec::new();
    let dir = root.join(base).join("functions");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    for name in names {
        for ext in ["ts", "js", "mts", "mjs"] {
            let path = base
                .join("functions")
                .join(&name)
                .join(format!("index.{ext}"));
            if let Some(text) = read(&path) {
                functions.push(serverlize::FunctionSource {
                    name: name.clone(),
                    path,
                    text,
                });
                break;
            }
        }
    }
    let dotenv = read(&base.join(".env"));
    serverlize::read(source, rel, &functions, dotenv.as_deref())
}

/// The config text with the generated statements and the recommended endpoint auth applied.
fn edited(loaded: &Loaded) -> String {
    let plugin = loaded.source.contains("serverless-iam-roles-per-function");
    // Statements first: an auth line inserted at the same place must end up above them.
    let mut edits =
        slz_analyzer::edit::policy_edits(&loaded.project, &loaded.source, &loaded.report, plugin);
    edits.extend(slz_analyzer::edit::auth_edits(
        &loaded.project,
        &loaded.source,
        &loaded.report.auth,
    ));
    slz_analyzer::edit::apply(&loaded.source, &edits)
}

pub fn run(
    dir: Option<PathBuf>,
    config: Option<PathBuf>,
    format: Format,
    write: bool,
) -> Result<u8, String> {
    let loaded = load_all(dir, config)?;
    let report = &loaded.report;
    if write {
        if report
            .diagnostics
            .iter()
            .any(|d| d.code == "config-parse-error")
        {
            return Err(format!(
                "{} does not parse; refusing to write it",
                loaded.config_path.display()
            ));
        }
        let new = edited(&loaded);
        if new != loaded.source {
            write_atomically(&loaded.config_path, &loaded.source, &new)?;
            eprintln!("slz-iam: updated {}", loaded.config_path.display());
        }
    }
    let out = match format {
        Format::Json => emit::json::render(report),
        Format::Yaml => emit::yaml::render(report),
        Format::Sam => emit::sam::render(report),
        Format::Diff => {
            let new = if write {
                loaded.source.clone()
            } else {
                edited(&loaded)
            };
            let name = loaded.project.config.display().to_string();
            similar::TextDiff::from_lines(&loaded.source, &new)
                .unified_diff()
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string()
        }
    };
    print!("{out}");
    eprint!("{}", emit::text::diagnostics(report));
    Ok(if report.has_errors() { 1 } else { 0 })
}

/// Writes `new` over `path` through a temporary file in the same folder and a rename, unless the
/// file changed on disk since it was read as `old`.
pub fn write_atomically(path: &Path, old: &str, new: &str) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.slz-iam.tmp"));
    std::fs::write(&tmp, new).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    let now = std::fs::read_to_string(path).unwrap_or_default();
    if now != old {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!(
            "{} changed on disk while slz-iam ran; not written",
            path.display()
        ));
    }
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot replace {}: {e}", path.display())
    })
}

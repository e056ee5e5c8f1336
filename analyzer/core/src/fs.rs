//! The file system seam: every file of a project is read through a [`SourceFs`], by path
//! relative to the project root; [`MemFs`] holds files in memory.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

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

    /// The names of the folders in folder `dir`, sorted; none when it is no folder of the project.
    fn folders(&self, _dir: &Path) -> Vec<String> {
        Vec::new()
    }
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

    /// The folders that hold a file, directly or below.
    fn folders(&self, dir: &Path) -> Vec<String> {
        let Some(dir) = normalize(dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = self
            .files
            .keys()
            .filter_map(|p| p.strip_prefix(&dir).ok())
            .filter_map(|rest| {
                let mut parts = rest.components();
                let first = parts.next()?;
                parts.next()?;
                Some(first.as_os_str().to_string_lossy().to_string())
            })
            .collect();
        names.dedup();
        names
    }
}

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

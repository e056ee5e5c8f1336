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
}

//! Disk access for the analyzer: files under the project root only (paths that leave it, through
//! `..` or symlinks, are refused), with a size cap and a UTF-8 check.

use rustc_hash::FxHashMap as HashMap;
use slz_analyzer::{FsError, SourceFs};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Source files larger than this are skipped with a `file-too-large` diagnostic.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

pub struct DiskFs {
    root: PathBuf,
    /// Folders already resolved (symlinks followed) to their real path: resolving a path costs a
    /// system call per component, and imports try many candidates in the same folders.
    folders: Mutex<HashMap<OsString, PathBuf>>,
    /// Each folder's entries, read once: imports probe many candidate names per folder, and one
    /// `read_dir` answers them all.
    listings: Mutex<HashMap<OsString, Arc<HashMap<OsString, Entry>>>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Entry {
    File,
    Symlink,
    Other,
}

impl DiskFs {
    pub fn new(root: &Path) -> std::io::Result<DiskFs> {
        Ok(DiskFs {
            root: root.canonicalize()?,
            folders: Mutex::new(HashMap::default()),
            listings: Mutex::new(HashMap::default()),
        })
    }

    /// The real path of folder `rel`, from the cache, else from its parent's real path and one
    /// `lstat` (a symlinked folder is resolved in full).
    fn folder(&self, rel: &Path) -> Result<PathBuf, FsError> {
        if rel.as_os_str().is_empty() {
            return Ok(self.root.clone());
        }
        if let Some(real) = self
            .folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(rel.as_os_str())
        {
            return Ok(real.clone());
        }
        let real = match (rel.parent(), rel.file_name()) {
            (Some(parent), Some(name)) => {
                let candidate = self.folder(parent)?.join(name);
                let meta = std::fs::symlink_metadata(&candidate).map_err(|_| FsError::NotFound)?;
                if meta.file_type().is_symlink() {
                    candidate.canonicalize().map_err(|_| FsError::NotFound)?
                } else if meta.is_dir() {
                    candidate
                } else {
                    return Err(FsError::NotFound);
                }
            }
            _ => self
                .root
                .join(rel)
                .canonicalize()
                .map_err(|_| FsError::NotFound)?,
        };
        self.folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.as_os_str().to_os_string(), real.clone());
        Ok(real)
    }

    /// The UTF-8 text of file `path` inside the root, if it is no larger than `cap` bytes (source
    /// files: [`MAX_FILE_BYTES`]; the config: `crate::project::MAX_CONFIG_BYTES`).
    pub fn read_up_to(&self, path: &Path, cap: u64) -> Result<String, FsError> {
        let (full, meta) = self.full(path)?;
        if meta.len() > cap {
            return Err(FsError::TooLarge(meta.len()));
        }
        let bytes = std::fs::read(&full).map_err(|e| FsError::Io(e.to_string()))?;
        String::from_utf8(bytes).map_err(|_| FsError::NotUtf8)
    }

    /// Forgets resolved folders and listings (the language server calls it when files come and
    /// go).
    pub fn forget(&self) {
        self.folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.listings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// The entries of folder `rel` (empty when it cannot be read).
    fn listing(&self, rel: &Path) -> Arc<HashMap<OsString, Entry>> {
        if let Some(l) = self
            .listings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(rel.as_os_str())
        {
            return l.clone();
        }
        let mut entries = HashMap::default();
        if let Ok(dir) = self
            .folder(rel)
            .and_then(|real| std::fs::read_dir(real).map_err(|e| FsError::Io(e.to_string())))
        {
            for e in dir.flatten() {
                let kind = match e.file_type() {
                    Ok(t) if t.is_file() => Entry::File,
                    Ok(t) if t.is_symlink() => Entry::Symlink,
                    _ => Entry::Other,
                };
                entries.insert(e.file_name(), kind);
            }
        }
        let entries = Arc::new(entries);
        self.listings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.as_os_str().to_os_string(), entries.clone());
        entries
    }

    /// The real path of file `rel` inside the root, with its metadata (symlinks followed).
    fn full(&self, rel: &Path) -> Result<(PathBuf, std::fs::Metadata), FsError> {
        let rel = slz_analyzer::analyze::normalize(rel).ok_or(FsError::Outside)?;
        let parent = rel.parent().unwrap_or(Path::new(""));
        let candidate = match rel.file_name() {
            Some(name) => self.folder(parent)?.join(name),
            None => self.root.clone(),
        };
        // Only a symlink needs resolving again; a plain file is where its folder is.
        let meta = std::fs::symlink_metadata(&candidate).map_err(|_| FsError::NotFound)?;
        let (full, meta) = if meta.file_type().is_symlink() {
            let real = candidate.canonicalize().map_err(|_| FsError::NotFound)?;
            let meta = std::fs::metadata(&real).map_err(|_| FsError::NotFound)?;
            (real, meta)
        } else {
            (candidate, meta)
        };
        if full.starts_with(&self.root) {
            Ok((full, meta))
        } else {
            Err(FsError::Outside)
        }
    }
}

impl SourceFs for DiskFs {
    fn read(&self, path: &Path) -> Result<String, FsError> {
        self.read_up_to(path, MAX_FILE_BYTES)
    }

    fn is_file(&self, path: &Path) -> bool {
        let Some(rel) = slz_analyzer::analyze::normalize(path) else {
            return false;
        };
        // `rel` is normal: split at its last `/` without parsing components again.
        let (parent, name) = match rel.to_str() {
            Some(s) => match s.rsplit_once('/') {
                Some((dir, file)) => (Path::new(dir), std::ffi::OsStr::new(file)),
                None => (Path::new(""), std::ffi::OsStr::new(s)),
            },
            None => match (rel.parent(), rel.file_name()) {
                (Some(parent), Some(name)) => (parent, name),
                _ => return false,
            },
        };
        match self.listing(parent).get(name) {
            Some(Entry::File) => true,
            Some(Entry::Symlink) => self.full(&rel).is_ok_and(|(_, meta)| meta.is_file()),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_inside_the_root() {
        let base = std::env::temp_dir().join(format!("slz-iam-fs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(base.join("root/a")).unwrap();
        std::fs::write(base.join("root/a/x.js"), "x").unwrap();
        std::fs::write(base.join("secret.txt"), "s").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.join("secret.txt"), base.join("root/a/link.txt"))
                .unwrap();
            std::os::unix::fs::symlink(base.join("root/a"), base.join("root/b")).unwrap();
        }
        let fs = DiskFs::new(&base.join("root")).unwrap();
        assert_eq!(fs.read(Path::new("a/x.js")).unwrap(), "x");
        assert!(fs.is_file(Path::new("a/x.js")));
        assert!(!fs.is_file(Path::new("a")));
        assert_eq!(fs.read(Path::new("../secret.txt")), Err(FsError::Outside));
        #[cfg(unix)]
        {
            assert_eq!(fs.read(Path::new("a/link.txt")), Err(FsError::Outside));
            assert_eq!(fs.read(Path::new("b/x.js")).unwrap(), "x");
        }
        assert_eq!(fs.read(Path::new("a/none.js")), Err(FsError::NotFound));
        let _ = std::fs::remove_dir_all(&base);
    }
}

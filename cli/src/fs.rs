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
    /// Folders already resolved (symlinks followed) to their real path.
    folders: Mutex<HashMap<OsString, PathBuf>>,
    /// Each folder's entries, read once: imports probe many candidate names per folder, and one
    /// `read_dir` answers them all; it also says which entries are symlinks, so that a plain file
    /// or folder needs no system call of its own to be resolved.
    listings: Mutex<HashMap<OsString, Arc<HashMap<OsString, Entry>>>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Entry {
    File,
    Folder,
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

    /// The real path of folder `rel`: from the cache, else from its parent's real path and the
    /// parent's listing (a symlinked folder is resolved in full, and refused when it leads out of
    /// the root).
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
                match self.listing(parent).get(name) {
                    Some(Entry::Folder) => candidate,
                    Some(Entry::Symlink) => {
                        let real = self.inside(&candidate)?;
                        if !real.is_dir() {
                            return Err(FsError::NotFound);
                        }
                        real
                    }
                    _ => return Err(FsError::NotFound),
                }
            }
            _ => self.inside(&self.root.join(rel))?,
        };
        self.folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.as_os_str().to_os_string(), real.clone());
        Ok(real)
    }

    /// The real path of `path`, a symlink or a path that may hold one, when it is inside the root.
    fn inside(&self, path: &Path) -> Result<PathBuf, FsError> {
        let real = path.canonicalize().map_err(|_| FsError::NotFound)?;
        if real.starts_with(&self.root) {
            Ok(real)
        } else {
            Err(FsError::Outside)
        }
    }

    /// The UTF-8 text of file `path` inside the root, if it is no larger than `cap` bytes (source
    /// files: [`MAX_FILE_BYTES`]; the config: `crate::project::MAX_CONFIG_BYTES`).
    pub fn read_up_to(&self, path: &Path, cap: u64) -> Result<String, FsError> {
        use std::io::Read;
        let (full, plain) = self.full(path)?;
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        // A plain file is opened without following links, so that one swapped for a symlink since
        // its folder was listed cannot lead outside the root.
        #[cfg(unix)]
        if plain {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW);
        }
        #[cfg(not(unix))]
        let _ = plain;
        let file = options.open(&full).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => FsError::NotFound,
            _ => FsError::Io(e.to_string()),
        })?;
        let meta = file.metadata().map_err(|e| FsError::Io(e.to_string()))?;
        if !meta.is_file() {
            return Err(FsError::NotFound);
        }
        if meta.len() > cap {
            return Err(FsError::TooLarge(meta.len()));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        // At most one byte past the cap: a file that grew since is still refused.
        file.take(cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| FsError::Io(e.to_string()))?;
        if bytes.len() as u64 > cap {
            return Err(FsError::TooLarge(bytes.len() as u64));
        }
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
                    Ok(t) if t.is_dir() => Entry::Folder,
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

    /// The real path of file `rel` inside the root, and whether it is a plain file where its
    /// folder's listing says (false: a symlink, resolved here).
    fn full(&self, rel: &Path) -> Result<(PathBuf, bool), FsError> {
        let rel = slz_analyzer::analyze::normalize(rel).ok_or(FsError::Outside)?;
        let parent = rel.parent().unwrap_or(Path::new(""));
        let Some(name) = rel.file_name() else {
            return Err(FsError::NotFound);
        };
        // The folder is inside the root (`folder` sees to it); a symlinked file may lead anywhere.
        let candidate = self.folder(parent)?.join(name);
        match self.listing(parent).get(name) {
            Some(Entry::File) => Ok((candidate, true)),
            Some(Entry::Symlink) => Ok((self.inside(&candidate)?, false)),
            _ => Err(FsError::NotFound),
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
            Some(Entry::Symlink) => self
                .full(&rel)
                .is_ok_and(|(real, _)| std::fs::metadata(real).is_ok_and(|m| m.is_file())),
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
            std::os::unix::fs::symlink(&base, base.join("root/out")).unwrap();
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
            // A folder that is a symlink out of the root: nothing under it is read or found.
            assert_eq!(fs.read(Path::new("out/secret.txt")), Err(FsError::Outside));
            assert!(!fs.is_file(Path::new("out/secret.txt")));
        }
        assert_eq!(fs.read(Path::new("a")), Err(FsError::NotFound));
        assert_eq!(fs.read(Path::new("a/none.js")), Err(FsError::NotFound));
        let _ = std::fs::remove_dir_all(&base);
    }
}

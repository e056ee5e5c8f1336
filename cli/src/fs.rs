//! Disk access for the analyzer: files under the project root only (paths that leave it, through
//! `..` or symlinks, are refused), with a size cap and a UTF-8 check.

use slz_analyzer::{FsError, SourceFs};
use std::path::{Path, PathBuf};

/// Source files larger than this are skipped with a `file-too-large` diagnostic.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

pub struct DiskFs {
    root: PathBuf,
}

impl DiskFs {
    pub fn new(root: &Path) -> std::io::Result<DiskFs> {
        Ok(DiskFs {
            root: root.canonicalize()?,
        })
    }

    fn full(&self, rel: &Path) -> Result<PathBuf, FsError> {
        let full = self
            .root
            .join(rel)
            .canonicalize()
            .map_err(|_| FsError::NotFound)?;
        if full.starts_with(&self.root) {
            Ok(full)
        } else {
            Err(FsError::Outside)
        }
    }
}

impl SourceFs for DiskFs {
    fn read(&self, path: &Path) -> Result<String, FsError> {
        let full = self.full(path)?;
        let meta = std::fs::metadata(&full).map_err(|e| FsError::Io(e.to_string()))?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(FsError::TooLarge(meta.len()));
        }
        let bytes = std::fs::read(&full).map_err(|e| FsError::Io(e.to_string()))?;
        String::from_utf8(bytes).map_err(|_| FsError::NotUtf8)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.full(path).map(|p| p.is_file()).unwrap_or(false)
    }
}

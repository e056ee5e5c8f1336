//! Disk access for the analyzer: files under the project root only, with a size cap and a UTF-8
//! check.
//!
//! On unix every open is made relative to a folder handle, starting from the root's: each folder
//! on the way is opened without following links, a symlink met on the way is read and resolved here
//! (refused when it leads out of the root, at most [`MAX_LINKS`] of them), and the walk continues
//! from the handle it leads to. A folder swapped for a symlink during a run is therefore never
//! followed out of the root, whatever the listings cached earlier say. Only regular files are
//! read: the type is checked before the open (a FIFO or a device is never opened) and again on the
//! open handle, which is opened non-blocking; reads stop one byte past the cap whatever the file's
//! metadata says. Elsewhere paths are resolved to their real path and checked to be under the root.

use rustc_hash::FxHashMap as HashMap;
use slz_analyzer::{DirEntry, DirListing, EntryKind, FsError, SourceFs};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Source files larger than this are skipped with a `file-too-large` diagnostic.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Symlinks followed in one lookup before it is given up as a loop.
pub const MAX_LINKS: usize = 40;

pub struct DiskFs {
    root: PathBuf,
    /// The root folder, opened once: every lookup starts from it.
    #[cfg(unix)]
    root_fd: std::os::fd::OwnedFd,
    /// Folders already resolved (symlinks followed) to their real path.
    #[cfg(not(unix))]
    folders: Mutex<HashMap<OsString, PathBuf>>,
    /// Each folder's entries, read once: imports probe many candidate names per folder, and one
    /// listing answers them all. A listing only ever answers "no such file" on its own: anything
    /// read is opened through the confined lookup again.
    listings: Mutex<HashMap<OsString, Arc<Listing>>>,
}

/// A folder's entries, or why it could not be read (then it has none).
#[derive(Default)]
struct Listing {
    entries: HashMap<OsString, Entry>,
    error: Option<FsError>,
}

impl Listing {
    fn get(&self, name: &std::ffi::OsStr) -> Option<&Entry> {
        self.entries.get(name)
    }
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
        let root = root.canonicalize()?;
        #[cfg(unix)]
        let root_fd = {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_DIRECTORY | libc::O_CLOEXEC)
                .open(&root)?
                .into()
        };
        Ok(DiskFs {
            root,
            #[cfg(unix)]
            root_fd,
            #[cfg(not(unix))]
            folders: Mutex::new(HashMap::default()),
            listings: Mutex::new(HashMap::default()),
        })
    }

    /// The project root, absolute and resolved.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The UTF-8 text of file `path` inside the root, if it is a regular file no larger than `cap`
    /// bytes (source files: [`MAX_FILE_BYTES`]; the config: `crate::project::MAX_CONFIG_BYTES`).
    pub fn read_up_to(&self, path: &Path, cap: u64) -> Result<String, FsError> {
        use std::io::Read;
        let rel = slz_analyzer::analyze::normalize(path).ok_or(FsError::Outside)?;
        // The listing can say quickly that a probed name does not exist; what exists is opened
        // through the confined lookup below, never on the listing's word.
        let (parent, name) = split(&rel).ok_or(FsError::NotFound)?;
        let listing = self.listing(parent);
        if let Some(e) = &listing.error {
            return Err(e.clone());
        }
        if listing.get(name).is_none() {
            return Err(FsError::NotFound);
        }
        let file = self.open_file(&rel)?;
        let mut bytes = Vec::new();
        // At most one byte past the cap, whatever the metadata said: a file that grows while it is
        // read is still refused.
        file.take(cap.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| FsError::Io(e.to_string()))?;
        if bytes.len() as u64 > cap {
            return Err(FsError::TooLarge(bytes.len() as u64));
        }
        String::from_utf8(bytes).map_err(|_| FsError::NotUtf8)
    }

    /// Forgets the listings (the language server calls it when files come and go).
    pub fn forget(&self) {
        #[cfg(not(unix))]
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
    fn listing(&self, rel: &Path) -> Arc<Listing> {
        if let Some(l) = self
            .listings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(rel.as_os_str())
        {
            return l.clone();
        }
        let entries = Arc::new(match self.read_listing(rel) {
            Ok(entries) => Listing {
                entries,
                error: None,
            },
            Err(e) => Listing {
                entries: HashMap::default(),
                error: Some(e),
            },
        });
        self.listings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.as_os_str().to_os_string(), entries.clone());
        entries
    }

    /// The real path of file `path` relative to the root: its symlinks resolved, refused when one
    /// leads out of the root.
    pub fn real_path(&self, path: &Path) -> Result<PathBuf, FsError> {
        let rel = slz_analyzer::analyze::normalize(path).ok_or(FsError::Outside)?;
        self.real_file(&rel)
    }

    /// Whether folder listing names `rel` as something other than a folder (a file, a symlink, a
    /// FIFO...): nothing is opened or resolved.
    pub fn lists_non_folder(&self, rel: &Path) -> bool {
        let Some(rel) = slz_analyzer::analyze::normalize(rel) else {
            return false;
        };
        split(&rel).is_some_and(|(parent, name)| {
            self.listing(parent)
                .get(name)
                .is_some_and(|e| *e != Entry::Folder)
        })
    }
}

/// A normal relative path's folder and last name.
fn split(rel: &Path) -> Option<(&Path, &std::ffi::OsStr)> {
    // `rel` is normal: split at its last `/` without parsing components again.
    match rel.to_str() {
        Some(s) => Some(match s.rsplit_once('/') {
            Some((dir, file)) => (Path::new(dir), std::ffi::OsStr::new(file)),
            None => (Path::new(""), std::ffi::OsStr::new(s)),
        }),
        None => Some((rel.parent()?, rel.file_name()?)),
    }
}

#[cfg(unix)]
mod confined {
    //! Lookups relative to folder handles.

    use super::{DiskFs, Entry, MAX_LINKS};
    use rustc_hash::FxHashMap as HashMap;
    use slz_analyzer::FsError;
    use std::collections::VecDeque;
    use std::ffi::{CStr, CString, OsStr, OsString};
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    use std::path::{Component, Path, PathBuf};

    fn errno() -> i32 {
        std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
    }

    fn io_error(e: i32) -> FsError {
        match e {
            libc::ENOENT | libc::ENOTDIR => FsError::NotFound,
            libc::ELOOP => FsError::Io("too many levels of symbolic links".into()),
            _ => FsError::Io(std::io::Error::from_raw_os_error(e).to_string()),
        }
    }

    fn not_regular() -> FsError {
        FsError::Io("not a regular file".into())
    }

    /// The type bits of `name` in folder `dir`, not following a symlink.
    fn kind_at(dir: RawFd, name: &CStr) -> Result<libc::mode_t, i32> {
        let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
        // SAFETY: `name` is NUL-terminated and `st` is written by the call before it is read.
        let r = unsafe {
            libc::fstatat(
                dir,
                name.as_ptr(),
                st.as_mut_ptr(),
                libc::AT_SYMLINK_NOFOLLOW,
            )
        };
        if r != 0 {
            return Err(errno());
        }
        // SAFETY: the call succeeded, so it filled `st`.
        Ok(unsafe { st.assume_init() }.st_mode & libc::S_IFMT)
    }

    /// The type bits of the open handle `fd`.
    fn kind_of(fd: &OwnedFd) -> Result<libc::mode_t, i32> {
        let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
        // SAFETY: `fd` is open and `st` is written by the call before it is read.
        let r = unsafe { libc::fstat(fd.as_raw_fd(), st.as_mut_ptr()) };
        if r != 0 {
            return Err(errno());
        }
        // SAFETY: the call succeeded, so it filled `st`.
        Ok(unsafe { st.assume_init() }.st_mode & libc::S_IFMT)
    }

    fn open_at(dir: RawFd, name: &CStr, flags: libc::c_int) -> Result<OwnedFd, i32> {
        // SAFETY: `name` is NUL-terminated; the returned descriptor is owned by nobody else.
        let fd = unsafe {
            libc::openat(
                dir,
                name.as_ptr(),
                flags | libc::O_CLOEXEC | libc::O_NOFOLLOW,
            )
        };
        if fd < 0 {
            return Err(errno());
        }
        // SAFETY: `fd` was just opened and is not owned elsewhere.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }

    fn read_link_at(dir: RawFd, name: &CStr) -> Result<OsString, FsError> {
        let mut buf = vec![0u8; libc::PATH_MAX as usize + 1];
        // SAFETY: `buf` has room for `buf.len()` bytes; `name` is NUL-terminated.
        let n = unsafe { libc::readlinkat(dir, name.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            return Err(io_error(errno()));
        }
        let n = n as usize;
        if n >= buf.len() {
            return Err(FsError::Io("symlink target too long".into()));
        }
        buf.truncate(n);
        Ok(OsString::from_vec(buf))
    }

    impl DiskFs {
        /// Walks `rel` (relative to the root) from the root's handle and opens what it names: a
        /// folder when `folder`, else a regular file. Also its real path relative to the root (no
        /// symlinks in it).
        fn open_beneath(&self, rel: &Path, folder: bool) -> Result<(OwnedFd, PathBuf), FsError> {
            let mut queue: VecDeque<OsString> = VecDeque::new();
            push_front(&mut queue, rel, &self.root)?;
            // The folder reached (`None`: the root) and the names of the real folders that lead to
            // it from the root. Only one handle is held: a `..` from a symlink's target walks the
            // names left from the root again, so a deep path cannot use up the process's handles.
            let mut cur: Option<OwnedFd> = None;
            let mut names: Vec<OsString> = Vec::new();
            let mut links = 0;
            while let Some(name) = queue.pop_front() {
                if name == ".." {
                    names.pop().ok_or(FsError::Outside)?;
                    for n in names.drain(..).rev() {
                        queue.push_front(n);
                    }
                    cur = None;
                    continue;
                }
                let dir = cur
                    .as_ref()
                    .map_or(self.root_fd.as_raw_fd(), |d| d.as_raw_fd());
                let want_file = !folder && queue.is_empty();
                let cname = CString::new(name.as_bytes()).map_err(|_| FsError::NotFound)?;
                let kind = kind_at(dir, &cname).map_err(io_error)?;
                if kind == libc::S_IFLNK {
                    links += 1;
                    if links > MAX_LINKS {
                        return Err(io_error(libc::ELOOP));
                    }
                    let target = read_link_at(dir, &cname)?;
                    if push_front(&mut queue, Path::new(&target), &self.root)? {
                        cur = None;
                        names.clear();
                    }
                    continue;
                }
                let flags = if want_file {
                    if kind == libc::S_IFDIR {
                        return Err(FsError::NotFound);
                    }
                    if kind != libc::S_IFREG {
                        return Err(not_regular());
                    }
                    // Non-blocking: should a FIFO take the file's place after the check above,
                    // the open does not wait for a writer (the type check below refuses it).
                    libc::O_RDONLY | libc::O_NONBLOCK | libc::O_NOCTTY
                } else {
                    if kind != libc::S_IFDIR {
                        return Err(FsError::NotFound);
                    }
                    libc::O_RDONLY | libc::O_DIRECTORY
                };
                let fd = match open_at(dir, &cname, flags) {
                    Ok(fd) => fd,
                    // Swapped for a symlink since the check: look at it again.
                    Err(_) if kind_at(dir, &cname) == Ok(libc::S_IFLNK) => {
                        links += 1;
                        if links > MAX_LINKS {
                            return Err(io_error(libc::ELOOP));
                        }
                        queue.push_front(name);
                        continue;
                    }
                    Err(e) => return Err(io_error(e)),
                };
                let now = kind_of(&fd).map_err(io_error)?;
                if want_file {
                    if now != libc::S_IFREG {
                        return Err(not_regular());
                    }
                    let mut real: PathBuf = names.iter().collect();
                    real.push(name);
                    return Ok((fd, real));
                }
                if now != libc::S_IFDIR {
                    return Err(FsError::NotFound);
                }
                cur = Some(fd);
                names.push(name);
            }
            if !folder {
                return Err(FsError::NotFound);
            }
            let real: PathBuf = names.iter().collect();
            match cur {
                Some(fd) => Ok((fd, real)),
                None => self
                    .root_fd
                    .try_clone()
                    .map(|fd| (fd, real))
                    .map_err(|e| FsError::Io(e.to_string())),
            }
        }

        /// Regular file `rel`, opened beneath the root.
        pub(super) fn open_file(&self, rel: &Path) -> Result<std::fs::File, FsError> {
            self.open_beneath(rel, false)
                .map(|(fd, _)| std::fs::File::from(fd))
        }

        /// Folder `rel`, opened beneath the root.
        pub(super) fn open_folder(&self, rel: &Path) -> Result<OwnedFd, FsError> {
            self.open_beneath(rel, true).map(|(fd, _)| fd)
        }

        /// The real path of regular file `rel` relative to the root (symlinks resolved, confined).
        pub(super) fn real_file(&self, rel: &Path) -> Result<PathBuf, FsError> {
            self.open_beneath(rel, false).map(|(_, real)| real)
        }

        /// Whether `rel` is a regular file beneath the root (a symlink is resolved, confined).
        pub(super) fn resolves_to_file(&self, rel: &Path) -> bool {
            self.open_file(rel).is_ok()
        }

        /// The entries of folder `rel`, read from its handle.
        pub(super) fn read_listing(&self, rel: &Path) -> Result<HashMap<OsString, Entry>, FsError> {
            let fd = self.open_folder(rel)?;
            let raw = fd.as_raw_fd();
            // SAFETY: `raw` is an open folder handle; on success the stream owns it (released
            // from `fd` below), on failure `fd` still closes it.
            let dir = unsafe { libc::fdopendir(raw) };
            if dir.is_null() {
                return Err(io_error(errno()));
            }
            let _ = std::os::fd::IntoRawFd::into_raw_fd(fd);
            let mut entries = HashMap::default();
            loop {
                // SAFETY: `dir` is an open stream, used by this thread only.
                let e = unsafe { libc::readdir(dir) };
                if e.is_null() {
                    break;
                }
                // SAFETY: `readdir` returned an entry whose name is NUL-terminated; both stay
                // valid until the next call on `dir`.
                let (name, d_type) = unsafe { (CStr::from_ptr((*e).d_name.as_ptr()), (*e).d_type) };
                let bytes = name.to_bytes();
                if bytes == b"." || bytes == b".." {
                    continue;
                }
                let mode = match d_type {
                    libc::DT_REG => libc::S_IFREG,
                    libc::DT_DIR => libc::S_IFDIR,
                    libc::DT_LNK => libc::S_IFLNK,
                    // SAFETY: `dir` is open; its descriptor is the folder's handle.
                    libc::DT_UNKNOWN => kind_at(unsafe { libc::dirfd(dir) }, name).unwrap_or(0),
                    _ => 0,
                };
                let kind = match mode {
                    libc::S_IFREG => Entry::File,
                    libc::S_IFDIR => Entry::Folder,
                    libc::S_IFLNK => Entry::Symlink,
                    _ => Entry::Other,
                };
                entries.insert(OsStr::from_bytes(bytes).to_os_string(), kind);
            }
            // SAFETY: `dir` is open and not used after this.
            unsafe { libc::closedir(dir) };
            Ok(entries)
        }
    }

    /// Puts the components of `path` at the front of `queue`. An absolute path (a symlink's target)
    /// must lead into `root`, and restarts the walk there: then `true`.
    fn push_front(
        queue: &mut VecDeque<OsString>,
        path: &Path,
        root: &Path,
    ) -> Result<bool, FsError> {
        let absolute = path.is_absolute();
        let path = if absolute {
            path.strip_prefix(root).map_err(|_| FsError::Outside)?
        } else {
            path
        };
        let mut parts = Vec::new();
        for c in path.components() {
            match c {
                Component::Normal(n) => parts.push(n.to_os_string()),
                Component::ParentDir => parts.push(OsString::from("..")),
                Component::CurDir => {}
                Component::RootDir | Component::Prefix(_) => return Err(FsError::Outside),
            }
        }
        for p in parts.into_iter().rev() {
            queue.push_front(p);
        }
        Ok(absolute)
    }
}

#[cfg(not(unix))]
impl DiskFs {
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

    fn open_file(&self, rel: &Path) -> Result<std::fs::File, FsError> {
        let (parent, name) = split(rel).ok_or(FsError::NotFound)?;
        let candidate = self.folder(parent)?.join(name);
        let full = match self.listing(parent).get(name) {
            Some(Entry::File) => candidate,
            Some(Entry::Symlink) => self.inside(&candidate)?,
            _ => return Err(FsError::NotFound),
        };
        let file = std::fs::File::open(&full).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => FsError::NotFound,
            _ => FsError::Io(e.to_string()),
        })?;
        let meta = file.metadata().map_err(|e| FsError::Io(e.to_string()))?;
        if !meta.is_file() {
            return Err(FsError::Io("not a regular file".into()));
        }
        Ok(file)
    }

    fn open_folder(&self, rel: &Path) -> Result<PathBuf, FsError> {
        self.folder(rel)
    }

    fn resolves_to_file(&self, rel: &Path) -> bool {
        self.open_file(rel).is_ok()
    }

    fn real_file(&self, rel: &Path) -> Result<PathBuf, FsError> {
        let (parent, name) = split(rel).ok_or(FsError::NotFound)?;
        let real = self.inside(&self.folder(parent)?.join(name))?;
        real.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .map_err(|_| FsError::Outside)
    }

    fn read_listing(&self, rel: &Path) -> Result<HashMap<OsString, Entry>, FsError> {
        let dir = std::fs::read_dir(self.folder(rel)?).map_err(|e| FsError::Io(e.to_string()))?;
        let mut entries = HashMap::default();
        for e in dir.flatten() {
            let kind = match e.file_type() {
                Ok(t) if t.is_file() => Entry::File,
                Ok(t) if t.is_dir() => Entry::Folder,
                Ok(t) if t.is_symlink() => Entry::Symlink,
                _ => Entry::Other,
            };
            entries.insert(e.file_name(), kind);
        }
        Ok(entries)
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
        let Some((parent, name)) = split(&rel) else {
            return false;
        };
        // A "yes" here only sends the caller to `read`, which opens the file through the confined
        // lookup again.
        match self.listing(parent).get(name) {
            Some(Entry::File) => true,
            Some(Entry::Symlink) => self.resolves_to_file(&rel),
            _ => false,
        }
    }

    fn list_dir(&self, path: &Path) -> Result<DirListing, FsError> {
        let rel = slz_analyzer::analyze::normalize(path).ok_or(FsError::Outside)?;
        // Read from the folder's handle, opened through the confined lookup.
        let listing = self.listing(&rel);
        if let Some(e) = &listing.error {
            return Err(e.clone());
        }
        let entries = listing.entries.iter().filter_map(|(name, entry)| {
            let kind = match entry {
                Entry::File => EntryKind::File,
                Entry::Folder => EntryKind::Folder,
                // Listed as what it leads to, when that is inside the root.
                Entry::Symlink => {
                    let target = rel.join(name);
                    if self.open_folder(&target).is_ok() {
                        EntryKind::Folder
                    } else if self.resolves_to_file(&target) {
                        EntryKind::File
                    } else {
                        return None;
                    }
                }
                Entry::Other => return None,
            };
            Some(DirEntry::new(name.to_string_lossy(), kind))
        });
        Ok(DirListing::new(entries))
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
            // Targets with `..` and absolute targets are resolved under the root, step by step.
            std::os::unix::fs::symlink("../a/x.js", base.join("root/a/up.js")).unwrap();
            std::os::unix::fs::symlink(base.join("root/a/x.js"), base.join("root/a/abs.js"))
                .unwrap();
            std::os::unix::fs::symlink("../../secret.txt", base.join("root/a/esc.txt")).unwrap();
            std::os::unix::fs::symlink("../b/up.js", base.join("root/a/chain.js")).unwrap();
            // Files came after the folder was listed: the language server forgets its listings.
            fs.forget();
            assert_eq!(fs.read(Path::new("a/up.js")).unwrap(), "x");
            assert_eq!(fs.read(Path::new("a/abs.js")).unwrap(), "x");
            assert_eq!(fs.read(Path::new("b/chain.js")).unwrap(), "x");
            assert_eq!(
                fs.real_path(Path::new("b/chain.js")).unwrap(),
                Path::new("a/x.js")
            );
            assert_eq!(fs.read(Path::new("a/esc.txt")), Err(FsError::Outside));
            assert!(fs.is_file(Path::new("a/up.js")));
            assert!(!fs.is_file(Path::new("a/esc.txt")));
        }
        assert_eq!(fs.read(Path::new("a")), Err(FsError::NotFound));
        assert_eq!(fs.read(Path::new("a/none.js")), Err(FsError::NotFound));
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn lists_only_what_is_inside_the_root() {
        let base = std::env::temp_dir().join(format!("slz-iam-fs-list-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(base.join("root/a")).unwrap();
        std::fs::create_dir_all(base.join("outside/Leaked")).unwrap();
        std::fs::write(base.join("root/a/x.js"), "x").unwrap();
        std::fs::write(base.join("root/top.txt"), "t").unwrap();
        std::fs::write(base.join("secret.txt"), "s").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(base.join("secret.txt"), base.join("root/a/link.txt")).unwrap();
            symlink("x.js", base.join("root/a/same.js")).unwrap();
            symlink(base.join("root/a"), base.join("root/b")).unwrap();
            symlink(base.join("outside"), base.join("root/out")).unwrap();
            symlink("missing", base.join("root/dangling")).unwrap();
        }
        let fs = DiskFs::new(&base.join("root")).unwrap();
        let entries = |p: &str| {
            fs.list_dir(Path::new(p)).map(|l| {
                l.entries
                    .into_iter()
                    .map(|e| (e.name, e.kind))
                    .collect::<Vec<_>>()
            })
        };
        let folder = |n: &str| (n.to_string(), EntryKind::Folder);
        let file = |n: &str| (n.to_string(), EntryKind::File);
        #[cfg(unix)]
        {
            // Links out of the root and dangling links are not listed; links inside are listed
            // as what they lead to.
            assert_eq!(
                entries(""),
                Ok(vec![folder("a"), folder("b"), file("top.txt")])
            );
            assert_eq!(entries("a"), Ok(vec![file("same.js"), file("x.js")]));
            assert_eq!(entries("b"), entries("a"));
            assert_eq!(entries("out"), Err(FsError::Outside));
        }
        #[cfg(not(unix))]
        assert_eq!(entries(""), Ok(vec![folder("a"), file("top.txt")]));
        assert_eq!(entries("a/x.js"), Err(FsError::NotFound));
        assert_eq!(entries("none"), Err(FsError::NotFound));
        assert_eq!(entries("../root"), Err(FsError::Outside));
        let _ = std::fs::remove_dir_all(&base);
    }
}

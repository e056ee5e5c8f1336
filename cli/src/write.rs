//! Config writes for `generate --write` and `--format diff`: the plan from [`crate::gate`] (the
//! functions whose code was read whole, their edits, verified over the files on disk), and the
//! write itself: through a symlink to its target inside the project, atomically, never over a file
//! that changed meanwhile.
//!
//! The folder may be hostile and the config may be saved by others while the tool runs: the
//! temporary file has a random name, is created exclusively without following links, mode 0600,
//! synced and removed on any failure; the config is locked (advisory) and compared, by identity
//! and content, just before the rename. A read-only config is refused; so is a config with several
//! hard links, since replacing it would split the links and writing in place could change a file
//! outside the project through a name inside it.

use crate::fs::DiskFs;
use crate::gate::{self, Config, Plan};
use crate::project::Loaded;
use std::path::{Path, PathBuf};

/// The edited config for the functions whose analysis is complete, verified by [`gate`] over the
/// files on disk; Err with the reason (one line) when the edited text fails the gate, and nothing
/// may be written or shown.
pub fn plan(loaded: &Loaded) -> Result<Plan, String> {
    let fs = DiskFs::new(&loaded.root).map_err(|e| e.to_string())?;
    gate::write_all(&Config {
        root: &loaded.root,
        project: &loaded.project,
        source: &loaded.source,
        report: &loaded.report,
        fs: &fs,
    })
}

/// Writes `new` over the config at `path` (read as `old`), through a symlink to its target when
/// the target is inside `root`; a link leading out of it is refused and stays as it is. Returns
/// the file written.
pub fn write_through(root: &Path, path: &Path, old: &str, new: &str) -> Result<PathBuf, String> {
    let real = path
        .canonicalize()
        .map_err(|e| format!("cannot resolve {}: {e}", path.display()))?;
    let root_real = root
        .canonicalize()
        .map_err(|e| format!("cannot resolve {}: {e}", root.display()))?;
    if !real.starts_with(&root_real) {
        return Err(format!(
            "{} leads to {}, outside the project folder {}; not written",
            path.display(),
            real.display(),
            root.display()
        ));
    }
    if !real.is_file() {
        return Err(format!(
            "{} is not a regular file; not written",
            path.display()
        ));
    }
    write_atomically(&real, old, new)?;
    Ok(real)
}

/// Whether `path` itself is a symlink (the config written through it is named in the message).
pub fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// How long a write waits for another writer's lock on the config before giving up.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Attempts at a fresh temporary name before giving up (each name is random: a collision means
/// something keeps planting files at them).
const TEMP_ATTEMPTS: usize = 16;

/// Writes `new` over `path` (no symlink) through a new temporary file in the same folder and a
/// rename, keeping the file's permissions, unless the file changed on disk since it was read as
/// `old`.
fn write_atomically(path: &Path, old: &str, new: &str) -> Result<(), String> {
    write_atomically_with(path, old, new, &mut random_name, &mut || {})
}

/// [`write_atomically`] with the source of temporary names and a step run just before the final
/// comparison (tests race a modification there).
///
/// The config is opened for writing (a file the user may not write, or whose mode allows no
/// writing, is refused), locked (advisory, exclusive, so two runs of the tool take turns), must
/// still be the file at `path` and have one link. The new text goes to a temporary file created
/// with a random name, exclusively and without following a link at that name, readable by the
/// user only until the config's mode is applied, and synced to disk. Under the lock, the config's
/// content must still be `old`; then the temporary file is renamed over it and the folder is
/// synced. On any failure the temporary file is removed.
fn write_atomically_with(
    path: &Path,
    old: &str,
    new: &str,
    pick: &mut dyn FnMut() -> String,
    before_compare: &mut dyn FnMut(),
) -> Result<(), String> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let config = open_config(path)?;
    let meta = config
        .metadata()
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if read_only_mode(&meta) {
        return Err(format!(
            "{} is read-only (its mode does not let its owner write it); not written",
            path.display()
        ));
    }
    lock(&config, path)?;
    same_file(path, &meta)?;
    single_link(path, &meta)?;
    remove_stale_temps(dir, &name);

    let (mut tmp, tmp_path) = create_temp(dir, &name, pick)?;
    let guard = RemoveOnDrop(Some(tmp_path.clone()));
    tmp.write_all(new.as_bytes())
        .and_then(|()| tmp.set_permissions(meta.permissions()))
        .and_then(|()| tmp.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", tmp_path.display()))?;
    drop(tmp);

    before_compare();
    // Immediately before the rename, under the lock: the file at `path` is still the one locked,
    // and holds what was read.
    same_file(path, &meta)?;
    let now =
        read_all(&config).map_err(|e| format!("cannot read {} again: {e}", path.display()))?;
    if now != old.as_bytes() {
        return Err(format!(
            "{} changed on disk while slz-iam ran (saved by an editor or another run); not written, run again",
            path.display()
        ));
    }
    std::fs::rename(&tmp_path, path)
        .map_err(|e| format!("cannot replace {}: {e}", path.display()))?;
    guard.disarm();
    // The rename is durable once the folder is synced; not every system can open a folder.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    drop(config);
    Ok(())
}

/// The config, opened for reading and writing without following a link at its name (the caller
/// resolved links already; one planted since is refused).
fn open_config(path: &Path) -> Result<std::fs::File, String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::PermissionDenied => format!(
            "{} is read-only (you may not write it); not written",
            path.display()
        ),
        _ => format!("cannot open {} for writing: {e}", path.display()),
    })
}

/// Whether the file's mode marks it read-only: no write permission for its owner (whoever runs the
/// tool, even a user whose privileges would let the write through).
fn read_only_mode(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o200 == 0
    }
    #[cfg(not(unix))]
    {
        meta.permissions().readonly()
    }
}

/// Takes the advisory lock on the config, waiting up to [`LOCK_WAIT`] for another writer.
fn lock(config: &std::fs::File, path: &Path) -> Result<(), String> {
    let deadline = std::time::Instant::now() + LOCK_WAIT;
    loop {
        match config.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(format!(
                    "{} is locked by another writer; not written",
                    path.display()
                ))
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(format!("cannot lock {}: {e}", path.display()))
            }
        }
    }
}

/// The file at `path` is still the one opened as `meta` (not replaced since, nor a link now).
fn same_file(path: &Path, meta: &std::fs::Metadata) -> Result<(), String> {
    let now = std::fs::symlink_metadata(path).map_err(|e| {
        format!(
            "{} changed on disk while slz-iam ran ({e}); not written",
            path.display()
        )
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if now.file_type().is_file() && now.dev() == meta.dev() && now.ino() == meta.ino() {
            return Ok(());
        }
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        if now.file_type().is_file() {
            return Ok(());
        }
    }
    Err(format!(
        "{} was replaced on disk while slz-iam ran; not written, run again",
        path.display()
    ))
}

/// A config with several hard links is refused: replacing it would leave the other names on the
/// old text, and writing in place could change a file that only looks like it is in the project.
fn single_link(path: &Path, meta: &std::fs::Metadata) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(format!(
                "{} has {} hard links; writing it would either split them or change a file elsewhere through them; not written (copy it to a file of its own, or use --format diff)",
                path.display(),
                meta.nlink()
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, meta);
    Ok(())
}

/// The whole content of `file`, from its start.
fn read_all(mut file: &std::fs::File) -> std::io::Result<Vec<u8>> {
    use std::io::{Read, Seek};
    file.seek(std::io::SeekFrom::Start(0))?;
    let mut out = Vec::new();
    file.read_to_end(&mut out)?;
    Ok(out)
}

/// A new temporary file next to the config: a name from `pick`, created only if nothing (not even
/// a dangling link) sits at that name, never through a link, mode 0600.
fn create_temp(
    dir: &Path,
    name: &str,
    pick: &mut dyn FnMut() -> String,
) -> Result<(std::fs::File, PathBuf), String> {
    let mut last = None;
    for _ in 0..TEMP_ATTEMPTS {
        let tmp = dir.join(format!(
            ".{name}.slz-iam-{}-{}.tmp",
            std::process::id(),
            pick()
        ));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
        }
        match options.open(&tmp) {
            Ok(f) => return Ok((f, tmp)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some((tmp, e)),
            Err(e) => return Err(format!("cannot write {}: {e}", tmp.display())),
        }
    }
    Err(match last {
        Some((tmp, e)) => format!(
            "cannot write a temporary file next to the config ({}: {e}); not written",
            tmp.display()
        ),
        None => "cannot write a temporary file next to the config; not written".to_string(),
    })
}

/// Most folder entries looked at for stale temporary files.
const MAX_STALE_SCAN: usize = 10_000;

/// Removes the temporary files of earlier writes to the config `name` whose process no longer
/// exists (killed between creating its temporary file and the rename, which no cleanup of its own
/// survives): regular files named as [`create_temp`] names them, with a random part and the id of
/// a dead process. Run under the config's lock, so no live writer of this config owns one; a link
/// at such a name, a live or reused process id, or anything else is left alone.
#[cfg(unix)]
fn remove_stale_temps(dir: &Path, name: &str) {
    let prefix = format!(".{name}.slz-iam-");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten().take(MAX_STALE_SCAN) {
        let file_name = entry.file_name();
        let Some(rest) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|r| r.strip_suffix(".tmp"))
        else {
            continue;
        };
        let Some((pid, random)) = rest.split_once('-') else {
            continue;
        };
        let Ok(pid) = pid.parse::<libc::pid_t>() else {
            continue;
        };
        let random_part = random.len() == 32 && random.bytes().all(|b| b.is_ascii_hexdigit());
        if !random_part || pid <= 0 || u32::try_from(pid).ok() == Some(std::process::id()) {
            continue;
        }
        // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
        let gone = unsafe { libc::kill(pid, 0) } != 0
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
        let regular =
            std::fs::symlink_metadata(entry.path()).is_ok_and(|m| m.file_type().is_file());
        if gone && regular {
            // Unlinks the name only: were it swapped for a link meanwhile, the link goes, never
            // what it points to.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(not(unix))]
fn remove_stale_temps(_dir: &Path, _name: &str) {}

/// A random name part: 128 bits from the standard library's randomly seeded hasher, mixed with the
/// process id, the time and a counter, as hex.
fn random_name() -> String {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let part = || {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        h.write_u128(nanos);
        h.write_u64(count);
        h.finish()
    };
    format!("{:016x}{:016x}", part(), part())
}

/// Removes the temporary file when a write stops before its rename.
struct RemoveOnDrop(Option<PathBuf>);

impl RemoveOnDrop {
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("slz-iam-write-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("root/conf")).unwrap();
        dir
    }

    #[test]
    fn refuses_a_file_that_changed_meanwhile() {
        let dir = scratch("changed");
        let file = dir.join("root/serverless.yml");
        std::fs::write(&file, "a: 2\n").unwrap();
        let err = write_through(&dir.join("root"), &file, "a: 1\n", "a: 3\n").unwrap_err();
        assert!(err.contains("changed on disk"), "{err}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "a: 2\n");
        let left: Vec<_> = std::fs::read_dir(dir.join("root")).unwrap().collect();
        assert_eq!(left.len(), 2, "no temporary file is left behind");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The entries of `dir`, sorted.
    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_modification_saved_just_before_the_rename_is_kept() {
        let dir = scratch("race");
        let file = dir.join("root/serverless.yml");
        std::fs::write(&file, "a: 1\n").unwrap();
        let err = write_atomically_with(&file, "a: 1\n", "a: 3\n", &mut random_name, &mut || {
            std::fs::write(&file, "a: 2 # saved by the user\n").unwrap()
        })
        .unwrap_err();
        assert!(err.contains("changed on disk"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "a: 2 # saved by the user\n"
        );
        assert_eq!(entries(&dir.join("root")), ["conf", "serverless.yml"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_replaced_just_before_the_rename_is_kept() {
        let dir = scratch("replaced");
        let file = dir.join("root/serverless.yml");
        std::fs::write(&file, "a: 1\n").unwrap();
        // Same text, new file (an editor's own atomic save): still not the file that was locked.
        let err = write_atomically_with(&file, "a: 1\n", "a: 3\n", &mut random_name, &mut || {
            std::fs::write(dir.join("root/other"), "a: 1\n").unwrap();
            std::fs::rename(dir.join("root/other"), &file).unwrap();
        })
        .unwrap_err();
        assert!(err.contains("replaced on disk"), "{err}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "a: 1\n");
        assert_eq!(entries(&dir.join("root")), ["conf", "serverless.yml"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn temporary_names_are_not_predictable() {
        let names: std::collections::BTreeSet<String> = (0..64).map(|_| random_name()).collect();
        assert_eq!(names.len(), 64);
        assert!(names.iter().all(|n| n.len() == 32));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_temporary_name_is_never_followed() {
        let dir = scratch("tmplink");
        let root = dir.join("root");
        let file = root.join("serverless.yml");
        std::fs::write(&file, "a: 1\n").unwrap();
        std::fs::write(dir.join("victim"), "keep\n").unwrap();
        // Both a link to an existing file and a dangling one sit at names the writer picks first.
        std::os::unix::fs::symlink(
            dir.join("victim"),
            root.join(format!(
                ".serverless.yml.slz-iam-{}-x.tmp",
                std::process::id()
            )),
        )
        .unwrap();
        std::os::unix::fs::symlink(
            dir.join("absent"),
            root.join(format!(
                ".serverless.yml.slz-iam-{}-y.tmp",
                std::process::id()
            )),
        )
        .unwrap();
        let mut names = ["x".to_string(), "y".to_string()].into_iter();
        let mut pick = || names.next().unwrap_or_else(random_name);
        write_atomically_with(&file, "a: 1\n", "a: 2\n", &mut pick, &mut || {}).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "a: 2\n");
        assert_eq!(
            std::fs::read_to_string(dir.join("victim")).unwrap(),
            "keep\n"
        );
        assert!(
            !dir.join("absent").exists(),
            "the dangling link was not followed"
        );
        for l in ["x", "y"] {
            let l = format!(".serverless.yml.slz-iam-{}-{l}.tmp", std::process::id());
            let m = std::fs::symlink_metadata(root.join(&l)).unwrap();
            assert!(m.file_type().is_symlink(), "{l} is left as it was");
        }
        assert_eq!(entries(&root).len(), 4);

        // A name that is always taken: the write gives up and changes nothing.
        let mut taken = || "x".to_string();
        let err =
            write_atomically_with(&file, "a: 2\n", "a: 3\n", &mut taken, &mut || {}).unwrap_err();
        assert!(err.contains("temporary file"), "{err}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "a: 2\n");
        assert_eq!(
            std::fs::read_to_string(dir.join("victim")).unwrap(),
            "keep\n"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn read_only_and_hard_linked_configs_are_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("modes");
        let root = dir.join("root");
        let file = root.join("serverless.yml");
        std::fs::write(&file, "a: 1\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
        let err = write_through(&root, &file, "a: 1\n", "a: 2\n").unwrap_err();
        assert!(err.contains("read-only"), "{err}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "a: 1\n");
        assert_eq!(entries(&root), ["conf", "serverless.yml"]);

        // The owner may not write it, though the group may: still read-only.
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o464)).unwrap();
        let err = write_through(&root, &file, "a: 1\n", "a: 2\n").unwrap_err();
        assert!(err.contains("read-only"), "{err}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "a: 1\n");

        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::hard_link(&file, root.join("conf/other.yml")).unwrap();
        let err = write_through(&root, &file, "a: 1\n", "a: 2\n").unwrap_err();
        assert!(err.contains("2 hard links"), "{err}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "a: 1\n");
        assert_eq!(entries(&root), ["conf", "serverless.yml"]);

        std::fs::remove_file(root.join("conf/other.yml")).unwrap();
        write_through(&root, &file, "a: 1\n", "a: 2\n").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "a: 2\n");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_a_link_inside_and_refuses_one_leading_out() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("links");
        let root = dir.join("root");
        std::fs::write(root.join("conf/real.yml"), "a: 1\n").unwrap();
        std::fs::set_permissions(
            root.join("conf/real.yml"),
            std::fs::Permissions::from_mode(0o640),
        )
        .unwrap();
        std::os::unix::fs::symlink("conf/real.yml", root.join("serverless.yml")).unwrap();
        let written = write_through(&root, &root.join("serverless.yml"), "a: 1\n", "a: 2\n");
        assert_eq!(
            written.unwrap(),
            root.join("conf/real.yml").canonicalize().unwrap()
        );
        let link = std::fs::symlink_metadata(root.join("serverless.yml")).unwrap();
        assert!(link.file_type().is_symlink(), "the link is kept");
        assert_eq!(
            std::fs::read_to_string(root.join("conf/real.yml")).unwrap(),
            "a: 2\n"
        );
        let mode = std::fs::metadata(root.join("conf/real.yml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);

        std::fs::write(dir.join("outside.yml"), "a: 1\n").unwrap();
        std::os::unix::fs::symlink("../outside.yml", root.join("template.yaml")).unwrap();
        let err =
            write_through(&root, &root.join("template.yaml"), "a: 1\n", "a: 2\n").unwrap_err();
        assert!(err.contains("outside the project folder"), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.join("outside.yml")).unwrap(),
            "a: 1\n"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

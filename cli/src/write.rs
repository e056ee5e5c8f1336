//! Config writes for `generate --write` and `--format diff`: the plan from [`crate::gate`] (the
//! functions whose code was read whole, their edits, verified over the files on disk), and the
//! write itself: through a symlink to its target inside the project, atomically, never over a file
//! that changed meanwhile.

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

/// Writes `new` over `path` (no symlink) through a new temporary file in the same folder and a
/// rename, keeping the file's permissions, unless the file changed on disk since it was read as
/// `old`.
fn write_atomically(path: &Path, old: &str, new: &str) -> Result<(), String> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.slz-iam-{}.tmp", std::process::id()));
    // A new file only: never through whatever already sits at that name.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| {
            f.write_all(new.as_bytes())?;
            f.sync_all()
        });
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::AlreadyExists {
            let _ = std::fs::remove_file(&tmp);
        }
        return Err(format!("cannot write {}: {e}", tmp.display()));
    }
    let now = std::fs::read(path).unwrap_or_default();
    if now != old.as_bytes() {
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

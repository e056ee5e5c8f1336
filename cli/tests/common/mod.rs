//! What the integration tests share: running the binary, the bundled fixtures and scratch copies
//! of them, so a test that writes never touches `test-fixtures/`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Runs the binary with `args` to the end: its exit status (-1 when killed), stdout and stderr.
pub fn slz<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_slz-iam"))
        .args(args)
        .output()
        .expect("run slz-iam");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The folders directly in `dir`, sorted.
pub fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// A folder under `test-fixtures/`.
pub fn fixture_dir(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../test-fixtures")
        .join(rel)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A fresh copy of `from` in the temporary folder, named after `tag` and this process; removed
/// when the returned guard drops.
pub fn scratch_copy(from: &Path, tag: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("slz-iam-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(from, &dir);
    Scratch(dir)
}

/// An empty scratch folder.
pub fn scratch_empty(tag: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("slz-iam-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

pub struct Scratch(pub PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

//! The IO boundary holds: no source file of the tool touches the file system directly except the
//! confined reader and the atomic writer. Everything else reads through `SourceFs`, so the
//! language server's unsaved buffers and the project-root confinement apply to every read. A new
//! direct access fails here; route it through `SourceFs` (or, for a new kind of IO, extend the
//! allow-list with the reason).

use std::path::{Path, PathBuf};

/// Files allowed to use the file system directly, relative to the repository root, and why.
const ALLOWED: &[(&str, &str)] = &[
    (
        "cli/src/fs.rs",
        "DiskFs: the confined reader every other read goes through",
    ),
    (
        "cli/src/write.rs",
        "the atomic config writer (--write), behind the write gate",
    ),
    (
        "analyzer/catalog/src/tests.rs",
        "a unit test reading the repository's own rules/generate.py, not project input",
    ),
];

/// What direct file system access looks like in source.
const PATTERNS: &[&str] = &[
    "std::fs",
    "fs::read",
    "fs::write",
    "File::",
    "OpenOptions",
    "read_dir(",
    "symlink_metadata",
];

/// Folders that hold no source of the tool, wherever they are.
const SKIPPED: &[&str] = &[".git", "target", "node_modules"];

/// Top-level folders that hold no source of the workspace (`fuzz/` is the libFuzzer workspace
/// around `analyzer/fuzz/`, which is scanned).
const SKIPPED_AT_ROOT: &[&str] = &["fuzz", "editors", "rules", "test-fixtures"];

/// Every `.rs` file under a `src` folder of the repository.
fn sources(dir: &Path, top: bool, in_src: bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            let skipped = SKIPPED.contains(&name.as_str())
                || (top && SKIPPED_AT_ROOT.contains(&name.as_str()));
            if !skipped {
                sources(&path, false, in_src || name == "src", out);
            }
        } else if in_src && name.ends_with(".rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_the_confined_reader_and_the_writer_touch_the_disk() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    sources(&root, true, false, &mut files);
    files.sort();
    assert!(files.len() >= 50, "only {} source files found", files.len());
    for (allowed, _) in ALLOWED {
        assert!(
            root.join(allowed).is_file(),
            "the allow-list names {allowed}, which does not exist"
        );
    }
    let mut offenders = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if ALLOWED.iter().any(|(a, _)| *a == rel) {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in text.lines().enumerate() {
            if let Some(p) = PATTERNS.iter().find(|p| line.contains(*p)) {
                offenders.push(format!("{rel}:{}: `{p}`: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "direct file system access outside the IO boundary (read through SourceFs instead):\n{}",
        offenders.join("\n")
    );
}

//! `generate --write` against a hostile or busy folder: links planted at temporary names, a
//! read-only or hard-linked config, a write that fails half way, two runs at once. Each test builds
//! its situation itself in a scratch copy of a write fixture.

mod common;

use std::path::Path;
use std::process::{Command, Output};

const CASE: &str = "writes/serverless-basic";

fn write_cmd(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_slz-iam"));
    c.arg("generate").arg(dir).arg("--write");
    c
}

fn status(out: &Output) -> (i32, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A scratch copy of the case, its config's text before and after a write.
fn project(tag: &str) -> (common::Scratch, String, String) {
    let dir = common::scratch_copy(&common::fixture_dir(CASE), tag);
    let expected = std::fs::read_to_string(dir.join("expected.yml")).unwrap();
    std::fs::remove_file(dir.join("expected.yml")).unwrap();
    let original = std::fs::read_to_string(dir.join("serverless.yml")).unwrap();
    assert_ne!(original, expected);
    (dir, original, expected)
}

/// The names in `dir`, sorted.
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
fn a_write_leaves_no_temporary_file() {
    let (dir, _, expected) = project("ws-clean");
    let before = entries(&dir);
    let (code, err) = status(&write_cmd(&dir).output().unwrap());
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("serverless.yml")).unwrap(),
        expected
    );
    assert_eq!(entries(&dir), before);
}

#[cfg(unix)]
#[test]
fn links_planted_at_temporary_names_are_never_followed() {
    let (dir, _, expected) = project("ws-planted");
    let outside = common::scratch_empty("ws-planted-outside");
    let victim = outside.join("victim");
    std::fs::write(&victim, "precious\n").unwrap();
    // Every name an older scheme (process id) or a usual editor convention would give, for the
    // process ids the run is likely to get, plus dangling links.
    let own = std::process::id();
    let mut planted = vec![
        ".serverless.yml.tmp".to_string(),
        "serverless.yml.tmp".to_string(),
        "serverless.yml~".to_string(),
        ".serverless.yml.slz-iam-.tmp".to_string(),
    ];
    planted.extend((own..own + 2048).map(|pid| format!(".serverless.yml.slz-iam-{pid}.tmp")));
    for (i, name) in planted.iter().enumerate() {
        let target = if i % 2 == 0 {
            victim.clone()
        } else {
            outside.join(format!("absent-{i}"))
        };
        std::os::unix::fs::symlink(&target, dir.join(name)).unwrap();
    }
    let before = entries(&dir);
    let (code, err) = status(&write_cmd(&dir).output().unwrap());
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("serverless.yml")).unwrap(),
        expected
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert_eq!(
        entries(&outside),
        ["victim"],
        "no dangling link was followed"
    );
    assert_eq!(
        entries(&dir),
        before,
        "no temporary file left, every link kept"
    );
    for name in &planted {
        let m = std::fs::symlink_metadata(dir.join(name)).unwrap();
        assert!(
            m.file_type().is_symlink(),
            "{name} is still the link planted"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_config_is_refused_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, original, _) = project("ws-readonly");
    let config = dir.join("serverless.yml");
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = entries(&dir);
    let (code, err) = status(&write_cmd(&dir).output().unwrap());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("read-only") && err.contains("not written"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&config).unwrap(), original);
    let mode = std::fs::metadata(&config).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o444, "the file is the same, mode included");
    assert_eq!(entries(&dir), before);
}

#[cfg(unix)]
#[test]
fn a_hard_linked_config_is_refused_and_every_link_kept() {
    use std::os::unix::fs::MetadataExt;
    let (dir, original, _) = project("ws-hardlink");
    let outside = common::scratch_empty("ws-hardlink-outside");
    let config = dir.join("serverless.yml");
    // A name outside the project for the same file: writing in place would change it there.
    std::fs::hard_link(&config, outside.join("elsewhere.yml")).unwrap();
    let before = entries(&dir);
    let (code, err) = status(&write_cmd(&dir).output().unwrap());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("2 hard links") && err.contains("not written"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&config).unwrap(), original);
    assert_eq!(
        std::fs::read_to_string(outside.join("elsewhere.yml")).unwrap(),
        original
    );
    assert_eq!(
        std::fs::metadata(&config).unwrap().nlink(),
        2,
        "still linked"
    );
    assert_eq!(entries(&dir), before);

    // Once the other name is gone, the write goes through.
    std::fs::remove_file(outside.join("elsewhere.yml")).unwrap();
    let (code, err) = status(&write_cmd(&dir).output().unwrap());
    assert_eq!(code, 0, "{err}");
}

/// A write that fails half way (here: a file size limit, as a full disk would) leaves the config
/// as it was and no temporary file.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_leaves_nothing_behind() {
    use std::os::unix::process::CommandExt;
    let (dir, original, _) = project("ws-full");
    let before = entries(&dir);
    let mut cmd = write_cmd(&dir);
    // SAFETY: between fork and exec, only async-signal-safe calls (signal, setrlimit).
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 64,
                rlim_max: 64,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let (code, err) = status(&cmd.output().unwrap());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot write"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("serverless.yml")).unwrap(),
        original
    );
    assert_eq!(entries(&dir), before, "no temporary file left");
}

/// Two runs at once, many times over, while a reader watches the config: it is only ever the
/// original or the written text (never empty, never half), one run writes, and the other either
/// finds nothing left to do or refuses, saying why.
#[test]
fn concurrent_writes_never_leave_an_empty_or_half_config() {
    for round in 0..8 {
        let (dir, original, expected) = project(&format!("ws-race-{round}"));
        let before = entries(&dir);
        let config = dir.join("serverless.yml");
        let done = std::sync::atomic::AtomicBool::new(false);
        let outs = std::thread::scope(|s| {
            let watcher = s.spawn(|| {
                let mut seen = 0usize;
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let now = std::fs::read_to_string(&config).unwrap();
                    assert!(
                        now == original || now == expected,
                        "round {round}: the config was seen as {now:?}"
                    );
                    seen += 1;
                }
                seen
            });
            let spawn = || {
                write_cmd(&dir)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            };
            let (a, b) = (spawn(), spawn());
            let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
            done.store(true, std::sync::atomic::Ordering::Relaxed);
            assert!(watcher.join().unwrap() > 0);
            outs
        });
        assert_eq!(std::fs::read_to_string(&config).unwrap(), expected);
        for out in &outs {
            let (code, err) = status(out);
            assert!(
                code == 0
                    || (code == 2
                        && (err.contains("changed on disk") || err.contains("replaced on disk"))),
                "round {round}: exit {code}: {err}"
            );
        }
        assert!(outs.iter().any(|o| o.status.code() == Some(0)));
        assert_eq!(
            entries(&dir),
            before,
            "round {round}: no temporary file left"
        );
    }
}

/// Whether process `pid` holds `file` open for reading and writing (Linux's `/proc`).
#[cfg(target_os = "linux")]
fn holds_for_writing(pid: u32, file: &Path) -> bool {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.flatten().any(|fd| {
        let target = std::fs::read_link(fd.path()).ok();
        let info = std::fs::read_to_string(format!(
            "/proc/{pid}/fdinfo/{}",
            fd.file_name().to_string_lossy()
        ))
        .unwrap_or_default();
        let flags = info
            .lines()
            .find_map(|l| l.strip_prefix("flags:"))
            .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
            .unwrap_or(0);
        target.as_deref() == Some(file) && flags & 0o3 == 0o2
    })
}

/// An edit saved while a run waits for the config's lock (another program holds it) is found
/// under the lock: the run refuses, says why, and the edit stays.
#[cfg(target_os = "linux")]
#[test]
fn an_edit_saved_during_a_run_is_not_overwritten() {
    use std::io::{Seek, Write};
    let (dir, original, _) = project("ws-edit");
    let before = entries(&dir);
    let config = dir.join("serverless.yml").canonicalize().unwrap();
    let mut held = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&config)
        .unwrap();
    held.lock().unwrap();
    let mut child = write_cmd(&dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The run has read the config and opened it to write: it now waits for the lock.
    let start = std::time::Instant::now();
    while !holds_for_writing(child.id(), &config) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it opened the config to write"
        );
        assert!(start.elapsed() < std::time::Duration::from_secs(60));
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let edited = format!("{original}# saved by the user\n");
    held.set_len(0).unwrap();
    held.rewind().unwrap();
    held.write_all(edited.as_bytes()).unwrap();
    held.unlock().unwrap();
    drop(held);
    let (code, err) = status(&child.wait_with_output().unwrap());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("changed on disk"), "{err}");
    assert_eq!(std::fs::read_to_string(&config).unwrap(), edited);
    assert_eq!(entries(&dir), before, "no temporary file left");
}

#[cfg(unix)]
#[test]
fn temporary_files_of_killed_writes_are_removed_and_nothing_else() {
    let (dir, _, expected) = project("ws-stale");
    // A process that has exited: its id names no process (unless reused, which only keeps the
    // file).
    let mut child = Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let random = "0123456789abcdef0123456789abcdef";
    let stale = format!(".serverless.yml.slz-iam-{dead}-{random}.tmp");
    std::fs::write(dir.join(&stale), "half a config\n").unwrap();
    // Kept: a live process's file, a link at a stale name, another config's, a name not ours.
    let live = format!(
        ".serverless.yml.slz-iam-{}-{random}.tmp",
        std::process::id()
    );
    std::fs::write(dir.join(&live), "in progress\n").unwrap();
    let linked = format!(".serverless.yml.slz-iam-{dead}-{}.tmp", "f".repeat(32));
    std::os::unix::fs::symlink(dir.join("serverless.yml"), dir.join(&linked)).unwrap();
    let other = format!(".template.yaml.slz-iam-{dead}-{random}.tmp");
    std::fs::write(dir.join(&other), "x\n").unwrap();
    let (code, err) = status(&write_cmd(&dir).output().unwrap());
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("serverless.yml")).unwrap(),
        expected
    );
    let left = entries(&dir);
    let has = |n: &str| left.iter().any(|e| e == n);
    assert!(!has(&stale), "the killed write's file is removed: {left:?}");
    assert!(has(&live) && has(&linked) && has(&other), "{left:?}");
}

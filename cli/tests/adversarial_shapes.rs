//! Shapes of input that once cost quadratic or exponential time, run through the binary under a
//! hang guard far above what they need now.

#[path = "../benches/common/adversarial_code.rs"]
mod adversarial_code;
mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs the binary on `dir` with `args`, failing if it has not finished within the guard.
fn run_guarded(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_slz-iam"))
        .args(args)
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("slz-iam {args:?} did not finish");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    (status.code(), reader.join().unwrap())
}

#[test]
fn many_findings_in_one_config_show_each_source_line() {
    let dir = common::scratch_empty("adv-findings");
    adversarial_code::many_functions_with_findings_n(&dir, 4_000);
    let (code, out) = run_guarded(&dir, &["check"]);
    assert_eq!(code, Some(1), "{}", &out[..out.len().min(2000)]);
    // Every finding points at its function in the config and shows that line.
    let shown = out.lines().filter(|l| l.starts_with("    | ")).count();
    let findings = out
        .lines()
        .filter(|l| l.contains(": error[") || l.contains(": warning["))
        .count();
    assert!(findings >= 4_000, "{findings}");
    assert_eq!(shown, findings);

    let (_, diff) = run_guarded(&dir, &["generate", "--format", "diff"]);
    let added = diff
        .lines()
        .filter(|l| l.starts_with('+') && l.contains("dynamodb:GetItem"))
        .count();
    assert!(added >= 4_000, "{added}");
}

#[test]
fn helpers_calling_helpers_40_levels_deep() {
    let dir = common::scratch_empty("adv-nested");
    adversarial_code::nested_helpers(&dir);
    let (code, out) = run_guarded(&dir, &["generate", "--format", "json"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("s3:GetObject"), "{out}");
}

#[test]
fn thousands_of_uncalled_functions_in_one_file() {
    let dir = common::scratch_empty("adv-uncalled");
    adversarial_code::uncalled_functions_n(&dir, 8_000);
    let (code, out) = run_guarded(&dir, &["generate", "--format", "json"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("\"uncalled\""), "{out}");
}

#[test]
fn a_minified_bundle() {
    let dir = common::scratch_empty("adv-bundle");
    adversarial_code::minified_bundle_of(&dir, 256 << 10);
    let (code, out) = run_guarded(&dir, &["generate", "--format", "json"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("dynamodb:GetItem"), "{out}");
}

//! Time and peak memory of the binary on hostile input, one shape at a time.
//!
//! `cargo bench -p slz-iam --bench adversarial [-- NAME...]` writes each shape of
//! `common/hostile.rs` (hostile configs) and `common/adversarial_code.rs` (hostile code and very
//! many functions), or those named, into a temporary folder, runs `slz-iam generate --format
//! json` on it with 2 analysis threads (for the many-functions shapes also `--format diff` and
//! `check`, whose output must stay linear too), and prints wall time, peak RSS and exit status. A run
//! still going after `SLZ_BENCH_LIMIT` seconds (120 by default) is killed and shown as such.
//! `SLZ_BENCH_BIN=<path>` measures another build of the binary (an older one, to compare).

#[path = "common/adversarial_code.rs"]
mod adversarial_code;
#[path = "common/hostile.rs"]
mod hostile;

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Wall time, peak RSS (KiB), exit status (None when killed) of one run.
#[allow(clippy::zombie_processes)]
fn measure(mut cmd: Command, limit: Duration) -> (Duration, u64, Option<i32>) {
    let started = Instant::now();
    let child = cmd
        .env("RAYON_NUM_THREADS", "2")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = i32::try_from(child.id()).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let killed = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let (done, killed) = (done.clone(), killed.clone());
        std::thread::spawn(move || {
            while started.elapsed() < limit {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if !done.load(Ordering::SeqCst) {
                killed.store(true, Ordering::SeqCst);
                // SAFETY: signals our own child, not yet reaped (the main thread reaps it).
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        })
    };
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in for the child just spawned.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; the pointers are valid for the call.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    done.store(true, Ordering::SeqCst);
    let elapsed = started.elapsed();
    watchdog.join().unwrap();
    assert_eq!(r, pid, "wait4 failed");
    let code = if killed.load(Ordering::SeqCst) || !libc::WIFEXITED(status) {
        None
    } else {
        Some(libc::WEXITSTATUS(status))
    };
    (elapsed, u64::try_from(usage.ru_maxrss).unwrap_or(0), code)
}

fn main() {
    let names: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let limit = Duration::from_secs(
        std::env::var("SLZ_BENCH_LIMIT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(120),
    );
    let bin = std::env::var("SLZ_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_slz-iam").to_string());
    let root = std::env::temp_dir().join(format!("slz-iam-adversarial-{}", std::process::id()));
    println!(
        "{:<36} {:>10} {:>12} {:>6}",
        "shape", "time", "peak RSS", "exit"
    );
    let shapes = hostile::SHAPES
        .iter()
        .copied()
        .chain(adversarial_code::shapes());
    for (name, generate) in shapes {
        if !names.is_empty() && !names.iter().any(|n| n == name) {
            continue;
        }
        let dir = root.join(name);
        generate(&dir);
        let mut runs: Vec<(String, Vec<&str>)> =
            vec![(name.to_string(), vec!["generate", "--format", "json"])];
        if name.starts_with("many-functions") {
            runs.push((format!("{name} diff"), vec!["generate", "--format", "diff"]));
            runs.push((format!("{name} check"), vec!["check"]));
        }
        for (label, args) in runs {
            let mut cmd = Command::new(&bin);
            cmd.arg(args[0]).arg(&dir).args(&args[1..]);
            let (time, peak, code) = measure(cmd, limit);
            let exit = code.map_or_else(|| "killed".to_string(), |c| c.to_string());
            println!(
                "{label:<36} {:>9.3}s {:>9.1} MiB {exit:>6}",
                time.as_secs_f64(),
                peak as f64 / 1024.0
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    let _ = std::fs::remove_dir_all(&root);
}

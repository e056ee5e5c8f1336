//! Speed and memory of the whole pipeline against the unavoidable cost, parsing, on generated
//! projects of 10, 1,000 and 10,000 functions (or the sizes given), and the editor path.
//!
//! `cargo bench -p slz-iam --bench pipeline [-- SIZE...]` measures, per size: wall time and peak
//! memory (RSS) of `slz-iam generate --format json` and `slz-iam check` run as a user runs them,
//! with 1 and 2 threads; parse-only time (every file the run reads, read and parsed, with the
//! same thread counts, in a fresh process of this benchmark); their ratio; files/s and MB/s; and one-file re-analysis as the
//! language server does it. Start-up is timed on a one-function project. The figures are written
//! to BENCHMARKS.md at the repository root, with the machine and the date. With
//! `SLZ_BENCH_KEEP=<folder>` the generated projects are kept there (to profile a run). When
//! `iam-policy-autopilot` is installed, its `extract-sdk-calls` is timed on the same files.

#[path = "common/gen.rs"]
mod gen;

/// The binary's allocator, so that parse-only is measured under the same conditions.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use rayon::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Wall time and peak RSS (KiB) of one run of the binary.
fn run(args: &[&str], threads: usize) -> (Duration, u64) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slz-iam"));
    cmd.args(args);
    measure(cmd, threads)
}

/// Parse-only in a fresh process, like `generate`: this benchmark's own executable, told by
/// `PARSE_ONLY_ENV` which files to read and parse.
fn run_parse_only(list: &Path, threads: usize) -> (Duration, u64) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.env(PARSE_ONLY_ENV, list);
    measure(cmd, threads)
}

/// Wall time and peak RSS (KiB) of one run of `cmd` with `threads` analysis threads. The child is
/// reaped by `wait4`, which also reports its peak memory; `Child::wait` would not.
#[allow(clippy::zombie_processes)]
fn measure(mut cmd: Command, threads: usize) -> (Duration, u64) {
    let started = Instant::now();
    let child = cmd
        .env("RAYON_NUM_THREADS", threads.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in for the child just spawned.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: waits for our own child; the pointers are valid for the call.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4 failed");
    (
        started.elapsed(),
        u64::try_from(usage.ru_maxrss).unwrap_or(0),
    )
}

/// For each measurement, the best of `n` rounds (wall) with the peak memory of that run. The
/// measurements take turns within a round, so that a slow spell of the machine weighs on all of
/// them alike rather than on whichever ran during it.
fn best_of<const M: usize>(
    n: usize,
    mut measurements: [&mut dyn FnMut() -> (Duration, u64); M],
) -> [(Duration, u64); M] {
    let mut best = [(Duration::MAX, 0); M];
    for _ in 0..n {
        for (m, b) in measurements.iter_mut().zip(&mut best) {
            let r = m();
            if r.0 < b.0 {
                *b = r;
            }
        }
    }
    best
}

/// Set in the child that measures parse-only: the file listing the files to parse.
const PARSE_ONLY_ENV: &str = "SLZ_BENCH_PARSE_ONLY";

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| {
            matches!(
                x.to_str(),
                Some("js" | "ts" | "py" | "rs" | "yml" | "yaml" | "json" | "toml")
            )
        }) {
            out.push(p);
        }
    }
}

/// Parse-only, the unavoidable cost: reading every file the run reads from disk and parsing it
/// (the config with the project's YAML parser, each source parsed and lowered), on the threads
/// `RAYON_NUM_THREADS` gives.
fn parse_only(files: &[PathBuf]) {
    rayon::scope(|_| {
        // `files` come largest first, so that the config (one big file) does not finish last.
        files.par_iter().for_each(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            match p.extension().and_then(|x| x.to_str()) {
                Some("toml") => {
                    std::hint::black_box(toml::from_str::<toml::Value>(&text).ok());
                }
                Some("yml" | "yaml" | "json") => {
                    std::hint::black_box(slz_analyzer::project::yaml::parse(&text).ok());
                }
                Some("py") => {
                    std::hint::black_box(slz_analyzer::lang::python::lower::lower_file(p, &text));
                }
                Some("rs") => {
                    std::hint::black_box(slz_analyzer::lang::rust::lower::lower_file(p, &text));
                }
                _ => {
                    std::hint::black_box(slz_analyzer::lang::js::lower::lower_file(p, &text));
                }
            }
        });
    });
}

/// `iam-policy-autopilot`, when installed (on `PATH`, or named by `SLZ_BENCH_AUTOPILOT`).
fn autopilot() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SLZ_BENCH_AUTOPILOT") {
        return Some(PathBuf::from(p));
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join("iam-policy-autopilot"))
        .find(|p| p.is_file())
}

/// Wall time of `iam-policy-autopilot extract-sdk-calls` on the project's Python, JavaScript and
/// TypeScript files (one run per language, as it requires), summed; None if a run fails.
fn autopilot_time(exe: &Path, files: &[PathBuf]) -> Option<Duration> {
    let mut total = Duration::ZERO;
    for ext in ["py", "js", "ts"] {
        let group: Vec<&PathBuf> = files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        if group.is_empty() {
            continue;
        }
        let started = Instant::now();
        let status = Command::new(exe)
            .arg("extract-sdk-calls")
            .args(&group)
            .env("DISABLE_IAM_POLICY_AUTOPILOT_TELEMETRY", "true")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()?;
        if !status.success() {
            return None;
        }
        total += started.elapsed();
    }
    Some(total)
}

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or_else(|| "?".into(), |kb| format!("{} GiB", kb / 1024 / 1024));
    format!("{cpu}, {cores} cores, {mem}")
}

/// Today's date (UTC) from the system clock.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn main() {
    if let Some(list) = std::env::var_os(PARSE_ONLY_ENV) {
        let files: Vec<PathBuf> = std::fs::read_to_string(list)
            .unwrap()
            .lines()
            .map(PathBuf::from)
            .collect();
        parse_only(&files);
        return;
    }
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10, 1_000, 10_000]
    } else {
        sizes
    };
    // SLZ_BENCH_KEEP=<folder>: generate the projects there and keep them (for profiling).
    let keep = std::env::var_os("SLZ_BENCH_KEEP").map(PathBuf::from);
    let base = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("slz-iam-bench-{}", std::process::id()))
    });
    let mut table = String::new();
    let mut editor = String::new();
    let autopilot_exe = autopilot();
    let mut side_by_side = String::new();

    // Start-up: a one-function project, 30 runs.
    let one = base.join("one");
    gen::generate(&one, 1, 7, gen::Variant::Serverless);
    let one_s = one.display().to_string();
    let mut starts: Vec<Duration> = (0..30)
        .map(|_| run(&["generate", &one_s, "--format", "json"], 1).0)
        .collect();
    starts.sort();
    let startup = starts[starts.len() / 2];

    for (n, variant) in sizes
        .iter()
        .flat_map(|&n| [(n, gen::Variant::Serverless), (n, gen::Variant::Sam)])
    {
        let label = match variant {
            gen::Variant::Serverless => "serverless.yml",
            gen::Variant::Sam => "SAM",
        };
        let dir = base.join(format!("p{n}-{label}"));
        gen::generate(&dir, n, 7, variant);
        let d = dir.display().to_string();
        let mut paths = Vec::new();
        sources(&dir, &mut paths);
        paths.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).map_or(0, |m| m.len())));
        let bytes: u64 = paths
            .iter()
            .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
            .sum();
        let files = paths;
        let repeat = 7;
        let list = base.join(format!("files-{n}-{label}.txt"));
        let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        std::fs::write(&list, names.join("\n")).unwrap();
        let gen_args = ["generate", d.as_str(), "--format", "json"];
        let check_args = ["check", d.as_str(), "--format", "json"];
        let [(parse1, _), (parse2, parse_rss), (g1, _), (g2, rss), (c2, crss)] = best_of(
            repeat,
            [
                &mut || run_parse_only(&list, 1),
                &mut || run_parse_only(&list, 2),
                &mut || run(&gen_args, 1),
                &mut || run(&gen_args, 2),
                &mut || run(&check_args, 2),
            ],
        );
        let secs = g2.as_secs_f64();
        let _ = writeln!(
            table,
            "| {n} | {label} | {} | {:.2} | {} | {} | {} | {} | {:.1}x | {:.2}x | {:.0} | {:.1} | {} | {} | {} | {} |",
            files.len(),
            bytes as f64 / 1e6,
            ms(parse1),
            ms(parse2),
            ms(g1),
            ms(g2),
            g2.as_secs_f64() / parse2.as_secs_f64(),
            g1.as_secs_f64() / g2.as_secs_f64(),
            files.len() as f64 / secs,
            bytes as f64 / 1e6 / secs,
            rss / 1024,
            parse_rss / 1024,
            ms(c2),
            crss / 1024,
        );
        // The editor path: one handler changed in the language server's workspace.
        if let (Some(exe), gen::Variant::Serverless) = (&autopilot_exe, variant) {
            if let Some(theirs) = autopilot_time(exe, &files) {
                let _ = writeln!(
                    side_by_side,
                    "| {n} | {} | {} | {:.0}x |",
                    ms(theirs),
                    ms(g2),
                    theirs.as_secs_f64() / g2.as_secs_f64()
                );
            }
        }
        if variant == gen::Variant::Sam {
            if keep.is_none() {
                let _ = std::fs::remove_dir_all(&dir);
            }
            continue;
        }
        let mut ws = slz_iam::lsp::workspace::Workspace::new(&dir);
        let rel = Path::new("functions/f0/handler.js");
        let original = std::fs::read_to_string(dir.join(rel)).unwrap();
        let mut times: Vec<Duration> = (0..20)
            .map(|i| {
                let text = format!("{original}\n// edit {i}\n");
                let started = Instant::now();
                ws.set_buffer(rel, Some(text));
                std::hint::black_box(ws.diagnostics());
                started.elapsed()
            })
            .collect();
        times.sort();
        let _ = writeln!(
            editor,
            "| {n} | {:.1} | {:.1} |",
            times[times.len() / 2].as_secs_f64() * 1000.0,
            times[times.len() * 95 / 100].as_secs_f64() * 1000.0
        );
        if keep.is_none() {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&base);
    }

    let doc = format!(
        "# Benchmarks\n\nWritten by `cargo bench -p slz-iam --bench pipeline` (do not edit by hand; rerun it). Sizes: {sizes:?} functions.\n\n- Date: {}\n- Machine: {}\n- Projects: generated by `cli/benches/common/gen.rs` (seed 7): JS (SDK v2 and v3, HTTP calls to a sibling's endpoint), TypeScript, Python (boto3) and Rust (aws-sdk-rust, a binary per function) handlers with shared local modules, resources from environment variables, calls between functions, per-function roles; each size as a serverless.yml and as a SAM template.\n\n## Whole pipeline against parsing\n\n`generate` and `check` are the built binary run as a user runs it (wall time, peak RSS); parse-only is the unavoidable cost, measured the same way (a fresh process, 1 and 2 threads, the binary's allocator): reading every file of the project (config, handlers, `Cargo.toml`) from disk and parsing it (the config with the project's YAML parser; each JS/TS, Python and Rust source parsed and lowered to the analysis IR). The ratio is `generate` (2 threads) over parse-only (2 threads). Each figure is the best of 7 rounds in which every measurement runs once in turn, so that a slow spell of the machine weighs on all of them alike.\n\n| functions | config | files | MB | parse-only 1 thread (ms) | parse-only 2 threads (ms) | generate 1 thread (ms) | generate 2 threads (ms) | generate / parse | speed-up 1->2 threads | files/s | MB/s | generate peak RSS (MiB) | parse-only peak RSS (MiB) | check 2 threads (ms) | check peak RSS (MiB) |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n{table}\nStart-up: `generate` on a one-function project, median of 30 runs: {:.1} ms.\n\n## Editor path\n\nOne handler changed in the language server's workspace (in process): re-analysis of the functions that read it, the project-wide steps, and every file's diagnostics. 20 edits. The same path over stdio, with JSON-RPC, is `cargo bench -p slz-iam --bench lsp`.\n\n| functions | median (ms) | p95 (ms) |\n|---|---|---|\n{editor}{}",
        today(),
        machine(),
        startup.as_secs_f64() * 1000.0,
        if side_by_side.is_empty() {
            "\n## Side by side with iam-policy-autopilot\n\nNot measured: `iam-policy-autopilot` (PyPI) is not installed. With it on `PATH` (or named by `SLZ_BENCH_AUTOPILOT`), its `extract-sdk-calls` is timed on the same Python, JavaScript and TypeScript files.\n".to_string()
        } else {
            format!("\n## Side by side with iam-policy-autopilot\n\n`iam-policy-autopilot extract-sdk-calls` (its call extraction only, one run per language as it requires, on the serverless.yml variant's Python, JavaScript and TypeScript files; it reads neither Rust here nor the config) against `slz-iam generate` (the whole pipeline on the whole project, 2 threads).\n\n| functions | extract-sdk-calls (ms) | slz-iam generate (ms) | ratio |\n|---|---|---|---|\n{side_by_side}")
        },
    );
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../BENCHMARKS.md");
    std::fs::write(&out, &doc).unwrap();
    print!("{doc}");
}

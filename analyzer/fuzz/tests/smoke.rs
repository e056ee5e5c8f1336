//! Every fuzz target over its seed corpus (the test fixtures `fuzz/run.sh` seeds it with) and over
//! the minimised inputs of crashes found and fixed (`fuzz/regressions/<target>/`), in the normal
//! test suite: a target that no longer builds, or an input that crashes again, fails CI.

use std::path::{Path, PathBuf};

/// Largest seed, as `fuzz/run.sh` passes `-max_len`.
const MAX_LEN: u64 = 65536;

/// The analysis stack of the binary.
const STACK: usize = 256 << 20;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

/// The seeds `fuzz/run.sh` copies into a target's corpus.
fn seeds(target: &str, root: &Path) -> Vec<PathBuf> {
    let wanted: &[&str] = match target {
        "project_model" | "variables" | "write" => &["yml", "yaml", "json"],
        "js" => &["js", "ts", "mjs", "cjs"],
        "python" => &["py"],
        "rust" => &["rs"],
        _ => &[],
    };
    let mut all = Vec::new();
    files(&root.join("test-fixtures"), &mut all);
    all.retain(|p| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| wanted.contains(&e))
            && std::fs::metadata(p).is_ok_and(|m| m.len() <= MAX_LEN)
    });
    files(&root.join("fuzz/regressions").join(target), &mut all);
    all
}

#[test]
fn every_target_runs_over_its_seeds_and_regressions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let run = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let mut counts = Vec::new();
            for (target, body) in slz_fuzz::targets::ALL {
                let inputs = seeds(target, &root);
                for input in &inputs {
                    let data = std::fs::read(input).expect("a readable seed");
                    body(&data);
                }
                counts.push((*target, inputs.len()));
            }
            counts
        });
    let counts = run
        .expect("a thread with the analysis stack")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    for (target, n) in counts {
        assert!(n >= 5, "{target}: only {n} seeds found");
    }
}

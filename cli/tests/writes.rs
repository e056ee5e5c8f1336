//! The write-fixture harness: every folder under `test-fixtures/writes/` is a small project whose
//! config `slz-iam generate --write` must turn into the folder's `expected.<ext>`, byte for byte.
//! Each case runs from a scratch copy: the write gives the expected text and exit status, keeps
//! every comment line and every symlink, a second write changes nothing, and `check` afterwards
//! finds no missing permission for a function whose analysis is complete. `--format diff` on a
//! fresh copy must print a diff that applies to the original to give the same text (or print
//! nothing when the write is refused). `SLZ_UPDATE_EXPECTED=1` (re)writes the `expected.*` files
//! from what the binary gives, for review. The layout is described in `test-fixtures/README.md`.

mod common;

use common::slz;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What a case folder says about itself (every harness file sits at its top).
struct Case {
    name: String,
    source: PathBuf,
    /// `ROOT`: the project folder inside the case (default: the case folder itself).
    root: String,
    /// `CONFIG`: the config, relative to the project folder, when not found by its usual name.
    config: Option<String>,
    /// `LINKS`: `PATH -> TARGET` lines, symlinks made in the copy (paths relative to the case).
    links: Vec<(String, String)>,
    /// `expect.txt`: `exit N` and `stderr: TEXT` lines (default: exit 0).
    exit: i32,
    stderr: Vec<String>,
    /// `expect.txt`: `missing: FUNCTION` lines, functions the write must leave alone (a role
    /// outside the file, an alias), so `check` may still find permissions missing for them.
    left_alone: BTreeSet<String>,
}

impl Case {
    fn read(source: &Path) -> Result<Case, String> {
        let file = |name: &str| std::fs::read_to_string(source.join(name)).ok();
        let mut case = Case {
            name: source
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            source: source.to_path_buf(),
            root: file("ROOT")
                .map(|r| r.trim().to_string())
                .unwrap_or_default(),
            config: file("CONFIG").map(|c| c.trim().to_string()),
            links: Vec::new(),
            exit: 0,
            stderr: Vec::new(),
            left_alone: BTreeSet::new(),
        };
        for l in file("LINKS").unwrap_or_default().lines() {
            let l = l.trim();
            if l.is_empty() {
                continue;
            }
            let (path, target) = l
                .split_once(" -> ")
                .ok_or_else(|| format!("LINKS: `{l}` is not `PATH -> TARGET`"))?;
            case.links.push((path.to_string(), target.to_string()));
        }
        for l in file("expect.txt").unwrap_or_default().lines() {
            let l = l.trim();
            if let Some(n) = l.strip_prefix("exit ") {
                case.exit = n
                    .trim()
                    .parse()
                    .map_err(|_| format!("expect.txt: `{l}` is not `exit N`"))?;
            } else if let Some(text) = l.strip_prefix("stderr: ") {
                case.stderr.push(text.to_string());
            } else if let Some(function) = l.strip_prefix("missing: ") {
                case.left_alone.insert(function.trim().to_string());
            } else if !l.is_empty() {
                return Err(format!(
                    "expect.txt: `{l}` is not `exit N`, `stderr: TEXT` or `missing: FUNCTION`"
                ));
            }
        }
        Ok(case)
    }

    /// A scratch copy with its symlinks made; the project folder and the config in it.
    fn copy(&self, tag: &str) -> Result<(common::Scratch, PathBuf, PathBuf), String> {
        let dir = common::scratch_copy(&self.source, &format!("{tag}-{}", self.name));
        for (path, target) in &self.links {
            make_link(target, &dir.join(path))?;
        }
        let root = dir.join(&self.root);
        let config = match &self.config {
            Some(c) => root.join(c),
            None => slz_iam::project::CONFIG_NAMES
                .iter()
                .map(|n| root.join(n))
                .find(|p| std::fs::symlink_metadata(p).is_ok())
                .ok_or("no config found (name it in CONFIG)")?,
        };
        Ok((dir, root, config))
    }

    /// `generate` arguments for the copy at `root`, then `extra`.
    fn args(&self, root: &Path, command: &str, extra: &[&str]) -> Vec<String> {
        let mut args = vec![command.to_string(), root.display().to_string()];
        if let Some(c) = &self.config {
            args.extend(["--config".to_string(), root.join(c).display().to_string()]);
        }
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    }

    /// `expected.<ext>` in the case folder, `ext` from the config's name.
    fn expected_path(&self, config: &Path) -> PathBuf {
        let ext = config
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        self.source.join(format!("expected{ext}"))
    }

    /// The exit status and the stderr lines the case names; a description of what differs.
    fn outcome(&self, what: &str, exit: i32, err: &str) -> Vec<String> {
        let mut out = Vec::new();
        if exit == 2 && err.lines().count() != 1 {
            out.push(format!(
                "{what}: a refusal is one line on stderr, got:\n{err}"
            ));
        }
        if exit != self.exit {
            out.push(format!(
                "{what}: exit {exit}, expected {}; stderr:\n{err}",
                self.exit
            ));
        }
        for s in &self.stderr {
            if !err.contains(s.as_str()) {
                out.push(format!("{what}: stderr lacks `{s}`:\n{err}"));
            }
        }
        out
    }
}

#[cfg(unix)]
fn make_link(target: &str, at: &Path) -> Result<(), String> {
    std::os::unix::fs::symlink(target, at).map_err(|e| format!("LINKS: {}: {e}", at.display()))
}

#[cfg(not(unix))]
fn make_link(_target: &str, at: &Path) -> Result<(), String> {
    Err(format!(
        "LINKS: {}: symlinks need a unix system",
        at.display()
    ))
}

/// Whole-line comments (`# ...`, trimmed) with their counts.
fn comments(text: &str) -> BTreeMap<&str, usize> {
    let mut out = BTreeMap::new();
    for t in text.lines().map(str::trim).filter(|t| t.starts_with('#')) {
        *out.entry(t).or_insert(0) += 1;
    }
    out
}

/// Comment lines of `before` that `after` lacks.
fn lost_comments<'a>(before: &'a str, after: &str) -> Vec<&'a str> {
    let now = comments(after);
    comments(before)
        .into_iter()
        .filter(|(c, n)| now.get(c).copied().unwrap_or(0) < *n)
        .map(|(c, _)| c)
        .collect()
}

/// The links the case makes that are no longer symlinks to their target.
fn broken_links(case: &Case, dir: &Path) -> Vec<String> {
    case.links
        .iter()
        .filter(|(path, target)| {
            std::fs::read_link(dir.join(path)).ok().as_deref() != Some(Path::new(target))
        })
        .map(|(path, target)| format!("{path} is no longer a link to {target}"))
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| format!("<cannot read: {e}>"))
}

/// A unified diff of `want` against `got`, for failure messages.
fn show_diff(want: &str, got: &str) -> String {
    similar::TextDiff::from_lines(want, got)
        .unified_diff()
        .header("expected", "actual")
        .to_string()
}

/// Compares the config after the write with `expected.<ext>`, or (re)writes that file when
/// `SLZ_UPDATE_EXPECTED=1`.
fn compare_expected(case: &Case, config: &Path, got: &str) -> Vec<String> {
    let path = case.expected_path(config);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if std::env::var("SLZ_UPDATE_EXPECTED").is_ok_and(|v| v == "1") {
        if std::fs::read_to_string(&path).ok().as_deref() != Some(got) {
            std::fs::write(&path, got).unwrap();
            eprintln!("{}: wrote {name}; review it", case.name);
        }
        return Vec::new();
    }
    match std::fs::read_to_string(&path) {
        Err(_) => vec![format!(
            "there is no {name}; the config after --write is:\n{got}\n(SLZ_UPDATE_EXPECTED=1 writes it)"
        )],
        Ok(want) if want != got => vec![format!(
            "the config after --write differs from {name}:\n{}",
            show_diff(&want, got)
        )],
        Ok(_) => Vec::new(),
    }
}

/// Functions whose analysis is complete, from `generate --format json`.
fn analysed(json: &str) -> Result<BTreeSet<String>, String> {
    let v: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("generate --format json: {e}"))?;
    Ok(v["functions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["analysis"] == "analysed")
        .filter_map(|f| f["name"].as_str().map(str::to_string))
        .collect())
}

/// `missing-permission` findings of `check` for the functions in `analysed`.
fn missing_after(case: &Case, root: &Path, analysed: &BTreeSet<String>) -> Vec<String> {
    let (_, out, err) = slz(&case.args(root, "check", &["--format", "json"]));
    let v: serde_json::Value = match serde_json::from_str(&out) {
        Ok(v) => v,
        Err(e) => return vec![format!("check --format json: {e}: {out}{err}")],
    };
    v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["code"] == "missing-permission")
        .filter(|f| {
            f["function"]
                .as_str()
                .is_some_and(|n| analysed.contains(n) && !case.left_alone.contains(n))
        })
        .map(|f| format!("after --write, check finds: {}", f["message"]))
        .collect()
}

/// Runs `generate --write` twice on a copy of the case; what went wrong.
fn write_case(case: &Case) -> Result<Vec<String>, String> {
    let (dir, root, config) = case.copy("w")?;
    let before = read(&config);
    let args = case.args(&root, "generate", &["--write", "--format", "json"]);
    let (exit, out, err) = slz(&args);
    let mut fails = case.outcome("--write", exit, &err);
    let after = read(&config);
    fails.extend(compare_expected(case, &config, &after));
    for c in lost_comments(&before, &after) {
        fails.push(format!("--write dropped the comment {c:?}"));
    }
    fails.extend(broken_links(case, &dir));
    let (exit2, _, err2) = slz(&args);
    if exit2 != exit {
        fails.push(format!(
            "a second --write exits {exit2}, the first {exit}:\n{err2}"
        ));
    }
    let again = read(&config);
    if again != after {
        fails.push(format!(
            "a second --write changes the config:\n{}",
            show_diff(&after, &again)
        ));
    }
    fails.extend(broken_links(case, &dir));
    if exit < 2 {
        fails.extend(missing_after(case, &root, &analysed(&out)?));
    }
    Ok(fails)
}

/// Applies a unified diff (as `generate --format diff` prints it) to `old`.
fn apply_diff(old: &str, diff: &str) -> Result<String, String> {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut next = 0; // the next old line to copy
    let mut last_added = false;
    for line in diff.split_inclusive('\n') {
        if let Some(header) = line.strip_prefix("@@ -") {
            let range = header.split(' ').next().unwrap_or("");
            let (start, count) = range.split_once(',').unwrap_or((range, "1"));
            let start: usize = start.parse().map_err(|_| format!("bad hunk: {line}"))?;
            let count: usize = count.parse().map_err(|_| format!("bad hunk: {line}"))?;
            let at = if count == 0 {
                start
            } else {
                start.saturating_sub(1)
            };
            if at < next || at > old_lines.len() {
                return Err(format!("hunk out of order: {line}"));
            }
            out.extend(old_lines[next..at].iter().copied());
            next = at;
        } else if line.starts_with("--- ") || line.starts_with("+++ ") {
            continue;
        } else if line.starts_with('\\') {
            // `\ No newline at end of file`: the line before has none.
            if last_added && out.ends_with('\n') {
                out.pop();
            }
        } else {
            let (kind, text) = line.split_at(1.min(line.len()));
            last_added = kind == "+";
            match kind {
                "+" => out.push_str(text),
                " " | "-" => {
                    let have = old_lines.get(next).copied().unwrap_or("");
                    if have.trim_end_matches('\n') != text.trim_end_matches('\n') {
                        return Err(format!(
                            "the diff does not apply at line {}: {have:?} is not {text:?}",
                            next + 1
                        ));
                    }
                    if kind == " " {
                        out.push_str(have);
                    }
                    next += 1;
                }
                _ => return Err(format!("not a diff line: {line:?}")),
            }
        }
    }
    out.extend(old_lines[next.min(old_lines.len())..].iter().copied());
    Ok(out)
}

/// Runs `generate --format diff` on a fresh copy; what went wrong.
fn diff_case(case: &Case) -> Result<Vec<String>, String> {
    let (_dir, root, config) = case.copy("d")?;
    let before = read(&config);
    let (exit, out, err) = slz(&case.args(&root, "generate", &["--format", "diff"]));
    let mut fails = case.outcome("--format diff", exit, &err);
    if read(&config) != before {
        fails.push("--format diff changed the config".into());
    }
    if exit == 2 {
        if !out.is_empty() {
            fails.push(format!("a refused diff prints nothing, got:\n{out}"));
        }
        return Ok(fails);
    }
    let expected = case.expected_path(&config);
    let Ok(want) = std::fs::read_to_string(&expected) else {
        fails.push(format!("there is no {}", expected.display()));
        return Ok(fails);
    };
    match apply_diff(&before, &out) {
        Ok(got) if got != want => fails.push(format!(
            "the diff applied gives another text than expected:\n{}",
            show_diff(&want, &got)
        )),
        Ok(_) => {}
        Err(e) => fails.push(format!("{e}\n{out}")),
    }
    Ok(fails)
}

/// Runs `run` on every case and fails with everything that went wrong.
fn every_case(run: fn(&Case) -> Result<Vec<String>, String>) {
    let cases = common::subfolders(&common::fixture_dir("writes"));
    assert!(cases.len() >= 6, "write fixtures: {cases:?}");
    let mut failures = Vec::new();
    for dir in &cases {
        let name = dir.display().to_string();
        let case = Case::read(dir);
        // Symlinks are made only on unix systems; elsewhere a case that needs them is not run.
        if cfg!(not(unix)) && case.as_ref().is_ok_and(|c| !c.links.is_empty()) {
            continue;
        }
        match case.and_then(|c| run(&c)) {
            Ok(f) if f.is_empty() => {}
            Ok(f) => failures.push(format!("{name}:\n  {}", f.join("\n  "))),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_write_fixture_gives_its_expected_config() {
    every_case(write_case);
}

#[test]
fn every_write_fixture_diff_applies_to_the_expected_config() {
    every_case(diff_case);
}

#[test]
fn the_diff_applier_handles_every_hunk_form() {
    let old = "a\nb\nc";
    let new = "z\na\nc\nd\n";
    let diff = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header("a", "b")
        .to_string();
    assert_eq!(apply_diff(old, &diff), Ok(new.to_string()));
    let back = similar::TextDiff::from_lines(new, old)
        .unified_diff()
        .header("a", "b")
        .to_string();
    assert_eq!(apply_diff(new, &back), Ok(old.to_string()));
    assert_eq!(apply_diff(old, ""), Ok(old.to_string()));
    assert!(apply_diff("x\n", &diff).is_err());
}

/// The config of the case `name` before and after `generate --write` on a scratch copy.
fn write_one(name: &str) -> (String, String) {
    let case = Case::read(&common::fixture_dir(&format!("writes/{name}"))).unwrap();
    let (_dir, root, config) = case.copy("one").unwrap();
    let before = read(&config);
    let (exit, _, err) = slz(&case.args(&root, "generate", &["--write"]));
    assert!(exit < 2, "{name}: {err}");
    (before, read(&config))
}

#[test]
fn sam_write_keeps_templates_denies_comments_and_managed_policies() {
    let (before, after) = write_one("sam-policies-kept");
    let kept = before.lines().count();
    assert_eq!(
        after.lines().take(kept).collect::<Vec<_>>(),
        before.lines().collect::<Vec<_>>()
    );
    assert!(after.contains("secretsmanager:GetSecretValue"));
    // The bucket template already covers the read: no statement on every bucket.
    assert!(!after.contains("arn:aws:s3:::*"), "{after}");
}

#[test]
fn a_write_over_an_older_one_replaces_only_what_the_tool_owns() {
    let src = common::fixture_dir("writes/sls-v3-provider");
    let dir = common::scratch_copy(&src, "writes-owned");
    let config = dir.join("serverless.yml");
    // A stale generated statement and a user statement written after it.
    let stale = std::fs::read_to_string(&config).unwrap().replace(
        "          Resource: '*'\n",
        "          Resource: '*'\n        # slz-iam: generated (Sid SlzIam*); `slz-iam generate --write` rewrites these\n        - Sid: SlzIamSharedS31\n          Effect: Allow\n          Action: s3:GetObject\n          Resource: '*'\n        - Effect: Allow # mine\n          Action: sqs:SendMessage\n          Resource: '*'\n",
    );
    std::fs::write(&config, &stale).unwrap();
    let (exit, _, err) = slz(&[
        "generate".to_string(),
        dir.display().to_string(),
        "--write".to_string(),
    ]);
    assert!(exit < 2, "{err}");
    let after = std::fs::read_to_string(&config).unwrap();
    assert!(!after.contains("SlzIamSharedS31"), "{after}");
    assert!(after.contains("SlzIamSharedDynamodb1"), "{after}");
    assert!(
        after.contains("        - Effect: Allow # mine\n          Action: sqs:SendMessage\n"),
        "{after}"
    );
    assert_eq!(after.matches("# slz-iam: generated").count(), 1, "{after}");
}

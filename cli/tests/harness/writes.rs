//! The `writes` suite: each fixture is a small project whose config `slz-iam generate --write`
//! must turn into the fixture's `expected.<ext>`, byte for byte. Each runs from a scratch copy:
//! the write gives the expected text and the exit status and stderr lines `expect.txt` names,
//! keeps every comment line and every symlink, a second write changes nothing, and `check`
//! afterwards finds no missing permission for a function whose analysis is complete (except the
//! `unwritten:` ones). `--format diff` on a fresh copy must print a diff that applies to the
//! original to give the same text (or print nothing when the write is refused).
//! `SLZ_UPDATE_EXPECTED=1` (re)writes the `expected.*` files of folder fixtures from what the
//! binary gives, for review.

use super::expect::{self, Outcome};
use super::{Fixture, Suite};
use crate::common;
use crate::common::slz;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What a case says about itself (every harness file sits at its top).
pub struct Case {
    pub name: String,
    /// The case's files: the fixture folder, or a multi-file text written out.
    pub source: PathBuf,
    /// Whether `source` is the fixture itself (expected files can be rewritten there).
    pub in_place: bool,
    /// `ROOT`: the project folder inside the case (default: the case folder itself).
    pub root: String,
    /// `CONFIG`: the config, relative to the project folder, when not found by its usual name.
    pub config: Option<String>,
    /// `LINKS`: `PATH -> TARGET` lines, symlinks made in the copy (paths relative to the case).
    pub links: Vec<(String, String)>,
    /// `expect.txt`: the exit status and stderr lines of `--write`, the functions left alone.
    pub want: Outcome,
    pub left_alone: BTreeSet<String>,
    /// The fixture's `expect.txt`, for messages.
    pub expect_at: String,
    /// Keeps a multi-file text's scratch copy alive.
    _scratch: Option<common::Scratch>,
}

impl Case {
    pub fn read(f: &Fixture, want: Outcome) -> Result<Case, String> {
        let scratch = f.is_text().then(|| f.materialize("src"));
        let source = scratch
            .as_deref()
            .map_or_else(|| f.path.clone(), Path::to_path_buf);
        let mut case = Case {
            name: f.stem.clone(),
            source,
            in_place: scratch.is_none(),
            root: f.root(),
            config: f.config(),
            links: Vec::new(),
            left_alone: want.unwritten.iter().cloned().collect(),
            want,
            expect_at: f.written_at("expect.txt", 1),
            _scratch: scratch,
        };
        for l in f.harness_file("LINKS").unwrap_or_default().lines() {
            let l = l.trim();
            if l.is_empty() {
                continue;
            }
            let (path, target) = l
                .split_once(" -> ")
                .ok_or_else(|| format!("LINKS: `{l}` is not `PATH -> TARGET`"))?;
            case.links.push((path.to_string(), target.to_string()));
        }
        Ok(case)
    }

    /// A scratch copy with its symlinks made; the project folder and the config in it.
    pub fn copy(&self, tag: &str) -> Result<(common::Scratch, PathBuf, PathBuf), String> {
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
    pub fn args(&self, root: &Path, command: &str, extra: &[&str]) -> Vec<String> {
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
        if exit != self.want.exit {
            out.push(format!(
                "{}: {what}: exit {exit}, expected {}; stderr:\n{err}",
                self.expect_at, self.want.exit
            ));
        }
        for s in &self.want.stderr {
            if !err.contains(s.as_str()) {
                out.push(format!(
                    "{}: {what}: stderr lacks `{s}`:\n{err}",
                    self.expect_at
                ));
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
    if case.in_place && std::env::var("SLZ_UPDATE_EXPECTED").is_ok_and(|v| v == "1") {
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
pub fn apply_diff(old: &str, diff: &str) -> Result<String, String> {
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

/// Checks one fixture of the `writes` suite: its analysis against its expectations, then the
/// write and the diff.
pub fn run(f: &Fixture) -> Vec<String> {
    debug_assert_eq!(f.suite, Suite::Writes);
    let (expectations, want, mut problems) = f.expectations();
    let case = match Case::read(f, want) {
        Ok(c) => c,
        Err(e) => return vec![format!("{}: {e}", f.shown())],
    };
    // The analysis, on a copy with the links made.
    match case.copy("a") {
        Ok((_dir, root, _)) => {
            let analysis = super::analyse_disk(&root, case.config.as_deref(), false);
            if analysis.json.is_some() {
                problems.extend(analysis.problems.iter().cloned());
            }
            let place = |file: &str, line: u32| f.place(file, line);
            problems.extend(expect::compare(
                &expectations,
                &analysis.facts,
                Suite::Writes.kinds(),
                &place,
            ));
        }
        Err(e) => problems.push(e),
    }
    for step in [write_case, diff_case] {
        match step(&case) {
            Ok(p) => problems.extend(p.into_iter().map(|p| format!("{}: {p}", f.shown()))),
            Err(e) => problems.push(format!("{}: {e}", f.shown())),
        }
    }
    problems
}

//! The gate in front of every config write: before an edited config replaces the user's file (or is
//! shown as a diff), the new text must read back as a config, carry the statements the write was
//! for, keep every comment, and differ from the old text only inside the lines the edits say they
//! touch. Pure: the caller re-reads the new text with the project's own reader and writes nothing
//! unless [`verify`] says yes.

use crate::edit::TextEdit;
use crate::policy::{evaluate, Decision, Statement};
use crate::project::{Function, Project};
use crate::report::Report;
use std::collections::{BTreeMap, BTreeSet};

/// One proposed write: the config before and after the edits, both read by the project's reader.
pub struct Candidate<'a> {
    pub old: &'a str,
    pub new: &'a str,
    pub edits: &'a [TextEdit],
    /// The project read from `old` (the one the edits were computed from).
    pub before: &'a Project,
    /// The project read from `new`, by the same reader.
    pub after: &'a Project,
    /// The analysis the edits were computed from: the functions the write is for.
    pub report: &'a Report,
    /// Functions the write must leave alone (their analysis is incomplete).
    pub skipped: &'a BTreeSet<String>,
    /// The config is a JSON document: the new text must also be valid JSON.
    pub json: bool,
}

/// Ok when the write may go ahead; else the first reason it may not, as one line.
pub fn verify(c: &Candidate) -> Result<(), String> {
    reads_back(c)?;
    untouched_lines(c.old, c.new, c.edits)?;
    comments_kept(c.old, c.new)?;
    statements_landed(c)
}

/// The new text parses as the same kind of config, with the same functions, and the reader finds
/// no error it did not find before.
fn reads_back(c: &Candidate) -> Result<(), String> {
    if c.json {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(c.new) {
            return Err(format!(
                "the edited config is not valid JSON (line {}, column {}: {e})",
                e.line(),
                e.column()
            ));
        }
    }
    if let Some(d) = c
        .after
        .diagnostics
        .iter()
        .find(|d| d.code == "config-parse-error")
    {
        return Err(format!(
            "the edited config does not parse (line {}: {})",
            d.location.line, d.message
        ));
    }
    if c.after.framework != c.before.framework {
        return Err(format!(
            "the edited config reads as {:?} instead of {:?}",
            c.after.framework, c.before.framework
        ));
    }
    let names =
        |p: &Project| -> Vec<String> { p.functions.iter().map(|f| f.name.clone()).collect() };
    let (was, now) = (names(c.before), names(c.after));
    if was != now {
        let lost: Vec<&String> = was.iter().filter(|n| !now.contains(n)).collect();
        let new: Vec<&String> = now.iter().filter(|n| !was.contains(n)).collect();
        return Err(format!(
            "the edited config declares other functions (lost: {lost:?}, new: {new:?})"
        ));
    }
    let errors = |p: &Project| -> BTreeMap<(&'static str, String), usize> {
        let mut out = BTreeMap::new();
        for d in &p.diagnostics {
            if d.severity == crate::diagnostics::Severity::Error {
                *out.entry((d.code, d.message.clone())).or_insert(0) += 1;
            }
        }
        out
    };
    let was = errors(c.before);
    for ((code, message), n) in errors(c.after) {
        if was.get(&(code, message.clone())).copied().unwrap_or(0) < n {
            return Err(format!(
                "reading the edited config gives a new error: {code}: {message}"
            ));
        }
    }
    Ok(())
}

/// How many lines `lines` (of an edit) take in the text `apply` writes.
fn written_lines(lines: &[String]) -> usize {
    lines.iter().map(|l| l.matches('\n').count() + 1).sum()
}

/// Every line of `old` outside the edited ranges is in `new` at its shifted place, byte for byte
/// (the last line may gain the newline it lacked, when text was added after it), and `new` has
/// exactly the lines the edits add.
fn untouched_lines(old: &str, new: &str, edits: &[TextEdit]) -> Result<(), String> {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let count = old_lines.len();
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.last, e.first));
    // Old lines each edit removes (clamped to the text, as `apply` does) and lines it adds.
    let span = |e: &TextEdit| -> (usize, usize) {
        let start = (e.first as usize).saturating_sub(1).min(count);
        let end = (e.last as usize).min(count);
        (start, end.max(start))
    };
    let mut removed = vec![false; count];
    for e in &sorted {
        let (start, end) = span(e);
        for r in removed.iter_mut().take(end).skip(start) {
            *r = true;
        }
    }
    let total: isize = sorted
        .iter()
        .map(|e| {
            let (start, end) = span(e);
            written_lines(&e.lines) as isize - (end - start) as isize
        })
        .sum();
    if count as isize + total != new_lines.len() as isize {
        return Err(format!(
            "the edited config has {} lines where the edits give {}",
            new_lines.len(),
            count as isize + total
        ));
    }
    // Walk the old lines; `shift` is what the edits ending before the line add.
    let mut shift: isize = 0;
    let mut next = sorted.iter().peekable();
    for (i, line) in old_lines.iter().enumerate() {
        let n = i + 1;
        while let Some(e) = next.next_if(|e| (e.last as usize) < n) {
            let (start, end) = span(e);
            shift += written_lines(&e.lines) as isize - (end - start) as isize;
        }
        if removed[i] {
            continue;
        }
        let at = n as isize + shift;
        let now = usize::try_from(at - 1)
            .ok()
            .and_then(|j| new_lines.get(j))
            .copied()
            .unwrap_or("");
        let last_gained_newline = n == count
            && !line.ends_with('\n')
            && now.strip_suffix('\n').map(|s| s.trim_end_matches('\r')) == Some(line);
        if now != *line && !last_gained_newline {
            return Err(format!(
                "line {n} changed outside the edited lines: {:?} became {:?}",
                line.trim_end(),
                now.trim_end()
            ));
        }
    }
    Ok(())
}

/// Whole-line comments (`# ...`, trimmed) with their counts.
fn comments(text: &str) -> BTreeMap<&str, usize> {
    let mut out = BTreeMap::new();
    for l in text.lines() {
        let t = l.trim();
        if t.starts_with('#') {
            *out.entry(t).or_insert(0) += 1;
        }
    }
    out
}

/// Every comment line of `old` is still in `new`, as many times.
fn comments_kept(old: &str, new: &str) -> Result<(), String> {
    let now = comments(new);
    for (c, n) in comments(old) {
        if now.get(c).copied().unwrap_or(0) < n {
            return Err(format!("the edit would drop the comment {c:?}"));
        }
    }
    Ok(())
}

/// The lines of the map that holds the settings of the function located at line `at` (0-based)
/// and column `column` (the map its location is a key of): the lines around it indented at least
/// as deep, blank and comment lines included, within `lo..=hi` (the lines between the neighbouring
/// functions, so that each line is looked at a bounded number of times).
fn settings_lines(lines: &[&str], at: usize, column: u32, lo: usize, hi: usize) -> (u32, u32) {
    let indent = column.saturating_sub(1) as usize;
    let inside = |l: &str| {
        let t = l.trim_start();
        t.is_empty() || t.starts_with('#') || l.len() - t.len() >= indent
    };
    let mut first = at;
    while first > lo && inside(lines[first - 1]) {
        first -= 1;
    }
    let mut last = at;
    while last < hi && inside(lines[last + 1]) {
        last += 1;
    }
    let line = |i: usize| u32::try_from(i + 1).unwrap_or(u32::MAX);
    (line(first), line(last))
}

/// The functions an edit lands in: the function whose settings hold the line it replaces from, or
/// the line it inserts after.
fn edited_functions<'p>(project: &'p Project, old: &str, edits: &[TextEdit]) -> BTreeSet<&'p str> {
    let lines: Vec<&str> = old.lines().collect();
    let mut located: Vec<(usize, u32, &str)> = project
        .functions
        .iter()
        .filter(|f| f.location.file == project.config)
        .filter_map(|f| {
            let at = (f.location.line as usize).checked_sub(1)?;
            (at < lines.len()).then_some((at, f.location.column, f.name.as_str()))
        })
        .collect();
    located.sort();
    located.dedup_by_key(|l| l.0);
    let ranges: Vec<(u32, u32, &str)> = located
        .iter()
        .enumerate()
        .map(|(i, &(at, column, name))| {
            let lo = if i == 0 { 0 } else { located[i - 1].0 + 1 };
            let hi = located.get(i + 1).map_or(lines.len() - 1, |n| n.0 - 1);
            let (first, last) = settings_lines(&lines, at, column, lo, hi);
            (first, last, name)
        })
        .collect();
    let mut out = BTreeSet::new();
    for e in edits {
        let anchor = if e.first > e.last { e.last } else { e.first };
        let before = ranges.partition_point(|r| r.0 <= anchor);
        // The ranges do not overlap: the last one starting at or before the anchor is the only
        // candidate.
        if let Some((_, last, name)) = before.checked_sub(1).map(|i| ranges[i]) {
            if anchor <= last {
                out.insert(name);
            }
        }
    }
    out
}

/// A function's declared statements as evaluator input, and as comparable text.
fn role(f: &Function) -> (Vec<Statement>, Vec<String>) {
    let statements: Vec<Statement> = f
        .declared
        .iter()
        .map(|d| Statement::declared(d, |r| r.to_string()))
        .collect();
    let text = f
        .declared
        .iter()
        .zip(&statements)
        .map(|(d, s)| format!("{s:?} {:?} {:?} {}", d.bundle, d.managed_policy, d.implicit))
        .collect();
    (statements, text)
}

/// What a partial write (one grant, one narrowed action) must keep: `report` with each
/// function's permissions cut down to those its role in `before` already allows. Such a write is
/// verified against this, plus what it is for, so it may not take a grant away without having to
/// write the whole policy.
pub fn already_granted(before: &Project, report: &Report) -> Report {
    let roles: BTreeMap<&str, Vec<Statement>> = before
        .functions
        .iter()
        .map(|f| (f.name.as_str(), role(f).0))
        .collect();
    let mut out = report.clone();
    for f in &mut out.functions {
        let statements = roles.get(f.name.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        f.permissions.retain(|p| {
            evaluate(statements, &p.action, &p.resource.to_string()) == Decision::Allowed
        });
    }
    out
}

/// For each function the write touches (an edit lands in its settings, or its declared statements
/// change): it is not one the write must leave alone, and its role now grants every permission its
/// code needs, unless a `Deny` the config already had blocks it.
fn statements_landed(c: &Candidate) -> Result<(), String> {
    let edited = edited_functions(c.before, c.old, c.edits);
    let reports: BTreeMap<&str, &crate::report::FunctionReport> = c
        .report
        .functions
        .iter()
        .map(|f| (f.name.as_str(), f))
        .collect();
    for (before, after) in c.before.functions.iter().zip(&c.after.functions) {
        let (was, was_text) = role(before);
        let (now, now_text) = role(after);
        if !edited.contains(before.name.as_str()) && was_text == now_text {
            continue;
        }
        if c.skipped.contains(&before.name) {
            return Err(format!(
                "the edit changes function `{}`, which must be left as it is",
                before.name
            ));
        }
        let Some(fr) = reports.get(before.name.as_str()) else {
            return Err(format!(
                "the edit changes function `{}`, which the analysis does not cover",
                before.name
            ));
        };
        for p in &fr.permissions {
            let resource = p.resource.to_string();
            let decision = evaluate(&now, &p.action, &resource);
            let kept_deny = decision == Decision::Denied
                && evaluate(&was, &p.action, &resource) == Decision::Denied;
            if decision != Decision::Allowed && !kept_deny {
                return Err(format!(
                    "after the edit, the role of `{}` still does not grant {} on {resource}",
                    before.name, p.action
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{apply, policy_edits};
    use std::path::Path;

    const HANDLER: &str = "const { DynamoDB } = require('aws-sdk');
const db = new DynamoDB.DocumentClient();
exports.main = async () => db.get({ TableName: 'orders', Key: {} }).promise();
";
    const CONFIG: &str = "# the service
service: shop
provider:
  name: aws
functions:
  # reads orders
  get:
    handler: src/get.main # the handler
  put:
    handler: src/put.main
";

    fn read(text: &str) -> Project {
        crate::project::read_yaml_config(text, Path::new("serverless.yml"))
    }

    fn analysed(config: &str) -> (Project, Report) {
        let put = HANDLER.replace("db.get", "db.put");
        let fs = crate::MemFs::new([
            ("serverless.yml", config),
            ("src/get.js", HANDLER),
            ("src/put.js", put.as_str()),
        ]);
        let project = read(config);
        let report = crate::analyze(&project, &fs);
        (project, report)
    }

    fn check(
        old: &str,
        new: &str,
        edits: &[TextEdit],
        project: &Project,
        report: &Report,
        skipped: &[&str],
    ) -> Result<(), String> {
        let after = read(new);
        let skipped: BTreeSet<String> = skipped.iter().map(|s| s.to_string()).collect();
        verify(&Candidate {
            old,
            new,
            edits,
            before: project,
            after: &after,
            report,
            skipped: &skipped,
            json: false,
        })
    }

    #[test]
    fn the_real_edits_pass() {
        let (project, report) = analysed(CONFIG);
        let edits = crate::edit::config_edits(&project, CONFIG, &report).edits;
        assert!(!edits.is_empty());
        let new = apply(CONFIG, &edits);
        assert_ne!(new, CONFIG);
        assert_eq!(check(CONFIG, &new, &edits, &project, &report, &[]), Ok(()));
        // Writing nothing is always fine.
        assert_eq!(check(CONFIG, CONFIG, &[], &project, &report, &[]), Ok(()));
    }

    #[test]
    fn a_dropped_comment_is_refused() {
        let (project, report) = analysed(CONFIG);
        // Replaces the comment line above `get` with an innocent key.
        let edits = vec![TextEdit::replace(6, vec!["  # reads".into()])];
        let new = apply(CONFIG, &edits);
        let err = check(CONFIG, &new, &edits, &project, &report, &[]).unwrap_err();
        assert!(err.contains("drop the comment \"# reads orders\""), "{err}");
    }

    #[test]
    fn a_config_that_no_longer_parses_is_refused() {
        let (project, report) = analysed(CONFIG);
        let edits = vec![TextEdit::insert_after(4, vec!["  stage: [dev".into()])];
        let new = apply(CONFIG, &edits);
        let err = check(CONFIG, &new, &edits, &project, &report, &[]).unwrap_err();
        assert!(err.contains("does not parse"), "{err}");
        let json = "{\"Resources\": {}}\n";
        let p = read(json);
        let bad = "{\"Resources\": {},}\n";
        let skipped = BTreeSet::new();
        let err = verify(&Candidate {
            old: json,
            new: bad,
            edits: &[TextEdit::replace(1, vec![bad.trim_end().into()])],
            before: &p,
            after: &read(bad),
            report: &report,
            skipped: &skipped,
            json: true,
        })
        .unwrap_err();
        assert!(err.contains("not valid JSON"), "{err}");
    }

    #[test]
    fn a_change_outside_the_edited_lines_is_refused() {
        let (project, report) = analysed(CONFIG);
        let edits = policy_edits(&project, CONFIG, &report, false);
        let new = apply(CONFIG, &edits).replace("service: shop", "service: shop2");
        let err = check(CONFIG, &new, &edits, &project, &report, &[]).unwrap_err();
        assert!(
            err.contains("line 2 changed outside the edited lines"),
            "{err}"
        );
        // A line more than the edits say.
        let new = format!("{}\n", apply(CONFIG, &edits));
        let err = check(CONFIG, &new, &edits, &project, &report, &[]).unwrap_err();
        assert!(err.contains("lines where the edits give"), "{err}");
    }

    #[test]
    fn statements_for_the_wrong_function_are_refused() {
        let (project, report) = analysed(CONFIG);
        // `get`'s statements written under `put`: `put` gains a role that lacks PutItem.
        let block = vec![
            "    iam:".to_string(),
            "      role:".into(),
            "        statements:".into(),
            "          - Effect: Allow".into(),
            "            Action: dynamodb:GetItem".into(),
            "            Resource: '*'".into(),
        ];
        let edits = vec![TextEdit::insert_after(10, block)];
        let new = apply(CONFIG, &edits);
        let err = check(CONFIG, &new, &edits, &project, &report, &[]).unwrap_err();
        assert!(
            err.contains("the role of `put` still does not grant dynamodb:PutItem"),
            "{err}"
        );
    }

    #[test]
    fn an_edit_of_a_function_left_alone_is_refused() {
        let (project, report) = analysed(CONFIG);
        let edits = policy_edits(&project, CONFIG, &report, false);
        let new = apply(CONFIG, &edits);
        let err = check(CONFIG, &new, &edits, &project, &report, &["put"]).unwrap_err();
        assert!(
            err.contains("changes function `put`, which must be left as it is"),
            "{err}"
        );
    }

    #[test]
    fn edits_are_attributed_to_the_function_whose_settings_hold_them() {
        let project = read(CONFIG);
        let edits = [
            TextEdit::insert_after(8, vec![]),
            TextEdit::replace(10, vec![]),
            TextEdit::replace(3, vec![]),
        ];
        let got: Vec<&str> = edited_functions(&project, CONFIG, &edits)
            .into_iter()
            .collect();
        assert_eq!(got, vec!["get", "put"]);
    }
}

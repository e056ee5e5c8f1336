//! The one fixture harness. Every fixture under `test-fixtures/<suite>/` (`projects`, `check`,
//! `broken`, `writes`) is a folder or a multi-file text (`<name>.fixture`: files separated by
//! `//- path` header lines, analysed on the in-memory `MemFs`). Each goes through the same loop:
//! its expectations are read (inline comments and `expect.txt`, see [`expect`]), the project is
//! analysed in this process, every permission, diagnostic, call edge, auth recommendation (and,
//! for `check`, finding) is matched against them both ways, the suite's command is run through
//! the binary (its exit status and output checked, and checked to agree with the analysis), and
//! the report JSON is compared with the snapshot `<name>.snap` stored next to the fixture.
//! `writes` fixtures are then written and diffed as [`writes`] describes.
//!
//! `SLZ_FIXTURE=NAME[,NAME...]` runs only the fixtures named (`authorizers` or
//! `projects/authorizers`).

#![allow(dead_code)]

pub mod expect;
pub mod writes;

use crate::common;
use expect::{Expectation, Fact, Kind, Outcome};
use serde_json::Value;
use slz_iam::project::{read_project, CONFIG_NAMES};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The kinds of fixture, by the folder of `test-fixtures/` they are in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suite {
    /// `generate`: permissions, diagnostics, edges, auth; snapshot.
    Projects,
    /// The same, plus `check`'s findings; the command whose exit status counts is `check`.
    Check,
    /// Broken or hostile input: the same as `projects`, and every other command must survive it.
    Broken,
    /// `generate --write` and `--format diff` against `expected.<ext>`.
    Writes,
}

impl Suite {
    pub fn folder(self) -> &'static str {
        match self {
            Suite::Projects => "projects",
            Suite::Check => "check",
            Suite::Broken => "broken",
            Suite::Writes => "writes",
        }
    }

    /// What the suite compares with the expectations.
    fn kinds(self) -> &'static [Kind] {
        match self {
            Suite::Check => &Kind::ALL,
            _ => &[Kind::Iam, Kind::Diag, Kind::Edge, Kind::Auth],
        }
    }
}

/// The files of a fixture that are the harness's, not the project's.
fn is_harness_file(rel: &str) -> bool {
    matches!(rel, "CONFIG" | "ROOT" | "LINKS" | "expect.txt") || rel.starts_with("expected.")
}

/// One file of a multi-file text.
#[derive(Clone, Debug)]
pub struct Section {
    pub path: String,
    pub text: String,
    /// The line of the `.fixture` file holding the section's first line.
    pub first_line: u32,
}

/// Splits a multi-file text at its `//- path` header lines (text before the first header is a
/// description).
pub fn sections(text: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let n = u32::try_from(i + 1).unwrap();
        if let Some(path) = line.strip_prefix("//- ") {
            out.push(Section {
                path: path.trim().to_string(),
                text: String::new(),
                first_line: n + 1,
            });
        } else if let Some(s) = out.last_mut() {
            s.text.push_str(line);
        }
    }
    out
}

pub struct Fixture {
    pub suite: Suite,
    /// `<suite>/<stem>`.
    pub name: String,
    pub stem: String,
    /// The folder, or the `.fixture` file.
    pub path: PathBuf,
    /// For a multi-file text: its files.
    pub sections: Option<Vec<Section>>,
}

/// The fixtures of a suite, sorted, less those `SLZ_FIXTURE` leaves out.
pub fn discover(suite: Suite) -> Vec<Fixture> {
    let dir = common::fixture_dir(suite.folder());
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    let only: Option<Vec<String>> = std::env::var("SLZ_FIXTURE")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let mut out = Vec::new();
    for path in entries {
        let file_name = path.file_name().unwrap().to_string_lossy().to_string();
        let (stem, sections) = if path.is_dir() {
            (file_name, None)
        } else if let Some(stem) = file_name.strip_suffix(".fixture") {
            let text = std::fs::read_to_string(&path).unwrap();
            (stem.to_string(), Some(sections(&text)))
        } else {
            continue; // snapshots
        };
        let name = format!("{}/{stem}", suite.folder());
        if only
            .as_ref()
            .is_some_and(|o| !o.iter().any(|x| *x == name || *x == stem))
        {
            continue;
        }
        out.push(Fixture {
            suite,
            name,
            stem,
            path,
            sections,
        });
    }
    out
}

/// Every file under `dir`, relative to `base`, sorted.
pub fn files_under(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, base, out);
        } else {
            out.push(p.strip_prefix(base).unwrap().to_path_buf());
        }
    }
}

impl Fixture {
    pub fn is_text(&self) -> bool {
        self.sections.is_some()
    }

    /// The fixture's path from the repository root, for messages.
    pub fn shown(&self) -> String {
        let ext = if self.is_text() { ".fixture" } else { "" };
        format!("test-fixtures/{}{ext}", self.name)
    }

    /// A harness file (`CONFIG`, `ROOT`, `LINKS`, `expect.txt`, `expected.<ext>`).
    pub fn harness_file(&self, name: &str) -> Option<String> {
        match &self.sections {
            Some(s) => s.iter().find(|s| s.path == name).map(|s| s.text.clone()),
            None => std::fs::read_to_string(self.path.join(name)).ok(),
        }
    }

    /// `ROOT`: the project folder inside the fixture, `""` when it is the fixture itself.
    pub fn root(&self) -> String {
        self.harness_file("ROOT")
            .map(|r| r.trim().trim_end_matches('/').to_string())
            .unwrap_or_default()
    }

    /// `CONFIG`: the config, relative to the project folder, when not found by its usual name.
    pub fn config(&self) -> Option<String> {
        self.harness_file("CONFIG").map(|c| c.trim().to_string())
    }

    /// Where line `line` of the fixture file `rel` (relative to the fixture) is, for messages.
    pub fn written_at(&self, rel: &str, line: u32) -> String {
        match &self.sections {
            Some(s) => {
                let first = s.iter().find(|s| s.path == rel).map_or(1, |s| s.first_line);
                format!("{}:{} ({rel}:{line})", self.shown(), first + line - 1)
            }
            None => format!("{}/{rel}:{line}", self.shown()),
        }
    }

    /// Where line `line` of the project file `file` (relative to the project root) is.
    pub fn place(&self, file: &str, line: u32) -> String {
        let root = self.root();
        let rel = if root.is_empty() {
            file.to_string()
        } else {
            format!("{root}/{file}")
        };
        self.written_at(&rel, line)
    }

    /// The fixture's files (relative to the fixture) with their text, harness files included.
    pub fn all_files(&self) -> Vec<(String, Option<String>)> {
        match &self.sections {
            Some(s) => s
                .iter()
                .map(|s| (s.path.clone(), Some(s.text.clone())))
                .collect(),
            None => {
                let mut rels = Vec::new();
                files_under(&self.path, &self.path, &mut rels);
                rels.into_iter()
                    .map(|r| {
                        let text = std::fs::read_to_string(self.path.join(&r)).ok();
                        (r.to_string_lossy().replace('\\', "/"), text)
                    })
                    .collect()
            }
        }
    }

    /// The project's files (relative to the project root) with their text.
    pub fn project_files(&self) -> Vec<(String, String)> {
        let root = self.root();
        self.all_files()
            .into_iter()
            .filter(|(rel, _)| !is_harness_file(rel))
            .filter_map(|(rel, text)| {
                let rel = if root.is_empty() {
                    rel
                } else {
                    rel.strip_prefix(&format!("{root}/"))?.to_string()
                };
                Some((rel, text?))
            })
            .collect()
    }

    /// The expectations and the fixture-wide outcome; problems in writing them.
    pub fn expectations(&self) -> (Vec<Expectation>, Outcome, Vec<String>) {
        let (mut out, mut errors) = (Vec::new(), Vec::new());
        let root = self.root();
        for (rel, text) in self.project_files() {
            let in_fixture = if root.is_empty() {
                rel.clone()
            } else {
                format!("{root}/{rel}")
            };
            let at = |line: u32| self.written_at(&in_fixture, line);
            expect::inline(&rel, &text, &at, &mut out, &mut errors);
        }
        let outcome = match self.harness_file("expect.txt") {
            Some(text) => {
                let at = |line: u32| self.written_at("expect.txt", line);
                expect::expect_file(&text, &at, &mut out, &mut errors)
            }
            None => Outcome::default(),
        };
        (out, outcome, errors)
    }

    /// A scratch copy of the fixture's files (a multi-file text written out).
    pub fn materialize(&self, tag: &str) -> common::Scratch {
        let tag = format!("{tag}-{}-{}", self.suite.folder(), self.stem);
        match &self.sections {
            None => common::scratch_copy(&self.path, &tag),
            Some(sections) => {
                let dir = common::scratch_empty(&tag);
                for s in sections {
                    let p = dir.join(&s.path);
                    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                    std::fs::write(p, &s.text).unwrap();
                }
                dir
            }
        }
    }
}

/// What the analysis in this process gave.
pub struct Analysis {
    /// The report's JSON contract; None when the config could not be used (exit 2).
    pub json: Option<Value>,
    /// Every permission source, diagnostic, edge, auth recommendation (and finding).
    pub facts: Vec<Fact>,
    /// `check`'s findings, as `check --format json` prints them.
    pub findings: Option<Value>,
    /// Problems the analysis shows by itself (an invalid policy, inconsistent JSON).
    pub problems: Vec<String>,
}

fn facts_of_diagnostics(diags: &[slz_analyzer::diagnostics::Diagnostic]) -> Vec<Fact> {
    diags
        .iter()
        .map(|d| Fact {
            kind: Kind::Diag,
            file: d.location.file.to_string_lossy().replace('\\', "/"),
            line: d.location.line,
            function: None,
            fields: vec![d.code.to_string()],
            extra: BTreeMap::new(),
        })
        .collect()
}

/// The analysis of a project read from disk at `root`.
pub fn analyse_disk(root: &Path, config: Option<&str>, check: bool) -> Analysis {
    match slz_iam::project::load_all(Some(root.to_path_buf()), config.map(|c| root.join(c))) {
        Ok(l) => {
            let fs = slz_iam::fs::DiskFs::new(root).unwrap();
            analysed(&l.project, &l.report, &fs, check)
        }
        Err(e) => {
            // Unusable input: the diagnostics of the project reader say why.
            let rel = config.map(PathBuf::from).or_else(|| {
                CONFIG_NAMES
                    .iter()
                    .map(PathBuf::from)
                    .find(|n| root.join(n).is_file())
            });
            let facts = match rel {
                Some(rel) => {
                    let bytes = std::fs::read(root.join(&rel)).unwrap_or_default();
                    let source = String::from_utf8_lossy(&bytes).into_owned();
                    let fs = slz_iam::fs::DiskFs::new(root).unwrap();
                    facts_of_diagnostics(&read_project(&rel, &source, &fs).diagnostics)
                }
                None => Vec::new(),
            };
            unusable(e.to_string(), facts)
        }
    }
}

fn unusable(why: String, facts: Vec<Fact>) -> Analysis {
    Analysis {
        json: None,
        facts,
        findings: None,
        problems: vec![format!("(in-process: {why})")],
    }
}

/// The analysis of a project held in memory (files relative to the project root).
pub fn analyse_mem(files: &[(String, String)], config: Option<&str>, check: bool) -> Analysis {
    let fs = slz_analyzer::MemFs::new(files.iter().map(|(p, t)| (p.clone(), t.clone())));
    use slz_analyzer::SourceFs;
    let Some(rel) = config.map(PathBuf::from).or_else(|| {
        CONFIG_NAMES
            .iter()
            .map(PathBuf::from)
            .find(|n| fs.is_file(n))
    }) else {
        return unusable("no config among the files".into(), Vec::new());
    };
    let source = fs.read(&rel).unwrap_or_default();
    let project = read_project(&rel, &source, &fs);
    if let Some(d) = project
        .diagnostics
        .iter()
        .find(|d| d.code == "config-parse-error")
    {
        let why = d.message.clone();
        return unusable(why, facts_of_diagnostics(&project.diagnostics));
    }
    let report = slz_analyzer::analyze(&project, &fs);
    analysed(&project, &report, &fs, check)
}

/// The facts of an analysis, and `check`'s findings when asked.
fn analysed(
    project: &slz_analyzer::project::Project,
    report: &slz_analyzer::Report,
    fs: &dyn slz_analyzer::SourceFs,
    check: bool,
) -> Analysis {
    let json = report.to_json();
    let mut problems = valid_iam(&json);
    // The text `--format json` prints, each function serialised on its own, is the text of the
    // whole contract serialised in one piece.
    let whole = serde_json::to_string_pretty(&report.json_view()).unwrap() + "\n";
    if report.to_json_text() != whole {
        problems.push("--format json text differs from the contract serialised whole".into());
    }
    let mut facts = Vec::new();
    let s = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".to_string(),
        other => other.to_string(),
    };
    let line = |v: &Value| u32::try_from(v.as_u64().unwrap()).unwrap();
    for f in json["functions"].as_array().unwrap() {
        for p in f["permissions"].as_array().unwrap() {
            for src in p["sources"].as_array().unwrap() {
                facts.push(Fact {
                    kind: Kind::Iam,
                    file: s(&src["file"]),
                    line: line(&src["line"]),
                    function: Some(s(&f["name"])),
                    fields: vec![s(&p["action"]), s(&p["resource"])],
                    extra: BTreeMap::new(),
                });
            }
        }
    }
    facts.extend(facts_of_diagnostics(&report.diagnostics));
    for e in json["edges"].as_array().unwrap() {
        facts.push(Fact {
            kind: Kind::Edge,
            file: s(&e["file"]),
            line: line(&e["line"]),
            function: Some(s(&e["from"])),
            fields: vec![s(&e["to"]), s(&e["via"])],
            extra: BTreeMap::new(),
        });
    }
    for a in &report.auth {
        // The recommendation is about an event: its line in the config.
        let at = project
            .functions
            .iter()
            .filter(|f| f.name == a.function)
            .flat_map(|f| f.events.iter().map(move |e| (f, e)))
            .find(|(_, e)| e.description == a.event)
            .map(|(f, e)| (f.location.file.to_string_lossy().replace('\\', "/"), e.line));
        let (file, line) = at.unwrap_or_else(|| ("?".into(), 0));
        facts.push(Fact {
            kind: Kind::Auth,
            file,
            line,
            function: Some(a.function.clone()),
            fields: vec![a.current.clone(), a.recommended.clone()],
            extra: BTreeMap::new(),
        });
    }
    let findings = check.then(|| findings(project, report, fs));
    if let Some(Ok(list)) = &findings {
        for f in list.as_array().unwrap() {
            facts.push(Fact {
                kind: Kind::Finding,
                file: s(&f["file"]),
                line: line(&f["line"]),
                function: f["function"].as_str().map(str::to_string),
                fields: vec![s(&f["code"]), s(&f["action"]), s(&f["resource"])],
                extra: [
                    ("severity", s(&f["severity"])),
                    ("message", s(&f["message"])),
                ]
                .into_iter()
                .collect(),
            });
        }
    }
    let findings = match findings {
        Some(Err(e)) => {
            problems.push(e);
            None
        }
        Some(Ok(v)) => Some(v),
        None => None,
    };
    Analysis {
        json: Some(json),
        facts,
        findings,
        problems,
    }
}

/// `check`'s findings after `slz-iam.toml` and inline suppressions, as its JSON prints them.
fn findings(
    project: &slz_analyzer::project::Project,
    report: &slz_analyzer::Report,
    fs: &dyn slz_analyzer::SourceFs,
) -> Result<Value, String> {
    use slz_analyzer::check::{read_settings, CheckConfig, SettingsError, SETTINGS_FILE};
    use slz_iam::emit::formats::{lookup, Command};
    let cfg = match read_settings(fs, Path::new(SETTINGS_FILE)) {
        Ok(cfg) => cfg,
        Err(SettingsError::Invalid(why)) => return Err(why),
        Err(SettingsError::Read(_)) => CheckConfig::default(),
    };
    let found = slz_analyzer::check::findings(project, report, &cfg, fs);
    let config_text = fs.read(&project.config).unwrap_or_default();
    let view = slz_iam::emit::View {
        report,
        project,
        findings: &found,
        root: Path::new(""),
        files: fs,
        config_text: &config_text,
        edited: None,
    };
    let mut out = Vec::new();
    let json = lookup(Command::Check, "json").ok_or("no check json format")?;
    json.emitter
        .emit(&mut out, &view)
        .map_err(|e| e.to_string())?;
    let v: Value = serde_json::from_slice(&out).unwrap();
    Ok(v["findings"].clone())
}

/// The policies are valid IAM: every action exists in the catalog, Sids are unique and alphanumeric.
fn valid_iam(json: &Value) -> Vec<String> {
    let cat = slz_analyzer::catalog::catalog();
    let mut problems = Vec::new();
    for f in json["functions"].as_array().unwrap() {
        let mut sids = BTreeSet::new();
        for st in f["policy"]["Statement"].as_array().unwrap() {
            let sid = st["Sid"].as_str().unwrap();
            if sid.is_empty()
                || !sid.chars().all(|c| c.is_ascii_alphanumeric())
                || !sids.insert(sid.to_string())
            {
                problems.push(format!("{}: bad or duplicate Sid {sid:?}", f["name"]));
            }
            for a in st["Action"].as_array().unwrap() {
                let a = a.as_str().unwrap();
                let (prefix, name) = a.split_once(':').unwrap();
                if cat
                    .iam_prefix(prefix)
                    .and_then(|p| p.action(name))
                    .is_none()
                {
                    problems.push(format!("{}: {a} is not an IAM action", f["name"]));
                }
            }
            if st["Resource"].as_array().unwrap().is_empty() {
                problems.push(format!("{}: statement {sid} has no resource", f["name"]));
            }
        }
    }
    problems
}

pub use common::slz_on as slz;

/// `FILE:LINE CODE` for each diagnostic line of stderr (`file:line:col: severity[code]: ...`).
pub fn stderr_diagnostics(stderr: &str) -> BTreeSet<String> {
    stderr
        .lines()
        .filter_map(|l| {
            let (loc, rest) = l.split_once(": ")?;
            let code = rest.split_once('[')?.1.split_once(']')?.0;
            let mut parts = loc.rsplitn(3, ':');
            let (_col, line, file) = (parts.next()?, parts.next()?, parts.next()?);
            Some(format!("{file}:{line} {code}"))
        })
        .collect()
}

/// The exit status and the output a command gave, against the fixture-wide expectations.
pub fn compare_outcome(
    f: &Fixture,
    what: &str,
    want: &Outcome,
    (exit, out, err): (i32, &str, &str),
) -> Vec<String> {
    let at = f.harness_file("expect.txt").map_or_else(
        || format!("{} (no expect.txt: exit 0)", f.shown()),
        |_| f.written_at("expect.txt", 1),
    );
    let mut problems = Vec::new();
    if exit == 2 && err.lines().count() != 1 {
        problems.push(format!(
            "{at}: {what}: a refusal is one line on stderr, got:\n{err}"
        ));
    }
    if exit != want.exit {
        problems.push(format!(
            "{at}: {what}: exit {exit}, expected {}; stderr:\n{err}",
            want.exit
        ));
    }
    for s in &want.stderr {
        if !err.contains(s.as_str()) {
            problems.push(format!("{at}: {what}: stderr lacks `{s}`:\n{err}"));
        }
    }
    for s in &want.stdout {
        if !out.contains(s.as_str()) {
            problems.push(format!("{at}: {what}: stdout lacks `{s}`:\n{out}"));
        }
    }
    problems
}

/// Checks one fixture of the `projects`, `check` or `broken` suites; the problems found, and the
/// report JSON to compare with the snapshot.
fn run_analysis_fixture(f: &Fixture) -> (Vec<String>, Option<Value>) {
    let (expectations, want, mut problems) = f.expectations();
    let config = f.config();
    let check = f.suite == Suite::Check;
    // The folder the binary reads: the fixture itself, or a multi-file text written out.
    let scratch = f.is_text().then(|| f.materialize("fx"));
    let base = scratch.as_deref().map_or(f.path.clone(), Path::to_path_buf);
    let dir = base.join(f.root());
    let analysis = match f.sections {
        Some(_) => analyse_mem(&f.project_files(), config.as_deref(), check),
        None => analyse_disk(&dir, config.as_deref(), check),
    };
    let place = |file: &str, line: u32| f.place(file, line);
    if analysis.json.is_some() {
        problems.extend(analysis.problems.iter().cloned());
    }
    problems.extend(expect::compare(
        &expectations,
        &analysis.facts,
        f.suite.kinds(),
        &place,
    ));
    let d = dir.display().to_string();
    let args = |command: &str, extra: &[&str]| {
        let mut a = vec![command.to_string(), d.clone()];
        if let Some(c) = &config {
            a.extend(["--config".to_string(), format!("{d}/{c}")]);
        }
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let run = |args: Vec<String>, threads| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        slz(&args, threads)
    };
    // `generate`: what the binary prints is what the analysis here gave.
    let generate = run(args("generate", &["--format", "json"]), 2);
    let (exit, out, err) = &generate;
    match &analysis.json {
        None if *exit != 2 => problems.push(format!(
            "{}: the analysis here refused the config ({:?}), generate exited {exit}",
            f.shown(),
            analysis.problems
        )),
        None => {
            // The one line names where the config stops parsing.
            for fact in analysis
                .facts
                .iter()
                .filter(|x| x.fields[0] == "config-parse-error")
            {
                if !err.contains(&format!("{}:{}:", fact.file, fact.line)) {
                    problems.push(format!(
                        "{}: generate's one line does not name {}:{}: {err}",
                        f.shown(),
                        fact.file,
                        fact.line
                    ));
                }
            }
        }
        Some(json) => {
            let printed: Option<Value> = serde_json::from_str(out).ok();
            if printed.as_ref() != Some(json) {
                problems.push(format!(
                    "{}: generate (exit {exit}) prints other JSON than the analysis here gives:\n{err}",
                    f.shown()
                ));
            }
            let here: BTreeSet<String> = analysis
                .facts
                .iter()
                .filter(|x| x.kind == Kind::Diag)
                .map(|x| format!("{}:{} {}", x.file, x.line, x.fields[0]))
                .collect();
            let printed = stderr_diagnostics(err);
            if printed != here {
                problems.push(format!(
                    "{}: generate's stderr diagnostics {printed:?} are not the analysis's {here:?}",
                    f.shown()
                ));
            }
        }
    }
    if check {
        let text = run(args("check", &[]), 2);
        problems.extend(compare_outcome(
            f,
            "check",
            &want,
            (text.0, &text.1, &text.2),
        ));
        let (_, out, _) = run(args("check", &["--format", "json"]), 2);
        let printed: Option<Value> = serde_json::from_str::<Value>(&out)
            .ok()
            .map(|v| v["findings"].clone());
        if printed != analysis.findings {
            problems.push(format!(
                "{}: check --format json prints other findings than the check here gives:\n{out}",
                f.shown()
            ));
        }
    } else {
        problems.extend(compare_outcome(f, "generate", &want, (*exit, out, err)));
    }
    if f.suite == Suite::Broken {
        // Every other command survives the same input.
        for extra in [
            ("check", &[][..]),
            ("graph", &[][..]),
            ("generate", &["--format", "sam"][..]),
        ] {
            let (code, _, err) = run(args(extra.0, extra.1), 1);
            if !matches!(code, 0..=2) {
                problems.push(format!("{}: {extra:?} exited {code}:\n{err}", f.shown()));
            }
        }
    }
    (problems, analysis.json)
}

/// Checks one fixture of any suite; the problems found, and the JSON to snapshot.
pub fn run_fixture(f: &Fixture) -> (Vec<String>, Option<Value>) {
    match f.suite {
        Suite::Writes => (writes::run(f), None),
        _ => run_analysis_fixture(f),
    }
}

/// Compares `json` with the snapshot `<stem>.snap` next to the fixture; false when it differs
/// (insta prints the difference and writes `<stem>.snap.new`).
fn snapshot_matches(f: &Fixture, json: &Value) -> bool {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(common::fixture_dir(f.suite.folder()));
    settings.set_prepend_module_to_snapshot(false);
    let name = f.stem.clone();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_json_snapshot!(name, json));
    }))
    .is_ok()
}

/// Runs every fixture of `suite` and fails with everything that went wrong.
pub fn run_suite(suite: Suite) {
    let fixtures = discover(suite);
    if std::env::var("SLZ_FIXTURE").is_err() {
        assert!(
            fixtures.len() >= 5,
            "the {} fixtures: {:?}",
            suite.folder(),
            fixtures.iter().map(|f| &f.name).collect::<Vec<_>>()
        );
    }
    let mut failures = Vec::new();
    let mut snapshots = Vec::new();
    for f in &fixtures {
        // Symlinks are made only on unix systems; elsewhere a case that needs them is not run.
        if cfg!(not(unix)) && f.harness_file("LINKS").is_some() {
            continue;
        }
        let (problems, json) = run_fixture(f);
        if !problems.is_empty() {
            failures.push(format!("{}:\n  {}", f.name, problems.join("\n  ")));
        }
        if let Some(json) = json {
            snapshots.push((f, json));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    let differ: Vec<&str> = snapshots
        .into_iter()
        .filter(|(f, json)| !snapshot_matches(f, json))
        .map(|(f, _)| f.name.as_str())
        .collect();
    assert!(
        differ.is_empty(),
        "snapshots differ (see above; `INSTA_UPDATE=always` rewrites them, for review): {differ:?}"
    );
}

/// The fixture `stem` of `suite`, whatever `SLZ_FIXTURE` says.
pub fn fixture(suite: Suite, stem: &str) -> Fixture {
    let dir = common::fixture_dir(suite.folder()).join(stem);
    let text = dir.with_extension("fixture");
    let sections = (!dir.is_dir()).then(|| sections(&std::fs::read_to_string(&text).unwrap()));
    Fixture {
        suite,
        name: format!("{}/{stem}", suite.folder()),
        stem: stem.to_string(),
        path: if sections.is_some() { text } else { dir },
        sections,
    }
}

//! Runs every project under `test-fixtures/projects/` through the same path as `slz-iam generate`
//! and checks its inline expectations, then snapshots the JSON output.
//!
//! Expectations are comments on the line they are about (`//` or `#`), several separated by `;`:
//! - `iam: ACTION [RESOURCE-SUBSTRING]` — a permission whose source is this line;
//!   `iam(fn-a,fn-b): ...` limits it to those functions (and demands it in each).
//! - `diag: CODE` — a diagnostic with this code on this line.
//!
//! The harness fails on a missing expectation and on an unexpected permission or diagnostic.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug)]
struct Expectation {
    file: String,
    line: u32,
    kind: String,
    functions: Vec<String>,
    value: String,
    resource: Option<String>,
    hits: Vec<String>,
}

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-fixtures/projects")
}

fn files(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, base, out);
        } else {
            out.push(p.strip_prefix(base).unwrap().to_path_buf());
        }
    }
}

fn expectations(project: &Path) -> Vec<Expectation> {
    let mut all = Vec::new();
    files(project, project, &mut all);
    let mut out = Vec::new();
    for rel in all {
        let Ok(text) = std::fs::read_to_string(project.join(&rel)) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let comment = match (line.find("// "), line.find("# ")) {
                (Some(a), _) => &line[a + 3..],
                (None, Some(b)) => &line[b + 2..],
                _ => continue,
            };
            for marker in comment.split(';') {
                let marker = marker.trim();
                let (head, rest) = match marker.split_once(':') {
                    Some(x) => x,
                    None => continue,
                };
                let (kind, functions) = match head.split_once('(') {
                    Some((k, f)) => (
                        k,
                        f.trim_end_matches(')')
                            .split(',')
                            .map(|s| s.trim().to_string())
                            .collect(),
                    ),
                    None => (head, Vec::new()),
                };
                if kind != "iam" && kind != "diag" {
                    continue;
                }
                let mut words = rest.split_whitespace();
                let Some(value) = words.next() else { continue };
                out.push(Expectation {
                    file: rel.to_string_lossy().replace('\\', "/"),
                    line: u32::try_from(i + 1).unwrap(),
                    kind: kind.to_string(),
                    functions,
                    value: value.to_string(),
                    resource: words.next().map(str::to_string),
                    hits: Vec::new(),
                });
            }
        }
    }
    out
}

fn resource_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Checks one fixture project; returns the problems found.
fn check(project: &Path) -> (Vec<String>, Value) {
    // A `CONFIG` file names the config when it is not found by its usual name.
    let config = std::fs::read_to_string(project.join("CONFIG"))
        .ok()
        .map(|c| project.join(c.trim()));
    let report = slz_iam::project::load(Some(project.to_path_buf()), config)
        .unwrap_or_else(|e| panic!("{}: {e}", project.display()));
    let json = report.to_json();
    let mut exp = expectations(project);
    let mut problems = valid_iam(&json);
    // The text `--format json` prints, each function serialised on its own, is the text of the
    // whole contract serialised in one piece.
    let whole = serde_json::to_string_pretty(&report.json_view()).unwrap() + "\n";
    if report.to_json_text() != whole {
        problems.push("--format json text differs from the contract serialised whole".into());
    }
    for f in json["functions"].as_array().unwrap() {
        let name = f["name"].as_str().unwrap();
        for p in f["permissions"].as_array().unwrap() {
            let action = p["action"].as_str().unwrap();
            let resource = resource_text(&p["resource"]);
            for s in p["sources"].as_array().unwrap() {
                let (file, line) = (
                    s["file"].as_str().unwrap(),
                    u32::try_from(s["line"].as_u64().unwrap()).unwrap(),
                );
                let hit = exp.iter_mut().find(|e| {
                    e.kind == "iam"
                        && e.file == file
                        && e.line == line
                        && e.value == action
                        && e.resource
                            .as_ref()
                            .is_none_or(|r| resource.contains(r.as_str()))
                        && (e.functions.is_empty() || e.functions.iter().any(|f| f == name))
                });
                match hit {
                    Some(e) => e.hits.push(name.to_string()),
                    None => problems.push(format!(
                        "unexpected permission {action} on {resource} for {name} at {file}:{line}"
                    )),
                }
            }
        }
    }
    for d in json["diagnostics"].as_array().unwrap() {
        let (code, file, line) = (
            d["code"].as_str().unwrap(),
            d["file"].as_str().unwrap(),
            u32::try_from(d["line"].as_u64().unwrap()).unwrap(),
        );
        match exp
            .iter_mut()
            .find(|e| e.kind == "diag" && e.file == file && e.line == line && e.value == code)
        {
            Some(e) => e.hits.push(String::new()),
            None => problems.push(format!(
                "unexpected diagnostic {code} at {file}:{line}: {}",
                d["message"]
            )),
        }
    }
    for e in &exp {
        let missing = if e.functions.is_empty() {
            e.hits.is_empty()
        } else {
            e.functions.iter().any(|f| !e.hits.contains(f))
        };
        if missing {
            problems.push(format!(
                "expected {} {} {} at {}:{} (functions: {:?}, found in {:?})",
                e.kind,
                e.value,
                e.resource.as_deref().unwrap_or(""),
                e.file,
                e.line,
                e.functions,
                e.hits
            ));
        }
    }
    (problems, json)
}

/// The policies are valid IAM: every action exists in the catalog, Sids are unique and alphanumeric.
fn valid_iam(json: &Value) -> Vec<String> {
    let cat = slz_analyzer::catalog::catalog();
    let mut problems = Vec::new();
    for f in json["functions"].as_array().unwrap() {
        let mut sids = std::collections::BTreeSet::new();
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

#[test]
fn fixture_projects() {
    let mut names: Vec<_> = std::fs::read_dir(fixtures_root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert!(names.len() >= 5, "fixture projects: {names:?}");
    let mut failures = BTreeMap::new();
    let mut snapshots = Vec::new();
    for name in &names {
        let (problems, json) = check(&fixtures_root().join(name));
        if !problems.is_empty() {
            failures.insert(name.clone(), problems);
        }
        snapshots.push((name.clone(), json));
    }
    assert!(
        failures.is_empty(),
        "fixture expectations failed:\n{:#?}",
        failures
    );
    for (name, json) in snapshots {
        insta::assert_json_snapshot!(name, json);
    }
}

/// Every service with curated rules is called by some fixture (by its JS v3 package or v2 class).
#[test]
fn every_override_service_is_exercised_by_a_fixture() {
    let mut text = String::new();
    let mut all = Vec::new();
    files(&fixtures_root(), &fixtures_root(), &mut all);
    for f in all {
        text.push_str(&std::fs::read_to_string(fixtures_root().join(f)).unwrap_or_default());
    }
    let cat = slz_analyzer::catalog::catalog();
    let mut missing = Vec::new();
    for ov in cat.override_services() {
        let e = cat.index_entry(&ov.service).unwrap();
        let used = text.contains(&format!("'{}'", e.js_v3_package))
            || e.js_v2_classes
                .iter()
                .any(|c| text.contains(&format!("AWS.{c}(")));
        if !used {
            missing.push(ov.service.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "override services no fixture calls: {missing:?}"
    );
}

//! `slz-iam check`'s command line: exit statuses by `--fail-on`, the SARIF and workflow formats,
//! usage errors and unusable input. What it finds in each fixture (findings, configuration,
//! suppressions) is written in the fixture and checked by `fixtures.rs`.

mod common;

use std::path::Path;
use std::process::Command;

/// `slz-iam check DIR ARGS...`: exit status, standard output, standard error.
fn check_dir(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_slz-iam"))
        .arg("check")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn check(args: &[&str]) -> (i32, String) {
    check_in("app", args)
}

fn check_in(fixture: &str, args: &[&str]) -> (i32, String) {
    let app = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../test-fixtures/check")
        .join(fixture);
    let mut all = vec!["check", app.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = Command::new(env!("CARGO_BIN_EXE_slz-iam"))
        .args(&all)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn exit_status_follows_fail_on() {
    assert_eq!(
        check(&[]).0,
        1,
        "missing and dangerous permissions fail by default"
    );
    assert_eq!(check(&["--fail-on", "policy-too-large"]).0, 0);
    assert_eq!(check(&["--fail-on", "warning"]).0, 1);
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-fixtures/projects/restaurants-iam");
    let out = Command::new(env!("CARGO_BIN_EXE_slz-iam"))
        .args(["check", fixture.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "no declared role: the code's permissions are missing"
    );
}

#[test]
fn sarif_and_github_formats() {
    let (_, out) = check(&["--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "slz-iam");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "missing-permission"
        && r["help"]["text"].as_str().unwrap().contains("AccessDenied")));
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "missing-permission")
        .unwrap();
    assert_eq!(result["level"], "error");
    assert!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("handlers/mailer.js")
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    let (_, out) = check(&["--format", "github"]);
    assert!(
        out.lines()
            .any(|l| l.starts_with("::error file=") && l.contains("handlers/mailer.js,line=3")),
        "{out}"
    );
}

#[test]
fn an_unknown_fail_on_word_is_a_usage_error() {
    let app = common::fixture_dir("check/app");
    for bad in ["bogus", "missing-permission,missing-permision", "errors"] {
        let (status, out, err) = check_dir(&app, &["--fail-on", bad]);
        assert_eq!(status, 2, "--fail-on {bad}: {err}");
        assert!(out.is_empty(), "{out}");
        assert_eq!(err.lines().count(), 1, "{err}");
        let word = bad.rsplit(',').next().unwrap();
        assert!(err.contains(&format!("`{word}`")), "{err}");
        assert!(
            err.contains("missing-permission")
                && err.contains("not-analysed")
                && err.contains("warning"),
            "the valid words are listed: {err}"
        );
    }
    // Known words, with spaces, still work.
    assert_eq!(
        check_dir(&app, &["--fail-on", " policy-too-large , info"]).0,
        1
    );
}

#[test]
fn unknown_codes_in_the_configuration_are_refused() {
    let cases = [
        (
            "[severity]\nmissing-permision = \"off\"\n",
            "missing-permision",
        ),
        (
            "[[ignore]]\ncode = \"excess-permisson\"\nreason = \"typo\"\n",
            "excess-permisson",
        ),
        ("[severity]\nexcess-permission = \"fatal\"\n", "fatal"),
    ];
    for (i, (toml, word)) in cases.iter().enumerate() {
        let dir = common::scratch_copy(&common::fixture_dir("check/app"), &format!("cfg-{i}"));
        std::fs::write(dir.join("slz-iam.toml"), toml).unwrap();
        let (status, out, err) = check_dir(&dir, &[]);
        assert_eq!(status, 2, "{toml}: {err}");
        assert!(out.is_empty(), "{out}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("slz-iam.toml") && err.contains(&format!("`{word}`")),
            "{err}"
        );
    }
}

#[test]
fn sarif_and_github_carry_not_analysed() {
    let (status, out) = check_in("unanalysed", &["--format", "sarif"]);
    assert_eq!(status, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    let broken = results
        .iter()
        .find(|r| {
            r["ruleId"] == "not-analysed"
                && r["message"]["text"].as_str().unwrap().contains("`broken`")
        })
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(broken["level"], "error");
    let index = broken["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "not-analysed");
    let location = &broken["locations"][0]["physicalLocation"];
    assert!(location["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("handlers/broken.js"));
    assert_eq!(location["region"]["startLine"], 4);
    let (_, out) = check_in("unanalysed", &["--format", "github"]);
    assert!(
        out.lines().any(|l| l.starts_with("::error file=")
            && l.contains("serverless.yml,line=20")
            && l.contains("title=not-analysed")
            && l.contains("`billing`")),
        "{out}"
    );
}

#[test]
fn an_unusable_config_still_gives_a_valid_sarif_document() {
    for (case, line) in [("yaml-syntax", 8), ("yaml-not-a-map", 1)] {
        let dir = common::fixture_dir("broken").join(case);
        let (status, out, err) = check_dir(&dir, &["--format", "sarif"]);
        assert_eq!(status, 2, "{case}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{case}: {e}: {out:?}"));
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "slz-iam");
        assert_eq!(run["invocations"][0]["executionSuccessful"], false);
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 1, "{out}");
        assert_eq!(results[0]["level"], "error");
        let rule = results[0]["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            run["tool"]["driver"]["rules"][rule]["id"],
            results[0]["ruleId"]
        );
        let location = &results[0]["locations"][0]["physicalLocation"];
        assert!(location["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{case}/serverless.yml")));
        assert_eq!(location["region"]["startLine"], line, "{case}");
    }
    // No config at all: the document names the folder.
    let empty = common::scratch_empty("no-config-sarif");
    let (status, out, _) = check_dir(&empty, &["--format", "sarif"]);
    assert_eq!(status, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 1);
    // The workflow annotations say it too.
    let dir = common::fixture_dir("broken/yaml-syntax");
    let (status, out, _) = check_dir(&dir, &["--format", "github"]);
    assert_eq!(status, 2);
    assert!(
        out.starts_with("::error file=") && out.contains("serverless.yml,line=8"),
        "{out}"
    );
}

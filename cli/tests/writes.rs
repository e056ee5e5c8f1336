//! `generate --write` on each project under `test-fixtures/writes/`: the config after the write is
//! its `expected.*` byte for byte, every comment line of the original is still there, a second
//! write changes nothing, and where a function could be written `check` finds nothing missing.
//! The notes on stderr say where grants went and why a function was left alone.

mod common;

use std::path::Path;
use std::process::Command;

fn slz(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_slz-iam"))
        .args(args)
        .output()
        .expect("run slz-iam");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Writes the fixture `name` in a scratch copy: (config before, after, stderr, scratch folder).
fn write(name: &str) -> (String, String, String, common::Scratch, String) {
    let src = common::fixture_dir(&format!("writes/{name}"));
    // Tests run in parallel: each write gets a folder of its own.
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = common::scratch_copy(&src, &format!("writes-{name}-{n}"));
    let config_name = std::fs::read_to_string(dir.join("CONFIG")).unwrap();
    let config = dir.join(config_name.trim());
    let before = std::fs::read_to_string(&config).unwrap();
    let d = dir.display().to_string();
    let c = config.display().to_string();
    let (code, _, err) = slz(&["generate", &d, "--config", &c, "--write"]);
    assert!(code == 0 || code == 1, "{name}: {err}");
    let after = std::fs::read_to_string(&config).unwrap();
    (before, after, err, dir, c)
}

fn expected(name: &str) -> String {
    let dir = common::fixture_dir(&format!("writes/{name}"));
    ["expected.yaml", "expected.json"]
        .iter()
        .find_map(|e| std::fs::read_to_string(dir.join(e)).ok())
        .unwrap()
}

fn missing(dir: &Path, config: &str) -> Vec<String> {
    let (_, out, _) = slz(&[
        "check",
        &dir.display().to_string(),
        "--config",
        config,
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "missing-permission")
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn every_write_fixture_gives_its_expected_config() {
    for dir in common::subfolders(&common::fixture_dir("writes")) {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let (before, after, err, scratch, config) = write(&name);
        assert_eq!(after, expected(&name), "{name}: {err}");
        for comment in before.lines().filter(|l| l.trim_start().starts_with('#')) {
            assert!(after.contains(comment), "{name}: lost `{comment}`");
        }
        let d = scratch.display().to_string();
        let (_, diff, _) = slz(&["generate", &d, "--config", &config, "--format", "diff"]);
        assert!(diff.is_empty(), "{name}: a second write changes\n{diff}");
        // Refused functions keep what they lack; every other one has what it needs.
        if !["anchors", "sam-role-external"].contains(&name.as_str()) {
            assert_eq!(missing(&scratch, &config), Vec::<String>::new(), "{name}");
        }
    }
}

#[test]
fn sam_write_keeps_templates_denies_comments_and_managed_policies() {
    let (before, after, _, _, _) = write("sam-policies-kept");
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
fn notes_say_where_grants_went_and_what_was_refused() {
    let (_, _, err, _, _) = write("sls-v3-provider");
    assert!(
        err.contains("go to the shared provider role") && err.contains("v3"),
        "{err}"
    );
    let (_, _, err, _, _) = write("sam-role-external");
    assert!(
        err.contains(
            "`Reader` runs with the role `Role:` names, which this template does not define"
        ),
        "{err}"
    );
    let (_, _, err, _, _) = write("anchors");
    assert!(err.contains("anchor that aliases copy"), "{err}");
    let (_, after, err, _, _) = write("sls-v4-function");
    assert!(!err.contains("provider role"), "{err}");
    assert!(after.contains("inheritStatements: true"), "{after}");
}

#[test]
fn a_write_of_an_older_version_replaces_only_what_the_tool_owns() {
    let src = common::fixture_dir("writes/sls-v3-provider");
    let dir = common::scratch_copy(&src, "writes-owned");
    let config = dir.join("serverless.yml");
    // A stale generated statement and a user statement written after it.
    let stale = std::fs::read_to_string(&config).unwrap().replace(
        "          Resource: '*'\n",
        "          Resource: '*'\n        # slz-iam: generated (Sid SlzIam*); `slz-iam generate --write` rewrites these\n        - Sid: SlzIamSharedS31\n          Effect: Allow\n          Action: s3:GetObject\n          Resource: '*'\n        - Effect: Allow # mine\n          Action: sqs:SendMessage\n          Resource: '*'\n",
    );
    std::fs::write(&config, &stale).unwrap();
    let d = dir.display().to_string();
    slz(&["generate", &d, "--write"]);
    let after = std::fs::read_to_string(&config).unwrap();
    assert!(!after.contains("SlzIamSharedS31"), "{after}");
    assert!(after.contains("SlzIamSharedDynamodb1"), "{after}");
    assert!(
        after.contains("        - Effect: Allow # mine\n          Action: sqs:SendMessage\n"),
        "{after}"
    );
    assert_eq!(after.matches("# slz-iam: generated").count(), 1, "{after}");
}

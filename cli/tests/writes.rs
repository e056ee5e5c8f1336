//! `generate --write` beyond what a fixture's `expected.<ext>` shows: what a write keeps of the
//! config, and a write over an older one. Every case under `test-fixtures/writes/` goes through
//! the fixture harness (`fixtures.rs`, the `writes` suite; the steps are in `harness/writes.rs`).

mod common;
#[path = "harness/mod.rs"]
mod harness;

use common::slz;
use harness::writes::Case;
use harness::Suite;

/// The config of the case `name` before and after `generate --write` on a scratch copy.
fn write_one(name: &str) -> (String, String) {
    let f = harness::fixture(Suite::Writes, name);
    let (_, want, _) = f.expectations();
    let case = Case::read(&f, want).unwrap();
    let (_dir, root, config) = case.copy("one").unwrap();
    let before = std::fs::read_to_string(&config).unwrap();
    let (exit, _, err) = slz(&case.args(&root, "generate", &["--write"]));
    assert!(exit < 2, "{name}: {err}");
    (before, std::fs::read_to_string(&config).unwrap())
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

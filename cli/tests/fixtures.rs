//! Every fixture under `test-fixtures/` through the one harness in `harness/`: one test per suite
//! (`cargo test -p slz-iam --test fixtures check` runs the `check` suite; `SLZ_FIXTURE=NAME` one
//! fixture), plus tests of the harness itself: a wrong or missing expectation fails with the
//! file and line it is written at.

mod common;
#[path = "harness/mod.rs"]
mod harness;

use harness::{Fixture, Suite};

#[test]
fn projects() {
    harness::run_suite(Suite::Projects);
}

#[test]
fn check() {
    harness::run_suite(Suite::Check);
}

#[test]
fn broken() {
    harness::run_suite(Suite::Broken);
}

#[test]
fn writes() {
    harness::run_suite(Suite::Writes);
}

/// Every service with curated rules is called by some fixture (by its JS v3 package or v2 class).
#[test]
fn every_override_service_is_exercised_by_a_fixture() {
    let mut text = String::new();
    for f in harness::discover(Suite::Projects) {
        for (_, t) in f.project_files() {
            text.push_str(&t);
        }
    }
    let cat = slz_analyzer::catalog::catalog();
    let names = |sdk: &str, service: &str| {
        cat.sdk_names("js", sdk)
            .and_then(|n| n.service(service))
            .cloned()
            .unwrap_or_default()
    };
    let mut missing = Vec::new();
    for ov in cat.override_services() {
        let v3 = names("aws-sdk-v3", &ov.service);
        let used = v3.packages.iter().any(|p| text.contains(&format!("'{p}'")))
            || names("aws-sdk-v2", &ov.service)
                .classes
                .iter()
                .any(|c| text.contains(&format!("AWS.{c}(")));
        if !used {
            missing.push(ov.service.clone());
        }
    }
    if std::env::var("SLZ_FIXTURE").is_err() {
        assert!(
            missing.is_empty(),
            "override services no fixture calls: {missing:?}"
        );
    }
}

#[test]
fn the_diff_applier_handles_every_hunk_form() {
    use harness::writes::apply_diff;
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

/// A multi-file text fixture of `suite`, not on disk.
fn text_fixture(suite: Suite, stem: &str, text: &str) -> Fixture {
    Fixture {
        suite,
        name: format!("{}/{stem}", suite.folder()),
        stem: stem.to_string(),
        path: common::fixture_dir(suite.folder()).join(format!("{stem}.fixture")),
        sections: Some(harness::sections(text)),
    }
}

const SELF_TEST: &str = "A handler that reads one object, and an open endpoint.
//- serverless.yml
service: self-test
provider:
  name: aws
  runtime: nodejs20.x
functions:
  reader:
    handler: src/reader.handler
    events:
      - http: GET /report # auth: none -> none
//- src/reader.js
const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');
const s3 = new S3Client({});
exports.handler = async () => s3.send(new GetObjectCommand({ Bucket: 'reports', Key: 'daily' })); // iam(reader): s3:GetObject reports/daily
";

#[test]
fn the_harness_passes_a_fixture_whose_expectations_hold() {
    let f = text_fixture(Suite::Projects, "self-test", SELF_TEST);
    let (problems, json) = harness::run_fixture(&f);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(json.unwrap()["functions"][0]["name"], "reader");
}

#[test]
fn the_harness_fails_on_a_wrong_or_missing_expectation() {
    // The resource is wrong: the permission is unexpected, the expectation is missing, and both
    // messages name the line of the `.fixture` file (and of the file inside it).
    let wrong = SELF_TEST.replace("reports/daily", "reports/weekly");
    let (problems, _) = harness::run_fixture(&text_fixture(Suite::Projects, "self-test", &wrong));
    let at = "test-fixtures/projects/self-test.fixture:15 (src/reader.js:3)";
    assert!(
        problems.iter().any(|p| p.starts_with(&format!(
            "{at}: expected `iam(reader): s3:GetObject reports/weekly` for [\"reader\"] at src/reader.js:3, not found; iam there: iam(reader): s3:GetObject arn:aws:s3:::reports/daily"
        ))),
        "{problems:#?}"
    );
    assert!(
        problems.iter().any(|p| p.starts_with(&format!(
            "{at}: unexpected iam(reader): s3:GetObject arn:aws:s3:::reports/daily"
        ))),
        "{problems:#?}"
    );
    assert_eq!(problems.len(), 2, "{problems:#?}");
}

#[test]
fn the_harness_fails_on_unexpected_facts_of_every_kind() {
    // No expectations at all: the permission, the auth recommendation and the exit status of a
    // project with an error diagnostic are each reported.
    let bare = SELF_TEST
        .replace(" # auth: none -> none", "")
        .replace(" // iam(reader): s3:GetObject reports/daily", "")
        .replace("'daily' }));", "'daily' }))));");
    let (problems, _) = harness::run_fixture(&text_fixture(Suite::Projects, "bare", &bare));
    for want in [
        "test-fixtures/projects/bare.fixture:11 (serverless.yml:9): unexpected auth(reader): none -> none",
        "test-fixtures/projects/bare.fixture:15 (src/reader.js:3): unexpected diag: syntax-error",
        "test-fixtures/projects/bare.fixture (no expect.txt: exit 0): generate: exit 1, expected 0",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(want)),
            "no `{want}` in {problems:#?}"
        );
    }
    // An edge and a finding nobody expects.
    let f = text_fixture(
        Suite::Check,
        "bare-check",
        "//- serverless.yml
service: bare
provider:
  name: aws
  runtime: nodejs20.x
functions:
  caller:
    handler: caller.handler
    iamRoleStatements:
      - Effect: Allow
        Action: lambda:InvokeFunction
        Resource: '*'
  callee:
    handler: callee.handler
//- caller.js
const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
const l = new LambdaClient({});
exports.handler = async () => l.send(new InvokeCommand({ FunctionName: 'bare-${sls:stage}-callee' })); // iam: lambda:InvokeFunction
//- callee.js
exports.handler = async () => 1;
",
    );
    let (problems, _) = harness::run_fixture(&f);
    for want in [
        "test-fixtures/check/bare-check.fixture:18 (caller.js:3): unexpected edge(caller): callee lambda-invoke",
        "test-fixtures/check/bare-check.fixture:12 (serverless.yml:11): unexpected finding(caller): wildcard-resource lambda:InvokeFunction",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(want)),
            "no `{want}` in {problems:#?}"
        );
    }
}

#[test]
fn expectations_that_do_not_parse_are_reported() {
    let f = text_fixture(
        Suite::Projects,
        "typo",
        &SELF_TEST.replace("# auth: none -> none", "# auth: none"),
    );
    let (problems, _) = harness::run_fixture(&f);
    assert!(
        problems.iter().any(|p| p.starts_with(
            "test-fixtures/projects/typo.fixture:11 (serverless.yml:9): `auth: none`: wrong number of words"
        )),
        "{problems:#?}"
    );
}

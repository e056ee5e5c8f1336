//! `slz-iam check` as CI runs it: findings, configuration, suppressions, formats, exit statuses.

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

fn findings() -> Vec<serde_json::Value> {
    findings_in("app")
}

fn findings_in(fixture: &str) -> Vec<serde_json::Value> {
    let (_, out) = check_in(fixture, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["findings"].as_array().unwrap().clone()
}

fn has(f: &[serde_json::Value], code: &str, function: &str, action: &str) -> bool {
    f.iter()
        .any(|x| x["code"] == code && x["function"] == function && x["action"] == action)
}

#[test]
fn finds_what_matters() {
    let f = findings();
    assert!(
        has(&f, "missing-permission", "mailer", "sns:Publish"),
        "{f:#?}"
    );
    assert!(has(&f, "excess-permission", "reader", "dynamodb:Scan"));
    assert!(has(&f, "wildcard-action", "writer", "dynamodb:*"));
    assert!(has(&f, "dangerous-permission", "writer", "iam:PassRole"));
    // What the framework adds by itself (websocket `@connections`) is never excess.
    assert!(!f
        .iter()
        .any(|x| x["action"] == "execute-api:ManageConnections"));
    // A statement two functions share is judged against both and reported once, for no single
    // function: Query is used by neither, DeleteItem by one of them.
    let shared: Vec<_> = f
        .iter()
        .filter(|x| x["action"] == "dynamodb:Query")
        .collect();
    assert_eq!(shared.len(), 1, "{shared:#?}");
    assert_eq!(shared[0]["code"], "excess-permission");
    assert!(shared[0]["function"].is_null());
    assert!(shared[0]["message"]
        .as_str()
        .unwrap()
        .contains("`connect`, `disconnect`"));
    assert!(!f.iter().any(|x| x["action"] == "dynamodb:DeleteItem"));
    // Used actions are neither missing nor excess.
    assert!(!f.iter().any(|x| x["action"] == "dynamodb:GetItem"));
    let missing = f
        .iter()
        .find(|x| x["code"] == "missing-permission")
        .unwrap();
    assert_eq!(
        (
            missing["file"].as_str().unwrap(),
            missing["line"].as_u64().unwrap()
        ),
        ("handlers/mailer.js", 3)
    );
}

#[test]
fn sam_policy_templates_are_judged_whole_and_per_resource() {
    let f = findings_in("sam");
    let message = |function: &str, template: &str| -> String {
        let hits: Vec<&str> = f
            .iter()
            .filter(|x| x["function"] == function && x["code"] == "excess-permission")
            .filter_map(|x| x["message"].as_str())
            .filter(|m| m.starts_with(template))
            .collect();
        assert_eq!(hits.len(), 1, "{function} {template}: {f:#?}");
        hits[0].to_string()
    };
    // One finding per template, naming the smaller template that still covers the code.
    let crud = message("Reader", "DynamoDBCrudPolicy");
    assert!(
        crud.contains("uses only dynamodb:GetItem; DynamoDBReadPolicy covers"),
        "{crud}"
    );
    assert!(message("Idle", "S3ReadPolicy").contains("uses none of its actions"));
    // Reading gate-inbox is what S3ReadPolicy is for; it does not make S3CrudPolicy on
    // gate-archive used for s3:GetObject.
    let archive = message("Archiver", "S3CrudPolicy");
    assert!(
        archive.contains("uses only s3:PutObject; S3WritePolicy covers"),
        "{archive}"
    );
    assert!(archive.contains("s3:GetObject"));
    assert!(!f.iter().any(|x| x["code"] == "missing-permission"));
}

#[test]
fn every_sam_policy_template_is_known_and_judged() {
    let f = findings_in("sam-templates");
    // Comprehend, Rekognition, CloudWatch, SSM (slash prefix) and EventBridge templates grant what
    // the tagger calls: nothing missing, and the role is judged (no unverified permission).
    for function in ["Tagger", "Rotator"] {
        assert!(
            !f.iter().any(|x| x["function"] == function
                && ["missing-permission", "unverified-permission"]
                    .contains(&x["code"].as_str().unwrap_or(""))),
            "{function}: {f:#?}"
        );
    }
    // What a template does not grant is still missing.
    let missing: Vec<_> = f
        .iter()
        .filter(|x| x["code"] == "missing-permission")
        .collect();
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert_eq!(missing[0]["function"], "Labeller");
    assert_eq!(missing[0]["action"], "rekognition:IndexFaces");
    let excess = |function: &str, template: &str| -> String {
        f.iter()
            .filter(|x| x["function"] == function && x["code"] == "excess-permission")
            .filter_map(|x| x["message"].as_str())
            .find(|m| m.starts_with(template))
            .unwrap_or_else(|| panic!("{function} {template}: {f:#?}"))
            .to_string()
    };
    // A smaller generated template with the same parameters and resources is suggested ...
    let labeller = excess("Labeller", "RekognitionDetectOnlyPolicy");
    assert!(
        labeller.contains("uses only rekognition:DetectLabels; RekognitionLabelsPolicy covers"),
        "{labeller}"
    );
    // ... but not one on other resources: SSMParameterReadPolicy reads `parameter/NAME`, not the
    // slash-prefixed `parameterNAME`.
    let ssm = excess("Tagger", "SSMParameterWithSlashPrefixReadPolicy");
    assert!(ssm.contains("uses only ssm:GetParameter;"), "{ssm}");
    assert!(!ssm.contains("SSMParameterReadPolicy covers"), "{ssm}");
    // The rotation template's conditional statement may allow what the rotator calls.
    let rotator = excess("Rotator", "AWSSecretsManagerRotationPolicy");
    assert!(
        rotator.contains("secretsmanager:DescribeSecret, secretsmanager:UpdateSecretVersionStage"),
        "{rotator}"
    );
}

#[test]
fn roles_and_managed_policies_from_the_template() {
    let f = findings_in("roles");
    // The provider's managed policy is defined in `resources`: it grants the read, not the write.
    assert!(
        has(&f, "missing-permission", "reader", "dynamodb:PutItem"),
        "{f:#?}"
    );
    assert!(!f.iter().any(|x| x["action"] == "dynamodb:GetItem"));
    // `role: LegacyRole` replaces the provider role with the template's role and its policies.
    assert!(has(&f, "missing-permission", "legacy", "sns:Publish"));
    assert!(!f.iter().any(|x| x["action"] == "sqs:SendMessage"));
    assert!(has(&f, "excess-permission", "legacy", "s3:GetObject"));
    // A role from outside the project may grant anything: not a missing permission, but what the
    // code needs from it is listed, once, as information.
    let external: Vec<_> = f.iter().filter(|x| x["function"] == "external").collect();
    assert_eq!(external.len(), 1, "{external:#?}");
    assert_eq!(external[0]["code"], "unverified-permission");
    assert_eq!(external[0]["severity"], "info");
    let message = external[0]["message"].as_str().unwrap();
    assert!(
        message.contains("role arn:aws:iam::123456789012:role/ops-managed"),
        "{message}"
    );
    assert!(
        message.contains("s3:GetObject on arn:aws:s3:::reports/*"),
        "{message}"
    );
    // Three functions, three roles: none is shared.
    assert!(!f.iter().any(|x| x["code"] == "shared-role"));
    let size = f
        .iter()
        .find(|x| x["code"] == "policy-too-large")
        .expect("the archive policy is near the managed-policy limit");
    assert!(size["message"].as_str().unwrap().contains("ArchivePolicy"));
}

#[test]
fn configuration_and_suppressions_apply() {
    let f = findings();
    // Inline `slz-iam: ignore[excess-permission]` on the Action line.
    assert!(!has(&f, "excess-permission", "writer", "s3:GetObject"));
    // `[[ignore]]` with a reason.
    assert!(!f
        .iter()
        .any(|x| x["code"] == "wildcard-resource" && x["function"] == "writer"));
    // `[severity]`.
    assert!(f
        .iter()
        .any(|x| x["code"] == "public-endpoint" && x["severity"] == "info"));
    // An ignore that matched nothing is reported.
    assert!(f
        .iter()
        .any(|x| x["code"] == "unused-ignore" && x["file"] == "slz-iam.toml"));
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
fn assumed_credentials_and_failure_path_permissions() {
    let f = findings_in("credentials");
    // The table is read with the tenant's assumed credentials, not the function's role.
    assert!(
        !f.iter().any(|x| x["action"] == "dynamodb:GetItem"),
        "{f:#?}"
    );
    assert!(!f.iter().any(|x| x["action"] == "sts:AssumeRole"), "{f:#?}");
    // The upload helper aborts the multipart upload only when a part fails: a warning.
    let abort: Vec<_> = f
        .iter()
        .filter(|x| x["action"] == "s3:AbortMultipartUpload")
        .collect();
    assert_eq!(abort.len(), 1, "{f:#?}");
    assert_eq!(abort[0]["code"], "missing-permission");
    assert_eq!(abort[0]["severity"], "warning");
    assert!(!f.iter().any(|x| x["severity"] == "error"), "{f:#?}");
}

#[test]
fn code_not_read_is_not_analysed_and_its_role_is_not_judged() {
    let f = findings_in("unanalysed");
    let not_analysed = |function: &str| -> String {
        let hits: Vec<&serde_json::Value> = f
            .iter()
            .filter(|x| x["code"] == "not-analysed" && x["function"] == function)
            .collect();
        assert_eq!(hits.len(), 1, "{function}: {f:#?}");
        assert_eq!(hits[0]["severity"], "error");
        hits[0]["message"].as_str().unwrap().to_string()
    };
    // A Java and a Go (custom runtime) function: named, with the reason at its file and line.
    let java = not_analysed("billing");
    assert!(
        java.contains("unsupported-runtime at serverless.yml:20") && java.contains("java21"),
        "{java}"
    );
    assert!(not_analysed("ingest").contains("unsupported-runtime at serverless.yml:25"));
    let broken = not_analysed("broken");
    assert!(
        broken.contains("syntax-error at handlers/broken.js:4"),
        "{broken}"
    );
    let at = f
        .iter()
        .find(|x| x["function"] == "broken")
        .map(|x| (x["file"].as_str().unwrap(), x["line"].as_u64().unwrap()));
    assert_eq!(at, Some(("handlers/broken.js", 4)));
    // Their roles are not reported as excess: not the broken handler's own statement, and not
    // the provider's statement that `reader` (analysed, reads only) shares with the Java and Go
    // functions, which may write.
    assert!(
        !f.iter().any(|x| x["code"] == "excess-permission"),
        "{f:#?}"
    );
    // Nor compared as a shared role: what the unread functions need is unknown.
    assert!(!f.iter().any(|x| x["code"] == "shared-role"), "{f:#?}");
    assert_eq!(f.len(), 3, "{f:#?}");
    assert_eq!(
        check_in("unanalysed", &[]).0,
        1,
        "not-analysed fails by default"
    );
}

#[test]
fn a_handler_that_does_not_parse_fails_the_gate() {
    let (status, out) = check_in("unparsable", &[]);
    assert_eq!(status, 1, "{out}");
    assert!(
        out.contains("handlers/worker.py:7:") && out.contains("error[not-analysed]"),
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

#[test]
fn dangerous_grants_are_matched_as_patterns() {
    let f = findings_in("dangerous");
    let dangerous = |function: &str| -> Vec<(String, String)> {
        f.iter()
            .filter(|x| x["code"] == "dangerous-permission" && x["function"] == function)
            .map(|x| {
                (
                    x["action"].as_str().unwrap_or("").to_string(),
                    x["resource"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let has = |function: &str, action: &str, resource: &str| {
        assert!(
            dangerous(function).contains(&(action.to_string(), resource.to_string())),
            "{function}: {:?}",
            dangerous(function)
        );
    };
    // iam:PassRole on every role of an account, also through an action wildcard.
    has(
        "passAny",
        "iam:PassRole",
        "arn:aws:iam::123456789012:role/*",
    );
    has(
        "passWildAction",
        "iam:PassRole",
        "arn:aws:iam::${AWS::AccountId}:role/*",
    );
    has("iamAll", "iam:PassRole", "*");
    // sts:AssumeRole on any role of any account; `*` in the account field of any ARN.
    has("assumeAny", "sts:AssumeRole", "arn:aws:iam::*:role/*");
    has("assumeAny", "", "arn:aws:iam::*:role/*");
    has("anyAccount", "", "arn:aws:sqs:us-east-1:*:jobs");
    // lambda:UpdateFunctionCode on every function.
    has(
        "updateAny",
        "lambda:UpdateFunctionCode",
        "arn:aws:lambda:us-east-1:123456789012:function:*",
    );
    has("everything", "*", "*");
    // Named (or prefixed) roles and functions, and the project's own account, are not dangerous.
    for scoped in [
        "passNamed",
        "passPrefix",
        "assumeNamed",
        "updateNamed",
        "ownAccount",
    ] {
        assert!(
            dangerous(scoped).is_empty(),
            "{scoped}: {:?}",
            dangerous(scoped)
        );
    }
    // The reason and its citation are in the message.
    let message = f
        .iter()
        .find(|x| x["code"] == "dangerous-permission" && x["function"] == "passAny")
        .and_then(|x| x["message"].as_str())
        .unwrap();
    assert!(
        message.contains("docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"),
        "{message}"
    );
}

#[test]
fn sam_destinations_with_a_type_are_granted_by_sam() {
    let f = findings_in("sam-destinations");
    // SAM adds sqs:SendMessage, lambda:InvokeFunction, sns:Publish and events:PutEvents to the
    // role it generates: not missing, and not excess either (the template does not list them).
    for function in ["Worker", "Publisher", "Audit"] {
        assert!(
            !f.iter().any(|x| x["function"] == function),
            "{function}: {f:#?}"
        );
    }
    // A role the template names gets nothing added: the delivery is missing there.
    assert!(
        has(&f, "missing-permission", "Owned", "sqs:SendMessage"),
        "{f:#?}"
    );
    assert_eq!(f.len(), 1, "{f:#?}");
}

//! Before and after texts of the edits, asserted exactly: each after text re-parses with the
//! project's reader, keeps every comment line, and a second write changes nothing.

use super::*;
use crate::analyze::{analyze, MemFs};
use crate::project::yaml;
use std::path::Path;

/// The config after `generate --write` on `config` (named `name`) with `files`, and the notes.
fn write(name: &str, config: &str, files: &[(&str, &str)]) -> (String, Vec<String>) {
    let run = |text: &str| {
        let project = crate::project::read_yaml_config(text, Path::new(name));
        let fs = MemFs::new(files.iter().map(|(p, t)| (p.to_string(), t.to_string())));
        let report = analyze(&project, &fs);
        config_edits(&project, text, &report)
    };
    let plan = run(config);
    let out = apply(config, &plan.edits);
    yaml::parse(&out).unwrap_or_else(|e| panic!("{e:?}\n{out}"));
    let project = crate::project::read_yaml_config(&out, Path::new(name));
    assert!(
        !project
            .diagnostics
            .iter()
            .any(|d| d.code == "config-parse-error"),
        "{:?}",
        project.diagnostics
    );
    for comment in config.lines().filter(|l| l.trim_start().starts_with('#')) {
        assert!(out.contains(comment), "lost `{comment}`:\n{out}");
    }
    assert_eq!(run(&out).edits, Vec::new(), "a second write changes\n{out}");
    (out, plan.notes)
}

macro_rules! fixture {
    ($case:literal, $file:literal) => {
        include_str!(concat!(
            "../../../../test-fixtures/writes/",
            $case,
            "/",
            $file
        ))
    };
}

const DDB: &str = "const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');\nconst db = new DynamoDBClient({});\nexports.handler = async (e) => db.send(new GetItemCommand({ TableName: process.env.TABLE, Key: e.key }));\n";

#[test]
fn sam_keeps_templates_denies_comments_and_managed_policies() {
    let (out, notes) = write(
        "template.yaml",
        fixture!("sam-policies-kept", "template.yaml"),
        &[("src/app.js", fixture!("sam-policies-kept", "src/app.js"))],
    );
    assert_eq!(out, fixture!("sam-policies-kept", "expected.yaml"));
    assert_eq!(notes, Vec::<String>::new());
}

#[test]
fn sam_role_written_when_defined_refused_when_external() {
    let files = [("src/app.js", fixture!("sam-role-defined", "src/app.js"))];
    let (out, _) = write(
        "template.yaml",
        fixture!("sam-role-defined", "template.yaml"),
        &files,
    );
    assert_eq!(out, fixture!("sam-role-defined", "expected.yaml"));
    let external = fixture!("sam-role-external", "template.yaml");
    let (out, notes) = write("template.yaml", external, &files);
    assert_eq!(out, external);
    assert_eq!(notes.len(), 1);
    assert!(notes[0].contains("SAM ignores `Policies`"), "{notes:?}");
}

#[test]
fn serverless_placement_follows_the_framework_version_and_the_plugin() {
    let files = [("src/get.js", DDB), ("src/put.js", DDB)];
    let (out, notes) = write(
        "serverless.yml",
        fixture!("sls-v3-provider", "serverless.yml"),
        &files,
    );
    assert_eq!(out, fixture!("sls-v3-provider", "expected.yml"));
    assert!(notes[0].contains("Serverless Framework v3"), "{notes:?}");
    let (out, notes) = write(
        "serverless.yml",
        fixture!("sls-v4-function", "serverless.yml"),
        &files,
    );
    assert_eq!(out, fixture!("sls-v4-function", "expected.yml"));
    assert_eq!(notes, Vec::<String>::new());
    let (out, _) = write(
        "serverless.yml",
        fixture!("sls-plugin", "serverless.yml"),
        &files,
    );
    assert_eq!(out, fixture!("sls-plugin", "expected.yml"));
    // No version: the provider role, which both versions honour.
    let unknown =
        fixture!("sls-v3-provider", "serverless.yml").replace("frameworkVersion: '3'\n", "");
    let (out, notes) = write("serverless.yml", &unknown, &files);
    assert!(
        out.contains("        - Sid: SlzIamSharedDynamodb1\n"),
        "{out}"
    );
    assert!(
        notes[0].contains("does not tell Serverless Framework v3 from v4"),
        "{notes:?}"
    );
}

#[test]
fn v4_function_roles_keep_what_they_inherited() {
    let v4 = fixture!("sls-v4-function", "serverless.yml");
    let files = [("src/get.js", DDB)];
    let (out, _) = write("serverless.yml", v4, &files);
    let project = crate::project::read_yaml_config(&out, Path::new("serverless.yml"));
    let f = &project.functions[0];
    assert!(f
        .declared
        .iter()
        .any(|d| d.actions == ["xray:PutTraceSegments"]));
    assert_eq!(
        f.managed_policies,
        ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]
    );
    // On v3 a function's `iam` is not read: the function keeps the provider role.
    let v3 = out.replace("frameworkVersion: '4'", "frameworkVersion: '3'");
    let project = crate::project::read_yaml_config(&v3, Path::new("serverless.yml"));
    assert!(!project.functions[0]
        .declared
        .iter()
        .any(|d| d.sid.as_deref() == Some("SlzIamDynamodb1")));
}

#[test]
fn flow_styles_are_extended_in_flow_style() {
    let files = [
        ("src/get.js", DDB),
        ("src/list.js", DDB),
        ("src/app.js", DDB),
    ];
    let (out, _) = write(
        "serverless.yml",
        fixture!("flow-styles", "serverless.yml"),
        &files,
    );
    assert_eq!(out, fixture!("flow-styles", "expected.yml"));
    let (out, _) = write(
        "template.yaml",
        fixture!("sam-flow", "template.yaml"),
        &files,
    );
    assert_eq!(out, fixture!("sam-flow", "expected.yaml"));
}

#[test]
fn anchors_are_never_edited_through_an_alias() {
    let src = fixture!("anchors", "serverless.yml");
    let (out, notes) = write("serverless.yml", src, &[("src/get.js", DDB)]);
    assert_eq!(out, src);
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes.iter().all(|n| n.contains("anchor that aliases copy")));
}

#[test]
fn crlf_bom_and_json_are_kept() {
    let files = [("src/app.js", DDB)];
    let (out, _) = write(
        "template.yaml",
        fixture!("crlf-bom", "template.yaml"),
        &files,
    );
    assert_eq!(out, fixture!("crlf-bom", "expected.yaml"));
    assert!(out.starts_with('\u{feff}') && !out.replace("\r\n", "").contains('\n'));
    let (out, _) = write(
        "template.json",
        fixture!("json-template", "template.json"),
        &files,
    );
    assert_eq!(out, fixture!("json-template", "expected.json"));
    serde_json::from_str::<serde_json::Value>(&out).unwrap();
}

fn rec(function: &str, event: &str, recommended: &str) -> AuthRecommendation {
    AuthRecommendation {
        function: function.into(),
        event: event.into(),
        current: "none".into(),
        recommended: recommended.into(),
        reason: String::new(),
    }
}

fn auth(name: &str, src: &str, recs: &[AuthRecommendation]) -> String {
    let project = crate::project::read_yaml_config(src, Path::new(name));
    let out = apply(src, &auth_edits(&project, src, recs));
    let again = crate::project::read_yaml_config(&out, Path::new(name));
    assert!(
        again.diagnostics.is_empty(),
        "{:?}\n{out}",
        again.diagnostics
    );
    assert_eq!(auth_edits(&again, &out, &[]), Vec::new());
    out
}

#[test]
fn auth_merges_into_an_existing_auth_and_every_event_style() {
    let sam = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      CodeUri: src/\n      Events:\n        Get:\n          Type: Api\n          Properties:\n            Path: /x\n            Method: get\n            Auth:\n              # keep\n              Authorizer: NONE\n";
    assert_eq!(
        auth("template.yaml", sam, &[rec("Fn", "Api GET /x", "aws_iam")]),
        sam.replace("Authorizer: NONE", "Authorizer: AWS_IAM")
    );
    let api_key = sam.replace(
        "              Authorizer: NONE\n",
        "              ResourcePolicy: {}\n",
    );
    assert_eq!(
        auth(
            "template.yaml",
            &api_key,
            &[rec("Fn", "Api GET /x", "api_key")]
        ),
        api_key.replace(
            "ResourcePolicy: {}\n",
            "ResourcePolicy: {}\n              ApiKeyRequired: true\n"
        )
    );
    let sls = "service: s\nprovider:\n  name: aws\nfunctions:\n  a:\n    handler: a.h\n    events:\n      - http: {path: /a, method: post} # flow\n      - http: GET /b\n";
    let project = crate::project::read_yaml_config(sls, Path::new("serverless.yml"));
    let events: Vec<&str> = project.functions[0]
        .events
        .iter()
        .map(|e| e.description.as_str())
        .collect();
    let recs: Vec<AuthRecommendation> = events.iter().map(|e| rec("a", e, "aws_iam")).collect();
    assert_eq!(
        auth("serverless.yml", sls, &recs),
        "service: s\nprovider:\n  name: aws\nfunctions:\n  a:\n    handler: a.h\n    events:\n      - http: {path: /a, method: post, authorizer: aws_iam} # flow\n      - http:\n          method: get\n          path: /b\n          authorizer: aws_iam\n"
    );
}

#[test]
fn grants_go_where_the_role_is_and_keep_inherited_permissions() {
    let v4 = fixture!("sls-v4-function", "serverless.yml");
    let project = crate::project::read_yaml_config(v4, Path::new("serverless.yml"));
    let arn = serde_json::json!("arn:aws:sqs:*:*:jobs");
    let (e, note) = grant(&project, v4, "get", "sqs:SendMessage", &arn).unwrap();
    assert_eq!(note, None);
    let out = apply(v4, &[e]);
    assert!(out.ends_with("    memorySize: 256 # small\n    iam:\n      inheritStatements: true\n      role:\n        statements:\n          - Effect: Allow\n            Action:\n              - sqs:SendMessage\n            Resource:\n              - arn:aws:sqs:*:*:jobs\n        managedPolicies:\n          - arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess\n"), "{out}");
    let f = &crate::project::read_yaml_config(&out, Path::new("serverless.yml")).functions[0];
    assert!(f
        .declared
        .iter()
        .any(|d| d.actions == ["xray:PutTraceSegments"]));
    assert!(f.declared.iter().any(|d| d.actions == ["sqs:SendMessage"]));
    // v3: the shared role, said in the note.
    let v3 = fixture!("sls-v3-provider", "serverless.yml");
    let project = crate::project::read_yaml_config(v3, Path::new("serverless.yml"));
    let (e, note) = grant(&project, v3, "get", "sqs:SendMessage", &arn).unwrap();
    assert!(note.is_some());
    assert!(apply(v3, &[e]).contains("          Resource: '*'\n        - Effect: Allow\n          Action:\n            - sqs:SendMessage\n"));
    let external = fixture!("sam-role-external", "template.yaml");
    let project = crate::project::read_yaml_config(external, Path::new("template.yaml"));
    assert!(grant(&project, external, "Reader", "sqs:SendMessage", &arn).is_err());
}

#[test]
fn serverless_roles_the_file_defines_are_written_others_refused() {
    let files = [
        (
            "src/reader.js",
            fixture!("sls-function-role", "src/reader.js"),
        ),
        (
            "src/writer.js",
            fixture!("sls-function-role", "src/writer.js"),
        ),
    ];
    let (out, notes) = write(
        "serverless.yml",
        fixture!("sls-function-role", "serverless.yml"),
        &files,
    );
    assert_eq!(out, fixture!("sls-function-role", "expected.yml"));
    assert_eq!(notes, Vec::<String>::new());
    let (out, notes) = write(
        "serverless.yml",
        fixture!("sls-provider-role", "serverless.yml"),
        &files,
    );
    assert_eq!(out, fixture!("sls-provider-role", "expected.yml"));
    assert_eq!(notes, Vec::<String>::new());
    // A role by ARN, or by a name `resources.Resources` does not define: left alone, with why.
    for (config, from, to, unwritten, why) in [
        (
            fixture!("sls-function-role", "serverless.yml"),
            "role: ReaderRole",
            "role: arn:aws:iam::123456789012:role/reader",
            "- PolicyName: SlzIamReaderRole",
            "`reader` runs with the role its `role:` names, which this file does not define",
        ),
        (
            fixture!("sls-provider-role", "serverless.yml"),
            "role: SharedRole",
            "role: OtherRole",
            "- PolicyName: SlzIam",
            "`reader` runs with the role `provider.iam.role` names, which this file does not define",
        ),
    ] {
        let config = config.replace(from, to);
        let (out, notes) = write("serverless.yml", &config, &files);
        assert!(!out.contains(unwritten), "{out}");
        assert!(notes.iter().any(|n| n.contains(why)), "{notes:?}");
    }
}

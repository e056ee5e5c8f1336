//! The binary's contract: exit statuses, output formats, `explain`.

mod common;

use common::slz;

use std::path::Path;
use std::process::Command;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../test-fixtures/projects")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn clean_project_exits_zero_with_yaml_block() {
    let (code, out, _) = slz(&["generate", &fixture("restaurants-iam")]);
    assert_eq!(code, 0);
    assert!(
        out.contains("  get-restaurants:\n    iam:\n      role:\n        statements:\n"),
        "{out}"
    );
    assert!(out.contains("- dynamodb:Scan"), "{out}");
}

#[test]
fn error_diagnostics_exit_one_and_still_print_policies() {
    let (code, out, err) = slz(&["generate", &fixture("broken-input"), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["version"], 1);
    let good = json["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "good")
        .unwrap();
    assert!(!good["policy"]["Statement"].as_array().unwrap().is_empty());
    assert!(err.contains("error[syntax-error]"), "{err}");
}

#[test]
fn unusable_input_exits_two_with_one_line() {
    let empty = Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-fixtures");
    let (code, out, err) = slz(&["generate", &empty.display().to_string()]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no serverless.yml"), "{err}");
    let (code, _, err) = slz(&["generate", "--config", "/nonexistent/serverless.yml"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn config_flag_picks_the_file() {
    let config = format!("{}/serverless.yml", fixture("local-modules"));
    let (code, out, _) = slz(&[
        "generate",
        &fixture("local-modules"),
        "--config",
        &config,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("\"name\": \"recurse\""));
}

#[test]
fn explain_names_the_rule_source() {
    let (code, out, _) = slz(&["explain", "--service", "s3", "list_objects_v2"]);
    assert_eq!(code, 0);
    assert!(out.contains("s3:ListBucket"), "{out}");
    assert!(out.contains("rules/overrides/s3.toml"), "{out}");
    assert!(out.contains("BucketName <- Bucket"), "{out}");
    let (code, out, _) = slz(&["explain", "--service", "kinesis", "PutRecord"]);
    assert_eq!(code, 0);
    assert!(out.contains("inferred"), "{out}");
    let (code, _, err) = slz(&["explain", "--service", "nope"]);
    assert_eq!(code, 2, "{err}");
    let (code, out, _) = slz(&["explain", "--codes"]);
    assert_eq!(code, 0);
    assert!(out.contains("unresolved-resource"));
    // `check`'s findings are documented there too.
    assert!(out.contains("not-analysed (Error)"), "{out}");
    let (code, out, _) = slz(&["explain", "--coverage"]);
    assert_eq!(code, 0);
    assert!(out.contains("services: 4"), "{out}");
}

#[test]
fn explain_states_resource_level_support_truthfully() {
    // Every resource type the action requires is listed, each with its ARN template.
    let (code, out, _) = slz(&["explain", "--service", "fsx", "CreateSnapshot"]);
    assert_eq!(code, 0);
    assert!(out.contains("resource snapshot: arn:"), "{out}");
    assert!(out.contains("resource volume: arn:"), "{out}");
    assert!(!out.contains("no resource-level permission"), "{out}");
    // A stream read by shard iterator cannot be named, but the action has a resource type.
    let (code, out, _) = slz(&["explain", "--service", "dynamodbstreams", "GetRecords"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("resource: * (the action is scoped to stream but no argument"),
        "{out}"
    );
    // Optional resource types only.
    let (code, out, _) = slz(&["explain", "--service", "translate", "TranslateText"]);
    assert_eq!(code, 0);
    assert!(out.contains("apply only when a request names one"), "{out}");
    // No resource types at all.
    let (code, out, _) = slz(&["explain", "--service", "dynamodb", "ListTables"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("resource: * (no resource-level permission)"),
        "{out}"
    );
}

#[test]
fn explain_shows_inference_profile_grants() {
    let (code, out, _) = slz(&["explain", "--service", "bedrock-runtime", "Converse"]);
    assert_eq!(code, 0);
    assert!(out.contains("resource inference-profile:"), "{out}");
    assert!(out.contains("only for modelId like us.* |"), "{out}");
    assert!(out.contains("only for modelId not like us.* |"), "{out}");
    assert!(out.contains("Region = *"), "{out}");
    assert!(
        out.contains("ResourceId <- modelId (InferenceProfileModel)"),
        "{out}"
    );
}

#[test]
fn output_is_deterministic() {
    let a = slz(&["generate", &fixture("js-sdk-v3"), "--format", "json"]);
    let b = slz(&["generate", &fixture("js-sdk-v3"), "--format", "json"]);
    assert_eq!(a, b);
}

#[test]
fn graph_shows_every_edge_kind() {
    let (code, out, _) = slz(&["graph", &fixture("graph-edges"), "--format", "dot"]);
    assert_eq!(code, 0);
    for edge in [
        "front -> alerting [label=\"sns\"]",
        "front -> on_order [label=\"eventbridge\"]",
        "front -> prices [label=\"http-api-key\"]",
        "front -> prices [label=\"lambda-invoke\"]",
        "front -> worker [label=\"sqs\"]",
    ] {
        assert!(out.contains(edge), "missing {edge} in\n{out}");
    }
    assert!(
        !out.contains("-> on_refund"),
        "the refund rule pattern does not match: {out}"
    );
    let (_, out, _) = slz(&["graph", &fixture("restaurants-iam"), "--format", "mermaid"]);
    assert!(
        out.contains("get_index -- http-sigv4 --> get_restaurants"),
        "{out}"
    );
}

#[test]
fn seed_iam_variant_grants_exactly_the_method_and_recommends_aws_iam() {
    let (_, out, _) = slz(&["generate", &fixture("restaurants-iam"), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let index = json["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "get-index")
        .unwrap();
    let perms = index["permissions"].as_array().unwrap();
    assert_eq!(perms.len(), 1);
    assert_eq!(perms[0]["action"], "execute-api:Invoke");
    assert_eq!(
        perms[0]["resource"]["Fn::Sub"],
        "arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${ApiGatewayRestApi}/${sls:stage}/GET/restaurants"
    );
    let auth = json["auth"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["function"] == "get-restaurants")
        .unwrap();
    assert_eq!(auth["recommended"], "aws_iam");
}

#[test]
fn write_applies_the_auth_change_losslessly_and_idempotently() {
    let dir = common::scratch_copy(Path::new(&fixture("restaurants-iam")), "write");
    let config = dir.join("serverless.yml");
    let original = std::fs::read_to_string(&config)
        .unwrap()
        .replace("          authorizer: aws_iam\n", "");
    std::fs::write(&config, &original).unwrap();

    let (code, diff, _) = slz(&["generate", &dir.display().to_string(), "--format", "diff"]);
    assert_eq!(code, 0);
    assert!(diff.contains("+          authorizer: aws_iam"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        original,
        "--format diff alone writes nothing"
    );

    let (code, _, err) = slz(&["generate", &dir.display().to_string(), "--write"]);
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(
        written.contains(
            "          path: /restaurants/\n          method: get\n          authorizer: aws_iam\n"
        ),
        "{written}"
    );
    assert!(
        is_subsequence(&original, &written),
        "every original line (comments included) is kept, in order"
    );
    assert!(written.starts_with("# Modelled on the seed"));
    let removed: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .collect();
    assert!(removed.is_empty(), "the diff only adds lines: {removed:?}");

    let (_, diff, _) = slz(&["generate", &dir.display().to_string(), "--format", "diff"]);
    assert!(diff.is_empty(), "a second run changes nothing: {diff}");
}

#[test]
fn write_refuses_a_config_that_does_not_parse() {
    let dir = common::scratch_empty("broken");
    std::fs::write(dir.join("serverless.yml"), "service: x\nfunctions: [\n").unwrap();
    let (code, _, err) = slz(&["generate", &dir.display().to_string(), "--write"]);
    assert_eq!(code, 2);
    assert!(err.contains("refusing to write"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("serverless.yml")).unwrap(),
        "service: x\nfunctions: [\n"
    );
}

/// Lines of `a` appear in `b` in order (only insertions happened).
/// Every line of `a` is in `b`, in order; a line may have gained the comma JSON needs before a
/// member added after it.
fn is_subsequence(a: &str, b: &str) -> bool {
    let mut it = b.lines();
    a.lines()
        .all(|l| it.any(|m| m == l || m.strip_suffix(',') == Some(l)))
}

#[test]
fn write_then_check_is_clean_on_every_fixture_project() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-fixtures/projects");
    let mut names: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name())
        .collect();
    names.sort();
    for name in names {
        let name = name.to_string_lossy().to_string();
        let dir = common::scratch_copy(&root.join(&name), &format!("wc-{name}"));
        let config = std::fs::read_to_string(dir.join("CONFIG"))
            .ok()
            .map(|c| dir.join(c.trim()));
        let mut base = vec!["generate".to_string(), dir.display().to_string()];
        if let Some(c) = &config {
            base.extend(["--config".to_string(), c.display().to_string()]);
        }
        let config_file = config.clone().unwrap_or_else(|| {
            [
                "serverless.yml",
                "serverless.json",
                "template.yaml",
                ".serverlize.config.ts",
                "Cargo.toml",
            ]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.exists())
            .unwrap()
        });
        let before = std::fs::read_to_string(&config_file).unwrap();
        let args: Vec<&str> = base
            .iter()
            .map(String::as_str)
            .chain(["--write", "--format", "json"])
            .collect();
        let (_, written, notes) = slz(&args);
        // Functions the write leaves alone: their code was not read whole, or they share a role
        // with one that was not; check may still find what they lack.
        let mut left_alone: Vec<String> = serde_json::from_str::<serde_json::Value>(&written)
            .ok()
            .and_then(|v| v["functions"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter(|f| f["analysis"] != "analysed")
            .filter_map(|f| f["name"].as_str().map(str::to_string))
            .collect();
        // Functions named as left short: their roles' statements are not written, or the
        // config is not edited at all (it repeats a key).
        for line in notes.lines() {
            let Some(named) = ["are not written", "is not all written"]
                .iter()
                .find_map(|m| line.split_once(m).map(|(named, _)| named))
            else {
                continue;
            };
            left_alone.extend(named.split('`').skip(1).step_by(2).map(str::to_string));
        }
        // A function defined in another file (`functions: ${file(...)}`) is left alone.
        for line in notes.lines().filter(|l| l.contains("is not written under")) {
            left_alone.extend(line.split('`').nth(1).map(str::to_string));
        }
        let after = std::fs::read_to_string(&config_file).unwrap();
        assert!(
            is_subsequence(&before, &after),
            "{name}: --write changed existing lines:\n{after}"
        );
        slz(&args);
        assert_eq!(
            std::fs::read_to_string(&config_file).unwrap(),
            after,
            "{name}: a second --write changes nothing"
        );
        let mut check_args = vec![
            "check".to_string(),
            dir.display().to_string(),
            "--format".into(),
            "json".into(),
        ];
        if let Some(c) = &config {
            check_args.extend(["--config".to_string(), c.display().to_string()]);
        }
        let (_, out, _) = slz(&check_args.iter().map(String::as_str).collect::<Vec<_>>());
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{name}: {e}: {out}"));
        let bad: Vec<_> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "missing-permission" || f["code"] == "excess-permission")
            .filter(|f| !left_alone.iter().any(|n| f["function"] == n.as_str()))
            // Serverlize has no place for per-function statements to be written.
            .filter(|_| name != "serverlize-app")
            .collect();
        assert!(
            bad.is_empty(),
            "{name}: after --write, check still finds {bad:#?}"
        );
    }
}

/// The JSON of `generate` on `dir` with `threads` analysis threads.
fn json_with_threads(dir: &Path, config: Option<&Path>, threads: &str) -> Vec<u8> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slz-iam"));
    cmd.arg("generate").arg(dir).args(["--format", "json"]);
    if let Some(c) = config {
        cmd.arg("--config").arg(c);
    }
    let out = cmd
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("run slz-iam");
    out.stdout
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-fixtures/projects");
    let mut names: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    names.sort();
    for dir in names {
        let config = std::fs::read_to_string(dir.join("CONFIG"))
            .ok()
            .map(|c| dir.join(c.trim()));
        let one = json_with_threads(&dir, config.as_deref(), "1");
        assert!(!one.is_empty(), "{}", dir.display());
        for _ in 0..3 {
            let two = json_with_threads(&dir, config.as_deref(), "2");
            assert!(one == two, "{} differs with 2 threads", dir.display());
        }
    }
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // `slz-iam ... | head`: the pipe is closed before the output is written.
    for args in [
        vec![
            "generate".to_string(),
            fixture("restaurants-iam"),
            "--format".into(),
            "json".into(),
        ],
        vec!["generate".to_string(), fixture("restaurants-iam")],
        vec!["explain".to_string(), "--codes".into()],
        vec!["explain".to_string(), "--service".into(), "s3".into()],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_slz-iam"))
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run slz-iam");
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// Every format in the registry is a `--format` value of its command and prints something for a
/// project with findings and edits to make (a new format is exercised here without more code).
#[test]
fn every_registered_format_runs() {
    use slz_iam::emit::formats::{Command as Cmd, FORMATS};
    let project = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../test-fixtures/check/app")
        .display()
        .to_string();
    for f in FORMATS {
        let command = match f.command {
            Cmd::Generate => "generate",
            Cmd::Check => "check",
            Cmd::Graph => "graph",
        };
        let (code, out, err) = slz(&[command, &project, "--format", f.name]);
        assert!(
            code == 0 || code == 1,
            "{command} --format {}: exit {code}: {err}",
            f.name
        );
        assert!(
            !out.is_empty(),
            "{command} --format {} printed nothing: {err}",
            f.name
        );
    }
}

//! `slz-iam lsp` driven over JSON-RPC on its stdin/stdout, as an editor drives it: initialize,
//! open a handler, receive diagnostics, edit, receive the updated ones, hover, request code
//! actions and apply them.

mod common;
#[path = "common/lsp_client.rs"]
mod lsp_client;

use lsp_client::{uri, Client};
use serde_json::{json, Value};
use std::path::Path;

fn codes(d: &[Value]) -> Vec<String> {
    d.iter()
        .map(|x| x["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Applies a protocol edit to ASCII text.
fn apply(text: &str, edit: &Value) -> String {
    let offset = |p: &Value| -> usize {
        let (line, ch) = (
            p["line"].as_u64().unwrap(),
            p["character"].as_u64().unwrap(),
        );
        let mut at = 0;
        for (i, l) in text.split_inclusive('\n').enumerate() {
            if i as u64 == line {
                return at + ch as usize;
            }
            at += l.len();
        }
        at + ch as usize
    };
    let (s, e) = (
        offset(&edit["range"]["start"]),
        offset(&edit["range"]["end"]),
    );
    format!(
        "{}{}{}",
        &text[..s],
        edit["newText"].as_str().unwrap(),
        &text[e..]
    )
}

/// The single edit of a code action on `file`.
fn edit_of(action: &Value, file: &Path) -> Value {
    let edits = action["edit"]["changes"][uri(file)].as_array().unwrap();
    assert_eq!(edits.len(), 1, "{action}");
    edits[0].clone()
}

#[test]
fn diagnostics_follow_edits_and_fixes_apply() {
    let root = common::scratch_copy(&common::fixture_dir("check/app"), "lsp");
    let mut c = Client::start(&root);
    let mailer = root.join("handlers/mailer.js");
    let reader = root.join("handlers/reader.js");
    let config = root.join("serverless.yml");

    // On start: the missing permission at the SDK call, the wildcard at the config line.
    let d = c.diagnostics_of(&mailer);
    assert!(codes(&d).contains(&"missing-permission".into()), "{d:?}");
    assert_eq!(d[0]["range"]["start"]["line"], 2);
    assert!(d[0]["message"].as_str().unwrap().contains("sns:Publish"));

    // Editing the buffer (unsaved) replaces what the disk says.
    let text = std::fs::read_to_string(&mailer).unwrap();
    c.open(&mailer, &text);
    c.change(&mailer, 2, "exports.handler = async () => 'no AWS call';\n");
    assert!(c.diagnostics_of(&mailer).is_empty());
    assert!(c.hover(&mailer, 2).is_null());

    // A new SDK call in another handler: diagnosed where it is typed, with a hover.
    let reader_text = std::fs::read_to_string(&reader).unwrap();
    let edited = "const AWS = require('aws-sdk');\nconst db = new AWS.DynamoDB.DocumentClient();\nexports.handler = async (e) => {\n  await db.put({ TableName: process.env.TABLE, Item: e }).promise();\n  return db.get({ TableName: process.env.TABLE, Key: { id: e.id } }).promise();\n};\n";
    c.open(&reader, &reader_text);
    c.change(&reader, 2, edited);
    let d = c.diagnostics_of(&reader);
    let missing: Vec<&Value> = d
        .iter()
        .filter(|x| x["code"] == "missing-permission")
        .collect();
    assert_eq!(missing.len(), 1, "{d:?}");
    assert!(missing[0]["message"]
        .as_str()
        .unwrap()
        .contains("dynamodb:PutItem"));
    let line = missing[0]["range"]["start"]["line"].as_u64().unwrap() as u32;
    assert_eq!(line, 3);
    let hover = c.hover(&reader, line);
    let hover_text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        hover_text.contains("dynamodb:PutItem") && hover_text.contains("`reader`"),
        "{hover_text}"
    );

    // The quick fix adds the statement to the function's role; applied, the finding goes away.
    let actions = c.code_actions(&reader, line);
    let grant = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Grant dynamodb:PutItem")
        })
        .unwrap_or_else(|| panic!("{actions:?}"));
    let config_text = std::fs::read_to_string(&config).unwrap();
    let fixed = apply(&config_text, &edit_of(grant, &config));
    assert!(
        fixed.contains("      - Effect: Allow\n        Action:\n          - dynamodb:PutItem\n"),
        "{fixed}"
    );
    assert!(
        fixed.contains("# The role of the functions that declare none"),
        "comments kept"
    );
    c.open(&config, &config_text);
    c.change(&config, 2, &fixed);
    let d = c.diagnostics_of(&reader);
    assert!(!codes(&d).contains(&"missing-permission".into()), "{d:?}");

    // Narrowing a wildcard at its config line.
    let star = fixed
        .lines()
        .position(|l| l.trim() == "Action: dynamodb:*")
        .unwrap() as u32;
    let actions = c.code_actions(&config, star);
    let narrow = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Narrow dynamodb:*")
        })
        .unwrap_or_else(|| panic!("{actions:?}"));
    let narrowed = apply(&fixed, &edit_of(narrow, &config));
    assert!(
        narrowed.contains("        Action: [dynamodb:PutItem]\n"),
        "{narrowed}"
    );
    c.change(&config, 3, &narrowed);
    let d = c.diagnostics_of(&config);
    assert!(!codes(&d).contains(&"wildcard-action".into()), "{d:?}");

    // Closing a buffer: the file on disk is the truth again.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri(&mailer)}}),
    );
    assert!(codes(&c.diagnostics_of(&mailer)).contains(&"missing-permission".into()));
    c.stop();
}

#[test]
fn a_folder_without_a_project_is_not_a_crash() {
    let root = common::scratch_empty("lsp-empty");
    let mut c = Client::start(&root);
    assert!(c.hover(&root.join("x.js"), 0).is_null());
    c.stop();
}

#[test]
fn grant_on_v4_keeps_what_the_function_inherited() {
    let root = common::scratch_copy(&common::fixture_dir("writes/sls-v4-function"), "lsp-v4");
    let mut c = Client::start(&root);
    let handler = root.join("src/get.js");
    let config = root.join("serverless.yml");
    let d = c.diagnostics_of(&handler);
    let missing = d
        .iter()
        .find(|x| x["code"] == "missing-permission")
        .unwrap_or_else(|| panic!("{d:?}"));
    let line = missing["range"]["start"]["line"].as_u64().unwrap() as u32;
    let actions = c.code_actions(&handler, line);
    let grant = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Grant dynamodb:GetItem to `get`")
        })
        .unwrap_or_else(|| panic!("{actions:?}"));
    let text = std::fs::read_to_string(&config).unwrap();
    let fixed = apply(&text, &edit_of(grant, &config));
    assert!(
        fixed.ends_with("    memorySize: 256 # small\n    iam:\n      inheritStatements: true\n      role:\n        statements:\n          - Effect: Allow\n            Action:\n              - dynamodb:GetItem\n            Resource:\n              - 'arn:aws:dynamodb:${aws:region}:${aws:accountId}:table/orders'\n        managedPolicies:\n          - arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess\n"),
        "{fixed}"
    );
    let whole = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Write the least-privilege policy")
        })
        .unwrap_or_else(|| panic!("{actions:?}"));
    let written = apply(&text, &edit_of(whole, &config));
    assert_eq!(
        written,
        std::fs::read_to_string(common::fixture_dir("writes/sls-v4-function/expected.yml"))
            .unwrap()
    );
    c.open(&config, &text);
    c.change(&config, 2, &fixed);
    assert!(!codes(&c.diagnostics_of(&handler)).contains(&"missing-permission".into()));
    c.stop();
}

/// The code actions on the first `missing-permission` finding of `file`, with the finding.
fn actions_at_missing(c: &mut Client, file: &Path) -> (Value, Vec<Value>) {
    let d = c.diagnostics_of(file);
    let missing = d
        .iter()
        .find(|x| x["code"] == "missing-permission")
        .unwrap_or_else(|| panic!("{d:?}"))
        .clone();
    let line = missing["range"]["start"]["line"].as_u64().unwrap() as u32;
    (missing, c.code_actions(file, line))
}

#[test]
fn a_function_whose_analysis_is_incomplete_gets_no_enabled_write() {
    let root = common::scratch_copy(
        &common::fixture_dir("writes/helper-syntax-error"),
        "lsp-incomplete",
    );
    let mut c = Client::start(&root);
    let (missing, actions) = actions_at_missing(&mut c, &root.join("src/broken.js"));
    assert!(
        missing["message"]
            .as_str()
            .unwrap()
            .contains("sqs:SendMessage"),
        "{missing}"
    );
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Grant sqs:SendMessage"))
            && titles
                .iter()
                .any(|t| t.starts_with("Write the least-privilege policy")),
        "{actions:?}"
    );
    for a in &actions {
        assert!(a["edit"].is_null(), "an edit is offered: {a}");
        let reason = a["disabled"]["reason"].as_str().unwrap_or_default();
        assert!(
            reason
                .contains("`broken`: its analysis is incomplete: syntax-error at src/lib/db.js:5"),
            "{a}"
        );
    }
    // The other function of the project is written as usual.
    let (_, actions) = actions_at_missing(&mut c, &root.join("src/fine.js"));
    let enabled = actions
        .iter()
        .filter(|a| a["disabled"].is_null() && !a["edit"].is_null())
        .count();
    assert_eq!(enabled, 2, "{actions:?}");
    c.stop();
}

#[test]
fn a_grant_the_gate_refuses_is_not_offered() {
    // `fine`'s grant goes to the provider role, which `broken` (a helper does not parse) shares:
    // the edit would change the role of a function that must be left as it is.
    let root = common::scratch_copy(
        &common::fixture_dir("writes/shared-role-left-alone"),
        "lsp-shared",
    );
    let mut c = Client::start(&root);
    let (missing, actions) = actions_at_missing(&mut c, &root.join("src/fine.js"));
    assert!(
        missing["message"].as_str().unwrap().contains("sns:Publish"),
        "{missing}"
    );
    assert!(
        actions.iter().all(|a| a["edit"].is_null()),
        "an edit is offered: {actions:?}"
    );
    let reason = |prefix: &str| {
        actions
            .iter()
            .find(|a| a["title"].as_str().unwrap().starts_with(prefix))
            .and_then(|a| a["disabled"]["reason"].as_str())
            .unwrap_or_else(|| panic!("{prefix}: {actions:?}"))
            .to_string()
    };
    assert!(
        reason("Grant sns:Publish to `fine`")
            .contains("the edit changes function `broken`, which must be left as it is"),
        "{actions:?}"
    );
    assert!(
        reason("Write the least-privilege policy of `fine`")
            .contains("their role also serves `broken`, which is left as it is"),
        "{actions:?}"
    );
    c.stop();
}

/// A Serverlize function whose file exists only as an unsaved buffer: its folder is listed
/// through the buffers over the disk, so the function is analysed before it is saved.
#[test]
fn an_unsaved_serverlize_function_is_analysed() {
    let root = common::scratch_empty("lsp-serverlize-unsaved");
    std::fs::write(
        root.join(".serverlize.config.ts"),
        "export default { name: 'app' };\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("functions/Saved")).unwrap();
    std::fs::write(
        root.join("functions/Saved/index.ts"),
        "export const config = { path: '/saved' };\nexport const handler = async () => 1;\n",
    )
    .unwrap();
    // Neither the file nor its folder is on disk yet.
    let fresh = root.join("functions/Fresh/index.ts");
    let mut c = Client::start(&root);
    let text = "import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';\nexport const config = { path: '/fresh' };\nconst s3 = new S3Client({});\nexport const handler = async () => s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));\n";
    c.open(&fresh, text);
    let hover = c.hover(&fresh, 3);
    let hover_text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        hover_text.contains("s3:GetObject") && hover_text.contains("`Fresh`"),
        "{hover}"
    );
    assert!(!fresh.exists(), "the test must not save the buffer");
    c.stop();
}

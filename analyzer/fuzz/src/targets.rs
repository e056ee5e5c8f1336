//! The body of every fuzz target, one function per target taking the fuzzer's bytes. The
//! libFuzzer binaries in `fuzz/` call these; the smoke test (`tests/smoke.rs`) runs each over the
//! seed corpora and the minimised crash inputs in the normal test suite, so an API change or a
//! regression shows in CI, not only when someone fuzzes.

use crate::{analyse, analyse_handler, analyse_with, text};

/// A target's body: the fuzzer's bytes in, a panic on a bug.
pub type Target = fn(&[u8]);

/// Every target, by the name of its libFuzzer binary.
pub const ALL: &[(&str, Target)] = &[
    ("project_model", project_model),
    ("variables", variables),
    ("js", js),
    ("python", python),
    ("rust", rust),
    ("write", write),
];

/// The serverless.yml and SAM/CloudFormation readers on arbitrary config text: parse, resolve
/// variables and intrinsics, read functions, roles and declared policies, then analyse.
pub fn project_model(data: &[u8]) {
    let config = text(data);
    let handler = "exports.main = async () => {};";
    let (_, report) = analyse(&config, &[("src/handler.js", handler)]);
    std::hint::black_box(report.to_json());
}

/// The variable resolver: the first line is a value to resolve (`${self:custom.a}-x`, `!Sub ...`),
/// the rest a config whose nodes it may name (cycles, missing keys, deep nesting).
pub fn variables(data: &[u8]) {
    use slz_analyzer::project::variables::Resolver;
    use slz_analyzer::project::yaml::{self, Node, Value};

    let text = text(data);
    let (expr, doc) = text.split_once('\n').unwrap_or((&text, ""));
    let Ok(root) = yaml::parse(doc) else {
        return;
    };
    let r = Resolver::new(&root, "serverless.yml".into());
    let node = Node {
        value: Value::Str(expr.to_string()),
        line: 1,
        column: 1,
    };
    std::hint::black_box(r.template(&node));
    std::hint::black_box(r.deref(&node));
    for (_, v) in root.entries() {
        std::hint::black_box(r.template(v));
    }
}

/// The JS/TS front-end and the evaluator: the fuzzed text is a TypeScript handler (and the local
/// module it may import), analysed end to end.
pub fn js(data: &[u8]) {
    analyse_handler(data, "src/handler.ts", "src/lib.ts");
}

/// The Python front-end and the evaluator: the fuzzed text is a boto3 handler (and the local
/// module it may import), analysed end to end.
pub fn python(data: &[u8]) {
    analyse_handler(data, "src/app.py", "src/lib.py");
}

const MANIFEST: &str = "[package]\nname = \"fuzz\"\nversion = \"0.1.0\"\n";

/// The Rust front-end and the evaluator: the fuzzed text is the `main.rs` (and the library) of a
/// cargo-lambda crate with no config (every binary a function), analysed end to end.
pub fn rust(data: &[u8]) {
    use slz_analyzer::project::cargo;
    use std::path::Path;

    let source = text(data);
    let files = [
        ("Cargo.toml", MANIFEST),
        ("src/main.rs", source.as_str()),
        ("src/lib.rs", source.as_str()),
    ];
    let (_, report) = analyse_with(|| cargo::read(MANIFEST, Path::new("Cargo.toml")), &files);
    std::hint::black_box(report.to_json());
}

const HANDLER: &str = "const { DynamoDB } = require('aws-sdk');
const db = new DynamoDB.DocumentClient();
exports.main = async () => db.get({ TableName: process.env.TABLE, Key: {} }).promise();
";
const APP: &str = "import os, boto3
table = boto3.resource('dynamodb').Table(os.environ['TABLE'])
def main(event, context):
    return table.get_item(Key={})
";

/// `--write` on arbitrary configs: when the config parses, the edits `generate --write` would make
/// must give a config that still parses, and every line outside the edited ranges must be kept,
/// byte for byte and in order.
pub fn write(data: &[u8]) {
    use slz_analyzer::edit;
    use slz_analyzer::project::yaml;

    let source = text(data);
    if yaml::parse(&source).is_err() {
        return; // `--write` refuses a config that does not parse
    }
    let (project, report) = analyse(&source, &[("src/handler.js", HANDLER), ("src/app.py", APP)]);
    if report
        .diagnostics
        .iter()
        .any(|d| d.code == "config-parse-error")
    {
        return;
    }
    let plan = edit::config_edits(&project, &source, &report);
    let edits = plan.edits;
    let out = edit::apply(&source, &edits);
    if let Err(e) = yaml::parse(&out) {
        panic!(
            "the edited config does not parse ({}:{}: {})\n--- before\n{source}\n--- after\n{out}",
            e.line, e.column, e.message
        );
    }
    // Every original line outside the replaced ranges survives, in order.
    let replaced = |n: u32| edits.iter().any(|e| e.first <= n && n <= e.last);
    let mut rest = out.split_inclusive('\n');
    for (i, line) in source.split_inclusive('\n').enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if replaced(n) {
            continue;
        }
        let kept = line.trim_end_matches(['\n', '\r']);
        assert!(
            rest.any(|l| l.trim_end_matches(['\n', '\r']) == kept),
            "line {n} was lost: {kept:?}\n--- before\n{source}\n--- after\n{out}"
        );
    }
}

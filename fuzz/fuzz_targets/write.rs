//! `--write` on arbitrary configs: when the config parses, the edits `generate --write` would make
//! must give a config that still parses, and every line outside the edited ranges must be kept,
//! byte for byte and in order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slz_analyzer::edit;
use slz_analyzer::project::yaml;

const HANDLER: &str = "const { DynamoDB } = require('aws-sdk');
const db = new DynamoDB.DocumentClient();
exports.main = async () => db.get({ TableName: process.env.TABLE, Key: {} }).promise();
";
const APP: &str = "import os, boto3
table = boto3.resource('dynamodb').Table(os.environ['TABLE'])
def main(event, context):
    return table.get_item(Key={})
";

fuzz_target!(|data: &[u8]| {
    let source = slz_iam_fuzz::text(data);
    if yaml::parse(&source).is_err() {
        return; // `--write` refuses a config that does not parse
    }
    let (project, report) =
        slz_iam_fuzz::analyse(&source, &[("src/handler.js", HANDLER), ("src/app.py", APP)]);
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
});

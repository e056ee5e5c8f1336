//! Project shapes that once made a step of the pipeline superlinear, for the adversarial
//! benchmark: each writes a serverless project into the folder it is given. (The tests run
//! smaller versions of them.)

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

/// A shape: its name, and what writes it into a folder.
pub type Shape = (&'static str, fn(&Path));

/// The shapes, by name.
pub fn shapes() -> Vec<Shape> {
    vec![
        ("many-functions-with-findings", many_functions_with_findings),
        ("nested-helpers-40-levels", nested_helpers),
        ("uncalled-functions-16k", uncalled_functions),
        ("minified-bundle-1mb", minified_bundle),
    ]
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

fn config(functions: &[(String, String)]) -> String {
    let mut out = String::from(
        "service: adversarial\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  environment:\n    TABLE: adversarial-items\nfunctions:\n",
    );
    for (name, handler) in functions {
        let _ = writeln!(out, "  {name}:\n    handler: {handler}");
    }
    out
}

/// 20,000 functions, each with a call its (empty) role does not allow: as many findings for
/// `check` and as many edits for `generate --format diff`.
pub fn many_functions_with_findings(dir: &Path) {
    many_functions_with_findings_n(dir, 20_000);
}

/// [`many_functions_with_findings`] with `n` functions.
pub fn many_functions_with_findings_n(dir: &Path, n: usize) {
    let mut js = String::from(
        "const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');\nconst db = new DynamoDBClient({});\n",
    );
    let mut functions = Vec::with_capacity(n);
    for i in 0..n {
        let _ = writeln!(
            js,
            "exports.h{i} = async (event) => db.send(new GetItemCommand({{ TableName: process.env.TABLE, Key: {{ id: {{ S: 'k{i}' }} }} }}));"
        );
        functions.push((format!("f{i}"), format!("handler.h{i}")));
    }
    write(dir, "handler.js", &js);
    // One role per function, each missing the read: one edit per function.
    let mut yml = config(&functions).replace(
        "service: adversarial\n",
        "service: adversarial\nplugins:\n  - serverless-iam-roles-per-function\n",
    );
    let mut out = String::with_capacity(yml.len() * 3);
    for line in yml.lines() {
        out.push_str(line);
        out.push('\n');
        if line.starts_with("    handler: ") {
            out.push_str("    iamRoleStatements:\n      - Effect: Allow\n        Action: logs:PutLogEvents\n        Resource: '*'\n");
        }
    }
    yml = out;
    write(dir, "serverless.yml", &yml);
}

/// `f_i(x) = f_{i-1}(f_{i-1}(x))` for 40 levels: 2^40 call paths to one SDK call.
pub fn nested_helpers(dir: &Path) {
    let levels = 40;
    let mut js = String::from(
        "const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');\nconst s3 = new S3Client({});\nfunction f0(x) { s3.send(new GetObjectCommand({ Bucket: 'adversarial-bucket', Key: x })); return x; }\n",
    );
    for i in 1..=levels {
        let _ = writeln!(
            js,
            "function f{i}(x) {{ return f{p}(f{p}(x)); }}",
            p = i - 1
        );
    }
    let _ = writeln!(
        js,
        "exports.handler = async (event) => f{levels}(event.key);"
    );
    write(dir, "handler.js", &js);
    write(
        dir,
        "serverless.yml",
        &config(&[("nested".into(), "handler.handler".into())]),
    );
}

/// 16,000 functions in one file that nothing calls, each with a few parameters.
pub fn uncalled_functions(dir: &Path) {
    uncalled_functions_n(dir, 16_000);
}

/// [`uncalled_functions`] with `n` functions.
pub fn uncalled_functions_n(dir: &Path, n: usize) {
    let mut js = String::from("exports.handler = async () => 1;\n");
    for i in 0..n {
        let _ = writeln!(
            js,
            "function u{i}(a{i}, {{ b{i}, c{i} }}, [d{i}]) {{ let e = a{i} + b{i}; e = c{i}; return e + d{i}; }}"
        );
    }
    write(dir, "handler.js", &js);
    write(
        dir,
        "serverless.yml",
        &config(&[("uncalled".into(), "handler.handler".into())]),
    );
}

/// A minified bundle of about 1 MB on one line: short names, many small functions and
/// reassigned variables, one SDK call.
pub fn minified_bundle(dir: &Path) {
    minified_bundle_of(dir, 1 << 20);
}

/// [`minified_bundle`] of about `bytes` bytes.
pub fn minified_bundle_of(dir: &Path, bytes: usize) {
    let mut js = String::from(
        "const{DynamoDBClient:D,GetItemCommand:G}=require('@aws-sdk/client-dynamodb');const db=new D({});var t0=process.env.TABLE;",
    );
    let mut i = 0;
    while js.len() < bytes {
        let _ = write!(
            js,
            "var v{i}=0;function m{i}(a,b){{v{i}=a;v{i}=b;return a?b:v{i};}}var w{i}=(x,y)=>m{i}(x,y)+t0;"
        );
        i += 1;
    }
    js.push_str(
        "exports.handler=async e=>db.send(new G({TableName:t0,Key:{id:{S:String(e.id)}}}));\n",
    );
    write(dir, "handler.js", &js);
    write(
        dir,
        "serverless.yml",
        &config(&[("bundle".into(), "handler.handler".into())]),
    );
}

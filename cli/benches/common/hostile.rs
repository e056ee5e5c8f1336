//! Hostile projects, one per shape of input that once took the tool tens of seconds, forever or
//! gigabytes: each entry names the shape and writes the project, with its `expect.txt` (the exit
//! status and `FILE:LINE KIND: ...` expectations, as in `test-fixtures/broken/`), into a folder.
//! Shapes small enough to commit are copied from `test-fixtures/broken/<name>/`; the others are
//! built here. Shared by `cli/tests/broken.rs` (each must finish, with its diagnostics) and
//! `cli/benches/adversarial.rs` (time and peak memory of each); adding a shape is one line.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

/// Writes one hostile project into the folder given.
pub type Generator = fn(&Path);

pub const SHAPES: &[(&str, Generator)] = &[
    // `Fn::FindInMap` whose mapping values look themselves up.
    ("findinmap-cycle", |d| committed(d, "findinmap-cycle")),
    // `${self:...}` used ten times per level over nine levels.
    ("variable-fanout", |d| committed(d, "variable-fanout")),
    // `${self:...}` used twice per level over thirteen levels.
    ("variable-doubling", |d| committed(d, "variable-doubling")),
    // The same over a 170 KiB text: 1.4 GB once expanded.
    ("variable-doubling-long", variable_doubling_long),
    // Aliases of aliases: 10^8 nodes once expanded.
    ("yaml-alias-bomb", |d| committed(d, "yaml-alias-bomb")),
    // A list nested 20,000 deep under `custom`.
    ("yaml-deep-unused", |d| committed(d, "yaml-deep-unused")),
    // One 1 MiB text aliased 2,000 times.
    ("yaml-alias-bytes", alias_bytes),
    // 1,000 variables named by `${self:custom.env}` in the provider and 2,000 functions.
    ("environment-shared", environment_shared),
    // 256 KiB of settings, then 10,000 flow lists whose second line is under their key: each one
    // re-indented costs a parse up to it.
    ("yaml-loose-flows", loose_flows),
];

/// The handler every generated function uses: it reads the table named by `TABLE`.
const READER: &str = "const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');\nconst db = new DynamoDBClient({});\nexports.handler = async () => db.send(new GetItemCommand({ TableName: process.env.TABLE, Key: {} }));\n";

/// Copies the committed case `name` of `test-fixtures/broken/`.
fn committed(dir: &Path, name: &str) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../test-fixtures/broken")
        .join(name);
    std::fs::create_dir_all(dir).unwrap();
    for e in std::fs::read_dir(&from).unwrap().flatten() {
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
}

fn write(dir: &Path, config: &str, expect: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("serverless.yml"), config).unwrap();
    std::fs::write(dir.join("reader.js"), READER).unwrap();
    std::fs::write(dir.join("expect.txt"), expect).unwrap();
}

fn loose_flows(dir: &Path) {
    let mut config = "service: loose\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  environment:\n    TABLE: users\nfunctions:\n  reader:\n    handler: reader.handler\ncustom:\n  filler:\n".to_string();
    let mut line = 11;
    while config.len() < 256 << 10 {
        writeln!(config, "    k{line}: {}", "v".repeat(100)).unwrap();
        line += 1;
    }
    config.push_str("  loose:\n");
    line += 1;
    for i in 0..10_000 {
        writeln!(config, "    l{i}: [1,\n    2]").unwrap();
    }
    // The lists read before the parses spent their budget (4 times the text, plus 4 MiB) are
    // re-indented; the error stands at the second line of the first one past it.
    let first = line + 1;
    let reindented = 23;
    let expect = format!(
        "exit: 2\nserverless.yml:{} diag: config-parse-error\n",
        first + 2 * reindented + 1
    );
    write(dir, &config, &expect);
}

fn alias_bytes(dir: &Path) {
    let big = "x".repeat(1 << 20);
    let copies = vec!["*big"; 2_000].join(", ");
    let config = format!(
        "service: aliases\ncustom:\n  big: &big {big}\n  copies: [{copies}]\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  environment:\n    TABLE: users\nfunctions:\n  reader:\n    handler: reader.handler\n"
    );
    write(
        dir,
        &config,
        "exit: 0\nserverless.yml:4 diag: config-part-omitted\nreader.js:3 iam: dynamodb:GetItem table/users\n",
    );
}

fn environment_shared(dir: &Path) {
    let mut config = String::from("service: shared\ncustom:\n  env:\n    TABLE: users\n");
    for i in 0..1_000 {
        writeln!(config, "    VAR_{i}: value-{i}-${{sls:stage}}").unwrap();
    }
    config.push_str("provider:\n  name: aws\n  runtime: nodejs20.x\n  environment: ${self:custom.env}\nfunctions:\n");
    for f in 0..2_000 {
        writeln!(
            config,
            "  f{f}:\n    handler: reader.handler\n    environment: ${{self:custom.env}}"
        )
        .unwrap();
    }
    write(
        dir,
        &config,
        "exit: 0\nreader.js:3 iam: dynamodb:GetItem table/users\n",
    );
}

fn variable_doubling_long(dir: &Path) {
    let mut config = format!(
        "service: doubling\ncustom:\n  l0: {}\n",
        "x".repeat(170 << 10)
    );
    for l in 1..14 {
        let uses = format!("${{self:custom.l{}}}", l - 1).repeat(2);
        writeln!(config, "  l{l}: '{uses}'").unwrap();
    }
    config.push_str("provider:\n  name: aws\n  runtime: nodejs20.x\n  environment:\n    TABLE: ${self:custom.l13}\nfunctions:\n  reader:\n    handler: reader.handler\n");
    write(
        dir,
        &config,
        "exit: 0\nreader.js:3 diag: unresolved-resource; iam: dynamodb:GetItem table/*\nserverless.yml:4 diag: unresolved-variable\n",
    );
}

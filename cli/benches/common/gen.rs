//! A deterministic generator of realistic serverless projects for the benchmarks: `n` functions
//! with JavaScript (SDK v2 and v3, and HTTP calls to a sibling's endpoint), TypeScript, Python
//! (boto3) and Rust (aws-sdk-rust, one binary per function in the project's crate) handlers, a
//! shared local module per language, resources from environment variables, calls between
//! functions, and per-function roles, one in seven of them missing the statement its code needs
//! (so the checks have something to report), written as a serverless.yml or as an AWS SAM
//! template.

use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic generator (64-bit LCG): the same seed gives the same project.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// The kinds of handler, with the statement each needs.
const KINDS: &[(&str, &str, &str)] = &[
    (
        "js-v3-dynamodb",
        "dynamodb:GetItem",
        "arn:aws:dynamodb:*:*:table/bench-items",
    ),
    ("js-v2-s3", "s3:GetObject", "arn:aws:s3:::bench-files/*"),
    ("ts-v3-sqs", "sqs:SendMessage", "arn:aws:sqs:*:*:bench-jobs"),
    (
        "py-dynamodb",
        "dynamodb:PutItem",
        "arn:aws:dynamodb:*:*:table/bench-items",
    ),
    ("py-s3", "s3:PutObject", "arn:aws:s3:::bench-files/*"),
    (
        "rs-dynamodb",
        "dynamodb:GetItem",
        "arn:aws:dynamodb:*:*:table/bench-items",
    ),
    ("js-http", "s3:GetObject", "arn:aws:s3:::bench-files/*"),
];

/// The config a project is described by. (Each benchmark includes this file and uses the variants
/// it needs.)
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    Serverless,
    Sam,
}

fn handler(kind: &str, i: usize, calls_next: bool) -> (String, String) {
    let invoke_js = if calls_next {
        "  await lambda.send(new InvokeCommand({ FunctionName: process.env.NEXT, Payload: '{}' }));\n"
    } else {
        ""
    };
    match kind {
        "js-v3-dynamodb" => (
            "js".into(),
            format!(
                "const {{ DynamoDBClient, GetItemCommand }} = require('@aws-sdk/client-dynamodb');\nconst {{ LambdaClient, InvokeCommand }} = require('@aws-sdk/client-lambda');\nconst {{ key }} = require('../../lib/util');\n\nconst db = new DynamoDBClient({{}});\nconst lambda = new LambdaClient({{}});\n\n// Function {i}: reads one item.\nexports.handler = async (event) => {{\n  const item = await db.send(new GetItemCommand({{ TableName: process.env.TABLE, Key: key(event) }}));\n{invoke_js}  return item;\n}};\n"
            ),
        ),
        "js-v2-s3" => (
            "js".into(),
            format!(
                "const AWS = require('aws-sdk');\nconst {{ objectKey }} = require('../../lib/util');\n\nconst s3 = new AWS.S3();\n\n// Function {i}: reads one object.\nexports.handler = async (event) => {{\n  const body = await s3.getObject({{ Bucket: process.env.BUCKET, Key: objectKey(event) }}).promise();\n  return body.Body.toString();\n}};\n"
            ),
        ),
        "ts-v3-sqs" => (
            "ts".into(),
            format!(
                "import {{ SQSClient, SendMessageCommand }} from '@aws-sdk/client-sqs';\nimport {{ LambdaClient, InvokeCommand }} from '@aws-sdk/client-lambda';\n\nconst sqs = new SQSClient({{}});\nconst lambda = new LambdaClient({{}});\n\ninterface Job {{ id: string; n: number }}\n\n// Function {i}: queues a job.\nexport const handler = async (event: Job): Promise<void> => {{\n  await sqs.send(new SendMessageCommand({{ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(event) }}));\n{invoke_js}}};\n"
            ),
        ),
        "py-dynamodb" => (
            "py".into(),
            format!(
                "import os\n\nimport boto3\n\nfrom common import item_of\n\ntable = boto3.resource(\"dynamodb\").Table(os.environ[\"TABLE\"])\n\n\ndef handler(event, context):\n    \"\"\"Function {i}: stores one item.\"\"\"\n    table.put_item(Item=item_of(event))\n    return {{\"ok\": True}}\n"
            ),
        ),
        "rs-dynamodb" => (
            "rs".into(),
            format!(
                "//! Function {i}: reads one item.\n\nuse aws_sdk_dynamodb::types::AttributeValue;\nuse aws_sdk_dynamodb::Client;\nuse lambda_runtime::{{run, service_fn, Error, LambdaEvent}};\nuse serde_json::Value;\n\nasync fn handle(client: &Client, table: &str, event: LambdaEvent<Value>) -> Result<Value, Error> {{\n    let id = event.payload[\"id\"].as_str().unwrap_or_default().to_string();\n    client\n        .get_item()\n        .table_name(table)\n        .key(\"id\", AttributeValue::S(id))\n        .send()\n        .await?;\n    Ok(Value::Null)\n}}\n\n#[tokio::main]\nasync fn main() -> Result<(), Error> {{\n    let config = aws_config::load_from_env().await;\n    let client = Client::new(&config);\n    let table = std::env::var(\"TABLE\").expect(\"TABLE is set\");\n    run(service_fn(|event| handle(&client, &table, event))).await\n}}\n"
            ),
        ),
        "js-http" => (
            "js".into(),
            format!(
                "const AWS = require('aws-sdk');\n\nconst s3 = new AWS.S3();\n\n// Function {i}: asks a sibling for a price over HTTP, then reads an object.\nexports.handler = async (event) => {{\n  const res = await fetch(process.env.PRICES_URL, {{ headers: {{ 'x-api-key': process.env.API_KEY }} }});\n  const body = await s3.getObject({{ Bucket: process.env.BUCKET, Key: `in/${{event.id}}` }}).promise();\n  return {{ price: await res.json(), body: body.Body.toString() }};\n}};\n"
            ),
        ),
        _ => (
            "py".into(),
            format!(
                "import json\nimport os\n\nimport boto3\n\ns3 = boto3.client(\"s3\")\nBUCKET = os.environ[\"BUCKET\"]\n\n\ndef handler(event, context):\n    \"\"\"Function {i}: writes one object.\"\"\"\n    s3.put_object(Bucket=BUCKET, Key=f\"out/{{event['id']}}.json\", Body=json.dumps(event))\n"
            ),
        ),
    }
}

/// Writes a project of `n` functions into `dir` (created; existing content is replaced).
pub fn generate(dir: &Path, n: usize, seed: u64, variant: Variant) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    std::fs::write(
        dir.join("lib/util.js"),
        "// Shared by the JavaScript handlers.\nexports.key = (event) => ({ id: { S: String(event.id) } });\nexports.objectKey = (event) => `in/${event.id}.json`;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("common.py"),
        "\"\"\"Shared by the Python handlers.\"\"\"\n\n\ndef item_of(event):\n    return {\"id\": str(event[\"id\"]), \"body\": event}\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("src/bin")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"bench\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\naws-config = \"1\"\naws-sdk-dynamodb = \"1\"\nlambda_runtime = \"0.13\"\nserde_json = \"1\"\ntokio = { version = \"1\", features = [\"macros\"] }\n",
    )
    .unwrap();
    let mut rng = Lcg(seed);
    let mut config = match variant {
        Variant::Serverless => String::from(
            "service: bench\n\nplugins:\n  - serverless-iam-roles-per-function\n\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  apiKeys:\n    - internal\n  environment:\n    TABLE: bench-items\n    BUCKET: bench-files\n    QUEUE_URL: https://sqs.us-east-1.amazonaws.com/123456789012/bench-jobs\n    PRICES_URL: https://abc123.execute-api.${aws:region}.amazonaws.com/${sls:stage}/f1\n\nfunctions:\n",
        ),
        Variant::Sam => String::from(
            "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n\nGlobals:\n  Function:\n    Runtime: nodejs20.x\n    Environment:\n      Variables:\n        TABLE: !Ref Items\n        BUCKET: bench-files\n        QUEUE_URL: https://sqs.us-east-1.amazonaws.com/123456789012/bench-jobs\n        PRICES_URL: !Sub https://${ServerlessHttpApi}.execute-api.${AWS::Region}.amazonaws.com/f1\n\nResources:\n  Items:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: bench-items\n",
        ),
    };
    for i in 0..n {
        // f0 is always a JavaScript DynamoDB reader: the editor benchmark edits it.
        let pick = (rng.next() as usize) % KINDS.len();
        let (kind, action, resource) = KINDS[if i == 0 { 0 } else { pick }];
        let calls_next =
            i % 10 == 0 && i + 1 < n && (kind.starts_with("js-v3") || kind.starts_with("ts"));
        let (ext, code) = handler(kind, i, calls_next);
        let rust = ext == "rs";
        if rust {
            std::fs::write(dir.join(format!("src/bin/f{i}.rs")), code).unwrap();
        } else {
            let fdir = dir.join(format!("functions/f{i}"));
            std::fs::create_dir_all(&fdir).unwrap();
            std::fs::write(fdir.join(format!("handler.{ext}")), code).unwrap();
        }
        // One role in seven misses what its code needs.
        let mut statements = Vec::new();
        if i % 7 != 3 {
            statements.push((action, resource.to_string()));
            if calls_next {
                statements.push((
                    "lambda:InvokeFunction",
                    "arn:aws:lambda:*:*:function:bench-*".to_string(),
                ));
            }
        }
        match variant {
            Variant::Serverless => {
                if rust {
                    let _ = writeln!(
                        config,
                        "  f{i}:\n    handler: bench.f{i}\n    runtime: provided.al2023"
                    );
                } else {
                    let _ = writeln!(
                        config,
                        "  f{i}:\n    handler: functions/f{i}/handler.handler"
                    );
                }
                if ext == "py" {
                    let _ = writeln!(config, "    runtime: python3.12");
                }
                if calls_next {
                    let _ = writeln!(
                        config,
                        "    environment:\n      NEXT: ${{self:service}}-${{sls:stage}}-f{}",
                        i + 1
                    );
                }
                if !statements.is_empty() {
                    let _ = writeln!(config, "    iamRoleStatements:");
                    for (a, r) in &statements {
                        let _ = writeln!(
                            config,
                            "      - Effect: Allow\n        Action: {a}\n        Resource: {r}"
                        );
                    }
                }
                let private = if i == 1 {
                    "\n          private: true"
                } else {
                    ""
                };
                let _ = writeln!(
                    config,
                    "    events:\n      - http:\n          path: /f{i}\n          method: get{private}"
                );
            }
            Variant::Sam => {
                let _ = writeln!(
                    config,
                    "  F{i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: bench-f{i}"
                );
                if rust {
                    let _ = writeln!(
                        config,
                        "      CodeUri: .\n      Handler: bootstrap\n      Runtime: provided.al2023"
                    );
                } else {
                    let _ = writeln!(
                        config,
                        "      CodeUri: functions/f{i}/\n      Handler: handler.handler"
                    );
                }
                if ext == "py" {
                    let _ = writeln!(config, "      Runtime: python3.12");
                }
                if calls_next {
                    let _ = writeln!(
                        config,
                        "      Environment:\n        Variables:\n          NEXT: bench-f{}",
                        i + 1
                    );
                }
                if !statements.is_empty() {
                    let _ = writeln!(config, "      Policies:\n        - Statement:");
                    for (a, r) in &statements {
                        let r = r.replace("arn:aws:dynamodb:*:*:table/bench-items", "${Items.Arn}");
                        let _ = writeln!(
                            config,
                            "            - Effect: Allow\n              Action: {a}\n              Resource: !Sub '{r}'"
                        );
                    }
                }
                let _ = writeln!(
                    config,
                    "      Events:\n        Get:\n          Type: HttpApi\n          Properties:\n            Path: /f{i}\n            Method: get"
                );
                if rust {
                    let _ = writeln!(
                        config,
                        "    Metadata:\n      BuildMethod: rust-cargolambda\n      BuildProperties:\n        Binary: f{i}"
                    );
                }
            }
        }
    }
    let name = match variant {
        Variant::Serverless => "serverless.yml",
        Variant::Sam => "template.yaml",
    };
    std::fs::write(dir.join(name), config).unwrap();
}

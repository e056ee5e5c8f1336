//! A deterministic generator of realistic serverless projects for the benchmarks: `n` functions
//! with JavaScript (SDK v2 and v3), TypeScript and Python (boto3) handlers, a shared local module
//! per language, resources from environment variables, calls between functions, and a
//! serverless.yml with per-function roles, one in seven of them missing the statement its code
//! needs (so the checks have something to report).

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
];

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
        _ => (
            "py".into(),
            format!(
                "import json\nimport os\n\nimport boto3\n\ns3 = boto3.client(\"s3\")\nBUCKET = os.environ[\"BUCKET\"]\n\n\ndef handler(event, context):\n    \"\"\"Function {i}: writes one object.\"\"\"\n    s3.put_object(Bucket=BUCKET, Key=f\"out/{{event['id']}}.json\", Body=json.dumps(event))\n"
            ),
        ),
    }
}

/// Writes a project of `n` functions into `dir` (created; existing content is replaced).
pub fn generate(dir: &Path, n: usize, seed: u64) {
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
    let mut rng = Lcg(seed);
    let mut yml = String::from(
        "service: bench\n\nplugins:\n  - serverless-iam-roles-per-function\n\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  environment:\n    TABLE: bench-items\n    BUCKET: bench-files\n    QUEUE_URL: https://sqs.us-east-1.amazonaws.com/123456789012/bench-jobs\n\nfunctions:\n",
    );
    for i in 0..n {
        // f0 is always a JavaScript DynamoDB reader: the editor benchmark edits it.
        let pick = (rng.next() as usize) % KINDS.len();
        let (kind, action, resource) = KINDS[if i == 0 { 0 } else { pick }];
        let calls_next =
            i % 10 == 0 && i + 1 < n && (kind.starts_with("js-v3") || kind.starts_with("ts"));
        let (ext, code) = handler(kind, i, calls_next);
        let fdir = dir.join(format!("functions/f{i}"));
        std::fs::create_dir_all(&fdir).unwrap();
        std::fs::write(fdir.join(format!("handler.{ext}")), code).unwrap();
        let _ = writeln!(yml, "  f{i}:\n    handler: functions/f{i}/handler.handler");
        if ext == "py" {
            let _ = writeln!(yml, "    runtime: python3.12");
        }
        if calls_next {
            let _ = writeln!(
                yml,
                "    environment:\n      NEXT: ${{self:service}}-${{sls:stage}}-f{}",
                i + 1
            );
        }
        // One role in seven misses what its code needs.
        if i % 7 != 3 {
            let _ = writeln!(
                yml,
                "    iamRoleStatements:\n      - Effect: Allow\n        Action: {action}\n        Resource: {resource}"
            );
            if calls_next {
                let _ = writeln!(
                    yml,
                    "      - Effect: Allow\n        Action: lambda:InvokeFunction\n        Resource: arn:aws:lambda:*:*:function:bench-*"
                );
            }
        }
        let _ = writeln!(
            yml,
            "    events:\n      - httpApi:\n          path: /f{i}\n          method: get"
        );
    }
    std::fs::write(dir.join("serverless.yml"), yml).unwrap();
}

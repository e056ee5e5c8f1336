//! The editor path: on a generated project, the time from `didChange` of one handler to the
//! `publishDiagnostics` that answers it, through `slz-iam lsp` over stdio as an editor runs it.
//!
//! `cargo bench -p slz-iam --bench lsp [-- FUNCTIONS [ROUNDS]]` (defaults: 1,000 functions, 60
//! rounds). Prints the start-up time and the median, p95 and maximum of the rounds.

#[path = "common/gen.rs"]
mod gen;

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::json;
use std::io::BufReader;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let functions: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let rounds: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(60);
    let dir = std::env::temp_dir().join(format!("slz-iam-bench-lsp-{}", std::process::id()));
    gen::generate(&dir, functions, 7, gen::Variant::Serverless);
    let dir = dir.canonicalize().unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_slz-iam"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        while let Ok(Some(m)) = Message::read(&mut r) {
            if tx.send((Instant::now(), m)).is_err() {
                break;
            }
        }
    });
    let mut send = |m: Message| m.write(&mut stdin).unwrap();
    let wait_response = |id: i32| loop {
        let (_, m) = rx.recv_timeout(Duration::from_secs(600)).unwrap();
        if let Message::Response(r) = m {
            if r.id == RequestId::from(id) {
                break;
            }
        }
    };

    let started = Instant::now();
    send(Message::Request(Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({"capabilities": {}, "rootUri": uri(&dir)}),
    )));
    wait_response(1);
    send(Message::Notification(Notification::new(
        "initialized".into(),
        json!({}),
    )));
    // A request after `initialized` is answered once the first analysis is published.
    send(Message::Request(Request::new(
        RequestId::from(2),
        "textDocument/hover".into(),
        json!({"textDocument": {"uri": uri(&dir.join("serverless.yml"))}, "position": {"line": 0, "character": 0}}),
    )));
    wait_response(2);
    let startup = started.elapsed();

    // f0 is a JavaScript DynamoDB reader whose role grants GetItem; the edit toggles a PutItem call,
    // so every round changes its diagnostics and the server must publish them.
    let file = dir.join("functions/f0/handler.js");
    let original = std::fs::read_to_string(&file).unwrap();
    let with_put = original.replace(
        "  return item;",
        "  await db.send(new PutItemCommand({ TableName: process.env.TABLE, Item: {} }));\n  return item;",
    ).replace("GetItemCommand }", "GetItemCommand, PutItemCommand }");
    let target = uri(&file);
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({"textDocument": {"uri": target, "languageId": "javascript", "version": 0, "text": original}}),
    )));
    let mut times = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let text = if round % 2 == 0 { &with_put } else { &original };
        let sent = Instant::now();
        send(Message::Notification(Notification::new(
            "textDocument/didChange".into(),
            json!({"textDocument": {"uri": target, "version": round + 1}, "contentChanges": [{"text": text}]}),
        )));
        loop {
            let (at, m) = rx.recv_timeout(Duration::from_secs(60)).unwrap();
            if let Message::Notification(n) = m {
                if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == target {
                    times.push(at - sent);
                    break;
                }
            }
        }
    }
    send(Message::Request(Request::new(
        RequestId::from(3),
        "shutdown".into(),
        serde_json::Value::Null,
    )));
    wait_response(3);
    send(Message::Notification(Notification::new(
        "exit".into(),
        serde_json::Value::Null,
    )));
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);

    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "lsp: {functions} functions, start-up (initialize to first diagnostics) {:.0} ms; didChange -> publishDiagnostics over {rounds} rounds: median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        ms(startup),
        ms(pct(0.5)),
        ms(pct(0.95)),
        ms(*times.last().unwrap())
    );
}

//! A language-server client for tests and benchmarks: it starts `slz-iam lsp`, speaks JSON-RPC
//! on its stdin/stdout, keeps the diagnostics it publishes and when each message arrived.

#![allow(dead_code)]

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::BufReader;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    /// Messages from the server, with the instant each arrived.
    incoming: Receiver<(Instant, Message)>,
    next_id: i32,
    /// The latest diagnostics published for each URI.
    diagnostics: HashMap<String, Vec<Value>>,
}

pub fn uri(path: &Path) -> String {
    // The nearest folder that exists, resolved; below it, folders not made yet as named.
    let mut dir = path.parent().unwrap();
    let mut tail = std::path::PathBuf::from(path.file_name().unwrap());
    while !dir.exists() {
        tail = Path::new(dir.file_name().unwrap()).join(tail);
        dir = dir.parent().unwrap();
    }
    format!(
        "file://{}",
        dir.canonicalize().unwrap().join(tail).display()
    )
}

impl Client {
    pub fn start(root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_slz-iam"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Ok(Some(m)) = Message::read(&mut r) {
                if tx.send((Instant::now(), m)).is_err() {
                    break;
                }
            }
        });
        let mut c = Client {
            child,
            stdin,
            incoming,
            next_id: 1,
            diagnostics: HashMap::new(),
        };
        let init = c.request(
            "initialize",
            json!({"capabilities": {}, "rootUri": uri(root)}),
        );
        assert_eq!(init["capabilities"]["hoverProvider"], true, "{init}");
        c.notify("initialized", json!({}));
        c
    }

    pub fn send(&mut self, m: Message) {
        m.write(&mut self.stdin).unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(Message::Notification(Notification::new(
            method.into(),
            params,
        )));
    }

    /// Sends a request and waits for its response, keeping the diagnostics published meanwhile
    /// (the server answers in order, so they reflect every earlier notification).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(Message::Request(Request::new(
            RequestId::from(id),
            method.into(),
            params,
        )));
        loop {
            match self.next() {
                (_, Message::Response(r)) if r.id == RequestId::from(id) => {
                    return match r.response_result {
                        Ok(v) => v,
                        Err(e) => panic!("{method}: {e:?}"),
                    };
                }
                _ => {}
            }
        }
    }

    /// The next message from the server, keeping the diagnostics it publishes.
    fn next(&mut self) -> (Instant, Message) {
        let (at, m) = self
            .incoming
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers");
        if let Message::Notification(n) = &m {
            if n.method == "textDocument/publishDiagnostics" {
                let uri = n.params["uri"].as_str().unwrap().to_string();
                let list = n.params["diagnostics"].as_array().unwrap().clone();
                self.diagnostics.insert(uri, list);
            }
        }
        (at, m)
    }

    /// Waits for the next diagnostics published for `file` and returns when they arrived.
    pub fn published(&mut self, file: &Path) -> Instant {
        let target = uri(file);
        loop {
            if let (at, Message::Notification(n)) = self.next() {
                if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == target {
                    return at;
                }
            }
        }
    }

    /// The diagnostics of `file` once the server has handled everything sent so far.
    pub fn diagnostics_of(&mut self, file: &Path) -> Vec<Value> {
        self.hover(file, 0);
        self.diagnostics
            .get(&uri(file))
            .cloned()
            .unwrap_or_default()
    }

    pub fn hover(&mut self, file: &Path, line: u32) -> Value {
        self.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(file)}, "position": {"line": line, "character": 0}}),
        )
    }

    pub fn open(&mut self, file: &Path, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(file), "languageId": "javascript", "version": 1, "text": text}}),
        );
    }

    pub fn change(&mut self, file: &Path, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(file), "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    pub fn code_actions(&mut self, file: &Path, line: u32) -> Vec<Value> {
        let diagnostics = self.diagnostics_of(file);
        let result = self.request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri(file)},
                "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
                "context": {"diagnostics": diagnostics},
            }),
        );
        result.as_array().cloned().unwrap_or_default()
    }

    pub fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success());
    }
}

//! The language server's transport driven with raw bytes: bounded headers and bodies, the exit
//! status the protocol asks for, and malformed input never echoed.

mod common;

use std::io::{Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

fn start(root: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_slz-iam"))
        .arg("lsp")
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn initialize() -> Vec<u8> {
    let mut out =
        frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#);
    out.extend(frame(
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
    ));
    out
}

/// Writes `input` (stdin stays open unless `close`), then waits for the server to end (a hang
/// guard, far above what it needs) and returns its status and stderr.
fn run(input: &[u8], close: bool) -> (ExitStatus, String) {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let root = common::scratch_empty(&format!("lsp-transport-{n}"));
    let mut child = start(&root);
    let mut stdin = child.stdin.take().unwrap();
    // The server may stop reading early: a broken pipe is expected then.
    let _ = stdin.write_all(input);
    let _ = stdin.flush();
    let _keep = if close { None } else { Some(stdin) };
    let mut stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = stdout.read_to_end(&mut sink);
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("the server did not stop");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (status, err)
}

#[test]
fn a_huge_content_length_is_refused_not_allocated() {
    for n in ["18446744073709551615", "9223372036854775807", "4294967296"] {
        let mut input = initialize();
        input.extend(format!("Content-Length: {n}\r\n\r\n{{").into_bytes());
        let (status, err) = run(&input, false);
        assert_eq!(status.code(), Some(1), "{n}: {err}");
        assert!(err.contains("longer than the server accepts"), "{n}: {err}");
        assert!(!err.contains("panicked"), "{n}: {err}");
    }
}

#[test]
fn header_lines_are_bounded_in_length_and_number() {
    let mut long = initialize();
    long.extend(format!("X-{}: 1\r\n", "a".repeat(1 << 20)).into_bytes());
    let (status, err) = run(&long, false);
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("header line is too long"), "{err}");

    let mut many = initialize();
    many.extend("X-Pad: 1\r\n".repeat(10_000).into_bytes());
    let (status, err) = run(&many, false);
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("too many header lines"), "{err}");
}

#[test]
fn exit_without_shutdown_is_status_1_and_after_shutdown_0() {
    let mut input = initialize();
    input.extend(frame(r#"{"jsonrpc":"2.0","method":"exit"}"#));
    let (status, err) = run(&input, false);
    assert_eq!(status.code(), Some(1), "{err}");

    let mut input = initialize();
    input.extend(frame(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#));
    input.extend(frame(r#"{"jsonrpc":"2.0","method":"exit"}"#));
    let (status, err) = run(&input, false);
    assert_eq!(status.code(), Some(0), "{err}");
}

#[test]
fn a_malformed_payload_is_not_echoed_and_the_server_goes_on() {
    let secret = "AKIA-not-to-be-echoed";
    let mut input = initialize();
    input.extend(frame(&format!("{{\"jsonrpc\": {secret}")));
    input.extend(frame(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#));
    input.extend(frame(r#"{"jsonrpc":"2.0","method":"exit"}"#));
    let (status, err) = run(&input, false);
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(!err.contains(secret), "{err}");
    assert!(err.contains("not JSON-RPC"), "{err}");

    // A broken frame ends the input: the rest, which might hold anything, is not shown.
    let mut input = initialize();
    input.extend(format!("Content-Length: x{secret}\r\n\r\n").into_bytes());
    let (status, err) = run(&input, true);
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(!err.contains(secret), "{err}");
}

//! The editor path: on a generated project, the time from `didChange` of one handler to the
//! `publishDiagnostics` that answers it, through `slz-iam lsp` over stdio as an editor runs it.
//!
//! `cargo bench -p slz-iam --bench lsp [-- FUNCTIONS [ROUNDS]]` (defaults: 1,000 functions, 60
//! rounds). Prints the start-up time and the median, p95 and maximum of the rounds.

#[path = "common/gen.rs"]
mod gen;
#[path = "../tests/common/lsp_client.rs"]
mod lsp_client;

use lsp_client::Client;
use std::time::{Duration, Instant};

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

    let started = Instant::now();
    let mut client = Client::start(&dir);
    // A request after `initialized` is answered once the first analysis is published.
    client.hover(&dir.join("serverless.yml"), 0);
    let startup = started.elapsed();

    // f0 is a JavaScript DynamoDB reader whose role grants GetItem; the edit toggles a PutItem call,
    // so every round changes its diagnostics and the server must publish them.
    let file = dir.join("functions/f0/handler.js");
    let original = std::fs::read_to_string(&file).unwrap();
    let with_put = original.replace(
        "  return item;",
        "  await db.send(new PutItemCommand({ TableName: process.env.TABLE, Item: {} }));\n  return item;",
    ).replace("GetItemCommand }", "GetItemCommand, PutItemCommand }");
    client.open(&file, &original);
    let mut times = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let text = if round % 2 == 0 { &with_put } else { &original };
        let sent = Instant::now();
        client.change(&file, i32::try_from(round + 2).unwrap(), text);
        times.push(client.published(&file) - sent);
    }
    client.stop();
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

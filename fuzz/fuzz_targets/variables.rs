//! The variable resolver: the first line is a value to resolve (`${self:custom.a}-x`, `!Sub ...`),
//! the rest a config whose nodes it may name (cycles, missing keys, deep nesting).
#![no_main]

use libfuzzer_sys::fuzz_target;
use slz_analyzer::project::variables::Resolver;
use slz_analyzer::project::yaml::{self, Node, Value};

fuzz_target!(|data: &[u8]| {
    let text = slz_iam_fuzz::text(data);
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
});

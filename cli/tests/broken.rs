//! Hostile and broken input that cannot be committed as a fixture (symlink loops, huge files,
//! generated shapes, code built to exhaust the stack), built here; the committed cases under
//! `test-fixtures/broken/` go through `fixtures.rs`. The tool must never panic, and must give the
//! same bytes whatever the order files are found in.

mod common;
#[path = "harness/mod.rs"]
mod harness;
#[path = "../benches/common/hostile.rs"]
mod hostile;

use harness::{slz, stderr_diagnostics as diagnostics};

use std::path::Path;

/// The hostile shapes too large to commit, built in a scratch folder, go through the fixture
/// harness like the committed cases: their `expect.txt` holds, and they end (see
/// [`common::HANG`]).
#[test]
fn generated_hostile_configs_give_their_diagnostics() {
    let committed = common::fixture_dir("broken");
    let mut generated = 0;
    for (name, generate) in hostile::SHAPES {
        if committed.join(name).is_dir() {
            continue;
        }
        let dir = common::scratch_empty(&format!("hostile-{name}"));
        generate(&dir);
        let f = harness::Fixture {
            suite: harness::Suite::Broken,
            name: format!("generated/{name}"),
            stem: name.to_string(),
            path: dir.to_path_buf(),
            sections: None,
        };
        let (problems, _) = harness::run_fixture(&f);
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
        generated += 1;
    }
    assert!(generated >= 2);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_huge_files_are_diagnostics() {
    use std::os::unix::fs::symlink;
    let dir = common::scratch_empty("hostile");
    std::fs::write(
        dir.join("serverless.yml"),
        "service: hostile\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  looped:\n    handler: loop/app.handler\n  huge:\n    handler: huge.handler\n  fine:\n    handler: fine.handler\n",
    )
    .unwrap();
    // `loop` points at itself; `a` and `b` at each other; `up` at the project folder.
    symlink("loop", dir.join("loop")).unwrap();
    symlink("b", dir.join("a")).unwrap();
    symlink("a", dir.join("b")).unwrap();
    symlink(".", dir.join("up")).unwrap();
    std::fs::write(
        dir.join("fine.js"),
        "const m = require('./up/up/up/a');\nexports.handler = async () => m;\n",
    )
    .unwrap();
    let mut huge = "exports.handler = async () => 1;\n".to_string();
    huge.push_str(&"// padding\n".repeat(500_000));
    std::fs::write(dir.join("huge.js"), huge).unwrap();
    let d = dir.display().to_string();
    let (code, out, err) = slz(&["generate", &d, "--format", "json"], 2);
    assert_eq!(code, 1, "{err}");
    let got = diagnostics(&err);
    assert!(got.contains("serverless.yml:7 missing-handler"), "{got:?}");
    assert!(got.contains("huge.js:1 file-too-large"), "{got:?}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["functions"].as_array().unwrap().len(), 3);
}

/// A config too large to be one (a sparse file: nothing is written) is unusable input.
#[test]
fn an_oversized_config_is_refused_in_one_line() {
    let dir = common::scratch_empty("huge-config");
    let file = std::fs::File::create(dir.join("serverless.yml")).unwrap();
    file.set_len(65 << 20).unwrap();
    let (code, out, err) = slz(&["generate", &dir.display().to_string()], 1);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("configs over 64 MiB are refused"), "{err}");
}

/// Copies `from` into `to` creating entries in the order a seeded shuffle gives, so that folder
/// listings come back in a different order than in the original.
fn shuffled_copy(from: &Path, to: &Path, seed: u64) {
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    for i in (1..entries.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from(state >> 33).unwrap() % (i + 1);
        entries.swap(i, j);
    }
    std::fs::create_dir_all(to).unwrap();
    for p in entries {
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            shuffled_copy(&p, &target, seed.wrapping_add(1));
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

#[test]
fn output_does_not_depend_on_file_order_or_threads() {
    let projects = common::fixture_dir("projects");
    for original in common::subfolders(&projects) {
        let name = original.file_name().unwrap().to_string_lossy().into_owned();
        let config = std::fs::read_to_string(original.join("CONFIG")).ok();
        let run = |dir: &Path, threads: usize| {
            let d = dir.display().to_string();
            let mut args = vec!["generate".to_string(), d.clone()];
            if let Some(c) = &config {
                args.extend(["--config".to_string(), format!("{d}/{}", c.trim())]);
            }
            args.extend(["--format".into(), "json".into()]);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, out, err) = slz(&args, threads);
            (code, out, err.replace(&d, "<dir>"))
        };
        let want = run(&original, 1);
        for seed in [1, 2] {
            let copy = common::scratch_empty(&format!("shuffled-{name}-{seed}"));
            shuffled_copy(&original, &copy, seed);
            for threads in [1, 2] {
                assert!(
                    run(&copy, threads) == want,
                    "{name}: output differs with file order seed {seed} and {threads} thread(s)"
                );
            }
        }
    }
}

/// Code built to exhaust the stack or the memory: nesting without brackets (a chain of `!`, of
/// `if`, of `not`), a chain of calls that each copy the chain before them, and values built from
/// copies of copies (in the lowering and in the evaluator, as lists and as strings). Each must
/// give a diagnostic or a bounded value, quickly, and the other functions their policies.
#[test]
fn hostile_expressions_are_bounded() {
    let dir = common::scratch_empty("expressions");
    let mut config = String::from(
        "service: hostile\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  fine:\n    handler: fine.handler\n",
    );
    let mut add = |name: &str, file: &str, text: String| {
        std::fs::write(dir.join(file), text).unwrap();
        let python = file.ends_with(".py");
        config.push_str(&format!(
            "  {name}:\n    handler: {}.handler\n{}",
            file.rsplit_once('.').unwrap().0,
            if python {
                "    runtime: python3.12\n"
            } else {
                ""
            }
        ));
    };
    add(
        "unary",
        "unary.js",
        format!("exports.handler = async () => {}x;\n", "!".repeat(300_000)),
    );
    add(
        "ifs",
        "ifs.js",
        format!(
            "exports.handler = async () => {{\n{}x(); }};\n",
            "if (a)\n".repeat(60_000)
        ),
    );
    add(
        "nots",
        "nots.py",
        format!(
            "def handler(e, c):\n    return {}x\n",
            "not ".repeat(300_000)
        ),
    );
    add(
        "calls",
        "calls.js",
        format!("exports.handler = async () => a{};\n", "()".repeat(40_000)),
    );
    let mut laughs = String::from("const a0 = 'x';\n");
    for i in 1..9 {
        laughs += &format!(
            "const a{i} = [{}];\n",
            vec![format!("a{}", i - 1); 10].join(", ")
        );
    }
    laughs += "exports.handler = async () => f(a8);\n";
    add("laughs", "laughs.js", laughs);
    let nest = |open: &str, close: &str| format!("{}'ab'{}", open.repeat(40), close.repeat(40));
    add(
        "lists",
        "lists.js",
        format!(
            "function g(x) {{ return [x, x, x, x, x, x, x, x, x, x]; }}\nexports.handler = async () => f({});\n",
            nest("g(", ")")
        ),
    );
    add(
        "strings",
        "strings.py",
        format!(
            "def g(x):\n    return x + x\n\ndef handler(e, c):\n    return f({})\n",
            nest("g(", ")")
        ),
    );
    std::fs::write(
        dir.join("fine.js"),
        "const { S3 } = require('aws-sdk');\nexports.handler = async () => new S3().getObject({ Bucket: 'b', Key: 'k' }).promise();\n",
    )
    .unwrap();
    std::fs::write(dir.join("serverless.yml"), &config).unwrap();
    let (code, out, err) = slz(
        &["generate", &dir.display().to_string(), "--format", "json"],
        2,
    );
    assert!(matches!(code, 0 | 1), "exit {code}: {err}");
    let got = diagnostics(&err);
    for want in [
        "unary.js:1 nesting-too-deep",
        "ifs.js:25002 nesting-too-deep",
        "nots.py:2 nesting-too-deep",
        "calls.js:1 file-too-complex",
    ] {
        assert!(got.contains(want), "no {want} in {got:?}");
    }
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fine = &json["functions"][0];
    assert_eq!(fine["name"], "fine");
    assert_eq!(fine["permissions"][0]["action"], "s3:GetObject");
}

/// The language server reads a config larger than the source-file cap (a big project's
/// serverless.yml), and says why when it cannot read one, instead of showing an empty project.
#[test]
fn the_language_server_reads_a_large_config() {
    let dir = common::scratch_empty("lsp-large-config");
    let padding = "# a comment line that pads the file to more than the source-file cap\n"
        .repeat((5 << 20) / 70);
    std::fs::write(
        dir.join("serverless.yml"),
        format!("{padding}service: big\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  reader:\n    handler: reader.handler\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("reader.js"),
        "const { S3 } = require('aws-sdk');\nexports.handler = async () => new S3().getObject({ Bucket: 'b', Key: 'k' }).promise();\n",
    )
    .unwrap();
    let ws = slz_iam::lsp::workspace::Workspace::new(&dir);
    assert_eq!(ws.error, None);
    let diagnostics = ws.diagnostics();
    let reader = diagnostics
        .get(std::path::Path::new("reader.js"))
        .expect("diagnostics for the handler");
    assert!(
        reader.iter().any(|d| d.message.contains("s3:GetObject")),
        "{reader:?}"
    );
}

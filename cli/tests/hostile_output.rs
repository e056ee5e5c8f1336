//! Output cannot be turned against its reader: a project whose file and function names carry
//! newlines, workflow commands, escape sequences and bidi controls gives GitHub annotations with
//! exactly one command per finding, terminal text with no raw control character, and JSON and
//! SARIF that give the names back exactly. The project is made by the test (such names cannot be
//! committed portably).
#![cfg(unix)]

mod common;

use common::slz;

/// A handler file name that tries every trick: property separators, a fake annotation, the
/// command that stops the parsing of commands, a colour escape and a right-to-left override.
const HOSTILE: &str =
    "a%2C,b\r\n::error file=x,line=1::pwned\n::stop-commands::tok\x1b[31m\u{202e}z";
/// A function name (a config key) with a screen-clearing escape, a fake annotation and an override.
const FUNCTION: &str = "ev\x1b[2J\n::error::x\u{202e}il";
/// A handler path naming no file, quoted back by the diagnostic that says so.
const GONE: &str = "src/gone\x1b[2J\n::error::fake.handler";

/// Three functions: `evil`, whose handler (in the hostile file) reads S3 its role does not grant,
/// `gone`, whose handler does not exist, and [`FUNCTION`], whose handler reads S3 too.
fn project(tag: &str) -> common::Scratch {
    let dir = common::scratch_empty(tag);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join(format!("src/{HOSTILE}.js")),
        "const { S3Client, GetObjectCommand } = require(\"@aws-sdk/client-s3\");\n\
         const s3 = new S3Client({});\n\
         exports.handler = async () => s3.send(new GetObjectCommand({ Bucket: \"b\", Key: \"k\" }));\n",
    )
    .unwrap();
    std::fs::copy(
        dir.join(format!("src/{HOSTILE}.js")),
        dir.join("src/plain.js"),
    )
    .unwrap();
    let quote = |s: &str| serde_json::Value::String(s.to_string()).to_string();
    std::fs::write(
        dir.join("serverless.yml"),
        format!(
            "service: hostile\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  iam:\n    role:\n      statements:\n        - Effect: Allow\n          Action: [sqs:SendMessage]\n          Resource: \"*\"\nfunctions:\n  evil:\n    handler: {}\n  gone:\n    handler: {}\n  {}:\n    handler: src/plain.handler\n",
            quote(&format!("src/{HOSTILE}.handler")),
            quote(GONE),
            quote(FUNCTION)
        ),
    )
    .unwrap();
    dir
}

/// A property value or message of a workflow command, unescaped as GitHub reads it.
fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// Control characters a terminal or a log would act on (line ends of the output itself excepted).
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[test]
fn github_annotations_hold_one_command_per_finding() {
    let dir = project("hostile-github");
    let root = dir.display().to_string();
    let (code, out, err) = slz(&["check", &root, "--format", "github"]);
    assert_eq!(code, 1, "{err}");
    let (_, json, _) = slz(&["check", &root, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 3, "{json}");

    // One line per finding, each one command; nothing else starts a command.
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out:?}");
    assert_eq!(out.matches('\n').count(), 3, "{out:?}");
    assert!(!out.contains('\r'), "{out:?}");
    assert!(raw_controls(&out).is_empty(), "{out:?}");
    assert!(
        lines.iter().all(|l| l.starts_with("::error file=")),
        "{out:?}"
    );
    assert!(!out.contains("\n::stop-commands") && !out.contains("\n::error::"));

    // The hostile file's annotation: four properties, the file name given back exactly (its
    // escape sequence and override shown escaped), the message as written.
    let evil = lines
        .iter()
        .find(|l| l.contains("title=missing-permission::function `evil`"))
        .expect("the missing permission in the hostile file");
    let (command, message) = evil
        .split_once("::")
        .map(|(_, rest)| rest)
        .unwrap()
        .split_once("::")
        .unwrap();
    let props: Vec<&str> = command.trim_start_matches("error ").split(',').collect();
    assert_eq!(props.len(), 4, "{command}");
    let file = unescape(props[0].strip_prefix("file=").unwrap());
    let shown = HOSTILE
        .replace('\x1b', "\\u{1b}")
        .replace('\u{202e}', "\\u{202e}");
    assert_eq!(file, format!("{root}/src/{shown}.js"));
    assert_eq!(props[1], "line=3");
    assert_eq!(props[3], "title=missing-permission");
    assert!(
        unescape(message).contains("needs s3:GetObject"),
        "{message}"
    );

    // The missing handler's message quotes the hostile handler path, escaped.
    let gone = lines
        .iter()
        .find(|l| l.contains("title=not-analysed::"))
        .unwrap();
    assert!(
        gone.contains("src/gone\\u{1b}[2J%0A::error::fake.handler"),
        "{gone}"
    );

    // The hostile function name is quoted in its finding's message, escaped.
    let named = lines
        .iter()
        .find(|l| l.contains("plain.js"))
        .expect("the finding of the hostile function");
    assert!(
        named.contains("function `ev\\u{1b}[2J%0A::error::x\\u{202e}il` needs s3:GetObject"),
        "{named}"
    );
}

#[test]
fn an_unusable_config_with_a_hostile_name_gives_one_annotation() {
    let dir = common::scratch_empty("hostile-unusable");
    let name = "bad,x:y\n::error::fake%0A.yml";
    std::fs::write(dir.join(name), "functions: [\n").unwrap();
    let (code, out, err) = slz(&[
        "check",
        &dir.display().to_string(),
        "--config",
        &dir.join(name).display().to_string(),
        "--format",
        "github",
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(out.lines().count(), 1, "{out:?}");
    assert!(out.starts_with("::error file="), "{out:?}");
    let file = out
        .split_once("file=")
        .unwrap()
        .1
        .split(',')
        .next()
        .unwrap();
    assert_eq!(unescape(file), dir.join(name).display().to_string());
    // The one line on standard error shows the name escaped, on one line.
    assert_eq!(err.lines().count(), 1, "{err:?}");
    assert!(err.contains("bad,x:y\\u{a}::error::fake%0A.yml"), "{err:?}");
}

#[test]
fn terminal_text_shows_no_raw_control_character() {
    let dir = project("hostile-text");
    let root = dir.display().to_string();
    for args in [
        vec!["check", root.as_str()],
        vec!["generate", root.as_str()],
        vec!["generate", root.as_str(), "--format", "sam"],
        vec!["graph", root.as_str(), "--format", "mermaid"],
        vec!["graph", root.as_str()],
    ] {
        let (code, out, err) = slz(&args);
        assert!(code == 0 || code == 1, "{args:?}: {code} {err}");
        for (what, text) in [("stdout", &out), ("stderr", &err)] {
            assert!(raw_controls(text).is_empty(), "{args:?} {what}: {text:?}");
            assert!(
                text.lines().all(|l| !l.trim_start().starts_with("::")),
                "{args:?} {what}: a line reads as a workflow command: {text:?}"
            );
        }
        if args[0] == "check" {
            assert!(
                out.contains("::stop-commands::tok\\u{1b}[31m\\u{202e}z.js:3:"),
                "{out}"
            );
        }
        if args[0] != "graph" || args.len() > 2 {
            // Every output that names functions names this one, escaped (DOT quotes it its way).
            assert!(
                (out.contains("ev\\u{1b}[2J\\u{a}::error::x\\u{202e}il")
                    || out.contains("ev\\u001b[2J\\u000a::error::x\\u202eil")),
                "{args:?}: {out}"
            );
        }
        if args.len() == 2 && args[0] == "generate" {
            assert!(
                err.contains("src/gone\\u{1b}[2J\\u{a}::error::fake.handler"),
                "{err}"
            );
        }
    }
}

/// Every string in `v`, depth first.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[test]
fn json_and_sarif_give_the_hostile_name_back_exactly() {
    let dir = project("hostile-json");
    let root = dir.display().to_string();
    let file = format!("src/{HOSTILE}.js");

    let (_, out, _) = slz(&["check", &root, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert!(files.contains(&file.as_str()), "{files:?}");

    let (_, out, _) = slz(&["check", &root, "--format", "sarif"]);
    assert_eq!(
        out.lines()
            .filter(|l| l.trim_start().starts_with("::"))
            .count(),
        0
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let uris: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    // SARIF's `uri` is a URI reference: the name comes back percent-encoded, and exactly.
    assert!(
        uris.iter()
            .any(|u| percent_decoded(u) == format!("{root}/{file}")),
        "{uris:?}"
    );
    assert!(uris.iter().all(|u| u
        .bytes()
        .all(|b| b.is_ascii_graphic() && !b"#?\\ ".contains(&b))));

    let (_, out, _) = slz(&["generate", &root, "--format", "json"]);
    // JSON escapes what it must (C0 controls, the line ends among them); the rest is text.
    assert!(
        out.chars().all(|c| c >= ' ' || c == '\n'),
        "every C0 control is escaped"
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut all = Vec::new();
    strings(&v, &mut all);
    assert!(all.iter().any(|s| s == &file), "{all:?}");
    assert!(all.iter().any(|s| s.contains(GONE)), "{all:?}");
}

#[test]
fn names_in_the_project_are_kept_as_they_are_on_disk() {
    // The escaping is of the output only: the hostile file is read and analysed like any other.
    let dir = project("hostile-read");
    assert!(dir.join(format!("src/{HOSTILE}.js")).is_file());
    let (_, out, _) = slz(&["generate", &dir.display().to_string()]);
    assert!(out.contains("s3:GetObject"), "{out}");
}

/// A percent-encoded URI reference's bytes, as text.
fn percent_decoded(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], uri.get(i + 1..i + 3)) {
            (b'%', Some(hex)) if u8::from_str_radix(hex, 16).is_ok() => {
                out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

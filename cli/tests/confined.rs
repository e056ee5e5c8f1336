//! Reads that cannot escape the project folder: symlinks out of it (also ones swapped in during a
//! run), FIFOs and devices, configs and settings named outside it. Every run of the binary has a
//! time limit: a read that blocks fails the test instead of hanging it.
#![cfg(unix)]

mod common;

use slz_analyzer::{FsError, SourceFs};
use std::io::Read;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Exit status, stdout and stderr of the binary, which must finish within 30 seconds.
fn slz(args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_slz-iam"))
        .args(args)
        .env("RAYON_NUM_THREADS", "2")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run slz-iam");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for slz-iam") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("slz-iam {args:?} did not finish within 30 seconds");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (mut out, mut err) = (String::new(), String::new());
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (status.code().unwrap_or(-1), out, err)
}

fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: `c` is a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

const CONFIG: &str = "service: s\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  f:\n    handler: src/app.handler\n";

const HANDLER: &str = "const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');\nconst s3 = new S3Client();\nexports.handler = async () => s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));\n";

/// `<scratch>/root` holding a one-function project (its role grants nothing, so `check` reports
/// `missing-permission`), and `<scratch>/outside`.
fn project(tag: &str) -> common::Scratch {
    let dir = common::scratch_empty(tag);
    std::fs::create_dir_all(dir.join("root/src")).unwrap();
    std::fs::create_dir_all(dir.join("outside/src")).unwrap();
    std::fs::write(dir.join("root/serverless.yml"), CONFIG).unwrap();
    std::fs::write(dir.join("root/src/app.js"), HANDLER).unwrap();
    dir
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn a_fifo_handler_is_a_diagnostic_not_a_hang() {
    let dir = project("fifo-handler");
    std::fs::remove_file(dir.join("root/src/app.js")).unwrap();
    mkfifo(&dir.join("root/src/app.js"));
    let (code, out, err) = slz(&["generate", &s(&dir.join("root")), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("serverless.yml:7:"), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_ne!(json["functions"][0]["analysis"], "analysed", "{out}");
}

#[test]
fn a_fifo_config_is_refused_in_one_line() {
    let dir = project("fifo-config");
    mkfifo(&dir.join("root/fifo.yml"));
    let root = dir.join("root");
    let (code, out, err) = slz(&[
        "generate",
        &s(&root),
        "--config",
        &s(&root.join("fifo.yml")),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    // Found by name rather than given: the same.
    std::fs::remove_file(root.join("serverless.yml")).unwrap();
    mkfifo(&root.join("serverless.yml"));
    let (code, _, err) = slz(&["check", &s(&root)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a regular file"), "{err}");
}

#[test]
fn dev_zero_as_config_is_refused_quickly() {
    let start = Instant::now();
    let (code, out, err) = slz(&["generate", "--config", "/dev/zero"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    // Linked as the project's config: a link out of the project, refused before any read.
    let dir = project("dev-zero");
    let root = dir.join("root");
    std::fs::remove_file(root.join("serverless.yml")).unwrap();
    symlink("/dev/zero", root.join("serverless.yml")).unwrap();
    for args in [
        vec!["generate".to_string(), s(&root)],
        vec![
            "generate".to_string(),
            s(&root),
            "--config".to_string(),
            s(&root.join("serverless.yml")),
        ],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = slz(&args);
        assert_eq!(code, 2, "{err}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("is outside the project folder"), "{err}");
        assert!(err.contains("through a symlink"), "{err}");
    }
    assert!(start.elapsed() < Duration::from_secs(20));
}

#[test]
fn settings_linked_outside_the_project_cannot_change_severities() {
    let dir = project("settings-outside");
    let root = dir.join("root");
    let off = "[severity]\nmissing-permission = \"off\"\n";
    // Inside the project, the settings turn the finding off: what the link must not achieve.
    let (code, out, err) = slz(&["check", &s(&root)]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("missing-permission"), "{out}");
    std::fs::write(root.join("slz-iam.toml"), off).unwrap();
    let (code, out, err) = slz(&["check", &s(&root)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("missing-permission"), "{out}");
    // Linked to a file outside: refused in one line, nothing checked with it.
    std::fs::remove_file(root.join("slz-iam.toml")).unwrap();
    std::fs::write(dir.join("outside/slz-iam.toml"), off).unwrap();
    symlink(dir.join("outside/slz-iam.toml"), root.join("slz-iam.toml")).unwrap();
    let (code, out, err) = slz(&["check", &s(&root)]);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("slz-iam.toml: leads outside the project folder"),
        "{err}"
    );
    // The editor does not use it either, and says why at the settings file.
    let ws = slz_iam::lsp::workspace::Workspace::new(&root);
    let diags = ws.diagnostics();
    let all: Vec<String> = diags
        .values()
        .flatten()
        .map(|d| format!("{:?} {}", d.code, d.message))
        .collect();
    assert!(
        all.iter().any(|d| d.contains("missing-permission")),
        "{all:?}"
    );
    let settings = diags
        .get(Path::new("slz-iam.toml"))
        .expect("a settings diagnostic");
    assert!(
        settings
            .iter()
            .any(|d| d.message.contains("outside the project folder")),
        "{all:?}"
    );
    // Linked to a device or a FIFO: refused, quickly.
    for target in ["/dev/zero", "fifo"] {
        std::fs::remove_file(root.join("slz-iam.toml")).unwrap();
        if target == "fifo" {
            mkfifo(&root.join("slz-iam.toml"));
        } else {
            symlink(target, root.join("slz-iam.toml")).unwrap();
        }
        let (code, _, err) = slz(&["check", &s(&root)]);
        assert_eq!(code, 2, "{target}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn a_config_outside_the_project_is_refused_without_being_read() {
    let dir = project("config-outside");
    // A FIFO: were it opened, the run would wait for a writer and time out.
    mkfifo(&dir.join("outside/serverless.yml"));
    let root = dir.join("root");
    for config in [
        dir.join("outside/serverless.yml"),
        root.join("../outside/serverless.yml"),
    ] {
        let (code, out, err) = slz(&["generate", &s(&root), "--config", &s(&config)]);
        assert_eq!(code, 2, "{err}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("is outside the project folder"), "{err}");
    }
    let (code, _, err) = slz(&["check", &s(&root), "--config", "/etc/passwd"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("/etc/passwd is outside the project folder"),
        "{err}"
    );
}

#[test]
fn a_folder_swapped_for_a_symlink_is_not_followed() {
    let dir = project("swap");
    let root = dir.join("root");
    std::fs::write(dir.join("outside/src/app.js"), "SECRET-OUTSIDE").unwrap();
    std::fs::write(dir.join("outside/secret.js"), "SECRET-OUTSIDE").unwrap();
    let fs = slz_iam::fs::DiskFs::new(&root).unwrap();
    let app = Path::new("src/app.js");
    assert_eq!(fs.read(app).unwrap(), HANDLER);
    assert!(fs.is_file(app));
    let mut ws = slz_iam::lsp::workspace::Workspace::new(&root);
    assert_eq!(ws.text(app).unwrap(), HANDLER);

    // The folder becomes a symlink out of the project, after it was listed and read.
    std::fs::rename(root.join("src"), root.join("real")).unwrap();
    symlink(dir.join("outside/src"), root.join("src")).unwrap();
    assert_eq!(fs.read(app), Err(FsError::Outside));
    assert_eq!(ws.text(app), None);
    // A symlinked folder that stays inside the project is still followed.
    symlink("real", root.join("lib")).unwrap();
    assert_eq!(fs.read(Path::new("lib/app.js")).unwrap(), HANDLER);

    // The file itself becomes a symlink out of the project.
    std::fs::remove_file(root.join("real/app.js")).unwrap();
    symlink(dir.join("outside/secret.js"), root.join("real/app.js")).unwrap();
    assert_eq!(fs.read(Path::new("real/app.js")), Err(FsError::Outside));
    assert_eq!(fs.read(Path::new("lib/app.js")), Err(FsError::Outside));

    // Nor does a full run, the editor's included, read it.
    ws.disk_changed(app, true);
    let (_, out, err) = slz(&["generate", &s(&root), "--format", "json"]);
    assert!(
        !out.contains("SECRET") && !err.contains("SECRET"),
        "{out}{err}"
    );
}

#[test]
fn a_file_variable_outside_the_project_is_a_diagnostic_and_never_copied() {
    let dir = project("file-variable");
    let root = dir.join("root");
    std::fs::write(
        dir.join("outside.yml"),
        "token: SECRET-TOKEN\narn: arn:aws:s3:::SECRET-BUCKET\n",
    )
    .unwrap();
    std::fs::write(
        root.join("serverless.yml"),
        "service: s\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  iamRoleStatements:\n    - Effect: Allow\n      Action: s3:GetObject\n      Resource: ${file(../outside.yml):arn}\nfunctions:\n  f:\n    handler: src/app.handler\n    environment:\n      TOKEN: ${file(../outside.yml):token}\n",
    )
    .unwrap();
    let r = s(&root);
    let (code, out, err) = slz(&["generate", &r, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let codes: Vec<(&str, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert!(codes.contains(&("path-outside-project", 8)), "{codes:?}");
    assert!(codes.contains(&("path-outside-project", 13)), "{codes:?}");
    // The declared statement's resource is not the variable's text either.
    let declared = json["functions"][0]["declared"].to_string();
    assert!(!declared.contains("outside.yml"), "{declared}");
    for args in [
        vec!["generate", r.as_str(), "--format", "sam"],
        vec!["generate", r.as_str(), "--format", "diff"],
        vec!["check", r.as_str(), "--format", "sarif"],
        vec!["graph", r.as_str()],
    ] {
        let (_, out2, err2) = slz(&args);
        for text in [&out, &err, &out2, &err2] {
            assert!(!text.contains("SECRET"), "{args:?}: {text}");
        }
    }
}

#[test]
fn a_functions_folder_linked_out_of_the_project_is_not_listed() {
    let dir = common::scratch_empty("serverlize-outside");
    let root = dir.join("root");
    std::fs::create_dir_all(root.join("functions/Inside")).unwrap();
    std::fs::create_dir_all(dir.join("outside/functions/LeakedName")).unwrap();
    std::fs::write(
        root.join(".serverlize.config.ts"),
        "export default { name: 'app' };\n",
    )
    .unwrap();
    let handler = "export const handler = async () => 1;\n";
    std::fs::write(root.join("functions/Inside/index.ts"), handler).unwrap();
    std::fs::write(dir.join("outside/functions/LeakedName/index.ts"), handler).unwrap();
    let r = s(&root);
    let (code, out, err) = slz(&["generate", &r, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("functions/Inside/index.ts"), "{out}");
    // Linked inside the project: still listed.
    symlink("Inside", root.join("functions/Linked")).unwrap();
    let (_, out, err) = slz(&["generate", &r, "--format", "json"]);
    assert!(out.contains("functions/Linked/index.ts"), "{out}{err}");
    // The whole folder linked out of the project: nothing of it is listed or read.
    std::fs::rename(root.join("functions"), root.join("real")).unwrap();
    symlink(dir.join("outside/functions"), root.join("functions")).unwrap();
    let (_, out, err) = slz(&["generate", &r, "--format", "json"]);
    assert!(
        !out.contains("LeakedName") && !err.contains("LeakedName"),
        "{out}{err}"
    );
}

/// A folder swapped back and forth for a symlink out of the project while another thread reads
/// through it: every read gives the inside file or fails, never the outside one.
#[test]
fn reads_racing_a_folder_swap_never_leave_the_project() {
    let dir = project("swap-race");
    let root = dir.join("root");
    std::fs::write(dir.join("outside/src/app.js"), "SECRET-OUTSIDE").unwrap();
    let fs = slz_iam::fs::DiskFs::new(&root).unwrap();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (mut inside, mut refused) = (0u32, 0u32);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let deadline = Instant::now() + Duration::from_millis(800);
            while Instant::now() < deadline {
                std::fs::rename(root.join("src"), root.join("real")).unwrap();
                symlink(dir.join("outside/src"), root.join("src")).unwrap();
                std::fs::remove_file(root.join("src")).unwrap();
                std::fs::rename(root.join("real"), root.join("src")).unwrap();
            }
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
        });
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            match fs.read(Path::new("src/app.js")) {
                Ok(text) => {
                    assert_eq!(text, HANDLER);
                    inside += 1;
                }
                Err(_) => refused += 1,
            }
            fs.forget();
        }
    });
    assert!(inside + refused > 0);
}

/// The source line shown under a finding is read through the reader the project was loaded with:
/// a handler swapped for a symlink out of the project after the analysis shows no line of the
/// outside file.
#[test]
fn a_findings_source_line_is_read_inside_the_project() {
    use slz_iam::emit::formats::{lookup, Command};
    let dir = project("finding-line");
    let root = dir.join("root");
    let loaded = slz_iam::project::load_all(Some(root.clone()), None).unwrap();
    let found = slz_analyzer::check::findings(
        &loaded.project,
        &loaded.report,
        &Default::default(),
        &loaded.fs,
    );
    let view = |found| slz_iam::emit::View {
        report: &loaded.report,
        project: &loaded.project,
        findings: found,
        root: &root,
        files: &loaded.fs,
        config_text: &loaded.source,
        edited: None,
    };
    let text = |found| {
        let mut out = Vec::new();
        lookup(Command::Check, "text")
            .unwrap()
            .emitter
            .emit(&mut out, &view(found))
            .unwrap();
        String::from_utf8(out).unwrap()
    };
    let before = text(&found);
    assert!(
        before.contains("src/app.js:3:") && before.contains("    | exports.handler"),
        "{before}"
    );
    std::fs::write(
        dir.join("outside/src/app.js"),
        "SECRET-1\nSECRET-2\nSECRET-3\n",
    )
    .unwrap();
    std::fs::remove_file(root.join("src/app.js")).unwrap();
    symlink(dir.join("outside/src/app.js"), root.join("src/app.js")).unwrap();
    let after = text(&found);
    assert!(after.contains("src/app.js:3:"), "{after}");
    assert!(!after.contains("SECRET"), "{after}");
}

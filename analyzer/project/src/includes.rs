//! The files a serverless.yml includes with `${file(path)}` / `${file(path):key}`, read before
//! its variables are resolved, so that the resolver borrows them like the config itself: a whole
//! `functions:` or `resources:` list, a value, nested includes.
//!
//! Paths are taken relative to the config's folder, as the framework does. Only literal paths are
//! read (`${file(./${opt:stage}.yml)}` names a file only the deploy knows); a path leaving the
//! project is never read (the resolver reports it). YAML and JSON files are parsed; any other
//! file is its text (`${file(./public_key)}`); JavaScript and TypeScript files are not evaluated.
//! The parts of an included file carry the position of the `${file(...)}` that first includes it:
//! diagnostics and edits point into the config, never into a line of another file.

use crate::yaml::{self, Node, Value};
use slz_core::fs::{normalize, SourceFs};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Most files included, nested includes counted.
pub const MAX_FILES: usize = 64;

/// Most bytes of included files in all.
pub const MAX_BYTES: usize = 16 << 20;

/// The included files by normalised path (relative to the project root): the parsed document, or
/// why it could not be read.
#[derive(Debug, Default)]
pub struct Includes {
    files: BTreeMap<PathBuf, Result<Node, String>>,
}

/// No included file, for configs read without a file system.
pub static NONE: Includes = Includes {
    files: BTreeMap::new(),
};

impl Includes {
    /// Reads the files `root` (the config at `config`) includes, and those they include, through
    /// `fs`.
    pub fn load(root: &Node, config: &Path, fs: &dyn SourceFs) -> Includes {
        let base = config.parent().unwrap_or(Path::new("")).to_path_buf();
        let mut out = Includes::default();
        let mut pending: Vec<(PathBuf, u32, u32)> = Vec::new();
        references(root, &base, &mut pending);
        let mut bytes = 0usize;
        while let Some((path, line, column)) = pending.pop() {
            if out.files.contains_key(&path) {
                continue;
            }
            if out.files.len() >= MAX_FILES {
                out.files.insert(
                    path,
                    Err(format!(
                        "more than {MAX_FILES} files are included; not read"
                    )),
                );
                continue;
            }
            let loaded = match fs.read(&path) {
                Ok(text) if bytes.saturating_add(text.len()) > MAX_BYTES => Err(format!(
                    "the included files hold more than {} MiB in all; not read",
                    MAX_BYTES >> 20
                )),
                Ok(text) => {
                    bytes += text.len();
                    parse(&path, &text).map(|mut node| {
                        place(&mut node, line, column);
                        references(&node, &base, &mut pending);
                        node
                    })
                }
                Err(e) => Err(format!("{} cannot be read: {e}", path.display())),
            };
            out.files.insert(path, loaded);
        }
        out
    }

    /// The included file at `path` (relative to the project root), if it was looked for.
    pub fn get(&self, path: &Path) -> Option<&Result<Node, String>> {
        self.files.get(path)
    }

    /// The paths of the files read.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.keys().map(PathBuf::as_path)
    }
}

/// The argument of a `${file(...)}` in `inner` (the text between `${` and `}`): the path as
/// written, and the `:key` address after it, if any.
pub fn file_argument(inner: &str) -> Option<(&str, Option<&str>)> {
    let args = inner.trim().strip_prefix("file(")?;
    let close = args.find(')')?;
    let path = args[..close].trim().trim_matches(|c| c == '\'' || c == '"');
    let rest = args[close + 1..].trim_start();
    let key = rest
        .strip_prefix(':')
        .map(|k| k.split(',').next().unwrap_or(k).trim())
        .filter(|k| !k.is_empty());
    Some((path, key))
}

/// The literal `${file(...)}` paths of the strings under `node`, resolved against `base`.
fn references(node: &Node, base: &Path, out: &mut Vec<(PathBuf, u32, u32)>) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Str(s) => {
                let mut rest = s.as_str();
                while let Some(i) = rest.find("${file(") {
                    rest = &rest[i + 2..];
                    let Some((path, _)) = file_argument(rest) else {
                        break;
                    };
                    if path.contains("${") {
                        continue;
                    }
                    if let Some(p) = normalize(&base.join(path)) {
                        out.push((p, n.line, n.column));
                    }
                }
            }
            Value::Seq(items) => stack.extend(items.iter().rev()),
            Value::Map(entries) => stack.extend(entries.iter().rev().map(|(_, v)| v)),
            Value::Tagged(_, inner) => stack.push(inner),
            _ => {}
        }
    }
}

/// An included file's content as a node: YAML and JSON parsed, other files as their text.
fn parse(path: &Path, text: &str) -> Result<Node, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "yml" | "yaml" | "json" => yaml::parse(text).map_err(|e| {
            format!(
                "{}:{}:{}: does not parse: {}",
                path.display(),
                e.line,
                e.column,
                e.message
            )
        }),
        "js" | "cjs" | "mjs" | "ts" => Err(format!(
            "{} is a script; its export is not evaluated",
            path.display()
        )),
        _ => Ok(Node {
            value: Value::Str(text.to_string()),
            line: 0,
            column: 0,
        }),
    }
}

/// Moves every node of an included document to the `${file(...)}` that includes it.
fn place(node: &mut Node, line: u32, column: u32) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        n.line = line;
        n.column = column;
        match &mut n.value {
            Value::Seq(items) => stack.extend(items.iter_mut()),
            Value::Map(entries) => stack.extend(entries.iter_mut().map(|(_, v)| v)),
            Value::Tagged(_, inner) => stack.push(inner),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slz_core::fs::MemFs;

    #[test]
    fn file_arguments() {
        assert_eq!(
            file_argument("file(./a.yml):x.y"),
            Some(("./a.yml", Some("x.y")))
        );
        assert_eq!(file_argument("file('b.json')"), Some(("b.json", None)));
        assert_eq!(
            file_argument("file(./s.yml):TOKEN, ''"),
            Some(("./s.yml", Some("TOKEN")))
        );
        assert_eq!(file_argument("self:x"), None);
    }

    #[test]
    fn loads_nested_includes_relative_to_the_config_and_places_them_at_the_reference() {
        let root =
            yaml::parse("functions: ${file(conf/fns.yml)}\nkey: ${file(./k.pem)}\n").unwrap();
        let fs = MemFs::new([
            (
                "app/conf/fns.yml",
                "a:\n  handler: h.a\n  environment: ${file(conf/env.json)}\n",
            ),
            ("app/conf/env.json", "{\"T\": \"t\"}"),
            ("app/k.pem", "KEY"),
        ]);
        let inc = Includes::load(&root, Path::new("app/serverless.yml"), &fs);
        let fns = inc
            .get(Path::new("app/conf/fns.yml"))
            .unwrap()
            .as_ref()
            .unwrap();
        assert_eq!(fns.path("a.handler").unwrap().as_str(), Some("h.a"));
        assert_eq!(fns.path("a.handler").unwrap().line, 1);
        let env = inc
            .get(Path::new("app/conf/env.json"))
            .unwrap()
            .as_ref()
            .unwrap();
        assert_eq!(env.get("T").unwrap().as_str(), Some("t"));
        // Placed at the nested reference, itself placed at line 1 of the config.
        assert_eq!(env.get("T").unwrap().line, 1);
        let key = inc.get(Path::new("app/k.pem")).unwrap().as_ref().unwrap();
        assert_eq!((key.as_str(), key.line), (Some("KEY"), 2));
    }

    #[test]
    fn what_cannot_be_read_is_a_reason_not_a_failure() {
        let root = yaml::parse(
            "a: ${file(missing.yml)}\nb: ${file(bad.yml)}\nc: ${file(x.js):y}\nd: ${file(../out.yml)}\ne: ${file(${opt:stage}.yml)}\n",
        )
        .unwrap();
        let fs = MemFs::new([("bad.yml", "a: [\n"), ("x.js", "module.exports = {}")]);
        let inc = Includes::load(&root, Path::new("serverless.yml"), &fs);
        assert!(inc.get(Path::new("missing.yml")).unwrap().is_err());
        let bad = inc.get(Path::new("bad.yml")).unwrap().as_ref().unwrap_err();
        assert!(bad.contains("does not parse"), "{bad}");
        assert!(inc.get(Path::new("x.js")).unwrap().is_err());
        // Outside the project, or only known at deploy time: never looked for.
        assert_eq!(inc.paths().count(), 3);
    }

    #[test]
    fn include_cycles_end() {
        let root = yaml::parse("a: ${file(x.yml)}\n").unwrap();
        let fs = MemFs::new([
            ("x.yml", "b: ${file(y.yml)}\n"),
            ("y.yml", "c: ${file(x.yml)}\n"),
        ]);
        let inc = Includes::load(&root, Path::new("serverless.yml"), &fs);
        assert_eq!(inc.paths().count(), 2);
    }
}

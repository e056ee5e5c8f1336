//! A small Dockerfile reader: what a Lambda container image holds and starts, as far as the
//! analysis needs it. Of the last build stage: its base image (`FROM`), its working folder
//! (`WORKDIR`, relative ones joined), the files copied from the build context (`COPY` and `ADD`
//! without `--from`, in shell or JSON form) and the command (`CMD`). `${LAMBDA_TASK_ROOT}` and the
//! stage's own `ENV`/`ARG` values with defaults are substituted; line continuations and comments
//! are understood. Never fails: what it does not understand is left out.

use std::collections::BTreeMap;

/// The folder the Lambda base images load function code from (`LAMBDA_TASK_ROOT`).
pub const TASK_ROOT: &str = "/var/task";

/// One `COPY` or `ADD` from the build context: its sources (relative to the context, maybe
/// with `*` and `?` wildcards) and its destination in the image (absolute).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyLine {
    pub sources: Vec<String>,
    pub dest: String,
    /// The destination names a folder (ends with `/`, or several sources are copied).
    pub dest_is_dir: bool,
}

/// The last stage of a Dockerfile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dockerfile {
    /// The base image (`public.ecr.aws/lambda/python:3.12`).
    pub from: Option<String>,
    /// The working folder (absolute), when set (a Lambda base image sets the task root).
    pub workdir: Option<String>,
    pub copies: Vec<CopyLine>,
    /// The `CMD`, one word per element.
    pub cmd: Vec<String>,
}

impl Dockerfile {
    /// The folder a handler is found from: the working folder, else the task root.
    pub fn root(&self) -> &str {
        self.workdir.as_deref().unwrap_or(TASK_ROOT)
    }

    /// The language of the base image, as a front-end's id (`python`, `js`), or the runtime it
    /// names (`java`, `dotnet`, ...) for the AWS base images of other languages; None when the
    /// image is not one of them.
    pub fn base_language(&self) -> Option<String> {
        let from = self.from.as_deref()?.to_ascii_lowercase();
        let (_, image) = from.rsplit_once("lambda/")?;
        let name = image.split([':', '@']).next()?;
        Some(match name {
            "python" => "python".into(),
            "nodejs" => "js".into(),
            other => other.to_string(),
        })
    }
}

/// Reads `text`.
pub fn parse(text: &str) -> Dockerfile {
    let mut out = Dockerfile::default();
    let mut vars: BTreeMap<String, String> = BTreeMap::new();
    for line in logical_lines(text) {
        let line = line.trim();
        let (word, rest) = line
            .split_once(|c: char| c.is_whitespace())
            .unwrap_or((line, ""));
        let rest = rest.trim();
        match word.to_ascii_uppercase().as_str() {
            "FROM" => {
                // A new stage: nothing of the previous one is in the final image. The Lambda
                // base images start in the task root.
                out = Dockerfile {
                    from: rest.split_whitespace().next().map(str::to_string),
                    ..Dockerfile::default()
                };
                if out.base_language().is_some() {
                    out.workdir = Some(TASK_ROOT.to_string());
                }
                vars.clear();
            }
            "ENV" | "ARG" => {
                for (k, v) in assignments(rest) {
                    let v = substitute(&v, &vars);
                    vars.insert(k, v);
                }
            }
            "WORKDIR" => {
                let dir = substitute(rest.trim_matches('"'), &vars);
                out.workdir = Some(join(out.workdir.as_deref().unwrap_or("/"), &dir));
            }
            "COPY" | "ADD" => {
                let words = words(rest);
                if words.iter().any(|w| w.starts_with("--from")) {
                    continue;
                }
                let mut words: Vec<String> = words
                    .into_iter()
                    .filter(|w| !w.starts_with("--"))
                    .map(|w| substitute(&w, &vars))
                    .collect();
                let Some(dest) = words.pop() else { continue };
                if words.is_empty() {
                    continue;
                }
                let dest_is_dir = dest.ends_with('/') || words.len() > 1 || dest == ".";
                let base = out.workdir.as_deref().unwrap_or("/");
                out.copies.push(CopyLine {
                    sources: words,
                    dest: join(base, &dest),
                    dest_is_dir,
                });
            }
            "CMD" => out.cmd = words(rest),
            _ => {}
        }
    }
    out
}

/// The file's instructions, continuation lines joined and comment lines left out.
fn logical_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(head) => {
                current.push_str(head);
                current.push(' ');
            }
            None => {
                current.push_str(trimmed);
                out.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The words of an instruction's arguments: a JSON array's strings, else split at whitespace.
fn words(rest: &str) -> Vec<String> {
    if rest.starts_with('[') {
        if let Ok(list) = serde_json::from_str::<Vec<String>>(rest) {
            return list;
        }
    }
    rest.split_whitespace()
        .map(|w| w.trim_matches('"').to_string())
        .collect()
}

/// `ENV K=V K2="V 2"`, `ENV K V`, `ARG K=V`: the pairs with a value.
fn assignments(rest: &str) -> Vec<(String, String)> {
    if !rest.contains('=') {
        return match rest.split_once(char::is_whitespace) {
            Some((k, v)) => vec![(k.to_string(), v.trim().trim_matches('"').to_string())],
            None => Vec::new(),
        };
    }
    rest.split_whitespace()
        .filter_map(|w| w.split_once('='))
        .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
        .collect()
}

/// `$NAME` and `${NAME}` replaced by the stage's values; `LAMBDA_TASK_ROOT` is the base
/// images' task root unless the stage sets it. Unknown names are left as written.
fn substitute(text: &str, vars: &BTreeMap<String, String>) -> String {
    let value = |name: &str| -> Option<String> {
        vars.get(name)
            .cloned()
            .or_else(|| (name == "LAMBDA_TASK_ROOT").then(|| TASK_ROOT.to_string()))
    };
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, len) = match after.strip_prefix('{') {
            Some(inner) => match inner.find('}') {
                Some(end) => (&inner[..end], end + 2),
                None => ("", 0),
            },
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], end)
            }
        };
        match value(name).filter(|_| !name.is_empty()) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[i..i + 1 + len]),
        }
        rest = &rest[i + 1 + len..];
    }
    out.push_str(rest);
    out
}

/// `path` taken from the folder `base` (both image paths), `.` and `..` resolved.
fn join(base: &str, path: &str) -> String {
    let full = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{base}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in full.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_last_stage() {
        let d = parse(
            "FROM rust:1 AS build\nCOPY . /src\nFROM public.ecr.aws/lambda/python:3.12 AS run\n\
             # the code\nARG APP=app\nWORKDIR ${LAMBDA_TASK_ROOT}\nCOPY --chown=1:1 \\\n  src/$APP/ ./\n\
             COPY --from=build /src/x /opt/x\nADD [\"lib/a.py\", \"lib/b.py\", \"pkg/\"]\n\
             CMD [ \"handler.main\" ]\n",
        );
        assert_eq!(d.base_language().as_deref(), Some("python"));
        assert_eq!(d.root(), "/var/task");
        assert_eq!(
            d.copies,
            [
                CopyLine {
                    sources: vec!["src/app/".into()],
                    dest: "/var/task".into(),
                    dest_is_dir: true
                },
                CopyLine {
                    sources: vec!["lib/a.py".into(), "lib/b.py".into()],
                    dest: "/var/task/pkg".into(),
                    dest_is_dir: true
                },
            ]
        );
        assert_eq!(d.cmd, ["handler.main"]);
    }

    #[test]
    fn shell_form_and_other_bases() {
        let d = parse("FROM node:20\nWORKDIR /app\nCOPY index.mjs .\nCMD index.handler\n");
        assert_eq!(d.base_language(), None);
        assert_eq!(d.root(), "/app");
        assert_eq!(d.copies[0].dest, "/app");
        assert!(d.copies[0].dest_is_dir);
        assert_eq!(d.cmd, ["index.handler"]);
        let java = parse("FROM public.ecr.aws/lambda/java:21\nCOPY app.jar lib/\n");
        assert_eq!(java.base_language().as_deref(), Some("java"));
        assert_eq!(java.copies[0].dest, "/var/task/lib");
    }
}

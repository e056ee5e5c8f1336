//! Edits of the user's configuration, computed from node positions so every comment, blank line
//! and formatting choice outside the edited nodes is kept byte for byte. Pure functions; the CLI
//! writes the result.
//!
//! What the tool writes it marks as its own: generated statements carry a `Sid` starting with
//! [`OWNED`] (and, in block YAML, a comment line above them); a later write replaces only those.
//! Everything else the user wrote (statements, `Deny`s, SAM policy templates, managed policies,
//! roles, anchors) is kept, and only what the user's own grants do not already allow is added,
//! as decided by the local IAM evaluator `check` uses. Where a grant goes follows the framework:
//! [`place`] decides it (the shared provider role on Serverless Framework v3, per-function roles
//! on v4 or with serverless-iam-roles-per-function, a SAM function's `Role` when it has one), and
//! says why in the plan's notes, or refuses for a function and says why.

mod auth;
mod doc;
mod grants;
mod place;
pub mod render;

pub use render::yaml_scalar;

use crate::project::Project;
use crate::report::{AuthRecommendation, Report};

/// The `Sid` prefix of the statements (and the `PolicyName` prefix of the role policies) the tool
/// writes and owns.
pub const OWNED: &str = "SlzIam";

/// The edits of one write and what the user should know about them: where grants went and why,
/// functions left alone and why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub edits: Vec<TextEdit>,
    pub notes: Vec<String>,
    /// Functions whose code needs a grant these edits do not write (a note says why for each):
    /// a write that leaves them short is not a success.
    pub unwritten: Vec<String>,
}

/// The generated statements and the recommended endpoint auth, as one set of non-overlapping
/// edits (what `generate --write` applies).
pub fn config_edits(project: &Project, source: &str, report: &Report) -> Plan {
    plan(project, source, report, None, true)
}

/// The generated statements of every function, or only of the roles `only` uses (the rest of a
/// shared role's generated statements are kept as they are).
pub fn policy_plan(project: &Project, source: &str, report: &Report, only: Option<&str>) -> Plan {
    plan(project, source, report, only, false)
}

/// Edits that write each function's generated statements into the config (see [`policy_plan`]).
/// `plugin_keys` treats the project as using serverless-iam-roles-per-function even when its
/// `plugins` do not list it.
pub fn policy_edits(
    project: &Project,
    source: &str,
    report: &Report,
    plugin_keys: bool,
) -> Vec<TextEdit> {
    let Ok(mut doc) = doc::Doc::new(source) else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    let _ = place::write_policies(project, &mut doc, report, None, plugin_keys, &mut notes);
    doc.finish()
}

/// Edits that apply the recommended auth where the endpoint has none: `aws_iam` authorizers and
/// `private: true` (Serverless), `Auth.Authorizer: AWS_IAM` / `Auth.ApiKeyRequired: true` (SAM),
/// merged into an `Auth` the event already has. Endpoints that name an authorizer are left alone.
pub fn auth_edits(project: &Project, source: &str, recs: &[AuthRecommendation]) -> Vec<TextEdit> {
    let Ok(mut doc) = doc::Doc::new(source) else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    auth::write(project, &mut doc, recs, &mut notes);
    doc.finish()
}

fn plan(
    project: &Project,
    source: &str,
    report: &Report,
    only: Option<&str>,
    with_auth: bool,
) -> Plan {
    if !writable(project) {
        return Plan::default();
    }
    let mut doc = match doc::Doc::new(source) {
        Ok(d) => d,
        Err(e) => {
            // Nothing is edited: each function whose code needs a grant is left short of it.
            let by_name: std::collections::HashMap<&str, &crate::project::Function> = project
                .functions
                .iter()
                .filter(|f| f.location.file == project.config)
                .map(|f| (f.name.as_str(), f))
                .collect();
            let unwritten = report
                .functions
                .iter()
                .filter(|fr| only.is_none_or(|o| o == fr.name))
                .filter(|fr| {
                    by_name
                        .get(fr.name.as_str())
                        .is_some_and(|f| !grants::needs(f, fr).permissions.is_empty())
                })
                .map(|fr| fr.name.clone())
                .collect();
            return Plan {
                edits: Vec::new(),
                notes: vec![e],
                unwritten,
            };
        }
    };
    let mut notes = Vec::new();
    let unwritten = place::write_policies(project, &mut doc, report, only, false, &mut notes);
    if with_auth {
        auth::write(project, &mut doc, &report.auth, &mut notes);
    }
    Plan {
        edits: doc.finish(),
        notes,
        unwritten,
    }
}

fn writable(project: &Project) -> bool {
    crate::project::reader(project.framework)
        .dialect()
        .is_some()
}

/// A grant the editor asks for: the edit that adds `action` on `resource` to the role `function`
/// runs with (the same placement `--write` uses), and a note when it goes somewhere the user may
/// not expect (the shared provider role); the reason when it cannot be written.
pub fn grant(
    project: &Project,
    source: &str,
    function: &str,
    action: &str,
    resource: &serde_json::Value,
) -> Result<(TextEdit, Option<String>), String> {
    if !writable(project) {
        return Err("this project has no config to write grants into".into());
    }
    let mut doc = doc::Doc::new(source)?;
    let note = place::write_grant(project, &mut doc, function, action, resource, false)?;
    let edits = doc.finish();
    merge_edits(source, &edits)
        .map(|e| (e, note))
        .ok_or_else(|| "nothing to change".to_string())
}

/// An edit that adds one statement (`action` on `resource`) to the role of `function`, where
/// [`grant`] puts it. None when it cannot be written.
pub fn add_statement(
    project: &Project,
    source: &str,
    function: &str,
    action: &str,
    resource: &serde_json::Value,
    plugin_keys: bool,
) -> Option<TextEdit> {
    if !writable(project) {
        return None;
    }
    let mut doc = doc::Doc::new(source).ok()?;
    place::write_grant(project, &mut doc, function, action, resource, plugin_keys).ok()?;
    merge_edits(source, &doc.finish())
}

/// Several edits as one that replaces the lines from the first to the last they touch.
fn merge_edits(source: &str, edits: &[TextEdit]) -> Option<TextEdit> {
    match edits {
        [] => None,
        [one] => Some(one.clone()),
        _ => {
            // An insertion after line L touches line L; the line range merged spans them all.
            let touched = |e: &TextEdit| {
                if e.first > e.last {
                    (e.last.max(1), e.last.max(1))
                } else {
                    (e.first, e.last)
                }
            };
            let first = edits.iter().map(|e| touched(e).0).min()?;
            let last = edits.iter().map(|e| touched(e).1).max()?;
            let lines: Vec<&str> = source.lines().collect();
            let region: Vec<String> = lines
                .get(first as usize - 1..(last as usize).min(lines.len()))?
                .iter()
                .map(|l| l.to_string())
                .collect();
            let shifted: Vec<TextEdit> = edits
                .iter()
                .map(|e| TextEdit {
                    first: (e.first + 1).saturating_sub(first),
                    last: (e.last + 1).saturating_sub(first),
                    lines: e.lines.clone(),
                })
                .collect();
            let text = apply(&(region.join("\n") + "\n"), &shifted);
            Some(TextEdit {
                first,
                last,
                lines: text.lines().map(str::to_string).collect(),
            })
        }
    }
}

/// Replace lines `first..=last` (1-based) with `text`, or insert `text` after line `after` when
/// `first > last` (then `last` is the line inserted after).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextEdit {
    pub first: u32,
    pub last: u32,
    pub lines: Vec<String>,
}

impl TextEdit {
    pub fn insert_after(line: u32, lines: Vec<String>) -> Self {
        TextEdit {
            first: line + 1,
            last: line,
            lines,
        }
    }

    pub fn replace(line: u32, lines: Vec<String>) -> Self {
        TextEdit {
            first: line,
            last: line,
            lines,
        }
    }
}

/// Applies non-overlapping edits; line endings of untouched lines are kept.
pub fn apply(source: &str, edits: &[TextEdit]) -> String {
    let newline = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut lines: Vec<String> = source.split_inclusive('\n').map(str::to_string).collect();
    let mut sorted = edits.to_vec();
    sorted.sort_by(|a, b| b.first.cmp(&a.first).then(b.last.cmp(&a.last)));
    for e in sorted {
        let start = (e.first as usize).saturating_sub(1).min(lines.len());
        let end = (e.last as usize).min(lines.len());
        if start < end && !lines[end - 1].ends_with('\n') {
            // The last line has no newline: keep it that way after the edit.
            lines[end - 1].push_str(newline);
        } else if start == end && start > 0 && !lines[start - 1].ends_with('\n') {
            lines[start - 1].push_str(newline);
        }
        let new: Vec<String> = e.lines.iter().map(|l| format!("{l}{newline}")).collect();
        lines.splice(start..end.max(start), new);
    }
    lines.concat()
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// An edit of config line `line` that writes `replacement` (actions) where the wildcard `pattern`
/// stands: a block item becomes one item per action, a flow list gets them inline, a scalar
/// becomes a flow list. None when the line does not hold the pattern as one value.
pub fn narrow_action(
    source: &str,
    line: u32,
    pattern: &str,
    replacement: &[String],
) -> Option<TextEdit> {
    if replacement.is_empty() {
        return None;
    }
    let text = source.lines().nth(line.checked_sub(1)? as usize)?;
    let (code, comment) = match text.find(" #") {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    };
    let unquote = |v: &str| v.trim().trim_matches(|c| c == '\'' || c == '"').to_string();
    let actions: Vec<String> = replacement.iter().map(|a| yaml_scalar(a)).collect();
    let trimmed = code.trim_start();
    if let Some(item) = trimmed.strip_prefix("- ") {
        if unquote(item) != pattern {
            return None;
        }
        let pad = " ".repeat(indent_of(code));
        let mut out: Vec<String> = actions.iter().map(|a| format!("{pad}- {a}")).collect();
        out[0].push_str(comment);
        return Some(TextEdit::replace(line, out));
    }
    let (open, close) = (code.find('['), code.rfind(']'));
    if let (Some(open), Some(close)) = (open, close) {
        let items: Vec<&str> = code[open + 1..close].split(',').collect();
        let i = items.iter().position(|v| unquote(v) == pattern)?;
        let mut new: Vec<String> = items.iter().map(|v| v.trim().to_string()).collect();
        new.splice(i..=i, actions);
        let rebuilt = format!(
            "{}[{}]{}{comment}",
            &code[..open],
            new.join(", "),
            &code[close + 1..]
        );
        return Some(TextEdit::replace(line, vec![rebuilt]));
    }
    let (key, value) = code.split_once(':')?;
    if unquote(value) != pattern {
        return None;
    }
    Some(TextEdit::replace(
        line,
        vec![format!("{key}: [{}]{comment}", actions.join(", "))],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_and_replaces_keeping_everything_else() {
        let src = "a: 1 # keep\n\nb:\n  c: 2\n";
        let out = apply(
            src,
            &[
                TextEdit::insert_after(4, vec!["  d: 3".into()]),
                TextEdit::replace(1, vec!["a: 9 # keep".into()]),
            ],
        );
        assert_eq!(out, "a: 9 # keep\n\nb:\n  c: 2\n  d: 3\n");
        let crlf = apply(
            "x: 1\r\ny: 2",
            &[TextEdit::insert_after(2, vec!["z: 3".into()])],
        );
        assert_eq!(crlf, "x: 1\r\ny: 2\r\nz: 3\r\n");
    }

    #[test]
    fn narrows_a_wildcard_in_every_yaml_form() {
        let used = vec![
            "dynamodb:GetItem".to_string(),
            "dynamodb:PutItem".to_string(),
        ];
        let item = "x:\n  - dynamodb:* # all\n";
        assert_eq!(
            apply(
                item,
                &[narrow_action(item, 2, "dynamodb:*", &used).unwrap()]
            ),
            "x:\n  - dynamodb:GetItem # all\n  - dynamodb:PutItem\n"
        );
        let flow = "Action: [s3:GetObject, 'dynamodb:*']\n";
        assert_eq!(
            apply(
                flow,
                &[narrow_action(flow, 1, "dynamodb:*", &used).unwrap()]
            ),
            "Action: [s3:GetObject, dynamodb:GetItem, dynamodb:PutItem]\n"
        );
        let scalar = "  Action: dynamodb:*\n";
        assert_eq!(
            apply(
                scalar,
                &[narrow_action(scalar, 1, "dynamodb:*", &used).unwrap()]
            ),
            "  Action: [dynamodb:GetItem, dynamodb:PutItem]\n"
        );
        assert_eq!(narrow_action(scalar, 1, "s3:*", &used), None);
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod write_tests;

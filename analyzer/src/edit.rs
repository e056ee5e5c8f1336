//! Lossless edits of the user's configuration: text insertions and line replacements computed from
//! node positions, so every comment, blank line and formatting choice outside the edited lines is
//! kept byte for byte. Pure functions; the CLI writes the result.

use crate::project::{Framework, Project};
use crate::report::AuthRecommendation;

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

/// The last content line of the block that starts at `first` (1-based) with indentation `indent`.
fn block_end(lines: &[&str], first: u32, indent: usize) -> u32 {
    let mut last = first;
    for (i, l) in lines.iter().enumerate().skip(first as usize) {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if indent_of(l) < indent {
            break;
        }
        last = u32::try_from(i + 1).unwrap_or(last);
    }
    last
}

/// Edits that apply the recommended auth where it differs from the configured one: `aws_iam`
/// authorizers and `private: true` (Serverless), `Auth.Authorizer: AWS_IAM` / `ApiKeyRequired`
/// (SAM). Endpoints that already name an authorizer are left alone.
pub fn auth_edits(project: &Project, source: &str, recs: &[AuthRecommendation]) -> Vec<TextEdit> {
    let lines: Vec<&str> = source.lines().collect();
    let mut edits = Vec::new();
    for rec in recs
        .iter()
        .filter(|r| r.recommended != r.current && r.current == "none")
    {
        let Some(f) = project.functions.iter().find(|f| f.name == rec.function) else {
            continue;
        };
        let Some(ev) = f.events.iter().find(|e| e.description == rec.event) else {
            continue;
        };
        let Some(body) = &ev.body else { continue };
        let sam = matches!(
            project.framework,
            Framework::Sam | Framework::Cloudformation
        );
        let setting: Vec<(String, String)> = match (sam, rec.recommended.as_str()) {
            (false, "aws_iam") => vec![("authorizer".into(), "aws_iam".into())],
            (false, "api_key") => vec![("private".into(), "true".into())],
            (true, "aws_iam") => vec![
                ("Auth".into(), String::new()),
                ("  Authorizer".into(), "AWS_IAM".into()),
            ],
            (true, "api_key") => vec![
                ("Auth".into(), String::new()),
                ("  ApiKeyRequired".into(), "true".into()),
            ],
            _ => continue,
        };
        let render = |indent: usize| -> Vec<String> {
            setting
                .iter()
                .map(|(k, v)| {
                    if v.is_empty() {
                        format!("{}{k}:", " ".repeat(indent))
                    } else {
                        format!("{}{k}: {v}", " ".repeat(indent))
                    }
                })
                .collect()
        };
        match (body.map_line, body.map_column) {
            (Some(line), Some(col)) => {
                let indent = col.saturating_sub(1) as usize;
                let end = block_end(&lines, line, indent);
                edits.push(TextEdit::insert_after(end, render(indent)));
            }
            _ => {
                // `http: GET /x` becomes a map with the method, the path and the new setting.
                let Some(text) = lines.get(body.key_line.saturating_sub(1) as usize) else {
                    continue;
                };
                let key_at = body.key_column.saturating_sub(1) as usize;
                let Some(colon) = text[key_at.min(text.len())..].find(':').map(|c| c + key_at)
                else {
                    continue;
                };
                let indent = key_at + 2;
                let mut new = vec![text[..=colon].to_string()];
                let pad = " ".repeat(indent);
                new.push(format!(
                    "{pad}method: {}",
                    ev.method.clone().unwrap_or_default().to_lowercase()
                ));
                new.push(format!(
                    "{pad}path: {}",
                    ev.path.clone().unwrap_or_default()
                ));
                new.extend(render(indent));
                edits.push(TextEdit::replace(body.key_line, new));
            }
        }
    }
    edits.sort();
    edits
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
    fn block_end_skips_comments_and_blank_lines() {
        let src = "f:\n  h: x\n  # c\n\n  e: y\ng: z\n";
        let lines: Vec<&str> = src.lines().collect();
        assert_eq!(block_end(&lines, 2, 2), 5);
    }
}

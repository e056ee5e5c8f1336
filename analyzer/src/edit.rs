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

/// A YAML scalar, quoted when plain style would change its meaning.
pub fn yaml_scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with([
            '*', '&', '!', '|', '>', '\'', '"', '%', '@', '`', '{', '[', '-', ' ', '#', '?', ':',
            ',',
        ])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with([' ', ':'])
        && !matches!(
            s,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
        )
        && s.parse::<f64>().is_err();
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// A policy resource as YAML lines (`- arn...` or `- Fn::Sub: ...`), indented.
fn resource_lines(v: &serde_json::Value, pad: &str) -> Vec<String> {
    match v {
        serde_json::Value::Object(map) => map
            .iter()
            .enumerate()
            .map(|(i, (k, v))| {
                let text = v.as_str().map(yaml_scalar).unwrap_or_else(|| v.to_string());
                if i == 0 {
                    format!("{pad}- {k}: {text}")
                } else {
                    format!("{pad}  {k}: {text}")
                }
            })
            .collect(),
        other => vec![format!(
            "{pad}- {}",
            other
                .as_str()
                .map(yaml_scalar)
                .unwrap_or_else(|| other.to_string())
        )],
    }
}

/// A list of statements as YAML lines at `indent`.
fn statement_lines(
    report: &crate::report::Report,
    f: &crate::report::FunctionReport,
    indent: usize,
) -> Vec<String> {
    let pad = " ".repeat(indent);
    let mut out = Vec::new();
    for s in &f.statements {
        out.push(format!("{pad}- Effect: Allow"));
        out.push(format!("{pad}  Action:"));
        for a in &s.actions {
            out.push(format!("{pad}    - {a}"));
        }
        out.push(format!("{pad}  Resource:"));
        for r in &s.resources {
            out.extend(resource_lines(
                &report.render_resource(r),
                &format!("{pad}    "),
            ));
        }
    }
    out
}

/// The key `key:` at exactly `indent` inside the block `[first, last]`, and the last line of its
/// own block.
fn find_key(lines: &[&str], first: u32, last: u32, indent: usize, key: &str) -> Option<(u32, u32)> {
    for n in first..=last {
        let l = lines.get(n as usize - 1)?;
        if indent_of(l) == indent && l.trim_start().starts_with(&format!("{key}:")) {
            let end = block_end(lines, n + 1, indent + 1).max(n);
            let end = if end == n + 1
                && lines
                    .get(n as usize)
                    .is_some_and(|x| indent_of(x) <= indent)
            {
                n
            } else {
                end
            };
            return Some((n, end));
        }
    }
    None
}

/// Edits that write each function's generated statements into the config: serverless.yml
/// `functions.<fn>.iam.role.statements` (or the per-function-roles plugin's `iamRoleStatements`
/// when the project uses it), SAM `Properties.Policies`. An existing block is replaced, so a second
/// run changes nothing.
pub fn policy_edits(
    project: &Project,
    source: &str,
    report: &crate::report::Report,
    plugin_keys: bool,
) -> Vec<TextEdit> {
    if matches!(
        project.framework,
        Framework::CargoLambda | Framework::Serverlize
    ) {
        return Vec::new();
    }
    let lines: Vec<&str> = source.lines().collect();
    let mut edits = Vec::new();
    for fr in &report.functions {
        let Some(f) = project.functions.iter().find(|f| f.name == fr.name) else {
            continue;
        };
        if f.location.file != project.config || fr.statements.is_empty() {
            continue;
        }
        let sam = is_sam(project);
        let Some((body_first, indent)) = function_body(project, &lines, f) else {
            continue;
        };
        let body_last = block_end(&lines, body_first, indent);
        let (key, block): (&str, Vec<String>) = if sam {
            let mut b = vec![
                format!("{}Policies:", " ".repeat(indent)),
                format!("{}  - Version: '2012-10-17'", " ".repeat(indent)),
            ];
            b.push(format!("{}    Statement:", " ".repeat(indent)));
            b.extend(statement_lines(report, fr, indent + 6));
            ("Policies", b)
        } else if plugin_keys {
            let mut b = vec![format!("{}iamRoleStatements:", " ".repeat(indent))];
            b.extend(statement_lines(report, fr, indent + 2));
            ("iamRoleStatements", b)
        } else {
            let pad = " ".repeat(indent);
            let mut b = vec![
                format!("{pad}iam:"),
                format!("{pad}  role:"),
                format!("{pad}    statements:"),
            ];
            b.extend(statement_lines(report, fr, indent + 6));
            ("iam", b)
        };
        match find_key(&lines, body_first, body_last, indent, key) {
            Some((start, end)) => edits.push(TextEdit {
                first: start,
                last: end,
                lines: block,
            }),
            None => edits.push(TextEdit::insert_after(body_last, block)),
        }
    }
    edits.sort();
    edits
}

fn is_sam(project: &Project) -> bool {
    matches!(
        project.framework,
        Framework::Sam | Framework::Cloudformation
    )
}

/// The first line and indentation of the map that holds a function's settings: the function's
/// entry in serverless.yml, the `Properties` of its SAM resource.
fn function_body(
    project: &Project,
    lines: &[&str],
    f: &crate::project::Function,
) -> Option<(u32, usize)> {
    if is_sam(project) {
        find_props(lines, f)
    } else {
        Some((
            f.location.line,
            f.location.column.saturating_sub(1) as usize,
        ))
    }
}

/// One Allow statement as YAML list-item lines at `indent`.
fn one_statement(action: &str, resource: &serde_json::Value, indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    let mut out = vec![
        format!("{pad}- Effect: Allow"),
        format!("{pad}  Action:"),
        format!("{pad}    - {}", yaml_scalar(action)),
        format!("{pad}  Resource:"),
    ];
    out.extend(resource_lines(resource, &format!("{pad}    ")));
    out
}

/// The indentation of the list items of the block key at line `key_line`, or None when the key
/// holds a flow value on its own line (`statements: []`), which block items cannot extend.
fn items_indent(lines: &[&str], key_line: u32, key_indent: usize) -> Option<usize> {
    let key = lines.get(key_line as usize - 1)?;
    let after_colon = key.split_once(':').map(|(_, v)| v.trim()).unwrap_or("");
    if !after_colon.is_empty() && !after_colon.starts_with('#') {
        return None;
    }
    let next = lines
        .iter()
        .skip(key_line as usize)
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    Some(match next {
        Some(l) if l.trim_start().starts_with("- ") && indent_of(l) >= key_indent => indent_of(l),
        _ => key_indent + 2,
    })
}

/// An edit that adds one statement (`action` on `resource`) to the role of `function`, next to
/// the statements it already has (the same keys `policy_edits` writes), or in a new block. None
/// when the config holds the list in a form that cannot be extended line by line.
pub fn add_statement(
    project: &Project,
    source: &str,
    function: &str,
    action: &str,
    resource: &serde_json::Value,
    plugin_keys: bool,
) -> Option<TextEdit> {
    if matches!(
        project.framework,
        Framework::CargoLambda | Framework::Serverlize
    ) {
        return None;
    }
    let f = project.functions.iter().find(|f| f.name == function)?;
    if f.location.file != project.config {
        return None;
    }
    let lines: Vec<&str> = source.lines().collect();
    let (body_first, indent) = function_body(project, &lines, f)?;
    let body_last = block_end(&lines, body_first, indent);
    let pad = " ".repeat(indent);
    if is_sam(project) {
        let document = |at: usize| -> Vec<String> {
            let p = " ".repeat(at);
            let mut b = vec![
                format!("{p}- Version: '2012-10-17'"),
                format!("{p}  Statement:"),
            ];
            b.extend(one_statement(action, resource, at + 4));
            b
        };
        return Some(
            match find_key(&lines, body_first, body_last, indent, "Policies") {
                Some((start, end)) => {
                    TextEdit::insert_after(end, document(items_indent(&lines, start, indent)?))
                }
                None => {
                    let mut b = vec![format!("{pad}Policies:")];
                    b.extend(document(indent + 2));
                    TextEdit::insert_after(body_last, b)
                }
            },
        );
    }
    if plugin_keys {
        return Some(
            match find_key(&lines, body_first, body_last, indent, "iamRoleStatements") {
                Some((start, end)) => TextEdit::insert_after(
                    end,
                    one_statement(action, resource, items_indent(&lines, start, indent)?),
                ),
                None => {
                    let mut b = vec![format!("{pad}iamRoleStatements:")];
                    b.extend(one_statement(action, resource, indent + 2));
                    TextEdit::insert_after(body_last, b)
                }
            },
        );
    }
    match find_key(&lines, body_first, body_last, indent, "iam") {
        Some((start, end)) => {
            let role = find_key(&lines, start + 1, end, indent + 2, "role")?;
            let (st, se) = find_key(&lines, role.0 + 1, role.1, indent + 4, "statements")?;
            Some(TextEdit::insert_after(
                se,
                one_statement(action, resource, items_indent(&lines, st, indent + 4)?),
            ))
        }
        None => {
            let mut b = vec![
                format!("{pad}iam:"),
                format!("{pad}  role:"),
                format!("{pad}    statements:"),
            ];
            b.extend(one_statement(action, resource, indent + 6));
            Some(TextEdit::insert_after(body_last, b))
        }
    }
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

/// The first line and indentation of a SAM function's `Properties` map: the resource is the
/// line `<LogicalId>:` in the template, and `Properties:` a key of its block.
fn find_props(lines: &[&str], f: &crate::project::Function) -> Option<(u32, usize)> {
    let header = format!("{}:", f.logical_id);
    let (res_line, res_indent) = lines
        .iter()
        .enumerate()
        .find(|(_, l)| l.trim() == header)
        .map(|(i, l)| (i + 1, indent_of(l)))?;
    let res_line = u32::try_from(res_line).ok()?;
    let body_indent = lines
        .get(res_line as usize)
        .map(|l| indent_of(l))
        .filter(|i| *i > res_indent)?;
    let end = block_end(lines, res_line + 1, body_indent);
    let (props, _) = find_key(lines, res_line + 1, end, body_indent, "Properties")?;
    let first = lines.get(props as usize).map(|l| indent_of(l))?;
    Some((props + 1, first))
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
    fn adds_one_statement_next_to_the_existing_ones() {
        let src = "service: s\nprovider:\n  name: aws\nfunctions:\n  a:\n    handler: a.h\n    iam:\n      role:\n        statements:\n          # kept\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: '*'\n  b:\n    handler: b.h # no role yet\n";
        let project = crate::project::serverless::read(src, std::path::Path::new("serverless.yml"));
        let arn = serde_json::json!("arn:aws:sqs:*:*:jobs");
        let edit = add_statement(&project, src, "a", "sqs:SendMessage", &arn, false).unwrap();
        let out = apply(src, &[edit]);
        assert!(out.contains("          - Effect: Allow\n            Action:\n              - sqs:SendMessage\n            Resource:\n              - arn:aws:sqs:*:*:jobs\n  b:"), "{out}");
        assert!(out.contains("# kept") && out.starts_with("service: s\n"));
        let edit = add_statement(&project, src, "b", "sqs:SendMessage", &arn, false).unwrap();
        let out = apply(src, &[edit]);
        assert!(out.ends_with("    handler: b.h # no role yet\n    iam:\n      role:\n        statements:\n          - Effect: Allow\n            Action:\n              - sqs:SendMessage\n            Resource:\n              - arn:aws:sqs:*:*:jobs\n"), "{out}");
        let flow = src.replace("        statements:\n          # kept\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: '*'\n", "        statements: []\n");
        let project =
            crate::project::serverless::read(&flow, std::path::Path::new("serverless.yml"));
        assert_eq!(
            add_statement(&project, &flow, "a", "sqs:SendMessage", &arn, false),
            None
        );
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

    #[test]
    fn block_end_skips_comments_and_blank_lines() {
        let src = "f:\n  h: x\n  # c\n\n  e: y\ng: z\n";
        let lines: Vec<&str> = src.lines().collect();
        assert_eq!(block_end(&lines, 2, 2), 5);
    }
}

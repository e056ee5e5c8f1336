//! Values to write into a config, and how they are spelled: block YAML lines at an indentation,
//! flow YAML on one line, or JSON (one line, or indented like the file).

/// A value the tool writes: scalars are kept as text, rendered quoted where a plain spelling
/// would change their meaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A string, quoted when needed.
    Str(String),
    /// A scalar spelled exactly so in YAML (`true`, `'2012-10-17'`), and as JSON by `json`.
    Raw {
        yaml: String,
        json: String,
    },
    Map(Vec<(String, Item)>),
    Seq(Vec<Item>),
    /// A list the tool owns: in block YAML its items follow the ownership comment.
    Marked(Vec<Item>),
}

impl Item {
    pub fn str(s: &str) -> Item {
        Item::Str(s.to_string())
    }

    pub fn boolean(b: bool) -> Item {
        Item::Raw {
            yaml: b.to_string(),
            json: b.to_string(),
        }
    }

    /// The policy language version, a string that YAML would read as a date unquoted.
    pub fn version() -> Item {
        Item::Raw {
            yaml: "'2012-10-17'".into(),
            json: "\"2012-10-17\"".into(),
        }
    }

    pub fn map(entries: Vec<(&str, Item)>) -> Item {
        Item::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    /// A JSON value (a rendered policy resource: a string or `{"Fn::Sub": ...}`).
    pub fn from_json(v: &serde_json::Value) -> Item {
        match v {
            serde_json::Value::String(s) => Item::Str(s.clone()),
            serde_json::Value::Array(items) => {
                Item::Seq(items.iter().map(Item::from_json).collect())
            }
            serde_json::Value::Object(m) => Item::Map(
                m.iter()
                    .map(|(k, v)| (k.clone(), Item::from_json(v)))
                    .collect(),
            ),
            other => Item::Raw {
                yaml: other.to_string(),
                json: other.to_string(),
            },
        }
    }
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
        && !s.contains(['\t', '\n', '\r'])
        && !s.ends_with([' ', ':'])
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~" | "y" | "n"
        )
        && s.parse::<f64>().is_err();
    if s.chars().any(|c| hidden(c) && !matches!(c, '\n' | '\r')) {
        // Shown as escapes, never raw: a value from the repository cannot move a terminal's
        // cursor or reorder what a reviewer reads.
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if hidden(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    } else if plain {
        s.to_string()
    } else if s.contains(['\n', '\r', '\t']) {
        serde_json::Value::String(s.to_string()).to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// Whether `c` would act on a terminal or a log instead of being shown: C0 controls but tab, DEL,
/// C1 controls, and the bidirectional formatting characters that reorder what is displayed.
pub fn hidden(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A scalar inside a flow collection, where `,[]{}` also end a plain scalar.
fn flow_scalar(s: &str) -> String {
    if s.contains([',', '[', ']', '{', '}']) {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        yaml_scalar(s)
    }
}

fn key_text(k: &str) -> String {
    yaml_scalar(k)
}

/// Block YAML lines for `item` as the value of `key` at `indent`.
pub fn block_entry(key: &str, item: &Item, indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    let key = key_text(key);
    match item {
        Item::Str(s) => vec![format!("{pad}{key}: {}", yaml_scalar(s))],
        Item::Raw { yaml, .. } => vec![format!("{pad}{key}: {yaml}")],
        Item::Map(m) if m.is_empty() => vec![format!("{pad}{key}: {{}}")],
        Item::Seq(s) | Item::Marked(s) if s.is_empty() => vec![format!("{pad}{key}: []")],
        Item::Map(m) => {
            let mut out = vec![format!("{pad}{key}:")];
            out.extend(block_map(m, indent + 2));
            out
        }
        Item::Seq(items) => {
            let mut out = vec![format!("{pad}{key}:")];
            out.extend(block_items(items, indent + 2));
            out
        }
        Item::Marked(items) => {
            let mut out = vec![
                format!("{pad}{key}:"),
                format!("{pad}  {}", super::doc::MARKER),
            ];
            out.extend(block_items(items, indent + 2));
            out
        }
    }
}

/// Block YAML lines for the entries of a map at `indent`.
pub fn block_map(entries: &[(String, Item)], indent: usize) -> Vec<String> {
    entries
        .iter()
        .flat_map(|(k, v)| block_entry(k, v, indent))
        .collect()
}

/// Block YAML lines for sequence items (`- ...`) at `indent`.
pub fn block_items(items: &[Item], indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Map(m) if !m.is_empty() => {
                let lines = block_map(m, indent + 2);
                for (i, l) in lines.into_iter().enumerate() {
                    if i == 0 {
                        out.push(format!("{pad}- {}", &l[indent + 2..]));
                    } else {
                        out.push(l);
                    }
                }
            }
            other => out.push(format!("{pad}- {}", flow(other))),
        }
    }
    out
}

/// Flow YAML on one line.
pub fn flow(item: &Item) -> String {
    match item {
        Item::Str(s) => flow_scalar(s),
        Item::Raw { yaml, .. } => yaml.clone(),
        Item::Map(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}: {}", flow_scalar(k), flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Item::Seq(s) | Item::Marked(s) => {
            format!("[{}]", s.iter().map(flow).collect::<Vec<_>>().join(", "))
        }
    }
}

/// JSON: on one line when `unit` is None, else indented by `unit` spaces per level from `indent`
/// (the layout `serde_json`'s pretty printer gives).
pub fn json(item: &Item, indent: usize, unit: Option<usize>) -> String {
    let (nl, inner, sep) = match unit {
        Some(u) => ("\n", " ".repeat(indent + u), ",\n"),
        None => ("", String::new(), ", "),
    };
    let close_pad = if unit.is_some() {
        " ".repeat(indent)
    } else {
        String::new()
    };
    let deeper = indent + unit.unwrap_or(0);
    match item {
        Item::Str(s) => serde_json::Value::String(s.clone()).to_string(),
        Item::Raw { json, .. } => json.clone(),
        Item::Map(m) if m.is_empty() => "{}".into(),
        Item::Seq(s) | Item::Marked(s) if s.is_empty() => "[]".into(),
        Item::Map(m) => format!(
            "{{{nl}{}{nl}{close_pad}}}",
            m.iter()
                .map(|(k, v)| format!(
                    "{inner}{}: {}",
                    serde_json::Value::String(k.clone()),
                    json(v, deeper, unit)
                ))
                .collect::<Vec<_>>()
                .join(sep)
        ),
        Item::Seq(s) | Item::Marked(s) => format!(
            "[{nl}{}{nl}{close_pad}]",
            s.iter()
                .map(|v| format!("{inner}{}", json(v, deeper, unit)))
                .collect::<Vec<_>>()
                .join(sep)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_from_the_repository_never_carry_raw_controls_into_the_config() {
        assert_eq!(yaml_scalar("arn:aws:s3:::b/*"), "arn:aws:s3:::b/*");
        assert_eq!(yaml_scalar("true"), "'true'");
        assert_eq!(yaml_scalar("a\nb"), "\"a\\nb\"");
        assert_eq!(yaml_scalar("q\u{1b}[2Jx"), "\"q\\u001b[2Jx\"");
        assert_eq!(yaml_scalar("a\u{202e}b\"c"), "\"a\\u202eb\\\"c\"");
        // What the escapes stand for reads back.
        let back =
            crate::project::yaml::parse(&format!("k: {}", yaml_scalar("q\u{1b}\u{202e}\"\\")))
                .unwrap();
        assert_eq!(
            back.get("k").and_then(|n| n.as_str()),
            Some("q\u{1b}\u{202e}\"\\")
        );
    }

    #[test]
    fn renders_blocks_flow_and_json() {
        let st = Item::map(vec![
            ("Sid", Item::str("SlzIamS31")),
            ("Action", Item::Seq(vec![Item::str("s3:GetObject")])),
            (
                "Resource",
                Item::Seq(vec![Item::map(vec![("Fn::Sub", Item::str("arn:${X}"))])]),
            ),
        ]);
        assert_eq!(
            block_items(std::slice::from_ref(&st), 2),
            [
                "  - Sid: SlzIamS31",
                "    Action:",
                "      - s3:GetObject",
                "    Resource:",
                "      - Fn::Sub: arn:${X}",
            ]
        );
        assert_eq!(
            flow(&st),
            "{Sid: SlzIamS31, Action: [s3:GetObject], Resource: [{Fn::Sub: 'arn:${X}'}]}"
        );
        assert_eq!(
            json(&st, 2, Some(2)),
            "{\n    \"Sid\": \"SlzIamS31\",\n    \"Action\": [\n      \"s3:GetObject\"\n    ],\n    \"Resource\": [\n      {\n        \"Fn::Sub\": \"arn:${X}\"\n      }\n    ]\n  }"
        );
        assert_eq!(yaml_scalar("yes"), "'yes'");
        assert_eq!(flow(&Item::str("a,b")), "'a,b'");
    }
}

//! A positioned, owned YAML/JSON tree read with saphyr: every node keeps its 1-based line and column,
//! and CloudFormation short tags (`!Ref`, `!GetAtt`, `!Sub`, ...) are kept as [`Node::Tagged`].

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

/// Deepest nesting accepted; deeper documents are refused instead of overflowing the stack.
pub const MAX_DEPTH: usize = 256;

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
    /// A tagged node such as `!Ref Table`; the tag is kept without its `!`.
    Tagged(String, Box<Node>),
}

/// The default node is a null at no position (line 0).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: u32,
    pub column: u32,
}

/// A parse failure with its position.
#[derive(Clone, Debug)]
pub struct YamlError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Follows a dotted path of map keys (`provider.environment`).
    pub fn path(&self, dotted: &str) -> Option<&Node> {
        dotted.split('.').try_fold(self, |node, key| node.get(key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Scalars rendered as text (numbers and booleans included).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(String, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }
}

/// Parses the first document of `source`. JSON is YAML, so templates in JSON load here too.
pub fn parse(source: &str) -> Result<Node, YamlError> {
    let docs = MarkedYaml::load_from_str(source).map_err(|e| YamlError {
        line: u32::try_from(e.marker().line()).unwrap_or(u32::MAX),
        column: u32::try_from(e.marker().col() + 1).unwrap_or(u32::MAX),
        message: e.info().to_string(),
    })?;
    match docs.first() {
        Some(doc) => convert(doc, 0),
        None => Ok(Node {
            value: Value::Null,
            line: 1,
            column: 1,
        }),
    }
}

fn convert(node: &MarkedYaml<'_>, depth: usize) -> Result<Node, YamlError> {
    let line = u32::try_from(node.span.start.line()).unwrap_or(u32::MAX);
    let column = u32::try_from(node.span.start.col() + 1).unwrap_or(u32::MAX);
    if depth > MAX_DEPTH {
        return Err(YamlError {
            line,
            column,
            message: format!("nesting deeper than {MAX_DEPTH} levels"),
        });
    }
    let value = match &node.data {
        YamlData::Value(s) => scalar(s),
        YamlData::Representation(text, _, _) => Value::Str(text.to_string()),
        YamlData::Sequence(items) => Value::Seq(
            items
                .iter()
                .map(|n| convert(n, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        YamlData::Mapping(map) => {
            let mut entries = Vec::with_capacity(map.len());
            for (k, v) in map {
                let key = convert(k, depth + 1)?.scalar_text().unwrap_or_default();
                entries.push((key, convert(v, depth + 1)?));
            }
            Value::Map(entries)
        }
        YamlData::Tagged(tag, inner) => {
            let inner = convert(inner, depth + 1)?;
            let name = tag.suffix.trim_start_matches('!').to_string();
            if tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:" {
                inner.value
            } else {
                Value::Tagged(name, Box::new(inner))
            }
        }
        YamlData::Alias(_) | YamlData::BadValue => Value::Null,
    };
    Ok(Node {
        value,
        line,
        column,
    })
}

fn scalar(s: &Scalar<'_>) -> Value {
    match s {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::Int(*i),
        Scalar::FloatingPoint(f) => Value::Float(f.into_inner()),
        Scalar::String(s) => Value::Str(s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_and_tags() {
        let doc = parse("a:\n  b: !Ref Table\n  c: [1, x]\n").unwrap();
        let b = doc.path("a.b").unwrap();
        assert_eq!((b.line, b.column), (2, 6));
        match &b.value {
            Value::Tagged(tag, inner) => {
                assert_eq!(tag, "Ref");
                assert_eq!(inner.as_str(), Some("Table"));
            }
            other => panic!("expected a tag, got {other:?}"),
        }
        assert_eq!(doc.path("a.c").unwrap().items().len(), 2);
    }

    #[test]
    fn reports_errors_with_line() {
        let err = parse("a: [1, 2\nb: c\n").unwrap_err();
        assert!(err.line >= 1, "{err:?}");
    }

    #[test]
    fn refuses_deep_nesting() {
        let deep = "[".repeat(400) + &"]".repeat(400);
        assert!(parse(&deep).is_err());
    }
}

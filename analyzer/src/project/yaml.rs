//! A positioned, owned YAML/JSON tree read with saphyr: every node keeps its 1-based line and column,
//! and CloudFormation short tags (`!Ref`, `!GetAtt`, `!Sub`, ...) are kept as [`Node::Tagged`].

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use saphyr::{Marker, Scalar, Tag};
use saphyr_parser::{Event, Parser};

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

/// Most nodes that aliases (`*name`) may add in one document, against "billion laughs" documents.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// Parses the first document of `source`. JSON is YAML, so templates in JSON load here too.
///
/// The tree is built straight from the parser's events (no intermediate document), with an
/// explicit stack: nesting deeper than [`MAX_DEPTH`] and duplicate keys are errors at their
/// position, aliases are copies of their anchor within [`MAX_ALIAS_NODES`].
pub fn parse(source: &str) -> Result<Node, YamlError> {
    Builder::default().run(source)
}

/// A collection being filled: its node, the anchor it registers when complete, and for a map the
/// key waiting for its value.
struct Open {
    node: Node,
    anchor: usize,
    key: Option<(String, u32, u32)>,
    /// The keys of a large map, to find duplicates without a quadratic scan.
    seen: Option<HashSet<String>>,
}

/// Maps with more keys than this index them to detect duplicates.
const INDEXED_MAP: usize = 16;

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
}

fn position(mark: &Marker) -> (u32, u32) {
    (
        u32::try_from(mark.line()).unwrap_or(u32::MAX),
        u32::try_from(mark.col() + 1).unwrap_or(u32::MAX),
    )
}

fn error_at(mark: &Marker, message: String) -> YamlError {
    let (line, column) = position(mark);
    YamlError {
        line,
        column,
        message,
    }
}

/// A collection's tag: CloudFormation's short forms are kept, YAML core tags (`!!map`) dropped.
fn custom_tag(tag: Option<&Tag>) -> Option<String> {
    tag.filter(|t| !t.is_yaml_core_schema())
        .map(|t| t.suffix.trim_start_matches('!').to_string())
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(items) => items.iter().map(count_nodes).sum(),
        Value::Map(entries) => entries.iter().map(|(_, v)| count_nodes(v)).sum(),
        Value::Tagged(_, inner) => count_nodes(inner),
        _ => 0,
    }
}

impl Builder {
    fn run(mut self, source: &str) -> Result<Node, YamlError> {
        let mut tags: Vec<Option<String>> = Vec::new();
        let mut events = Parser::new_from_str(source);
        let mut document = None;
        for event in events.by_ref() {
            let (event, span) = event.map_err(|e| error_at(e.marker(), e.info().to_string()))?;
            let (line, column) = position(&span.start);
            let at = |value| Node {
                value,
                line,
                column,
            };
            let complete = match event {
                Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                    if self.stack.len() >= MAX_DEPTH {
                        return Err(error_at(
                            &span.start,
                            format!("nesting deeper than {MAX_DEPTH} levels"),
                        ));
                    }
                    let value = if matches!(event, Event::SequenceStart(..)) {
                        Value::Seq(Vec::new())
                    } else {
                        Value::Map(Vec::new())
                    };
                    tags.push(custom_tag(tag.as_deref()));
                    self.stack.push(Open {
                        node: at(value),
                        anchor,
                        key: None,
                        seen: None,
                    });
                    continue;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(open) = self.stack.pop() else {
                        continue;
                    };
                    let tag = tags.pop().flatten();
                    let node = match tag {
                        Some(tag) => Node {
                            line: open.node.line,
                            column: open.node.column,
                            value: Value::Tagged(tag, Box::new(open.node)),
                        },
                        None => open.node,
                    };
                    (node, open.anchor)
                }
                Event::Scalar(text, style, anchor, tag) => {
                    let value = match tag.as_deref() {
                        Some(t) if !t.is_yaml_core_schema() => Value::Tagged(
                            t.suffix.trim_start_matches('!').to_string(),
                            Box::new(at(scalar(Scalar::parse_from_cow_and_metadata(
                                text, style, None,
                            )))),
                        ),
                        _ => scalar(Scalar::parse_from_cow_and_metadata(
                            text,
                            style,
                            tag.as_ref(),
                        )),
                    };
                    (at(value), anchor)
                }
                Event::Alias(id) => {
                    let Some(anchored) = self.anchors.get(&id) else {
                        return Err(error_at(&span.start, "unknown alias".to_string()));
                    };
                    self.alias_nodes += count_nodes(anchored);
                    if self.alias_nodes > MAX_ALIAS_NODES {
                        return Err(error_at(
                            &span.start,
                            format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"),
                        ));
                    }
                    (anchored.clone(), 0)
                }
                Event::DocumentEnd => {
                    document = self.stack.pop().map(|o| o.node);
                    break;
                }
                Event::StreamStart
                | Event::StreamEnd
                | Event::DocumentStart(_)
                | Event::Nothing => continue,
            };
            if let Some(root) = self.insert(complete.0, complete.1)? {
                document = Some(root);
                break;
            }
        }
        // What follows the document: a second document is refused, as Serverless (js-yaml's
        // `load`) and SAM (PyYAML's `safe_load`) refuse it, rather than silently dropped.
        for event in events {
            let (event, span) = event.map_err(|e| error_at(e.marker(), e.info().to_string()))?;
            if let Event::DocumentStart(_) = event {
                return Err(error_at(
                    &span.start,
                    "a second YAML document (`---`): a config is one document, and Serverless and \
                     SAM refuse a file with several"
                        .to_string(),
                ));
            }
        }
        Ok(document
            .or_else(|| self.stack.pop().map(|o| o.node))
            .unwrap_or(Node {
                value: Value::Null,
                line: 1,
                column: 1,
            }))
    }

    /// Adds a complete node to the collection being filled; returns it when it is the document.
    fn insert(&mut self, node: Node, anchor: usize) -> Result<Option<Node>, YamlError> {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let Some(open) = self.stack.last_mut() else {
            return Ok(Some(node));
        };
        match &mut open.node.value {
            Value::Seq(items) => items.push(node),
            Value::Map(entries) => match open.key.take() {
                None => {
                    open.key = Some((
                        node.scalar_text().unwrap_or_default(),
                        node.line,
                        node.column,
                    ));
                }
                Some((key, line, column)) => {
                    let duplicate = match &mut open.seen {
                        Some(seen) => !seen.insert(key.clone()),
                        None => entries.iter().any(|(k, _)| *k == key),
                    };
                    if duplicate {
                        return Err(YamlError {
                            line,
                            column,
                            message: format!("duplicate key `{key}`"),
                        });
                    }
                    entries.push((key, node));
                    if open.seen.is_none() && entries.len() > INDEXED_MAP {
                        open.seen = Some(entries.iter().map(|(k, _)| k.clone()).collect());
                    }
                }
            },
            _ => {}
        }
        Ok(None)
    }
}

fn scalar(s: Option<Scalar<'_>>) -> Value {
    match s {
        None | Some(Scalar::Null) => Value::Null,
        Some(Scalar::Boolean(b)) => Value::Bool(b),
        Some(Scalar::Integer(i)) => Value::Int(i),
        Some(Scalar::FloatingPoint(f)) => Value::Float(f.into_inner()),
        Some(Scalar::String(s)) => Value::Str(s.into_owned()),
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
    fn aliases_copy_their_anchor_and_duplicates_are_errors() {
        let doc = parse("base: &b {x: 1}\nuse: *b\nlist: [!Ref A, !GetAtt [B, Arn]]\n").unwrap();
        assert_eq!(doc.path("use.x"), doc.path("base.x"));
        let list = doc.path("list").unwrap().items();
        assert!(matches!(&list[0].value, Value::Tagged(t, _) if t == "Ref"));
        assert!(
            matches!(&list[1].value, Value::Tagged(t, inner) if t == "GetAtt" && inner.items().len() == 2)
        );
        let many: String = (0..40).map(|i| format!("k{i}: 1\n")).collect();
        let err = parse(&format!("{many}k7: 2\n")).unwrap_err();
        assert_eq!((err.line, err.message.as_str()), (41, "duplicate key `k7`"));
        assert_eq!(parse("a: 1\na: 2\n").unwrap_err().line, 2);
        // Each level refers ten times to the one before: 10^8 nodes once expanded.
        let mut laughs = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n".to_string();
        for level in 1..8 {
            let refs = vec![format!("*l{}", level - 1); 10].join(", ");
            laughs += &format!("l{level}: &l{level} [{refs}]\n");
        }
        assert!(parse(&laughs)
            .unwrap_err()
            .message
            .contains("aliases expand"));
        assert_eq!(parse("").unwrap().value, Value::Null);
    }

    #[test]
    fn refuses_deep_nesting() {
        let deep = "[".repeat(400) + &"]".repeat(400);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn one_document_only() {
        // An explicit start and end of the one document are fine.
        let doc = parse("---\na: 1\n...\n").unwrap();
        assert_eq!(
            doc.path("a").and_then(|n| n.scalar_text()),
            Some("1".into())
        );
        // A second document is refused at its `---`, even an empty one.
        let err = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(err.line, 2, "{err:?}");
        assert!(err.message.contains("second YAML document"), "{err:?}");
        assert_eq!(parse("a: 1\n---\n").unwrap_err().line, 2);
        // Nor is a syntax error after the document ignored.
        assert!(parse("a: 1\n---\nb: [\n").is_err());
    }
}

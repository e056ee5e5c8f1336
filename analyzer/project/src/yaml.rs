//! A positioned, owned YAML/JSON tree read with saphyr: every node keeps its 1-based line and column,
//! and CloudFormation short tags (`!Ref`, `!GetAtt`, `!Sub`, ...) are kept as [`Node::Tagged`].

use rustc_hash::FxHashMap as HashMap;
use saphyr::{Marker, Scalar, Tag};
use saphyr_parser::{Event, Parser};

mod lenient;

/// Deepest nesting kept; a deeper collection is replaced by an [`Value::Omitted`] node (see
/// [`Document::omitted`]) instead of overflowing the stack.
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
    /// A part of the document left out: nested deeper than [`MAX_DEPTH`], or an alias past the
    /// copy budget. Its position is where the part starts; [`Document::omitted`] says why.
    Omitted,
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

    pub fn is_omitted(&self) -> bool {
        matches!(self.value, Value::Omitted)
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

/// Most bytes (of text and tree nodes) that aliases (`*name`) may copy in one document, against
/// "billion laughs" documents and one long text aliased thousands of times. An alias past it is
/// an [`Value::Omitted`] node.
pub const MAX_ALIAS_BYTES: usize = 64 << 20;

/// A parsed document, the parts of it left out and the keys it repeats.
#[derive(Clone, Debug)]
pub struct Document {
    pub root: Node,
    pub omitted: Vec<Omission>,
    /// Keys repeated in one map: the last one is kept, as PyYAML (SAM CLI), CloudFormation and
    /// `JSON.parse` keep it.
    pub duplicates: Vec<Duplicate>,
}

/// A key that repeats one earlier in the same map; its value replaces the earlier one's.
#[derive(Clone, Debug, PartialEq)]
pub struct Duplicate {
    /// Where the repeated (kept) key is.
    pub line: u32,
    pub column: u32,
    /// The line of the key it replaces.
    pub replaces: u32,
    /// Map keys and list indices from the root to the key, the key included.
    pub path: Vec<String>,
}

/// A part of a document replaced by an [`Value::Omitted`] node.
#[derive(Clone, Debug, PartialEq)]
pub struct Omission {
    pub line: u32,
    pub column: u32,
    /// Map keys and list indices from the root to the omitted part.
    pub path: Vec<String>,
    pub message: String,
}

/// Parses the first document of `source`, strictly: a part that [`parse_document`] would omit,
/// or a key repeated in a map (whose earlier entry the tree does not hold, so the text cannot be
/// edited from it), is an error at its position. JSON is YAML, so templates in JSON load here
/// too.
pub fn parse(source: &str) -> Result<Node, YamlError> {
    let doc = parse_document(source)?;
    if let Some(d) = doc.duplicates.first() {
        return Err(YamlError {
            line: d.line,
            column: d.column,
            message: format!(
                "duplicate key `{}` (given at line {} too): an edit needs every entry of a map, \
                 and only the last of a repeated key is read",
                d.path.last().map(String::as_str).unwrap_or_default(),
                d.replaces
            ),
        });
    }
    match doc.omitted.into_iter().next() {
        Some(o) => Err(YamlError {
            line: o.line,
            column: o.column,
            message: o.message,
        }),
        None => Ok(doc.root),
    }
}

/// Parses the first document of `source`, leaving out what costs too much to keep.
///
/// The tree is built straight from the parser's events (no intermediate document), with an
/// explicit stack. A key repeated in a map keeps its last entry and is recorded in
/// [`Document::duplicates`]. A collection nested deeper than [`MAX_DEPTH`] is skipped (its
/// events are read, nothing is kept) and stands as an [`Value::Omitted`] node; so does an alias
/// once aliases have copied [`MAX_ALIAS_BYTES`]. The anchor table holds where each anchored node
/// sits in the tree, not a copy of it. Lines of flow collections and quoted scalars indented
/// less than the parser allows are re-indented first (see [`lenient`]), within bounds.
pub fn parse_document(source: &str) -> Result<Document, YamlError> {
    let mut text = std::borrow::Cow::Borrowed(source);
    let mut cuts: Vec<usize> = Vec::new();
    let mut first_error: Option<YamlError> = None;
    let mut relax = Relax::new(source.len());
    loop {
        let mut builder = Builder {
            cuts: cuts.clone(),
            pads: relax.pads.clone(),
            ..Builder::default()
        };
        match builder.run(&text) {
            Ok(root) if builder.cut_hits == cuts.len() => {
                return Ok(Document {
                    root,
                    omitted: builder.omitted,
                    duplicates: builder.duplicates,
                })
            }
            // A cut that is not where a node starts: the scan below misread the text.
            Ok(_) => return Err(first_error.unwrap_or_else(|| error_at_start("unreadable"))),
            Err(e) if e.message == FLOW_LIMIT && cuts.len() < MAX_FLOW_CUTS => {
                let first = first_error.get_or_insert(e);
                // In the outermost flow collection still open when the parser gave up, the
                // first collection [`FLOW_CUT_DEPTH`] levels down is cut out.
                // The stack's starts increase: one walk of the text finds their bytes.
                let mut chars = text.char_indices().enumerate().peekable();
                let outermost = builder.stack.iter().find_map(|o| {
                    while chars.next_if(|(n, _)| *n < o.start).is_some() {}
                    let (_, (outer, c)) = *chars.peek()?;
                    matches!(c, '[' | '{').then_some((o.start, outer))
                });
                let cut = outermost.and_then(|(start, outer)| {
                    let from = flow_deep(&text, outer)?;
                    let to = flow_end(&text, from)?;
                    Some((start + text[outer..from].chars().count(), from, to))
                });
                let Some((start, from, to)) = cut else {
                    return Err(first.clone());
                };
                text = std::borrow::Cow::Owned(blank(&text, from, to));
                cuts.push(start);
                cuts.sort_unstable();
            }
            Err(e)
                if e.message == lenient::COMMENT_UNSEPARATED
                    || e.message == lenient::VALUE_UNSEPARATED =>
            {
                // `]# note`, `"x"# note`: PyYAML and js-yaml read a comment there;
                // `{Variables:{A: 1}}`: a key and its value.
                let at = lenient::byte_at(&text, builder.failed_at);
                relax.spent = relax.spent.saturating_add(at);
                let space = if e.message == lenient::VALUE_UNSEPARATED {
                    (text.as_bytes().get(at) == Some(&b':'))
                        .then_some((at + 1, builder.failed_at + 1))
                } else {
                    lenient::closes_before(&text, at).then_some((at, builder.failed_at))
                };
                let Some((at, index)) = space else {
                    return Err(e);
                };
                match relax.separate(&text, at, index, &mut cuts) {
                    Ok(new) => text = std::borrow::Cow::Owned(new),
                    Err(None) => return Err(e),
                    Err(Some(limit)) => {
                        return Err(YamlError {
                            message: format!("{} ({limit})", e.message),
                            ..e
                        })
                    }
                }
            }
            Err(e) if lenient::is_indentation(&e.message) => {
                // A line indented less than its context allows, or with tabs: answered, as the
                // frameworks' readers answer it, when it is inside a flow collection or a quoted
                // scalar (see `lenient`).
                let at = lenient::byte_at(&text, builder.failed_at);
                relax.spent = relax.spent.saturating_add(at);
                let in_flow = builder
                    .region(&text, at)
                    .filter(|&(from, to)| from < at && at <= to);
                // A quoted scalar is reported at its opening quote.
                let quoted = || {
                    let to = lenient::quoted_end(&text, at)?;
                    e.message.ends_with("quoted scalar").then_some((at, to))
                };
                let Some(region) = in_flow.or_else(quoted) else {
                    return Err(e);
                };
                match relax.reindent(&text, region, &mut cuts) {
                    Ok(new) => text = std::borrow::Cow::Owned(new),
                    Err(None) => return Err(e),
                    Err(Some(limit)) => {
                        return Err(YamlError {
                            message: format!("{} ({limit})", e.message),
                            ..e
                        })
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
}

/// Most regions re-indented in one document (each costs a parse of it, up to where it stops).
const MAX_REINDENTS: usize = 64;

/// Why a region is not re-indented past the bounds.
const LIMIT: &str = "more lines indented under their block than slz-iam re-indents in one file; \
                     indent them deeper than their key";

/// The lines re-indented so far (see [`lenient`]) and what it cost.
struct Relax {
    pads: lenient::Pads,
    /// Where each region re-indented starts, as written (line, column).
    regions: Vec<(u32, u32)>,
    /// Bytes parsed before an error, by the parses that failed.
    spent: usize,
    /// The size of the text as written.
    size: usize,
}

impl Relax {
    fn new(size: usize) -> Relax {
        Relax {
            pads: lenient::Pads::default(),
            regions: Vec::new(),
            spent: 0,
            size,
        }
    }

    /// `text` with a space inserted at byte `at` (character `index`), recorded in the pads, the
    /// cuts moved along; it counts as a region.
    fn separate(
        &mut self,
        text: &str,
        at: usize,
        index: usize,
        cuts: &mut [usize],
    ) -> Result<String, Option<&'static str>> {
        let (line, column) = self.admit(text, at)?;
        self.pads.insert(line, column, 1);
        for cut in cuts.iter_mut().filter(|c| **c >= index) {
            *cut += 1;
        }
        Ok(format!("{} {}", &text[..at], &text[at..]))
    }

    /// Records a region starting at byte `at` and returns its line and column (from 0) in the
    /// text as it is: Err(None) when it was seen already, Err with the limit past
    /// [`MAX_REINDENTS`] regions or once the failed parses have read 4 times the text's size,
    /// plus 4 MiB.
    fn admit(&mut self, text: &str, at: usize) -> Result<(u32, usize), Option<&'static str>> {
        let before = &text[..at];
        let line = u32::try_from(before.matches('\n').count() + 1).map_err(|_| None)?;
        let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count();
        let start = (line, self.pads.column(line, column));
        if self.regions.contains(&start) {
            return Err(None);
        }
        if self.regions.len() >= MAX_REINDENTS
            || self.spent > self.size.saturating_mul(4).saturating_add(4 << 20)
        {
            return Err(Some(LIMIT));
        }
        self.regions.push(start);
        Ok((line, column))
    }

    /// `text` with the lines of the region from byte `from` to byte `to` re-indented, the cuts
    /// moved along (see [`Relax::admit`] for the errors); the spaces added are at most the
    /// text's size.
    fn reindent(
        &mut self,
        text: &str,
        (from, to): (usize, usize),
        cuts: &mut [usize],
    ) -> Result<String, Option<&'static str>> {
        self.admit(text, from)?;
        let budget = self.size.saturating_sub(self.pads.total());
        let (new, inserted) =
            lenient::reindent(text, from, to, &mut self.pads, budget).ok_or(Some(LIMIT))?;
        for cut in cuts.iter_mut() {
            *cut += inserted
                .iter()
                .filter(|(at, _)| at <= cut)
                .map(|(_, n)| n)
                .sum::<usize>();
        }
        Ok(new)
    }
}

/// The parser's message for flow collections (`[...]`, `{...}`) nested deeper than it reads.
const FLOW_LIMIT: &str = "recursion limit exceeded";

/// Most too-deep flow collections cut out of one document (each costs a parse of it).
const MAX_FLOW_CUTS: usize = 8;

fn error_at_start(message: &str) -> YamlError {
    YamlError {
        line: 1,
        column: 1,
        message: message.to_string(),
    }
}

/// Flow nesting kept below the outermost flow collection, under the parser's limit (255).
const FLOW_CUT_DEPTH: usize = 250;

/// The byte index of the first flow collection [`FLOW_CUT_DEPTH`] levels inside the one opening
/// at byte `from`, with brackets counted as [`flow_end`] counts them.
fn flow_deep(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut scan = FlowScan::default();
    let mut i = from;
    while i < bytes.len() {
        let (next, depth) = scan.step(bytes, i)?;
        if depth > FLOW_CUT_DEPTH {
            return Some(i);
        }
        if depth == 0 {
            return None;
        }
        i = next;
    }
    None
}

/// The byte index of the bracket closing the flow collection opening at byte `from`: brackets
/// are counted outside quoted scalars and comments. None when `from` opens no flow collection or
/// it is not closed.
fn flow_end(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if !matches!(bytes.get(from), Some(b'[' | b'{')) {
        return None;
    }
    let mut scan = FlowScan::default();
    let mut i = from;
    while i < bytes.len() {
        let (next, depth) = scan.step(bytes, i)?;
        if depth == 0 {
            return Some(i);
        }
        i = next;
    }
    None
}

/// A scan of flow collections' brackets, one token at a time.
struct FlowScan {
    depth: usize,
    /// Whether a quote here would start a quoted scalar (after an indicator or a blank).
    token_start: bool,
}

impl Default for FlowScan {
    fn default() -> Self {
        FlowScan {
            depth: 0,
            token_start: true,
        }
    }
}

impl FlowScan {
    /// Reads the byte at `i` (and the quoted scalar or comment it starts): the index after it,
    /// and the depth after it. None at a closing bracket that closes nothing.
    fn step(&mut self, bytes: &[u8], mut i: usize) -> Option<(usize, usize)> {
        let b = bytes[i];
        match b {
            b'[' | b'{' => self.depth += 1,
            b']' | b'}' => self.depth = self.depth.checked_sub(1)?,
            b'"' if self.token_start => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'\'' if self.token_start => {
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == b'\'' {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    i += 1;
                }
            }
            b'#' if self.token_start => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        self.token_start = matches!(b, b'[' | b'{' | b',' | b':' | b' ' | b'\t' | b'\n' | b'\r');
        Some((i + 1, self.depth))
    }
}

/// `text` with the characters from byte `from` to byte `to` (both included) blanked: the first
/// becomes `~` (a null, which the builder turns into an omitted node), the others spaces, line
/// breaks kept, so that every position after it is unchanged.
fn blank(text: &str, from: usize, to: usize) -> String {
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..from]);
    out.push('~');
    for c in text[from..=to].chars().skip(1) {
        out.push(if matches!(c, '\n' | '\r') { c } else { ' ' });
    }
    out.push_str(&text[to + 1..]);
    out
}

/// A collection being filled: its node, the anchor it registers when complete, and for a map the
/// key waiting for its value.
struct Open {
    node: Node,
    /// Where it starts, in characters.
    start: usize,
    anchor: usize,
    key: Option<(String, u32, u32)>,
    /// The keys of a large map and the index of each one's last entry, to find duplicates
    /// without a quadratic scan.
    seen: Option<HashMap<String, u32>>,
    /// The first anchor id that may be inside it (ids grow in the order of the text).
    anchor_floor: usize,
    /// Entries of a map that a later entry with the same key replaces; dropped when it is
    /// complete.
    shadowed: Vec<u32>,
    /// The line of each entry's key, for a map.
    key_lines: Vec<u32>,
}

/// Maps with more keys than this index them to detect duplicates.
const INDEXED_MAP: usize = 16;

/// Where an anchored node is: its index in each collection from the root down (a node that is
/// a map key, kept nowhere in the tree, is held as a copy), and its size in bytes.
enum Anchor {
    At(Vec<u32>, usize),
    Copy(Node, usize),
    /// Inside an entry a repeated key replaced, past the copy budget: its aliases are omitted.
    Dropped,
}

/// A collection being skipped: how many collections deep the skip is, and where it started.
struct Skip {
    depth: usize,
    line: u32,
    column: u32,
    anchor: usize,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    anchors: HashMap<usize, Anchor>,
    alias_bytes: usize,
    skip: Option<Skip>,
    omitted: Vec<Omission>,
    /// Where flow collections too deep for the parser were blanked (character indices, sorted).
    cuts: Vec<usize>,
    cut_hits: usize,
    /// Spaces added at the start of lines (see [`lenient`]), taken off the columns reported.
    pads: lenient::Pads,
    duplicates: Vec<Duplicate>,
    /// The highest anchor id met so far.
    anchor_max: usize,
    /// Where the last event read ends, and where the parser stopped (character indices).
    last_end: usize,
    failed_at: usize,
}

/// A collection's tag: CloudFormation's short forms are kept, YAML core tags (`!!map`) dropped.
fn custom_tag(tag: Option<&Tag>) -> Option<String> {
    tag.filter(|t| !t.is_yaml_core_schema())
        .map(|t| t.suffix.trim_start_matches('!').to_string())
}

/// What a copy of `node` costs: its text and its tree nodes.
fn node_bytes(node: &Node) -> usize {
    std::mem::size_of::<Node>()
        + match &node.value {
            Value::Str(s) => s.len(),
            Value::Seq(items) => items.iter().map(node_bytes).sum(),
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| std::mem::size_of::<String>() + k.len() + node_bytes(v))
                .sum(),
            Value::Tagged(tag, inner) => tag.len() + node_bytes(inner),
            _ => 0,
        }
}

/// The child at `index` of a complete collection.
fn child(node: &Node, index: u32) -> Option<&Node> {
    let i = usize::try_from(index).ok()?;
    match &node.value {
        Value::Seq(items) => items.get(i),
        Value::Map(entries) => entries.get(i).map(|(_, v)| v),
        Value::Tagged(_, inner) => child(inner, index),
        _ => None,
    }
}

/// The number of children of a collection being filled: the index its next child gets.
fn next_index(node: &Node) -> u32 {
    let n = match &node.value {
        Value::Seq(items) => items.len(),
        Value::Map(entries) => entries.len(),
        _ => 0,
    };
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Builder {
    fn run(&mut self, source: &str) -> Result<Node, YamlError> {
        let mut tags: Vec<Option<String>> = Vec::new();
        let mut events = Parser::new_from_str(source);
        let mut document = None;
        for event in events.by_ref() {
            let (event, span) = event.map_err(|e| self.scan_error(&e))?;
            self.last_end = span.end.index();
            if let Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _)
            | Event::Scalar(_, _, anchor, _) = &event
            {
                self.anchor_max = self.anchor_max.max(*anchor);
            }
            let (line, column) = self.position(&span.start);
            let at = |value| Node {
                value,
                line,
                column,
            };
            if let Some(skip) = &mut self.skip {
                match event {
                    Event::SequenceStart(..) | Event::MappingStart(..) => skip.depth += 1,
                    Event::SequenceEnd | Event::MappingEnd => skip.depth -= 1,
                    _ => {}
                }
                if skip.depth > 0 {
                    continue;
                }
                let Some(skip) = self.skip.take() else {
                    continue;
                };
                let node = Node {
                    value: Value::Omitted,
                    line: skip.line,
                    column: skip.column,
                };
                if let Some(root) = self.insert(node, skip.anchor)? {
                    return Ok(root);
                }
                continue;
            }
            let complete = match event {
                Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                    if self.stack.len() >= MAX_DEPTH {
                        self.omit(
                            line,
                            column,
                            format!("nesting deeper than {MAX_DEPTH} levels"),
                        );
                        self.skip = Some(Skip {
                            depth: 1,
                            line,
                            column,
                            anchor,
                        });
                        continue;
                    }
                    let value = if matches!(event, Event::SequenceStart(..)) {
                        Value::Seq(Vec::new())
                    } else {
                        Value::Map(Vec::new())
                    };
                    tags.push(custom_tag(tag.as_deref()));
                    self.stack.push(Open {
                        start: span.start.index(),
                        node: at(value),
                        anchor,
                        key: None,
                        seen: None,
                        anchor_floor: self.anchor_max + 1,
                        shadowed: Vec::new(),
                        key_lines: Vec::new(),
                    });
                    continue;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(mut open) = self.stack.pop() else {
                        continue;
                    };
                    if !open.shadowed.is_empty() {
                        self.drop_shadowed(&mut open);
                    }
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
                Event::Scalar(_, _, anchor, _)
                    if self.cuts.binary_search(&span.start.index()).is_ok() =>
                {
                    self.cut_hits += 1;
                    self.omit(
                        line,
                        column,
                        "flow collections (`[...]`, `{...}`) nested deeper than 255 levels"
                            .to_string(),
                    );
                    (at(Value::Omitted), anchor)
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
                Event::Alias(id) => (self.alias(id, &span.start, line, column)?, 0),
                Event::DocumentEnd => break,
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
            let (event, span) = event.map_err(|e| self.scan_error(&e))?;
            if let Event::DocumentStart(_) = event {
                return Err(self.error_at(
                    &span.start,
                    "a second YAML document (`---`): a config is one document, and Serverless and \
                     SAM refuse a file with several"
                        .to_string(),
                ));
            }
        }
        if let Some(root) = document {
            return Ok(root);
        }
        // An unterminated collection is reported by the parser; this is only a guard.
        let root = if self.stack.is_empty() {
            Node {
                value: Value::Null,
                line: 1,
                column: 1,
            }
        } else {
            self.stack.swap_remove(0).node
        };
        Ok(root)
    }

    /// Records an omitted part at the position the next complete node takes.
    fn omit(&mut self, line: u32, column: u32, message: String) {
        let path = self.path();
        self.omitted.push(Omission {
            line,
            column,
            path,
            message,
        });
    }

    /// A copy of the anchored node `id`, within [`MAX_ALIAS_BYTES`]; past it, an omitted node.
    fn alias(
        &mut self,
        id: usize,
        mark: &Marker,
        line: u32,
        column: u32,
    ) -> Result<Node, YamlError> {
        let Some(anchor) = self.anchors.get(&id) else {
            if !self.omitted.is_empty() {
                // The anchor may be inside an omitted part.
                self.omit(line, column, "an alias of an omitted part".to_string());
                return Ok(Node {
                    value: Value::Omitted,
                    line,
                    column,
                });
            }
            return Err(self.error_at(mark, "unknown alias".to_string()));
        };
        let bytes = match anchor {
            Anchor::At(_, b) | Anchor::Copy(_, b) => *b,
            Anchor::Dropped => usize::MAX,
        };
        let total = self.alias_bytes.saturating_add(bytes);
        if total > MAX_ALIAS_BYTES {
            self.omit(
                line,
                column,
                format!("aliases copy more than {} MiB", MAX_ALIAS_BYTES >> 20),
            );
            return Ok(Node {
                value: Value::Omitted,
                line,
                column,
            });
        }
        self.alias_bytes = total;
        let found = match anchor {
            Anchor::Copy(node, _) => Some(node),
            Anchor::At(path, _) => self.locate(path),
            Anchor::Dropped => None,
        };
        // The anchor is always found: it is complete, in the tree being built.
        Ok(found.cloned().unwrap_or(Node {
            value: Value::Omitted,
            line,
            column,
        }))
    }

    /// The node at `path` (indices from the root): complete children are in their parent, the
    /// collections still being filled are on the stack.
    fn locate(&self, path: &[u32]) -> Option<&Node> {
        let mut node = &self.stack.first()?.node;
        let mut open = true;
        for (level, &index) in path.iter().enumerate() {
            if open && index == next_index(node) {
                node = &self.stack.get(level + 1)?.node;
            } else {
                open = false;
                node = child(node, index)?;
            }
        }
        Some(node)
    }

    /// Adds a complete node to the collection being filled; returns it when it is the document.
    fn insert(&mut self, node: Node, anchor: usize) -> Result<Option<Node>, YamlError> {
        let Some(top) = self.stack.last() else {
            return Ok(Some(node));
        };
        if anchor > 0 {
            let bytes = node_bytes(&node);
            // A node that is a map key, or inside one, is kept nowhere in the tree.
            let key_of = |o: &Open| matches!(o.node.value, Value::Map(_)) && o.key.is_none();
            let is_key = self.stack.iter().any(key_of);
            let entry = if is_key {
                Anchor::Copy(node.clone(), bytes)
            } else {
                let mut path: Vec<u32> = self.stack[1..]
                    .iter()
                    .zip(&self.stack)
                    .map(|(_, parent)| next_index(&parent.node))
                    .collect();
                path.push(next_index(&top.node));
                Anchor::At(path, bytes)
            };
            self.anchors.insert(anchor, entry);
        }
        let Some(open) = self.stack.last_mut() else {
            return Ok(Some(node));
        };
        let mut repeated = None;
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
                    let index = u32::try_from(entries.len()).unwrap_or(u32::MAX);
                    let earlier = match &mut open.seen {
                        Some(seen) => seen.insert(key.clone(), index),
                        None => entries
                            .iter()
                            .rposition(|(k, _)| *k == key)
                            .and_then(|i| u32::try_from(i).ok()),
                    };
                    entries.push((key, node));
                    open.key_lines.push(line);
                    if open.seen.is_none() && entries.len() > INDEXED_MAP {
                        let mut seen = HashMap::default();
                        for (i, (k, _)) in entries.iter().enumerate() {
                            seen.insert(k.clone(), u32::try_from(i).unwrap_or(u32::MAX));
                        }
                        open.seen = Some(seen);
                    }
                    if let Some(earlier) = earlier {
                        // The last one wins: the earlier entry is dropped when the map is
                        // complete (until then, anchors inside it are found by index).
                        open.shadowed.push(earlier);
                        let replaces = usize::try_from(earlier)
                            .ok()
                            .and_then(|i| open.key_lines.get(i))
                            .copied()
                            .unwrap_or(0);
                        let key = entries.last().map(|(k, _)| k.clone()).unwrap_or_default();
                        repeated = Some((key, line, column, replaces));
                    }
                }
            },
            _ => {}
        }
        if let Some((key, line, column, replaces)) = repeated {
            let mut path = self.path();
            if let Some(last) = path.last_mut() {
                *last = key;
            }
            self.duplicates.push(Duplicate {
                line,
                column,
                replaces,
                path,
            });
        }
        Ok(None)
    }

    /// Drops the entries of a complete map that later entries with the same key replace, and
    /// moves the anchors inside it along: those after a dropped entry to their new index, those
    /// inside one to a copy (within the alias budget).
    fn drop_shadowed(&mut self, open: &mut Open) {
        let mut shadowed = std::mem::take(&mut open.shadowed);
        shadowed.sort_unstable();
        let level = self.stack.len();
        for id in open.anchor_floor..=self.anchor_max {
            let Some(Anchor::At(path, bytes)) = self.anchors.get_mut(&id) else {
                continue;
            };
            let Some(&index) = path.get(level) else {
                continue;
            };
            match shadowed.binary_search(&index) {
                Err(before) => path[level] = index - u32::try_from(before).unwrap_or(0),
                Ok(_) => {
                    let bytes = *bytes;
                    let node = path[level..]
                        .iter()
                        .try_fold(&open.node, |node, &i| child(node, i));
                    let total = self.alias_bytes.saturating_add(bytes);
                    let entry = match node {
                        Some(node) if total <= MAX_ALIAS_BYTES => {
                            self.alias_bytes = total;
                            Anchor::Copy(node.clone(), bytes)
                        }
                        _ => Anchor::Dropped,
                    };
                    self.anchors.insert(id, entry);
                }
            }
        }
        if let Value::Map(entries) = &mut open.node.value {
            let mut index = 0u32;
            entries.retain(|_| {
                let keep = shadowed.binary_search(&index).is_err();
                index += 1;
                keep
            });
        }
    }

    /// Map keys and list indices from the root to the node being read.
    fn path(&self) -> Vec<String> {
        self.stack
            .iter()
            .map(|o| match (&o.node.value, &o.key) {
                (Value::Map(_), Some((key, ..))) => key.clone(),
                (Value::Map(_), None) => "(key)".to_string(),
                (value, _) => match value {
                    Value::Seq(items) => items.len().to_string(),
                    _ => String::new(),
                },
            })
            .collect()
    }

    /// The position of a mark in the text as written.
    fn position(&self, mark: &Marker) -> (u32, u32) {
        let line = u32::try_from(mark.line()).unwrap_or(u32::MAX);
        (line, self.pads.column(line, mark.col()))
    }

    fn error_at(&self, mark: &Marker, message: String) -> YamlError {
        let (line, column) = self.position(mark);
        YamlError {
            line,
            column,
            message,
        }
    }

    /// A parser error at its position as written, in plainer words where the parser's are
    /// obscure; records where it is.
    fn scan_error(&mut self, e: &saphyr_parser::ScanError) -> YamlError {
        self.failed_at = e.marker().index();
        let message = match e.info() {
            "invalid trailing content after double-quoted scalar" => {
                "text after the closing quote of a quoted value (quote the whole value)"
            }
            "simple key expect ':'" => {
                "a key runs over more than one line (is a `:` missing on a line above?)"
            }
            other => other,
        };
        self.error_at(e.marker(), message.to_string())
    }

    /// The outermost flow collection the parser was in when it stopped (byte indices of its
    /// brackets): the outermost one open, else one that starts right after the last event read.
    fn region(&self, text: &str, failed: usize) -> Option<(usize, usize)> {
        // The stack's starts increase: one walk of the text finds their bytes.
        let mut chars = text.char_indices().enumerate().peekable();
        let open = self.stack.iter().find_map(|o| {
            while chars.next_if(|(n, _)| *n < o.start).is_some() {}
            let at = chars.peek().map_or(text.len(), |(_, (b, _))| *b);
            lenient::flow_at(text, at)
        });
        let from = match open {
            Some(from) => from,
            None => lenient::flow_after(text, lenient::byte_at(text, self.last_end))?,
        };
        let to = flow_end(text, from)?;
        (from < failed).then_some((from, to))
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
        assert_eq!(
            (err.line, err.message.as_str()),
            (41, "duplicate key `k7` (given at line 8 too): an edit needs every entry of a map, and only the last of a repeated key is read")
        );
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
            .contains("aliases copy more than"));
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

    #[test]
    fn deep_parts_are_omitted_where_they_are() {
        let deep = "- ".repeat(20_000) + "z";
        let doc = parse_document(&format!(
            "a: 1\ncustom:\n  x:\n    {deep}\n  y: &y [2]\nb: *y\n"
        ))
        .unwrap();
        assert_eq!(
            doc.root.get("a").and_then(Node::scalar_text).as_deref(),
            Some("1")
        );
        assert_eq!(doc.root.path("b").unwrap().items().len(), 1);
        let mut at = doc.root.path("custom.x").unwrap();
        let mut depth = 2;
        while let Some(first) = at.items().first() {
            at = first;
            depth += 1;
        }
        assert!(at.is_omitted(), "{at:?}");
        assert_eq!(depth, MAX_DEPTH);
        assert_eq!(doc.omitted.len(), 1);
        let o = &doc.omitted[0];
        assert_eq!((o.line, o.path.len()), (4, MAX_DEPTH));
        assert_eq!(o.path[..2], ["custom".to_string(), "x".to_string()]);
        assert!(parse(&format!("x:\n  {deep}\n")).is_err());
    }

    #[test]
    fn aliases_are_counted_in_bytes_and_found_in_the_tree() {
        // One long text aliased many times: the copies past the budget are omitted.
        let big = "x".repeat(1 << 20);
        let refs = vec!["*b"; 100].join(", ");
        let doc = parse_document(&format!("big: &b {big}\ncopies: [{refs}]\nafter: 1\n")).unwrap();
        let copies = doc.root.get("copies").unwrap().items();
        assert_eq!(copies.len(), 100);
        let kept = copies
            .iter()
            .filter(|c| c.as_str() == Some(big.as_str()))
            .count();
        assert!((32..64).contains(&kept), "{kept}");
        assert!(copies[kept..].iter().all(Node::is_omitted));
        assert_eq!(doc.omitted.len(), 100 - kept);
        assert_eq!(
            doc.omitted[0].path,
            ["copies".to_string(), kept.to_string()]
        );
        assert!(doc.root.get("after").is_some());
        // Anchors inside collections still open, after they close, in keys, and nested.
        let doc = parse(
            "a:\n  b: &x [1, &y {k: v}]\n  c: *x\n  d: *y\ne: *x\n? &k [z]\n: 2\nf: *k\ng: !Sub &s [t, {A: *y}]\nh: *s\n",
        )
        .unwrap();
        assert_eq!(doc.path("a.c"), doc.path("a.b"));
        assert_eq!(
            doc.path("a.d").unwrap().get("k").unwrap().as_str(),
            Some("v")
        );
        assert_eq!(doc.path("e"), doc.path("a.b"));
        assert_eq!(doc.path("f").unwrap().items()[0].as_str(), Some("z"));
        assert_eq!(doc.path("h"), doc.path("g"));
        assert!(matches!(&doc.path("h").unwrap().value, Value::Tagged(t, _) if t == "Sub"));
    }
    #[test]
    fn flow_collections_deeper_than_the_parser_reads_are_omitted() {
        let deep = "[".repeat(20_000) + "'a]'" + &"]".repeat(20_000);
        let source = format!("a: 1\ncustom:\n  x: {deep}\n  y: {{k: [1, \"]\"]}}\nb: 2\n");
        let doc = parse_document(&source).unwrap();
        assert_eq!(
            doc.root.get("b").and_then(Node::scalar_text).as_deref(),
            Some("2")
        );
        assert_eq!(doc.root.path("custom.y.k").unwrap().items().len(), 2);
        assert_eq!(doc.omitted.len(), 1);
        let o = &doc.omitted[0];
        assert_eq!((o.line, o.path.len()), (3, 2 + FLOW_CUT_DEPTH));
        assert_eq!(o.path[..2], ["custom".to_string(), "x".to_string()]);
        let mut at = doc.root.path("custom.x").unwrap();
        let mut depth = 0;
        while let Some(first) = at.items().first() {
            at = first;
            depth += 1;
        }
        assert!(at.is_omitted());
        assert_eq!(depth, FLOW_CUT_DEPTH);
        // Two deep parts, and one never closed (an error, as before).
        let two = format!("x: {deep}\ny: {deep}\n");
        assert_eq!(parse_document(&two).unwrap().omitted.len(), 2);
        assert!(parse_document(&format!("x: {}\n", "[".repeat(300))).is_err());
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_and_is_reported() {
        let source =
            "a:\n  x: 1\n  y: &y [2]\n  x: &x {k: 3}\n  z: *y\nb: *x\nc: {p: 1, p: 2, q: *y}\n";
        let doc = parse_document(source).unwrap();
        let a = doc.root.get("a").unwrap();
        let keys: Vec<&str> = a.entries().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["y", "x", "z"]);
        assert_eq!(
            doc.root
                .path("a.x.k")
                .and_then(Node::scalar_text)
                .as_deref(),
            Some("3")
        );
        assert_eq!(doc.root.path("a.z"), doc.root.path("a.y"));
        // The anchor after the dropped entry moved with it.
        assert_eq!(doc.root.get("b"), doc.root.path("a.x"));
        assert_eq!(
            doc.root.path("c.p").and_then(Node::scalar_text).as_deref(),
            Some("2")
        );
        assert_eq!(doc.root.path("c.q").unwrap().items().len(), 1);
        let found: Vec<_> = doc
            .duplicates
            .iter()
            .map(|d| (d.line, d.column, d.replaces, d.path.join(".")))
            .collect();
        assert_eq!(
            found,
            [(4, 3, 2, "a.x".to_string()), (7, 11, 7, "c.p".to_string())]
        );
        // Edits need every entry in the tree: the strict parse refuses the repeat.
        let err = parse(source).unwrap_err();
        assert_eq!((err.line, err.column), (4, 3));
        assert!(err.message.contains("duplicate key `x`"), "{err:?}");
    }

    #[test]
    fn anchors_inside_a_replaced_entry_are_still_found() {
        // An alias may name a node under the key a later one replaces (PyYAML reads it).
        let doc = parse_document("m:\n  k: {v: &in [1, 2]}\n  k: 2\nuse: *in\n").unwrap();
        assert_eq!(
            doc.root.path("m.k").and_then(Node::scalar_text).as_deref(),
            Some("2")
        );
        assert_eq!(doc.root.get("use").unwrap().items().len(), 2);
        // In a large map (keys indexed), three times the same key: the last one is kept.
        let many: String = (0..20).map(|i| format!("k{i}: {i}\n")).collect();
        let doc = parse_document(&format!("{many}k3: a\nk3: b\n")).unwrap();
        assert_eq!(doc.root.entries().len(), 20);
        assert_eq!(
            doc.root.get("k3").and_then(Node::scalar_text).as_deref(),
            Some("b")
        );
        assert_eq!(doc.duplicates.len(), 2);
        assert_eq!(doc.duplicates[1].replaces, 21);
        // The line of the key replaced, not of its value.
        let doc = parse_document("m:\n  k:\n    a: 1\n  k:\n    b: 2\n").unwrap();
        assert_eq!((doc.duplicates[0].line, doc.duplicates[0].replaces), (4, 2));
    }

    #[test]
    fn flow_collections_and_quotes_indented_loosely_are_read_where_they_are() {
        // A closing bracket under its key, JSON at the margin, tabs, a quoted scalar's next
        // line under its key: PyYAML and js-yaml read them (tabs: js-yaml, as JSON readers do).
        let source = "Res:\n  Doc: {\n  \"A\": [\"x\",\n\t\"y\"],\n\"B\": 1\n  }\n  List: [\n    a,\n  ]\n  Text: \"one\n two\"\nafter: [1,\n2]\n";
        let root = parse(source).unwrap();
        let a = root.path("Res.Doc.A").unwrap();
        assert_eq!(a.items().len(), 2);
        let y = &a.items()[1];
        assert_eq!((y.as_str(), y.line, y.column), (Some("y"), 4, 2));
        let b = root.path("Res.Doc.B").unwrap();
        assert_eq!((b.line, b.column), (5, 6));
        assert_eq!(root.path("Res.List").unwrap().items().len(), 1);
        assert_eq!(root.path("Res.Text").unwrap().as_str(), Some("one two"));
        let two = &root.path("after").unwrap().items()[1];
        assert_eq!((two.line, two.column), (13, 1));
        // Under a list entry, nested in another flow collection, with an anchor and a tag.
        let root = parse(
            "- key: [1,\n2]\n- a: {x: [1,\n  2], y: {z: 3,\nw: 4}}\n- b: &x !Sub [t,\nu]\n  c: *x\n",
        )
        .unwrap();
        let items = root.items();
        assert_eq!(items[0].get("key").unwrap().items().len(), 2);
        let w = items[1].path("a.y.w").unwrap();
        assert_eq!((w.line, w.column), (5, 4));
        assert!(matches!(&items[2].get("c").unwrap().value, Value::Tagged(t, _) if t == "Sub"));
    }

    #[test]
    fn a_comment_right_after_a_closing_bracket_or_quote_is_a_comment() {
        let root =
            parse("a: [1, 2]#c\nb: \"x\"#c\nc:\n  - {k: 1}#c\n  - 'y'# c\nd: x#c\n").unwrap();
        assert_eq!(root.get("a").unwrap().items().len(), 2);
        assert_eq!(root.get("b").unwrap().as_str(), Some("x"));
        let c = root.get("c").unwrap().items();
        assert_eq!((c[1].as_str(), c[1].line, c[1].column), (Some("y"), 5, 5));
        // In a plain scalar, `#` after a character is part of the text.
        assert_eq!(root.get("d").unwrap().as_str(), Some("x#c"));
    }

    #[test]
    fn a_flow_collection_right_after_a_colon_in_a_flow_mapping_is_its_value() {
        // Twice on one line, after lines re-indented: the columns are those as written.
        let source = "e: {Variables:{A: 1}, B:[x, y],\n  C: 2}\nf:\n  g: {h: [1,\n2], i:{j: k}}\n";
        let root = parse(source).unwrap();
        let a = root.path("e.Variables.A").unwrap();
        assert_eq!((a.line, a.column), (1, 19));
        let y = &root.path("e.B").unwrap().items()[1];
        assert_eq!((y.as_str(), y.line, y.column), (Some("y"), 1, 29));
        let c = root.path("e.C").unwrap();
        assert_eq!((c.line, c.column), (2, 6));
        let j = root.path("f.g.i.j").unwrap();
        assert_eq!((j.as_str(), j.line, j.column), (Some("k"), 5, 11));
    }

    #[test]
    fn loose_indentation_outside_flow_collections_is_still_refused() {
        // A key out of line with its siblings: PyYAML refuses it too.
        let err = parse("a:\n    b: 1\n  c: 2\n").unwrap_err();
        assert_eq!(err.line, 3, "{err:?}");
        // A tab indenting a block mapping.
        assert!(parse("a:\n\tb: 1\n").is_err());
        // An unclosed flow collection is reported, not re-indented without end.
        assert!(parse("a:\n  b: [1,\n2,\n").is_err());
        // Text after a quoted scalar, a key spanning lines: errors in plainer words.
        let err = parse("a: 'x' (y)\n").unwrap_err();
        assert!(
            err.message.starts_with("text after the closing quote"),
            "{err:?}"
        );
    }

    #[test]
    fn re_indenting_is_bounded() {
        // Each loose flow collection costs a parse: past the limit the error stands.
        let many: String = (0..MAX_REINDENTS + 1)
            .map(|i| format!("k{i}:\n  v: [1,\n2]\n"))
            .collect();
        let err = parse(&many).unwrap_err();
        assert_eq!(err.line, 3 * MAX_REINDENTS as u32 + 3, "{err:?}");
        assert!(err.message.contains("than slz-iam re-indents"), "{err:?}");
        let few: String = (0..MAX_REINDENTS)
            .map(|i| format!("k{i}:\n  v: [1,\n2]\n"))
            .collect();
        assert_eq!(parse(&few).unwrap().entries().len(), MAX_REINDENTS);
    }
}

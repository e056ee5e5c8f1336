//! The config text as the edits see it: its parsed tree with positions, the byte offset of every
//! line, and the edits collected so far (byte splices and whole-line insertions), turned into
//! non-overlapping line edits at the end. Works on block YAML, flow YAML and JSON alike: JSON is a
//! flow collection.

use super::render::{self, Item};
use super::TextEdit;
use crate::project::yaml::{self, Node, Value};
use std::collections::HashMap;

/// One change of the text.
#[derive(Clone, Debug)]
enum Splice {
    /// Replace `remove` bytes at `at` with `insert`.
    Bytes {
        at: usize,
        remove: usize,
        insert: String,
    },
    /// Insert whole lines after line `after` (1-based; 0: at the top).
    Lines { after: u32, lines: Vec<String> },
}

pub struct Doc<'s> {
    pub text: &'s str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
    pub root: Node,
    /// A JSON document: keys and strings quoted, no comments.
    pub json: bool,
    /// How many nodes of the tree sit at each collection position, by kind (a map, or a list):
    /// more than one means the node is an anchor's, copied by an alias. The kind tells apart a
    /// list written at its key's indentation and its first entry, which start at the same place.
    uses: HashMap<(u32, u32, bool), u32>,
    splices: Vec<Splice>,
}

/// Where a collection stands in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Block style, its entries at this indentation.
    Block(usize),
    /// Flow style (or JSON): the byte offset of its opening bracket.
    Flow(usize),
}

/// The comment written above the statements the tool owns.
pub const MARKER: &str =
    "# slz-iam: generated (Sid SlzIam*); `slz-iam generate --write` rewrites these";

fn count_uses(node: &Node, uses: &mut HashMap<(u32, u32, bool), u32>, depth: usize) {
    if depth > yaml::MAX_DEPTH {
        return;
    }
    match &node.value {
        Value::Map(entries) => {
            *uses.entry((node.line, node.column, false)).or_default() += 1;
            for (_, v) in entries {
                count_uses(v, uses, depth + 1);
            }
        }
        Value::Seq(items) => {
            *uses.entry((node.line, node.column, true)).or_default() += 1;
            for v in items {
                count_uses(v, uses, depth + 1);
            }
        }
        Value::Tagged(_, inner) => count_uses(inner, uses, depth + 1),
        _ => {}
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

impl<'s> Doc<'s> {
    pub fn new(text: &'s str) -> Result<Doc<'s>, String> {
        let root = yaml::parse(text)
            .map_err(|e| format!("the config is not edited: line {}: {}", e.line, e.message))?;
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1)
                .filter(|i| *i < text.len()),
        );
        let mut uses = HashMap::new();
        count_uses(&root, &mut uses, 0);
        // JSON when it is JSON: a YAML flow mapping at the top is not (its plain scalars may hold
        // quotes that JSON would read as the start of a string).
        let body = text.trim_start_matches('\u{feff}');
        let json = body.trim_start().starts_with('{')
            && serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok();
        Ok(Doc {
            text,
            starts,
            root,
            json,
            uses,
            splices: Vec::new(),
        })
    }

    /// Line `n` (1-based) without its line ending.
    pub fn line(&self, n: u32) -> &'s str {
        let Some(&s) = self.starts.get((n as usize).wrapping_sub(1)) else {
            return "";
        };
        let e = self
            .starts
            .get(n as usize)
            .copied()
            .unwrap_or(self.text.len());
        self.text[s..e].trim_end_matches(['\n', '\r'])
    }

    fn line_count(&self) -> u32 {
        u32::try_from(self.starts.len()).unwrap_or(u32::MAX)
    }

    /// The line (1-based) holding byte `at`.
    fn line_of(&self, at: usize) -> u32 {
        let i = self.starts.partition_point(|s| *s <= at);
        u32::try_from(i.max(1)).unwrap_or(u32::MAX)
    }

    /// The byte offset of a node's position.
    pub fn offset(&self, node: &Node) -> Option<usize> {
        let start = *self.starts.get((node.line as usize).checked_sub(1)?)?;
        let line = self.line(node.line);
        let col = (node.column as usize).checked_sub(1)?;
        let within = line
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(line.len()))
            .nth(col)?;
        Some(start + within)
    }

    /// Whether editing inside `node` would also change the copies an alias makes of it.
    pub fn shared(&self, node: &Node) -> bool {
        let list = matches!(node.value, Value::Seq(_));
        self.uses
            .get(&(node.line, node.column, list))
            .is_some_and(|n| *n > 1)
    }

    /// How a collection is written.
    pub fn style(&self, node: &Node) -> Option<Style> {
        let at = self.offset(node)?;
        match self.text.as_bytes().get(at)? {
            b'{' | b'[' => Some(Style::Flow(at)),
            b'-' => Some(Style::Block(node.column.checked_sub(1)? as usize)),
            // A block list written at its key's indentation (`Policies:` then `- x` under it)
            // is reported where its first entry's content starts: its entries stand at the dash
            // before that.
            _ if matches!(node.value, Value::Seq(_)) => {
                let line = self.line(node.line);
                let before = line.get(..(node.column as usize).checked_sub(1)?)?;
                let dash = before.trim_end_matches(' ');
                dash.ends_with('-')
                    .then(|| Style::Block(dash.len() - 1))
                    .or(Some(Style::Block(node.column.checked_sub(1)? as usize)))
            }
            _ => Some(Style::Block(node.column.checked_sub(1)? as usize)),
        }
    }

    /// The byte offset of the bracket closing the one at `open`, skipping quoted strings.
    pub fn close_of(&self, open: usize) -> Option<usize> {
        let b = self.text.as_bytes();
        let mut depth = 0usize;
        let mut i = open;
        while i < b.len() {
            match b[i] {
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                b'"' | b'\'' if !self.json && !quote_opens_scalar(&b[open..i]) => {}
                b'"' => {
                    i += 1;
                    while i < b.len() && b[i] != b'"' {
                        if b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                }
                b'\'' if !self.json => {
                    i += 1;
                    while i < b.len() {
                        if b[i] == b'\'' {
                            if b.get(i + 1) == Some(&b'\'') {
                                i += 1;
                            } else {
                                break;
                            }
                        }
                        i += 1;
                    }
                }
                b'#' if !self.json && i > 0 && b[i - 1].is_ascii_whitespace() => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// The last line of a block collection whose entries start at line `first` with `indent`
    /// (a sequence's dashes, a map's keys), comments after it not included.
    pub fn block_end(&self, first: u32, indent: usize, seq: bool) -> u32 {
        let mut last = first;
        for n in first + 1..=self.line_count() {
            let l = self.line(n);
            let t = l.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let i = indent_of(l);
            let belongs = i > indent || (i == indent && (!seq || t.starts_with('-')));
            if !belongs || t == "---" || t == "..." {
                break;
            }
            last = n;
        }
        last
    }

    /// The lines of item `item` of the block sequence `seq` (from its dash to its last line).
    pub fn block_item_lines(&self, seq: &Node, item: &Node) -> Option<(u32, u32)> {
        let Style::Block(indent) = self.style(seq)? else {
            return None;
        };
        // The dash is on the item's line, or alone on a line above it.
        let mut first = item.line;
        while first > seq.line && !self.line(first).trim_start().starts_with('-') {
            first -= 1;
        }
        let mut last = first.max(item.line);
        for n in last + 1..=self.line_count() {
            let l = self.line(n);
            let t = l.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            if indent_of(l) <= indent {
                break;
            }
            last = n;
        }
        Some((first, last))
    }

    /// The byte range of a scalar written at `node`'s position (plain or quoted, on one line).
    pub fn scalar_span(&self, node: &Node) -> Option<(usize, usize)> {
        let at = self.offset(node)?;
        let b = self.text.as_bytes();
        let line_end = self.text[at..]
            .find(['\n', '\r'])
            .map_or(b.len(), |e| at + e);
        let end = match b.get(at)? {
            q @ (b'"' | b'\'') => {
                let mut i = at + 1;
                while i < line_end {
                    if b[i] == *q {
                        if *q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    if *q == b'"' && b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                (i + 1).min(line_end)
            }
            _ => {
                let rest = &self.text[at..line_end];
                let mut end = rest.len();
                if let Some(c) = rest.find(" #") {
                    end = c;
                }
                let flow = self.in_flow(at);
                if flow {
                    if let Some(c) = rest[..end].find([',', ']', '}']) {
                        end = c;
                    }
                }
                at + rest[..end].trim_end().len()
            }
        };
        Some((at, end))
    }

    /// Whether byte `at` sits inside a flow collection (an unclosed bracket before it).
    fn in_flow(&self, at: usize) -> bool {
        if self.json {
            return true;
        }
        // Flow collections seldom span many lines: look back over the current line and a few.
        let from = self.starts[(self.line_of(at) as usize).saturating_sub(8).max(1) - 1];
        let mut depth: i32 = 0;
        for c in self.text[from..at].bytes() {
            match c {
                b'[' | b'{' => depth += 1,
                b']' | b'}' => depth -= 1,
                b'\n' if depth <= 0 => depth = 0,
                _ => {}
            }
        }
        depth > 0
    }

    pub fn splice(&mut self, at: usize, remove: usize, insert: String) {
        self.splices.push(Splice::Bytes { at, remove, insert });
    }

    pub fn insert_lines(&mut self, after: u32, lines: Vec<String>) {
        self.splices.push(Splice::Lines { after, lines });
    }

    /// Removes lines `first..=last`.
    pub fn remove_lines(&mut self, first: u32, last: u32) {
        let Some(&s) = self.starts.get((first as usize).wrapping_sub(1)) else {
            return;
        };
        let e = self
            .starts
            .get(last as usize)
            .copied()
            .unwrap_or(self.text.len());
        self.splice(s, e - s, String::new());
    }

    /// Appends `items` to the sequence `seq` (block or flow). `marker` writes the ownership
    /// comment above them in block style.
    pub fn append_items(&mut self, seq: &Node, items: &[Item], marker: bool) -> Result<(), String> {
        match self.style(seq).ok_or("a list the edit cannot locate")? {
            Style::Block(indent) => {
                let end = self.block_end(seq.line, indent, true);
                let mut lines = Vec::new();
                if marker {
                    lines.push(format!("{}{MARKER}", " ".repeat(indent)));
                }
                lines.extend(render::block_items(items, indent));
                self.insert_lines(end, lines);
            }
            Style::Flow(open) => {
                let parts: Vec<Item> = items.to_vec();
                self.flow_append(open, &parts, |doc, it, ind, unit| {
                    doc.render_flow(it, ind, unit)
                })?
            }
        }
        Ok(())
    }

    /// Adds `key: value` to the map `map` (block or flow).
    pub fn add_key(&mut self, map: &Node, key: &str, value: &Item) -> Result<(), String> {
        match self.style(map).ok_or("a map the edit cannot locate")? {
            Style::Block(indent) => {
                let end = self.block_end(map.line, indent, false);
                self.insert_lines(end, render::block_entry(key, value, indent));
            }
            Style::Flow(open) => {
                let key = key.to_string();
                self.flow_append(
                    open,
                    std::slice::from_ref(value),
                    move |doc, it, ind, unit| {
                        if doc.json {
                            format!(
                                "{}: {}",
                                serde_json::Value::String(key.clone()),
                                render::json(it, ind, unit)
                            )
                        } else {
                            format!("{}: {}", render::yaml_scalar(&key), render::flow(it))
                        }
                    },
                )?
            }
        }
        Ok(())
    }

    fn render_flow(&self, item: &Item, indent: usize, unit: Option<usize>) -> String {
        if self.json {
            render::json(item, indent, unit)
        } else {
            render::flow(item)
        }
    }

    /// The indentation step of a JSON file (2 when it shows none).
    fn json_unit(&self) -> usize {
        (1..=self.line_count().min(200))
            .map(|n| indent_of(self.line(n)))
            .filter(|i| *i > 0)
            .min()
            .unwrap_or(2)
    }

    /// Inserts rendered entries before the bracket closing the one at `open`: on the same line
    /// when the collection is on one line, else one per line, indented like the last entry.
    fn flow_append(
        &mut self,
        open: usize,
        items: &[Item],
        render: impl Fn(&Self, &Item, usize, Option<usize>) -> String,
    ) -> Result<(), String> {
        let close = self.close_of(open).ok_or("an unclosed bracket")?;
        let inner = &self.text[open + 1..close];
        let last = inner.trim_end();
        let multiline = inner.contains('\n');
        let open_line = self.line_of(open);
        let base = indent_of(self.line(open_line));
        if last.trim().is_empty() {
            // Empty: `[]`, or `[` and `]` on lines of their own.
            let text = if self.json && self.text.contains('\n') {
                let unit = self.json_unit();
                let pad = " ".repeat(base + unit);
                let body: Vec<String> = items
                    .iter()
                    .map(|i| format!("{pad}{}", render(self, i, base + unit, Some(unit))))
                    .collect();
                format!("\n{}\n{}", body.join(",\n"), " ".repeat(base))
            } else {
                items
                    .iter()
                    .map(|i| render(self, i, 0, None))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            self.splice(open + 1, close - open - 1, text);
            return Ok(());
        }
        let after = open + 1 + last.len();
        let comma = if last.ends_with(',') { "" } else { "," };
        let text = if multiline {
            let last_line = self.line_of(after - 1);
            let pad = indent_of(self.line(last_line));
            let unit = self.json.then(|| self.json_unit());
            let body: Vec<String> = items
                .iter()
                .map(|i| format!("{}{}", " ".repeat(pad), render(self, i, pad, unit)))
                .collect();
            format!("{comma}\n{}", body.join(",\n"))
        } else {
            let body: Vec<String> = items.iter().map(|i| render(self, i, 0, None)).collect();
            format!("{comma} {}", body.join(", "))
        };
        self.splice(after, 0, text);
        Ok(())
    }

    /// Replaces the flow item at `node` (up to its closing bracket) with `items`, or removes it
    /// with its separator when `items` is empty.
    pub fn replace_flow_item(&mut self, node: &Node, items: &[Item]) -> Result<(), String> {
        let at = self.offset(node).ok_or("an item the edit cannot locate")?;
        let end = self.close_of(at).ok_or("an unclosed bracket")? + 1;
        if items.is_empty() {
            let before = self.text[..at].trim_end();
            if before.ends_with(',') {
                let from = before.len() - 1;
                self.splice(from, end - from, String::new());
            } else {
                let rest = &self.text[end..];
                let skip = rest.len() - rest.trim_start().len();
                let skip = if rest.trim_start().starts_with(',') {
                    let r = &rest.trim_start()[1..];
                    skip + 1 + (r.len() - r.trim_start().len())
                } else {
                    0
                };
                self.splice(at, end + skip - at, String::new());
            }
            return Ok(());
        }
        let line = self.line_of(at);
        let multiline = self.text[at..end].contains('\n');
        let pad = indent_of(self.line(line));
        let unit = (self.json && multiline).then(|| self.json_unit());
        let sep = if multiline {
            format!(",\n{}", " ".repeat(pad))
        } else {
            ", ".to_string()
        };
        let text: Vec<String> = items
            .iter()
            .map(|i| self.render_flow(i, pad, unit))
            .collect();
        self.splice(at, end - at, text.join(&sep));
        Ok(())
    }

    /// The non-overlapping line edits that make the collected changes; none when the text would
    /// not change.
    pub fn finish(self) -> Vec<TextEdit> {
        let text = self.text;
        let count = self.line_count();
        let start_of = |n: u32| -> usize {
            if n == 0 {
                0
            } else {
                self.starts
                    .get(n as usize - 1)
                    .copied()
                    .unwrap_or(text.len())
            }
        };
        // Each splice as (first line, last line, splice): line insertions sit between lines.
        let mut spans: Vec<(u32, u32, Splice)> = self
            .splices
            .into_iter()
            .map(|s| match &s {
                Splice::Bytes { at, remove, .. } => {
                    let first = self_line_of(&self.starts, *at);
                    let last = self_line_of(&self.starts, (at + remove).saturating_sub(1).max(*at));
                    (first, last, s)
                }
                Splice::Lines { after, .. } => (after + 1, *after, s),
            })
            .collect();
        // Lines inserted at one place: the deeper first, so an entry added to an inner map stays
        // inside it when the outer map gets one too.
        let depth = |s: &Splice| match s {
            Splice::Lines { lines, .. } => {
                std::cmp::Reverse(lines.first().map(|l| indent_of(l)).unwrap_or(0))
            }
            Splice::Bytes { .. } => std::cmp::Reverse(0),
        };
        spans.sort_by_key(|(f, l, s)| (*f, *l, depth(s)));
        let mut clusters: Vec<(u32, u32, Vec<Splice>)> = Vec::new();
        for (f, l, s) in spans {
            let merge = clusters.last().is_some_and(|c| {
                if c.2.iter().all(is_lines) && is_lines(&s) {
                    f == c.0
                } else {
                    f <= c.1 + 1
                }
            });
            match clusters.last_mut() {
                Some(c) if merge => {
                    c.1 = c.1.max(l);
                    c.2.push(s);
                }
                _ => clusters.push((f, l, vec![s])),
            }
        }
        let mut edits = Vec::new();
        for (first, last, splices) in clusters {
            if splices.iter().all(is_lines) {
                let lines: Vec<String> = splices
                    .into_iter()
                    .flat_map(|s| match s {
                        Splice::Lines { lines, .. } => lines,
                        Splice::Bytes { .. } => Vec::new(),
                    })
                    .collect();
                edits.push(TextEdit::insert_after(last, lines));
                continue;
            }
            let first = first.max(1);
            let last = last.max(first).min(count.max(1));
            let from = start_of(first);
            let to = if last >= count {
                text.len()
            } else {
                start_of(last + 1)
            };
            let mut pieces: Vec<(usize, usize, String)> = splices
                .into_iter()
                .map(|s| match s {
                    Splice::Bytes { at, remove, insert } => (at, remove, insert),
                    Splice::Lines { after, lines } => {
                        let at = if after >= count {
                            text.len()
                        } else {
                            start_of(after + 1)
                        };
                        let mut t: String = lines.iter().map(|l| format!("{l}\n")).collect();
                        if at == text.len() && !text.ends_with('\n') && !text.is_empty() {
                            t.insert(0, '\n');
                            t.pop();
                        }
                        (at, 0, t)
                    }
                })
                .collect();
            // Stable: insertions at one offset keep the order above.
            pieces.sort_by_key(|p| p.0);
            let mut out = String::new();
            let mut pos = from;
            for (at, remove, insert) in pieces {
                let at = at.clamp(pos, to);
                out.push_str(&text[pos..at]);
                out.push_str(&insert);
                pos = (at + remove).min(to).max(pos);
            }
            out.push_str(&text[pos..to]);
            let old = &text[from..to];
            // Lines written with `\n` in a CRLF file are the same lines.
            if out == old || out.replace("\r\n", "\n") == old.replace("\r\n", "\n") {
                continue;
            }
            let mut lines: Vec<String> = out
                .split('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
                .collect();
            if out.ends_with('\n') {
                lines.pop();
            }
            edits.push(TextEdit { first, last, lines });
        }
        edits
    }
}

fn is_lines(s: &Splice) -> bool {
    matches!(s, Splice::Lines { .. })
}

fn self_line_of(starts: &[usize], at: usize) -> u32 {
    u32::try_from(starts.partition_point(|s| *s <= at).max(1)).unwrap_or(u32::MAX)
}

/// Whether a sequence item is a map whose `key` starts with the owned prefix.
pub fn owned_by(item: &Node, key: &str) -> bool {
    item.get(key)
        .and_then(|s| s.as_str())
        .is_some_and(|s| s.starts_with(super::OWNED))
}

/// Whether a quote after the flow text `before` opens a quoted scalar: only where a scalar starts
/// (after `[`, `{`, `,`, or a `:` followed by a space or written right after a quoted key). A quote
/// inside a plain scalar (`V'`, `don't`, the key `:'`) is a character of that scalar.
fn quote_opens_scalar(before: &[u8]) -> bool {
    let trimmed = before.trim_ascii_end();
    match trimmed.split_last() {
        None => true,
        Some((b'[' | b'{' | b',', _)) => true,
        Some((b':', rest)) => {
            trimmed.len() < before.len() || matches!(rest.last(), Some(b'"' | b'\''))
        }
        Some(_) => false,
    }
}

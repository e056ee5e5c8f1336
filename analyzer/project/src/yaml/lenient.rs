//! Indentation the frameworks' own YAML readers accept and the YAML parser refuses: lines inside a
//! flow collection (`[...]`, `{...}`) or inside a quoted scalar spanning lines that are indented
//! no deeper than the block around them (a closing `}` under its key, JSON pasted at the margin),
//! or indented with tabs. PyYAML (SAM CLI, cfn-lint) ignores indentation inside flow collections
//! and quoted scalars, and js-yaml (Serverless Framework) only warns about it.
//!
//! When the parser stops at such a line, the lines of the outermost flow collection (or quoted
//! scalar) around it are indented as deep as its opening bracket (or quote): spaces are added at
//! their start and tabs in their indentation become spaces. Leading white space of a line inside a
//! flow collection or a quoted scalar is no part of any value, so no value changes; the spaces
//! added are counted per line ([`Pads`]) and taken off the columns the tree reports, so every
//! node keeps its position in the text as written.
//!
//! Both tools also read a comment that follows a closing bracket or quote with no space
//! (`]# note`), and a `:` right before a flow collection in a flow mapping (`{Variables:{A:
//! 1}}`), which the parser refuses: a space is put before the `#` or after the `:`, and the
//! columns after it on its line are mapped back the same way.

use rustc_hash::FxHashMap as HashMap;

/// The parser's messages for a line indented less than its context allows, or with tabs.
const INDENTATION: &[&str] = &[
    "invalid indentation",
    "invalid indentation in flow construct",
    "invalid indentation in quoted scalar",
    "tabs disallowed within this context (block indentation)",
];

/// The parser's message for a `#` right after a token; PyYAML and js-yaml read a comment there
/// when the token is a closing bracket or quote.
pub(super) const COMMENT_UNSEPARATED: &str =
    "comments must be separated from other tokens by whitespace";

/// Whether the `#` at byte `at` follows a closing bracket or quote.
pub(super) fn closes_before(text: &str, at: usize) -> bool {
    text.as_bytes().get(at) == Some(&b'#')
        && at > 0
        && matches!(text.as_bytes()[at - 1], b']' | b'}' | b'"' | b'\'')
}

/// Whether a parse error is one that re-indenting may answer.
pub(super) fn is_indentation(message: &str) -> bool {
    INDENTATION.contains(&message)
}

/// Spaces added to lines (1-based line numbers): for each line, where each run was inserted
/// (its column, from 0, in the text as it now is) and how many spaces it holds.
#[derive(Clone, Debug, Default)]
pub(super) struct Pads(HashMap<u32, Vec<(usize, usize)>>);

impl Pads {
    /// The column (1-based) in the text as written of column `col` (0-based) of the changed
    /// text on `line`.
    pub(super) fn column(&self, line: u32, col: usize) -> u32 {
        let added: usize = self.0.get(&line).map_or(0, |runs| {
            runs.iter()
                .filter(|(at, _)| *at <= col)
                .map(|(_, n)| n)
                .sum()
        });
        u32::try_from(col.saturating_sub(added) + 1).unwrap_or(u32::MAX)
    }

    /// Records `count` spaces inserted at column `at` of `line`; runs inserted before at or
    /// after that column move along.
    pub(super) fn insert(&mut self, line: u32, at: usize, count: usize) {
        let runs = self.0.entry(line).or_default();
        for run in runs.iter_mut().filter(|(a, _)| *a >= at) {
            run.0 += count;
        }
        runs.push((at, count));
    }

    /// The spaces added in all.
    pub(super) fn total(&self) -> usize {
        self.0.values().flatten().map(|(_, n)| n).sum()
    }
}

/// The parser's message for a `:` right before a flow collection in a flow mapping
/// (`{Variables:{A: 1}}`); PyYAML and js-yaml read it as a key and its value.
pub(super) const VALUE_UNSEPARATED: &str = "':' may not precede any of `[{` in flow mapping";

/// The byte index of character `index` of `text` (its length past the end).
pub(super) fn byte_at(text: &str, index: usize) -> usize {
    text.char_indices()
        .nth(index)
        .map(|(b, _)| b)
        .unwrap_or(text.len())
}

/// The flow collection that starts at the first token after byte `from`, when only indicators
/// (`-`, `?`, `:`), tags, anchors, comments and white space come before it: the byte of its
/// opening bracket. The parser holds the bracket back while it might start a key, so the last
/// event read before an error can end before it.
pub(super) fn flow_after(text: &str, from: usize) -> Option<usize> {
    first_flow(text, from, true)
}

/// The byte of the bracket of the flow collection whose node starts at byte `from`: a
/// collection with a tag or an anchor starts at them.
pub(super) fn flow_at(text: &str, from: usize) -> Option<usize> {
    first_flow(text, from, false)
}

/// The first bracket from byte `from` on, past tags, anchors, comments, white space and, with
/// `indicators`, block indicators; None when anything else comes first.
fn first_flow(text: &str, from: usize, indicators: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        let blank_after = || matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r'));
        match b {
            b'[' | b'{' => return Some(i),
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'-' | b'?' | b':' if indicators && blank_after() => i += 1,
            b'#' | b'!' | b'&' => {
                let stop: &[u8] = if b == b'#' { b"\n" } else { b" \t\r\n" };
                while bytes.get(i).is_some_and(|c| !stop.contains(c)) {
                    i += 1;
                }
            }
            _ => return None,
        }
    }
    None
}

/// The byte of the quote closing the quoted scalar that opens at byte `from`.
pub(super) fn quoted_end(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = *bytes.get(from)?;
    if !matches!(quote, b'"' | b'\'') {
        return None;
    }
    let mut i = from + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            _ if b == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// `text` with the lines after the one holding byte `from`, up to the one holding byte `to`,
/// indented at least as deep as `from` is (tabs in their indentation made spaces; lines of white
/// space alone left as they are). The spaces added are recorded in `pads`; returns the new text
/// and, for each insertion, the character index it was made at and how many spaces it added.
/// None when that would add more than `budget` bytes.
pub(super) fn reindent(
    text: &str,
    from: usize,
    to: usize,
    pads: &mut Pads,
    budget: usize,
) -> Option<(String, Vec<(usize, usize)>)> {
    let line_start = text[..from].rfind('\n').map_or(0, |i| i + 1);
    let depth = text[line_start..from].chars().count();
    let mut line = u32::try_from(text[..from].matches('\n').count() + 1).ok()?;
    let mut out = String::with_capacity(text.len());
    let mut inserted = Vec::new();
    let mut added = 0usize;
    // Characters before the byte `copied`, kept for the insertions' positions.
    let mut chars = text[..line_start].chars().count();
    out.push_str(&text[..line_start]);
    let mut copied = line_start;
    let mut at = from;
    while let Some(nl) = text[at..].find('\n').map(|i| at + i) {
        let start = nl + 1;
        if start > to {
            break;
        }
        line += 1;
        let rest = &text[start..];
        let lead = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let end = rest.find('\n').map_or(text.len(), |i| start + i);
        at = end;
        if text[start + lead..end].trim_end_matches('\r').is_empty() {
            continue;
        }
        chars += text[copied..start].chars().count();
        out.push_str(&text[copied..start]);
        let pad = depth.saturating_sub(lead);
        added += pad;
        if added > budget {
            return None;
        }
        out.extend(std::iter::repeat_n(' ', lead + pad));
        chars += lead;
        copied = start + lead;
        if pad > 0 {
            inserted.push((chars, pad));
            pads.insert(line, 0, pad);
        }
    }
    out.push_str(&text[copied..]);
    Some((out, inserted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reindents_the_lines_of_a_region_only() {
        let text = "a:\n  b: [1,\n2,\n\t3,\n\n      4]\nc: 5\n";
        let from = text.find('[').unwrap();
        let to = text.find(']').unwrap();
        let mut pads = Pads::default();
        let (out, inserted) = reindent(text, from, to, &mut pads, 100).unwrap();
        assert_eq!(out, "a:\n  b: [1,\n     2,\n     3,\n\n      4]\nc: 5\n");
        assert_eq!(pads.column(3, 5), 1);
        assert_eq!(pads.column(4, 5), 2);
        assert_eq!(pads.column(6, 6), 7);
        assert_eq!(inserted, vec![(12, 5), (16, 4)]);
        assert!(reindent(text, from, to, &mut Pads::default(), 6).is_none());
    }

    #[test]
    fn finds_the_flow_collection_or_quote_that_starts_a_region() {
        let text = "k: !Sub &a\n  # c\n  - [x]";
        assert_eq!(flow_after(text, 1), text.find('['));
        assert_eq!(flow_after("k: v [x]", 1), None);
        assert_eq!(flow_at("&a !t\n  {x: 1}", 0), Some(8));
        assert_eq!(flow_at("&a\n- [x]", 0), None);
        assert_eq!(quoted_end(r#""a\"b" x"#, 0), Some(5));
        assert_eq!(quoted_end("'a''b' x", 0), Some(5));
        assert_eq!(quoted_end("'open", 0), None);
    }
}

//! Between the analyzer's world (paths relative to the project root, 1-based lines, byte columns,
//! line-based `TextEdit`s) and the protocol's (file URIs, 0-based lines, UTF-16 columns, ranges).

use lsp_types::{Position, Range, Uri};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Characters kept as they are in a file URI's path.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
}

pub fn uri_of(path: &Path) -> Option<Uri> {
    let mut encoded = String::from("file://");
    for &b in path.to_string_lossy().as_bytes() {
        if unreserved(b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&encoded).ok()
}

pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path` is not a local file; `file:///path` has an empty host.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok().map(PathBuf::from)
}

/// The UTF-16 length of the first `byte_col - 1` bytes of `line` (columns are 1-based bytes;
/// a column inside a character counts that character whole).
fn utf16_col(line: &str, byte_col: u32) -> u32 {
    let bytes = (byte_col.saturating_sub(1) as usize).min(line.len());
    let units: usize = line
        .char_indices()
        .take_while(|(i, _)| *i < bytes)
        .map(|(_, c)| c.len_utf16())
        .sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// The range a finding at (`line`, `column`) underlines, given that line's `content`: from the
/// column (the first non-blank character when the column is 1) to the end of the content.
pub fn range_at(content: &str, line: u32, column: u32) -> Range {
    let l = line.saturating_sub(1);
    let first = if column <= 1 {
        u32::try_from(content.len() - content.trim_start().len() + 1).unwrap_or(1)
    } else {
        column
    };
    let start = utf16_col(content, first);
    let end = utf16_col(
        content,
        u32::try_from(content.trim_end().len() + 1).unwrap_or(1),
    );
    Range::new(Position::new(l, start), Position::new(l, end.max(start)))
}

/// A line-based edit of `source` as a protocol edit.
pub fn text_edit(source: &str, e: &slz_analyzer::edit::TextEdit) -> lsp_types::TextEdit {
    let lines: Vec<&str> = source.split('\n').collect();
    // `split` yields a last empty piece when the text ends with a newline.
    let count = u32::try_from(lines.len()).unwrap_or(u32::MAX);
    let ends_with_newline = source.ends_with('\n') || source.is_empty();
    let full = u32::try_from(source.lines().count()).unwrap_or(u32::MAX);
    let mut text: String = e.lines.iter().map(|l| format!("{l}\n")).collect();
    let end_of = |n: u32| -> Position {
        let line = lines.get(n as usize).copied().unwrap_or("");
        Position::new(
            n,
            utf16_col(line, u32::try_from(line.len() + 1).unwrap_or(1)),
        )
    };
    let (start, end) = if e.first > e.last {
        // Insert after line `last`.
        if e.last >= full {
            if !ends_with_newline {
                text.insert(0, '\n');
            }
            let p = end_of(count - 1);
            (p, p)
        } else {
            let p = Position::new(e.last, 0);
            (p, p)
        }
    } else if e.last >= full && !ends_with_newline {
        (Position::new(e.first - 1, 0), end_of(e.last - 1))
    } else {
        (Position::new(e.first - 1, 0), Position::new(e.last, 0))
    };
    lsp_types::TextEdit::new(Range::new(start, end), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip_with_escapes() {
        let p = Path::new("/tmp/my project/ünï.ts");
        let uri = uri_of(p).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/my%20project/%C3%BCn%C3%AF.ts");
        assert_eq!(path_of(&uri).unwrap(), p);
    }

    #[test]
    fn columns_are_utf16_and_ranges_cover_the_content() {
        let content = "  const é = s3.send(x); ";
        let r = range_at(content, 2, 14);
        assert_eq!((r.start.line, r.start.character), (1, 12));
        assert_eq!(r.end.character, 23);
        assert_eq!(range_at(content, 2, 1).start.character, 2);
    }

    #[test]
    fn edits_apply_like_the_line_edits() {
        use slz_analyzer::edit::TextEdit as E;
        for (src, edit) in [
            ("a\nb\n", E::insert_after(1, vec!["x".into()])),
            ("a\nb\n", E::insert_after(2, vec!["x".into()])),
            ("a\nb", E::insert_after(2, vec!["x".into()])),
            ("a\nb\nc\n", E::replace(2, vec!["y".into(), "z".into()])),
            ("a\nb", E::replace(2, vec!["y".into()])),
        ] {
            let expected = slz_analyzer::edit::apply(src, std::slice::from_ref(&edit));
            let e = text_edit(src, &edit);
            assert_eq!(apply(src, &e), expected, "{src:?} {edit:?}");
        }
    }

    /// Applies one protocol edit (ASCII text) for the test above.
    fn apply(src: &str, e: &lsp_types::TextEdit) -> String {
        let offset = |p: Position| -> usize {
            let mut at = 0;
            for (i, l) in src.split_inclusive('\n').enumerate() {
                if i as u32 == p.line {
                    return at + p.character as usize;
                }
                at += l.len();
            }
            at + p.character as usize
        };
        let (s, t) = (offset(e.range.start), offset(e.range.end));
        format!("{}{}{}", &src[..s], e.new_text, &src[t..])
    }
}

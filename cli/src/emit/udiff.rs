//! The unified diff of a config before and after the recommended edits, in time linear in the
//! size of the config.
//!
//! A plain Myers diff costs the product of the length and the number of differences: quadratic
//! when every one of thousands of functions gets an edit. Here the common head and tail are set
//! aside, the remaining lines are matched on the lines found once on each side (in order, the
//! longest increasing run of them), and only the gaps between those anchors go to Myers, each
//! gap no longer than [`GAP_LIMIT`] lines; a longer gap is shown as removed and added as a whole.
//! A config whose changed part is shorter than the limit gets exactly the Myers diff.

use similar::{capture_diff_slices, group_diff_ops, Algorithm, DiffOp};
use std::collections::HashMap;
use std::fmt::Write as _;

/// The most lines (both sides together) one Myers run is given: its cost stays under the square
/// of this, and the gaps add up to at most the config's length.
const GAP_LIMIT: usize = 2_000;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// The lines of `text`, each with its line break (`\n`, `\r\n` or a lone `\r`).
fn lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                out.push(&text[start..i + 2]);
                i += 2;
                start = i;
            }
            b'\r' | b'\n' => {
                out.push(&text[start..=i]);
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Appends `op`, merging it into the previous one when both are unchanged lines.
fn push(ops: &mut Vec<DiffOp>, op: DiffOp) {
    if let (
        Some(DiffOp::Equal { len, .. }),
        DiffOp::Equal {
            len: more,
            old_index,
            new_index,
        },
    ) = (ops.last_mut(), op)
    {
        let _ = (old_index, new_index);
        *len += more;
        return;
    }
    ops.push(op);
}

/// The edits turning `old[o0..o1]` into `new[n0..n1]`, with no anchor inside.
fn gap(
    ops: &mut Vec<DiffOp>,
    old: &[&str],
    new: &[&str],
    (o0, o1): (usize, usize),
    (n0, n1): (usize, usize),
) {
    let (ol, nl) = (o1 - o0, n1 - n0);
    if ol == 0 && nl == 0 {
        return;
    }
    if ol + nl <= GAP_LIMIT {
        for op in capture_diff_slices(Algorithm::Myers, &old[o0..o1], &new[n0..n1]) {
            let shifted = match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => DiffOp::Equal {
                    old_index: old_index + o0,
                    new_index: new_index + n0,
                    len,
                },
                DiffOp::Delete {
                    old_index,
                    old_len,
                    new_index,
                } => DiffOp::Delete {
                    old_index: old_index + o0,
                    old_len,
                    new_index: new_index + n0,
                },
                DiffOp::Insert {
                    old_index,
                    new_index,
                    new_len,
                } => DiffOp::Insert {
                    old_index: old_index + o0,
                    new_index: new_index + n0,
                    new_len,
                },
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => DiffOp::Replace {
                    old_index: old_index + o0,
                    old_len,
                    new_index: new_index + n0,
                    new_len,
                },
            };
            push(ops, shifted);
        }
        return;
    }
    if ol > 0 {
        ops.push(DiffOp::Delete {
            old_index: o0,
            old_len: ol,
            new_index: n0,
        });
    }
    if nl > 0 {
        ops.push(DiffOp::Insert {
            old_index: o1,
            new_index: n0,
            new_len: nl,
        });
    }
}

/// The pairs (old line, new line) of lines found exactly once on each side, in an order
/// increasing on both sides (the longest such run, found in n log n).
fn anchors(old: &[&str], new: &[&str]) -> Vec<(usize, usize)> {
    // For each line: (count in old, index in old, count in new, index in new).
    let mut seen: HashMap<&str, (u32, usize, u32, usize)> = HashMap::new();
    for (i, l) in old.iter().enumerate() {
        let e = seen.entry(l).or_insert((0, i, 0, 0));
        e.0 = e.0.saturating_add(1);
    }
    for (j, l) in new.iter().enumerate() {
        if let Some(e) = seen.get_mut(l) {
            e.2 = e.2.saturating_add(1);
            e.3 = j;
        }
    }
    let mut pairs: Vec<(usize, usize)> = seen
        .values()
        .filter(|e| e.0 == 1 && e.2 == 1)
        .map(|e| (e.1, e.3))
        .collect();
    pairs.sort_unstable();
    // Longest increasing subsequence on the new index (patience sorting).
    let mut tails: Vec<usize> = Vec::new(); // index into `pairs` ending a run of each length
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let at = tails.partition_point(|&t| pairs[t].1 < j);
        if at > 0 {
            prev[k] = Some(tails[at - 1]);
        }
        if at == tails.len() {
            tails.push(k);
        } else {
            tails[at] = k;
        }
    }
    let mut run = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(k) = at {
        run.push(pairs[k]);
        at = prev[k];
    }
    run.reverse();
    run
}

/// The edits turning `old` into `new`.
fn ops(old: &[&str], new: &[&str]) -> Vec<DiffOp> {
    let head = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (o1, n1) = (old.len() - tail, new.len() - tail);
    let mut out = Vec::new();
    if head > 0 {
        push(
            &mut out,
            DiffOp::Equal {
                old_index: 0,
                new_index: 0,
                len: head,
            },
        );
    }
    if (o1 - head) + (n1 - head) <= GAP_LIMIT {
        gap(&mut out, old, new, (head, o1), (head, n1));
    } else {
        let (mut o, mut n) = (head, head);
        for (i, j) in anchors(&old[head..o1], &new[head..n1]) {
            let (i, j) = (i + head, j + head);
            gap(&mut out, old, new, (o, i), (n, j));
            push(
                &mut out,
                DiffOp::Equal {
                    old_index: i,
                    new_index: j,
                    len: 1,
                },
            );
            (o, n) = (i + 1, j + 1);
        }
        gap(&mut out, old, new, (o, o1), (n, n1));
    }
    if tail > 0 {
        push(
            &mut out,
            DiffOp::Equal {
                old_index: o1,
                new_index: n1,
                len: tail,
            },
        );
    }
    out
}

/// One side of a hunk header: `start,len`, or `start` alone for one line.
fn range(start: usize, end: usize) -> String {
    let len = end - start;
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{len}", start + 1),
    }
}

/// The unified diff from `old` to `new` under the given file names: empty when they are equal.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    let (a, b) = (lines(old), lines(new));
    let mut out = String::new();
    let mut header = Some((old_name, new_name));
    for hunk in group_diff_ops(ops(&a, &b), CONTEXT) {
        let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
            continue;
        };
        if let Some((x, y)) = header.take() {
            let _ = writeln!(out, "--- {x}\n+++ {y}");
        }
        let _ = writeln!(
            out,
            "@@ -{} +{} @@",
            range(first.old_range().start, last.old_range().end),
            range(first.new_range().start, last.new_range().end)
        );
        for op in &hunk {
            let mut line = |tag: char, text: &str| {
                out.push(tag);
                out.push_str(text);
                if !text.ends_with(['\r', '\n']) {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            };
            match *op {
                DiffOp::Equal { old_index, len, .. } => a[old_index..old_index + len]
                    .iter()
                    .for_each(|l| line(' ', l)),
                DiffOp::Delete {
                    old_index, old_len, ..
                } => a[old_index..old_index + old_len]
                    .iter()
                    .for_each(|l| line('-', l)),
                DiffOp::Insert {
                    new_index, new_len, ..
                } => b[new_index..new_index + new_len]
                    .iter()
                    .for_each(|l| line('+', l)),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => {
                    a[old_index..old_index + old_len]
                        .iter()
                        .for_each(|l| line('-', l));
                    b[new_index..new_index + new_len]
                        .iter()
                        .for_each(|l| line('+', l));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(old: &str, new: &str) -> String {
        similar::TextDiff::from_lines(old, new)
            .unified_diff()
            .header("a/x", "b/x")
            .to_string()
    }

    #[test]
    fn small_inputs_match_the_plain_myers_diff() {
        let cases = [
            ("", ""),
            ("a\n", "a\n"),
            ("a\nb\nc\n", "a\nc\n"),
            ("a\nb\nc", "a\nb\nc\nd"),
            ("a\r\nb\rc\n", "a\r\nB\rc\n"),
            ("", "x\ny\n"),
            ("x\ny\n", ""),
            (
                "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
                "1\n2\nx\n4\n5\n6\n7\n8\n9\n10\ny\n12\n",
            ),
        ];
        for (old, new) in cases {
            assert_eq!(
                unified(old, new, "a/x", "b/x"),
                reference(old, new),
                "{old:?} -> {new:?}"
            );
        }
    }

    /// Thousands of functions, each given two new lines: every change is shown, and applying the
    /// diff's lines gives back both sides.
    #[test]
    fn many_scattered_edits_are_all_shown() {
        let n = 20_000;
        let mut old = String::new();
        let mut new = String::new();
        for i in 0..n {
            let block = format!("  f{i}:\n    handler: h{i}.handler\n");
            old.push_str(&block);
            new.push_str(&block);
            new.push_str("    iam:\n      - Effect: Allow\n");
        }
        let diff = unified(&old, &new, "a/x", "b/x");
        let added = diff
            .lines()
            .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
            .count();
        let removed = diff
            .lines()
            .filter(|l| l.starts_with('-') && !l.starts_with("---"))
            .count();
        assert_eq!((added, removed), (2 * n, 0));
        let mut old_side = String::new();
        let mut new_side = String::new();
        for l in diff.lines().skip(2).filter(|l| !l.starts_with("@@")) {
            match l.split_at(1) {
                (" ", rest) => {
                    old_side.push_str(rest);
                    new_side.push_str(rest);
                }
                ("-", rest) => old_side.push_str(rest),
                ("+", rest) => new_side.push_str(rest),
                _ => {}
            }
        }
        // Context is three lines each side of every change, and the changes are four lines
        // apart: one hunk covers everything.
        assert_eq!(old_side, old.replace('\n', ""));
        assert_eq!(new_side, new.replace('\n', ""));
    }

    /// A gap longer than the limit, with no line unique to anchor it, is still a correct diff.
    #[test]
    fn a_long_gap_without_anchors_is_shown_whole() {
        let old = "x\n".repeat(3_000);
        let new = "y\n".repeat(3_000);
        let diff = unified(&old, &new, "a/x", "b/x");
        assert_eq!(diff.lines().filter(|l| *l == "-x").count(), 3_000);
        assert_eq!(diff.lines().filter(|l| *l == "+y").count(), 3_000);
    }
}

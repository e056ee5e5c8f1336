//! What a source file may contain before it is handed to a parser. The parsers (and the walks over
//! their trees) recurse once per level of nesting, and a stack overflow cannot be caught: files
//! that could nest deeper than the analysis threads' stacks allow are refused, by plain byte scans
//! that never recurse. The limits are far beyond anything written by hand.

/// Bracket nesting beyond which a file is not parsed.
pub const MAX_NESTING: usize = 500;

/// Most tokens in one run without a separator (`;`, `,`, `{`, `}`, or a Python line break outside
/// brackets). Nesting without brackets (`!!!x`, `a ? b : c ? ...`, `if (a) if (b) ...`, `not not
/// x`, long operator chains) costs a level per token or two, and never crosses a separator, so this
/// bounds it. A statement of this many tokens without a comma is not hand-written code.
pub const MAX_CHAIN_TOKENS: usize = 100_000;

/// Longest comment or one-line string counted as a single token.
const MAX_SKIPPED: usize = 4_096;

/// Why a file is refused, and the line where the limit is crossed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exceeded {
    Nesting(u32),
    Chain(u32),
}

/// How a language separates statements and writes comments, as far as the limits care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// `;` and brackets separate, `//` and `/* */` comment (JS, TS, Rust).
    Braces,
    /// A line break outside brackets separates, `#` comments (Python).
    Lines,
}

/// The first limit `text`, written in `syntax`, crosses, if any.
pub fn check(text: &str, syntax: Syntax) -> Option<Exceeded> {
    let lines = syntax == Syntax::Lines;
    nesting_exceeds(text, MAX_NESTING)
        .map(Exceeded::Nesting)
        .or_else(|| chain_exceeds(text, lines, MAX_CHAIN_TOKENS).map(Exceeded::Chain))
}

/// The line where `text` first nests `(`, `[` or `{` deeper than `limit`, if it does. Brackets in
/// strings and comments count too: cheap, and conservative.
pub fn nesting_exceeds(text: &str, limit: usize) -> Option<u32> {
    let (mut depth, mut line) = (0usize, 1u32);
    for b in text.bytes() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(line);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => line += 1,
            _ => {}
        }
    }
    None
}

/// The line where a run of more than `limit` tokens without a separator ends, if there is one.
/// A token is a word (letters, digits, `_`, `$`) or one punctuation byte; a line comment and a
/// one-line `'...'` or `"..."` string count as one token. Multi-line strings and block comments are
/// counted word by word, which can only make the count larger (safe) for text without commas.
pub fn chain_exceeds(text: &str, python: bool, limit: usize) -> Option<u32> {
    let bytes = text.as_bytes();
    let (mut run, mut line, mut depth, mut i) = (0usize, 1u32, 0usize, 0usize);
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
    while i < bytes.len() {
        let b = bytes[i];
        let comment = if python {
            b == b'#'
        } else {
            b == b'/' && bytes.get(i + 1) == Some(&b'/')
        };
        if comment || b == b'\'' || b == b'"' {
            // A comment runs to the end of the line, a string to its closing quote on the same
            // line. Either is one token, unless it is longer than `MAX_SKIPPED` or the string is
            // not closed on its line (a quote in a regular expression, say): then its content is
            // counted like code, so that nothing long hides behind a stray quote.
            let mut j = i + 1;
            let mut closed = comment;
            while j < bytes.len() && bytes[j] != b'\n' && j - i <= MAX_SKIPPED {
                if !comment && bytes[j] == b {
                    closed = true;
                    j += 1;
                    break;
                }
                if bytes[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            run += 1;
            if run > limit {
                return Some(line);
            }
            i = if closed && j - i <= MAX_SKIPPED {
                j.min(bytes.len())
            } else {
                i + 1
            };
            continue;
        }
        match b {
            b'\n' => {
                line += 1;
                if python && depth == 0 {
                    run = 0;
                }
            }
            b';' | b',' | b'{' | b'}' => run = 0,
            b'(' | b'[' => {
                depth += 1;
                run += 1;
            }
            b')' | b']' => {
                depth = depth.saturating_sub(1);
                run += 1;
            }
            _ if b.is_ascii_whitespace() => {}
            _ if word(b) => {
                while i + 1 < bytes.len() && word(bytes[i + 1]) {
                    i += 1;
                }
                run += 1;
            }
            _ => run += 1,
        }
        if run > limit {
            return Some(line);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_measured_without_recursion() {
        assert_eq!(nesting_exceeds("f(a[1], {b: (2)})", 3), None);
        assert_eq!(nesting_exceeds("x\n((((", 3), Some(2));
        let hostile = "(".repeat(1_000_000);
        assert_eq!(nesting_exceeds(&hostile, MAX_NESTING), Some(1));
    }

    #[test]
    fn chains_without_separators_are_bounded() {
        // Hand-written code: separators keep every run short.
        let code = "const a = f(x, y);\nif (a) { return [1, 2, 3].map((v) => v + 1); }\n";
        assert_eq!(chain_exceeds(code, false, 20), None);
        // Nesting without brackets, on one line or across lines.
        assert_eq!(chain_exceeds(&"!".repeat(50), false, 20), Some(1));
        assert_eq!(chain_exceeds(&"if (a)\n".repeat(10), false, 20), Some(6));
        assert_eq!(chain_exceeds(&"a ? b : ".repeat(10), false, 20), Some(1));
        // Python: a line break outside brackets ends the run, one inside does not.
        assert_eq!(chain_exceeds(&"x = not a\n".repeat(100), true, 20), None);
        assert_eq!(
            chain_exceeds(&format!("f(\n{}x)\n", "not ".repeat(30)), true, 20),
            Some(2)
        );
        // Strings and comments are one token each.
        let long = format!(
            "s = \"{}\"; // {}\n",
            "a b ".repeat(100),
            "c d ".repeat(100)
        );
        assert_eq!(chain_exceeds(&long, false, 20), None);
        // A stray quote or `//` (in a regular expression) does not hide what follows it.
        let hidden = format!("x = /'/; {}x; '\n", "!".repeat(5_000));
        assert_eq!(chain_exceeds(&hidden, false, 1_000), Some(1));
        let hidden = format!("x = /\\//; {}x;\n", "!".repeat(5_000));
        assert_eq!(chain_exceeds(&hidden, false, 1_000), Some(1));
        assert_eq!(
            chain_exceeds(&format!("# {}\nx = 1\n", "w ".repeat(100)), true, 20),
            None
        );
        assert_eq!(
            check(&"-".repeat(4_000_000), Syntax::Lines),
            Some(Exceeded::Chain(1))
        );
    }
}

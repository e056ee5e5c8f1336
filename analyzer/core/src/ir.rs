//! The language-neutral IR that front-ends lower source files to, and the only vocabulary shared
//! between front-ends and the rest of the pipeline.
//!
//! A module is a set of functions (the module's top level is function 0), each with the calls it
//! makes and the values it refers to, plus the module's exports. Values are small expressions
//! ([`Expr`]) over literals, env vars, imports and calls, evaluated later by the engine's evaluator.

use crate::diagnostics::Diagnostic;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Index of a function inside its module; 0 is the module's top level.
pub type FuncId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    JavaScript,
    TypeScript,
    Python,
    Rust,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Str(String),
    /// A number literal's value in decimal: digits for an integer, with a `.` or an exponent for a
    /// floating-point number (`5`, `5.0`, `0.25`).
    Num(String),
    /// A boolean literal, with the text its language converts it to (`True`, `true`).
    Bool {
        value: bool,
        text: String,
    },
    /// The language's null literal, with the text it converts to (`None`, `null`, `undefined`).
    Nil(String),
    /// No value (an empty block, a missing argument): unknown when evaluated.
    Null,
    /// An environment variable read (`process.env.X`, `os.environ['X']`).
    Env(String),
    /// Text built from parts (template literal, f-string, format string): each part converted to
    /// text and joined.
    Concat(Vec<Expr>),
    /// An arithmetic operator; `Add` is addition on numbers and concatenation when a side is text.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// A value converted to text as a format directive says (`{:02}`, `%5s`, `padStart`).
    Format(Box<Expr>, Box<FmtSpec>),
    /// The items of a sequence (second) converted to text and joined with a separator (first).
    Join(Box<Expr>, Box<Expr>),
    Object(Vec<(String, Expr)>),
    Array(Vec<Expr>),
    /// An imported binding: `module` as written in the source, `name` the export (`*` for the module
    /// object, `default`, or a named export).
    Import {
        module: String,
        name: String,
    },
    /// A name with no binding in the file (`process`, `require`, `fetch`).
    Global(String),
    Member(Box<Expr>, String),
    /// Member access with a computed key (`client[method]`).
    Index(Box<Expr>, Box<Expr>),
    Call(Box<Expr>, Vec<Expr>),
    New(Box<Expr>, Vec<Expr>),
    /// A function of this module.
    Func(FuncId),
    /// The n-th parameter of a function of this module.
    Param(FuncId, u32),
    /// `this` inside a function.
    This,
    /// One of several values (`c ? a : b`, reassignments).
    Either(Vec<Expr>),
    /// The first value that is set (`a || b`, `a ?? b`).
    Or(Vec<Expr>),
    Unknown(String),
}

/// An arithmetic operator, with the semantics each front-end picks for its language's operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// Numbers: their sum; text on either side: concatenation.
    Add,
    Sub,
    Mul,
    /// Division of a language with one number type: a whole quotient stays an integer.
    Div,
    /// Division whose result is always a floating-point number.
    TrueDiv,
    /// Integers: the quotient truncated toward zero; otherwise true division.
    TruncDiv,
    /// The quotient rounded toward negative infinity.
    FloorDiv,
    /// Remainder with the sign of the dividend.
    Rem,
    /// Remainder with the sign of the divisor.
    Mod,
    Pow,
}

/// How a value is converted to text by a format directive. Front-ends turn their language's
/// directives into this; a directive the evaluator does not compute is [`FmtKind::Unsupported`].
#[derive(Clone, Debug, PartialEq)]
pub struct FmtSpec {
    pub kind: FmtKind,
    /// What pads the value up to the width (repeated, and cut at the width when longer than one
    /// character).
    pub fill: String,
    pub align: Align,
    pub width: Width,
    /// `+`: a sign on non-negative numbers too.
    pub plus: bool,
    /// `#`: the radix prefix on integers (`0x`, `0o`, `0b`).
    pub alternate: bool,
}

impl Default for FmtSpec {
    fn default() -> Self {
        FmtSpec {
            kind: FmtKind::Str { max_chars: None },
            fill: " ".into(),
            align: Align::Default,
            width: Width::None,
            plus: false,
            alternate: false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FmtKind {
    /// The value as text (numbers as their digits), cut at `max_chars` characters.
    Str { max_chars: Option<u32> },
    /// Text in quotes with escapes (a debug or repr form); numbers as their digits.
    Quoted(Quote),
    /// An integer in a radix (a float is refused).
    Int { radix: u32, upper: bool },
    /// A number in fixed-point notation with this many decimals.
    Fixed(u32),
    /// A directive whose output the evaluator does not compute: the value is not known.
    Unsupported,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quote {
    /// Double quotes with backslash escapes (`"a\"b"`).
    Double,
    /// Single quotes, or double quotes when the text has a single quote and no double quote.
    SingleUnlessQuoted,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Numbers to the right, text to the left.
    Default,
    Left,
    Right,
    /// Extra padding goes to the right.
    Center,
    /// Padding between a number's sign and its digits (zero padding).
    AfterSign,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    None,
    Fixed(u32),
    /// A width computed at run time.
    Unknown,
}

/// Most nodes the value of one name may have to be copied into each use of the name: a value
/// built from copies of copies (`a2 = [a1, a1, ...]`) grows exponentially, and no real value
/// that locates an AWS resource is this large.
pub const MAX_INLINED_NODES: usize = 4_096;

/// Most source bytes the call sites of one module may span in all, nested calls counted in each
/// call around them: a chain of calls (`a()()()...`) gives each call its own copy of the chain
/// before it, so the work adds up quadratically. Real files stay far below (a call spans its
/// arguments, and calls nest a few levels deep).
pub const MAX_CALL_SITE_BYTES: usize = 16 << 20;

impl Expr {
    /// How many nodes the expression has, counting no further than `limit`.
    pub fn size_up_to(&self, limit: usize) -> usize {
        let mut count = 0;
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            // Long text counts too, as in `Val::size_up_to`: a large string copied into each use
            // of its name costs as much as many nodes.
            count += match e {
                Expr::Str(s) | Expr::Num(s) => 1 + s.len() / 64,
                _ => 1,
            };
            if count >= limit {
                return limit;
            }
            match e {
                Expr::Concat(items)
                | Expr::Array(items)
                | Expr::Either(items)
                | Expr::Or(items) => stack.extend(items),
                Expr::Object(fields) => stack.extend(fields.iter().map(|(_, v)| v)),
                Expr::Member(inner, _) => stack.push(inner),
                Expr::Index(a, b) | Expr::Binary(_, a, b) | Expr::Join(a, b) => {
                    stack.extend([a.as_ref(), b.as_ref()])
                }
                Expr::Format(inner, _) => stack.push(inner),
                Expr::Call(callee, args) | Expr::New(callee, args) => {
                    stack.push(callee);
                    stack.extend(args);
                }
                _ => {}
            }
        }
        count
    }

    /// The value of a name, to be copied into each use: itself, or an unknown value when it is
    /// larger than [`MAX_INLINED_NODES`].
    pub fn bounded(self, name: &str) -> Expr {
        if self.size_up_to(MAX_INLINED_NODES + 1) > MAX_INLINED_NODES {
            Expr::Unknown(format!(
                "the value of `{name}` is too large to follow (over {MAX_INLINED_NODES} parts)"
            ))
        } else {
            self
        }
    }
}

/// What a module's call sites may still span ([`MAX_CALL_SITE_BYTES`]), and the first line whose
/// call did not fit.
#[derive(Debug)]
pub struct CallBudget {
    remaining: usize,
    pub exhausted_at: Option<u32>,
}

impl Default for CallBudget {
    fn default() -> Self {
        CallBudget {
            remaining: MAX_CALL_SITE_BYTES,
            exhausted_at: None,
        }
    }
}

impl CallBudget {
    /// Takes a call spanning `bytes` of source at `line` from the budget, before it is lowered;
    /// false when it does not fit, in which case the call is neither lowered nor recorded.
    pub fn take(&mut self, bytes: usize, line: u32) -> bool {
        if bytes > self.remaining {
            self.exhausted_at.get_or_insert(line);
            self.remaining = 0;
            return false;
        }
        self.remaining -= bytes;
        true
    }

    /// The `file-too-complex` diagnostic for `path`, when the budget ran out.
    pub fn diagnostic(&self, path: &std::path::Path) -> Option<Diagnostic> {
        self.exhausted_at.map(|line| {
            Diagnostic::new(
                "file-too-complex",
                crate::diagnostics::Location::new(path, line, 1),
                format!(
                    "{}: its calls are too large to analyse from this line on (they span over {MAX_CALL_SITE_BYTES} bytes in all); the calls after it are not analysed",
                    path.display()
                ),
            )
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CallSite {
    pub callee: Expr,
    pub args: Vec<Expr>,
    pub is_new: bool,
    pub line: u32,
    pub column: u32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FunctionIr {
    pub name: String,
    /// A method of a class: also reachable by name when a call's receiver is not known.
    pub is_method: bool,
    /// Takes its receiver as parameter 0 (`recv.m(a)` calls `m(recv, a)`: Rust `self`).
    pub takes_self: bool,
    pub line: u32,
    pub calls: Vec<CallSite>,
    /// Values this function refers to (identifiers, nested functions): what makes code reachable.
    pub refs: Vec<Expr>,
    pub returns: Vec<Expr>,
}

/// A module's exports by name: a map while a front-end lowers the module, then a sorted list
/// ([`ModuleIr::shrink`]), since a map node has room for eleven entries and most modules export
/// one or two.
#[derive(Clone, Debug, Default)]
pub struct Exports {
    building: BTreeMap<String, Expr>,
    frozen: Box<[(String, Expr)]>,
}

impl Exports {
    /// Sets export `name`, replacing an earlier value.
    pub fn insert(&mut self, name: String, value: Expr) {
        self.thaw();
        self.building.insert(name, value);
    }

    /// Sets export `name` to `value()` unless it is set.
    pub fn insert_if_absent(&mut self, name: &str, value: impl FnOnce() -> Expr) {
        if !self.contains_key(name) {
            self.insert(name.to_string(), value());
        }
    }

    pub fn get(&self, name: &str) -> Option<&Expr> {
        if self.frozen.is_empty() {
            return self.building.get(name);
        }
        self.frozen
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
            .map(|i| &self.frozen[i].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    fn thaw(&mut self) {
        if !self.frozen.is_empty() {
            self.building = std::mem::take(&mut self.frozen)
                .into_vec()
                .into_iter()
                .collect();
        }
    }

    fn freeze(&mut self) {
        if !self.building.is_empty() {
            self.frozen = std::mem::take(&mut self.building).into_iter().collect();
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct ModuleIr {
    pub path: PathBuf,
    pub language: Option<Language>,
    pub functions: Vec<FunctionIr>,
    /// Export name -> value. `*` is a CommonJS `module.exports = ...` object.
    pub exports: Exports,
    /// Modules whose exports are all re-exported (`export * from './x'`).
    pub star_exports: Vec<String>,
    /// Every import specifier with the line it is on.
    pub imports: Vec<(String, u32)>,
    /// Modules that belong to this one whether or not they are imported (Rust `mod x;`): their
    /// methods can be reached by name.
    pub children: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ModuleIr {
    /// Gives back the spare capacity of the lists the front-ends built one push at a time: a
    /// lowered module is kept for the whole run.
    pub fn shrink(&mut self) {
        self.exports.freeze();
        self.functions.shrink_to_fit();
        for f in &mut self.functions {
            f.calls.shrink_to_fit();
            f.refs.shrink_to_fit();
            f.returns.shrink_to_fit();
        }
        self.imports.shrink_to_fit();
    }

    pub fn function(&self, id: FuncId) -> Option<&FunctionIr> {
        self.functions.get(id as usize)
    }

    /// `(line, callee)` of every call the module makes, sorted, the callee as its IR prints: what
    /// a lowering's tests compare.
    pub fn call_lines(&self) -> Vec<(u32, String)> {
        let mut out: Vec<(u32, String)> = self
            .functions
            .iter()
            .flat_map(|f| f.calls.iter().map(|c| (c.line, format!("{:?}", c.callee))))
            .collect();
        out.sort();
        out
    }

    /// The line of the first import of `specifier` (1 when unknown).
    pub fn import_line(&self, specifier: &str) -> u32 {
        self.imports
            .iter()
            .find(|(s, _)| s == specifier)
            .map(|(_, l)| *l)
            .unwrap_or(1)
    }
}

/// Byte offsets of line starts, for turning offsets into 1-based line and column.
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
        LineIndex { starts }
    }

    /// 1-based (line, column) of a byte offset; the column counts bytes.
    pub fn position(&self, offset: u32) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let col = offset - self.starts[line - 1];
        (u32::try_from(line).unwrap_or(u32::MAX), col + 1)
    }

    /// The text of 1-based `line`, without its line ending; empty past the last line.
    pub fn line_text<'t>(&self, text: &'t str, line: u32) -> &'t str {
        let i = (line as usize).saturating_sub(1);
        let Some(&start) = self.starts.get(i) else {
            return "";
        };
        let start = start as usize;
        let end = self
            .starts
            .get(i + 1)
            .map(|&e| e as usize)
            .unwrap_or(text.len());
        text.get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Expr {
        Expr::Str(v.into())
    }

    #[test]
    fn long_text_counts_toward_the_size_of_a_value() {
        assert_eq!(s("a").size_up_to(10), 1);
        let big = Expr::Concat(vec![s(&"a".repeat(64 * 5000)); 3]);
        assert_eq!(big.size_up_to(MAX_INLINED_NODES + 1), MAX_INLINED_NODES + 1);
        assert!(matches!(big.bounded("x"), Expr::Unknown(_)));
    }

    #[test]
    fn exports_read_the_same_before_and_after_freezing() {
        let mut m = ModuleIr::default();
        m.exports.insert("b".into(), s("1"));
        m.exports.insert("a".into(), s("2"));
        m.exports.insert("b".into(), s("3"));
        m.exports.insert_if_absent("a", || s("ignored"));
        m.exports.insert_if_absent("c", || s("4"));
        let read = |m: &ModuleIr| -> Vec<Option<Expr>> {
            ["a", "b", "c", "d"]
                .iter()
                .map(|n| m.exports.get(n).cloned())
                .collect()
        };
        let expected = vec![Some(s("2")), Some(s("3")), Some(s("4")), None];
        assert_eq!(read(&m), expected);
        m.shrink();
        assert!(m.exports.building.is_empty());
        assert_eq!(read(&m), expected);
        // Written again after freezing: still one value per name.
        m.exports.insert("a".into(), s("5"));
        assert_eq!(m.exports.get("a"), Some(&s("5")));
        assert_eq!(m.exports.get("c"), Some(&s("4")));
        assert!(!m.exports.contains_key("d"));
    }
}

//! Format strings of the Python and Rust front-ends, parsed into pieces: literal text and fields,
//! each field with the IR's [`FmtSpec`]. Python's `str.format`/f-string specs and Rust's `format!`
//! specs share one grammar (`[[fill]align][sign][#][0][width][.precision][type]`) and differ in
//! a few places, chosen by [`Dialect`]; Python's `%` directives have their own parser.
//! A directive whose output the evaluator does not compute becomes [`FmtKind::Unsupported`].

use slz_core::ir::{Align, Expr, FmtKind, FmtSpec, Quote, Width};

/// Longest `%(key)s` key followed.
const MAX_KEY: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Python,
    Rust,
}

/// Which argument a `{}` field names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// `{}`: the next positional argument.
    Next,
    /// `{0}`.
    Index(usize),
    /// `{name}`.
    Name(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    Lit(String),
    Field {
        arg: Arg,
        /// Python `{a.b}` / `{a[k]}`: attributes and keys read off the argument.
        path: Vec<String>,
        /// Python `!r` / `!a`: the argument's repr before the spec applies.
        repr: bool,
        spec: FmtSpec,
    },
}

/// The pieces of a `{}` format string; None when it is malformed (the language would refuse it).
pub fn braces(template: &str, dialect: Dialect) -> Option<Vec<Piece>> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut chars = template.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|(_, c)| *c) == Some('{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek().map(|(_, c)| *c) == Some('}') => {
                chars.next();
                lit.push('}');
            }
            '}' => return None,
            '{' => {
                // The field runs to the matching `}` (a Python spec may nest one level of `{}`).
                let mut depth = 1;
                let mut end = None;
                for (j, c) in chars.by_ref() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(j);
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let field = &template[i + 1..end?];
                if !lit.is_empty() {
                    out.push(Piece::Lit(std::mem::take(&mut lit)));
                }
                out.push(field_piece(field, dialect)?);
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        out.push(Piece::Lit(lit));
    }
    Some(out)
}

fn field_piece(field: &str, dialect: Dialect) -> Option<Piece> {
    let (head, spec) = match field.split_once(':') {
        Some((h, s)) => (h, Some(s)),
        None => (field, None),
    };
    let (head, conversion) = match (dialect, head.split_once('!')) {
        (Dialect::Python, Some((h, c))) => (h, Some(c)),
        _ => (head, None),
    };
    let repr = match conversion {
        None | Some("s") => false,
        Some("r" | "a") => true,
        Some(_) => return None,
    };
    let name_end = head.find(['.', '[']).unwrap_or(head.len());
    let (name, rest) = head.split_at(name_end);
    let name = name.trim();
    let arg = if name.is_empty() {
        Arg::Next
    } else if let Ok(n) = name.parse::<usize>() {
        Arg::Index(n)
    } else if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        Arg::Name(name.to_string())
    } else {
        return None;
    };
    let path = match dialect {
        Dialect::Python => field_path(rest)?,
        Dialect::Rust if rest.is_empty() => Vec::new(),
        Dialect::Rust => return None,
    };
    let spec = match spec {
        None => FmtSpec::default(),
        // A spec with fields of its own (`{x:{width}}`): computed at run time.
        Some(s) if s.contains('{') => unsupported(),
        Some(s) => parse_spec(s, dialect),
    };
    Some(Piece::Field {
        arg,
        path,
        repr,
        spec,
    })
}

/// `.attr` and `[key]` steps after a Python field name.
fn field_path(mut rest: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            out.push(r[..end].to_string());
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            out.push(r[..end].to_string());
            rest = &r[end + 1..];
        } else {
            return None;
        }
    }
    Some(out)
}

fn unsupported() -> FmtSpec {
    FmtSpec {
        kind: FmtKind::Unsupported,
        ..FmtSpec::default()
    }
}

fn align_of(c: char, dialect: Dialect) -> Option<Align> {
    match c {
        '<' => Some(Align::Left),
        '>' => Some(Align::Right),
        '^' => Some(Align::Center),
        '=' if dialect == Dialect::Python => Some(Align::AfterSign),
        _ => None,
    }
}

/// A spec after the `:` of a field.
pub fn parse_spec(spec: &str, dialect: Dialect) -> FmtSpec {
    parse_spec_checked(spec, dialect).unwrap_or_else(unsupported)
}

fn parse_spec_checked(spec: &str, dialect: Dialect) -> Option<FmtSpec> {
    let mut out = FmtSpec::default();
    let chars: Vec<char> = spec.chars().collect();
    let mut i = 0;
    // [[fill]align]
    if let Some(a) = chars.get(1).and_then(|c| align_of(*c, dialect)) {
        out.fill = chars[0].to_string();
        out.align = a;
        i = 2;
    } else if let Some(a) = chars.first().and_then(|c| align_of(*c, dialect)) {
        out.align = a;
        i = 1;
    }
    match chars.get(i) {
        Some('+') => {
            out.plus = true;
            i += 1;
        }
        Some('-') => i += 1,
        Some(' ') if dialect == Dialect::Python => return None,
        _ => {}
    }
    if chars.get(i) == Some(&'#') {
        out.alternate = true;
        i += 1;
    }
    if chars.get(i) == Some(&'0') {
        if out.align == Align::Default {
            out.fill = "0".into();
            out.align = Align::AfterSign;
        }
        i += 1;
    }
    let digits = |i: &mut usize| -> Option<u32> {
        let start = *i;
        while chars.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        (*i > start).then(|| chars[start..*i].iter().collect::<String>().parse().ok())?
    };
    if let Some(w) = digits(&mut i) {
        out.width = Width::Fixed(w);
    }
    // Rust `{:width$}` / `{:1$}`: a width from an argument.
    let rest: String = chars[i..].iter().collect();
    if dialect == Dialect::Rust {
        if let Some(end) = rest.find('$') {
            if !rest[..end].contains('.') {
                out.width = Width::Unknown;
                i += rest[..=end].chars().count();
            }
        }
    }
    let mut precision = None;
    if chars.get(i) == Some(&'.') {
        i += 1;
        precision = Some(digits(&mut i)?);
    }
    let ty: String = chars[i..].iter().collect();
    out.kind = match (dialect, ty.as_str(), precision) {
        (_, "", None) => FmtKind::Str { max_chars: None },
        (Dialect::Python, "s", p) => FmtKind::Str { max_chars: p },
        (Dialect::Python, "d", None) => FmtKind::Int {
            radix: 10,
            upper: false,
        },
        (Dialect::Python, "f" | "F", p) => FmtKind::Fixed(p.unwrap_or(6)),
        // Rust `{:.N}` is fixed-point for floats, a cut for text, nothing for integers: which
        // one depends on the argument's type, not known here.
        (Dialect::Rust, "", Some(_)) => return None,
        (Dialect::Rust, "?" | "#?", None) => FmtKind::Quoted(Quote::Double),
        (_, "x", None) => FmtKind::Int {
            radix: 16,
            upper: false,
        },
        (_, "X", None) if !out.alternate => FmtKind::Int {
            radix: 16,
            upper: true,
        },
        (_, "o", None) => FmtKind::Int {
            radix: 8,
            upper: false,
        },
        (_, "b", None) => FmtKind::Int {
            radix: 2,
            upper: false,
        },
        _ => return None,
    };
    Some(out)
}

/// The text a `{}` format string makes: `arg` gives the argument a field names (None: no such
/// argument, the field is unknown).
pub fn braces_expr(pieces: Vec<Piece>, mut arg: impl FnMut(&Arg) -> Option<Expr>) -> Expr {
    let mut parts = Vec::with_capacity(pieces.len());
    let mut next = 0;
    for p in pieces {
        match p {
            Piece::Lit(s) => parts.push(Expr::Str(s)),
            Piece::Field {
                arg: a,
                path,
                repr,
                spec,
            } => {
                let a = match a {
                    Arg::Next => {
                        next += 1;
                        Arg::Index(next - 1)
                    }
                    other => other,
                };
                let mut value = arg(&a).unwrap_or_else(|| {
                    Expr::Unknown(match &a {
                        Arg::Name(n) => format!("format field {{{n}}} with no argument"),
                        _ => "a format field with no argument".into(),
                    })
                });
                for step in path {
                    value = Expr::Member(Box::new(value), step);
                }
                if repr {
                    value = formatted(value, quoted(Quote::SingleUnlessQuoted));
                }
                parts.push(formatted(value, spec));
            }
        }
    }
    Expr::Concat(parts)
}

/// The text a Python `%` format string makes with `positional` arguments, or the fields of
/// `mapping` for `%(key)s` directives.
pub fn percent_expr(pieces: Vec<PercentPiece>, positional: &[Expr], mapping: &Expr) -> Expr {
    let mut parts = Vec::with_capacity(pieces.len());
    let mut next = 0;
    for p in pieces {
        match p {
            PercentPiece::Lit(s) => parts.push(Expr::Str(s)),
            PercentPiece::Field(Some(key), spec) => {
                let value = Expr::Member(Box::new(mapping.clone()), key);
                parts.push(formatted(value, spec));
            }
            PercentPiece::Field(None, spec) => {
                let value = positional
                    .get(next)
                    .cloned()
                    .unwrap_or_else(|| Expr::Unknown("a % directive with no argument".into()));
                next += 1;
                parts.push(formatted(value, spec));
            }
        }
    }
    Expr::Concat(parts)
}

/// `value` with `spec`, or the value itself when the spec is plain conversion to text.
pub fn formatted(value: Expr, spec: FmtSpec) -> Expr {
    if spec == FmtSpec::default() {
        value
    } else {
        Expr::Format(Box::new(value), Box::new(spec))
    }
}

fn quoted(q: Quote) -> FmtSpec {
    FmtSpec {
        kind: FmtKind::Quoted(q),
        ..FmtSpec::default()
    }
}

/// One piece of a Python `%` format string.
#[derive(Clone, Debug, PartialEq)]
pub enum PercentPiece {
    Lit(String),
    /// A directive: the mapping key of `%(key)s`, if any, and its spec.
    Field(Option<String>, FmtSpec),
}

/// The pieces of a Python `%` format string; None when it is malformed or takes a width or
/// precision from the arguments (`%*d`), which shifts the arguments in a way not followed.
pub fn percent(template: &str) -> Option<Vec<PercentPiece>> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let chars: Vec<char> = template.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            lit.push(chars[i]);
            i += 1;
            continue;
        }
        i += 1;
        let mut key = None;
        if chars.get(i) == Some(&'(') {
            // A key longer than any real one is not followed (and keeps the scan linear).
            let end = chars[i..].iter().take(MAX_KEY).position(|c| *c == ')')? + i;
            key = Some(chars[i + 1..end].iter().collect::<String>());
            i = end + 1;
        }
        let mut spec = FmtSpec::default();
        let mut left = false;
        let mut zero = false;
        while let Some(c) = chars.get(i) {
            match c {
                '-' => left = true,
                '0' => zero = true,
                '+' => spec.plus = true,
                '#' => spec.alternate = true,
                ' ' => return None,
                _ => break,
            }
            i += 1;
        }
        let digits = |i: &mut usize| -> Option<u32> {
            let start = *i;
            while chars.get(*i).is_some_and(char::is_ascii_digit) {
                *i += 1;
            }
            (*i > start).then(|| chars[start..*i].iter().collect::<String>().parse().ok())?
        };
        if chars.get(i) == Some(&'*') {
            return None;
        }
        if let Some(w) = digits(&mut i) {
            spec.width = Width::Fixed(w);
        }
        let mut precision = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            if chars.get(i) == Some(&'*') {
                return None;
            }
            precision = Some(digits(&mut i).unwrap_or(0));
        }
        while matches!(chars.get(i), Some('h' | 'l' | 'L')) {
            i += 1;
        }
        let ty = *chars.get(i)?;
        i += 1;
        if ty == '%' && key.is_none() {
            lit.push('%');
            continue;
        }
        spec.align = match (left, zero) {
            (true, _) => Align::Left,
            (false, true) => {
                spec.fill = "0".into();
                Align::AfterSign
            }
            // printf pads on the left unless told otherwise, text included.
            (false, false) => Align::Right,
        };
        spec.kind = match (ty, precision) {
            ('s', p) => FmtKind::Str { max_chars: p },
            ('r' | 'a', None) => FmtKind::Quoted(Quote::SingleUnlessQuoted),
            ('d' | 'i' | 'u', None) => FmtKind::Int {
                radix: 10,
                upper: false,
            },
            ('x', None) => FmtKind::Int {
                radix: 16,
                upper: false,
            },
            ('X', None) if !spec.alternate => FmtKind::Int {
                radix: 16,
                upper: true,
            },
            ('o', None) => FmtKind::Int {
                radix: 8,
                upper: false,
            },
            ('f' | 'F', p) => FmtKind::Fixed(p.unwrap_or(6)),
            ('c' | 'e' | 'E' | 'g' | 'G' | 'r' | 'a' | 'd' | 'i' | 'u' | 'x' | 'X' | 'o', _) => {
                FmtKind::Unsupported
            }
            _ => return None,
        };
        if !lit.is_empty() {
            out.push(PercentPiece::Lit(std::mem::take(&mut lit)));
        }
        out.push(PercentPiece::Field(key, spec));
    }
    if !lit.is_empty() {
        out.push(PercentPiece::Lit(lit));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(arg: Arg, spec: FmtSpec) -> Piece {
        Piece::Field {
            arg,
            path: Vec::new(),
            repr: false,
            spec,
        }
    }

    #[test]
    fn brace_fields_and_escapes() {
        let pieces = braces("{{a}}-{}-{0}-{name}", Dialect::Python).unwrap();
        assert_eq!(
            pieces,
            vec![
                Piece::Lit("{a}-".into()),
                field(Arg::Next, FmtSpec::default()),
                Piece::Lit("-".into()),
                field(Arg::Index(0), FmtSpec::default()),
                Piece::Lit("-".into()),
                field(Arg::Name("name".into()), FmtSpec::default()),
            ]
        );
        assert!(braces("{", Dialect::Rust).is_none());
        assert!(braces("}", Dialect::Rust).is_none());
        assert!(braces("{a.b}", Dialect::Rust).is_none());
        let pieces = braces("{0.b[k]!r}", Dialect::Python).unwrap();
        assert_eq!(
            pieces,
            vec![Piece::Field {
                arg: Arg::Index(0),
                path: vec!["b".into(), "k".into()],
                repr: true,
                spec: FmtSpec::default(),
            }]
        );
    }

    #[test]
    fn specs() {
        let zero2 = parse_spec("02d", Dialect::Python);
        assert_eq!(zero2.fill, "0");
        assert_eq!(zero2.align, Align::AfterSign);
        assert_eq!(zero2.width, Width::Fixed(2));
        assert_eq!(
            zero2.kind,
            FmtKind::Int {
                radix: 10,
                upper: false
            }
        );
        let fill = parse_spec("*^7", Dialect::Rust);
        assert_eq!(
            (fill.fill.as_str(), fill.align, fill.width),
            ("*", Align::Center, Width::Fixed(7))
        );
        assert_eq!(
            parse_spec("?", Dialect::Rust).kind,
            FmtKind::Quoted(Quote::Double)
        );
        assert_eq!(parse_spec("width$", Dialect::Rust).width, Width::Unknown);
        assert_eq!(parse_spec(".2", Dialect::Rust).kind, FmtKind::Unsupported);
        assert_eq!(parse_spec(".2f", Dialect::Python).kind, FmtKind::Fixed(2));
        assert_eq!(parse_spec(",", Dialect::Python).kind, FmtKind::Unsupported);
        assert_eq!(parse_spec("e", Dialect::Python).kind, FmtKind::Unsupported);
    }

    #[test]
    fn percent_directives() {
        let p = percent("%d/%(name)s-%05.1f%%").unwrap();
        assert_eq!(p.len(), 6);
        assert!(
            matches!(&p[0], PercentPiece::Field(None, s) if s.kind == FmtKind::Int { radix: 10, upper: false })
        );
        assert_eq!(p[1], PercentPiece::Lit("/".into()));
        assert!(matches!(&p[2], PercentPiece::Field(Some(k), _) if k == "name"));
        assert!(matches!(&p[4], PercentPiece::Field(None, s)
            if s.kind == FmtKind::Fixed(1) && s.width == Width::Fixed(5) && s.align == Align::AfterSign));
        assert_eq!(p[5], PercentPiece::Lit("%".into()));
        let right = percent("%5s").unwrap();
        assert!(matches!(&right[0], PercentPiece::Field(None, s) if s.align == Align::Right));
        assert!(percent("%*d").is_none());
        assert!(percent("%").is_none());
        assert!(percent("%z").is_none());
    }
}

//! The evaluator's computations on values: operators ([`binary`]), conversion to text
//! ([`to_text`]), format directives ([`format`]) and joins ([`join`]). What cannot be computed
//! becomes one unknown part (a `*` in a policy), never text glued to a guess.

use crate::interp::{describe, too_large, Val, MAX_VALUE_PARTS};
use crate::ir::{Align, BinOp, FmtKind, FmtSpec, Quote, Width};
use crate::number::Number;
use crate::value::{Part, Template};

/// Most combinations of alternatives an operator is applied to (`(a ? 1 : 2) + (b ? 3 : 4)`).
const MAX_ALTERNATIVES: usize = 16;
/// Widest padding computed; a wider one is unknown.
const MAX_WIDTH: u32 = 1_024;
/// Most decimals a fixed-point directive computes.
const MAX_DECIMALS: u32 = 20;

/// A value as text: text as is, numbers as their digits, booleans and null as their language
/// spells them, anything else one unknown part.
pub fn to_text(v: &Val) -> Template {
    match v {
        Val::Text(t) => t.clone(),
        Val::Num(n) => n.template(),
        Val::Bool { text, .. } | Val::Nil(text) => Template::lit(text),
        Val::Unknown(why) => Template::unknown(why.clone()),
        Val::Either(alts) if alts.len() == 1 => to_text(&alts[0]),
        other => Template::unknown(describe(other)),
    }
}

/// How much `v` adds to a text it is appended to, in the units of [`Val::size_up_to`] (short
/// literal text adds next to nothing: it merges with its neighbours).
pub fn growth(v: &Val) -> usize {
    match v {
        Val::Text(t) => {
            t.0.iter()
                .map(|p| match p {
                    Part::Lit(s) => s.len() / 64,
                    _ => 1,
                })
                .sum()
        }
        other => other.size_up_to(MAX_VALUE_PARTS + 1),
    }
}

/// `l op r`. Known numbers are computed (a boolean next to a number or boolean counts as 0 or 1);
/// `Add` with text on either side concatenates; anything else (a side of unknown type next to a
/// number, say) is unknown.
pub fn binary(op: BinOp, l: Val, r: Val) -> Val {
    if let Some(v) = over_alternatives(&l, &r, |a, b| binary(op, a, b)) {
        return v;
    }
    match (&l, &r) {
        (Val::Num(a), Val::Num(b)) => Val::Num(Number::binary(op, a, b)),
        (Val::Bool { .. }, Val::Num(_) | Val::Bool { .. }) | (Val::Num(_), Val::Bool { .. }) => {
            binary(op, as_number(l), as_number(r))
        }
        (Val::Text(_), _) | (_, Val::Text(_)) if op == BinOp::Add => {
            let mut t = to_text(&l);
            t.extend(to_text(&r));
            Val::Text(t).bounded()
        }
        _ => Val::Unknown(format!(
            "{} {op:?} {}, computed at run time",
            describe(&l),
            describe(&r)
        )),
    }
}

/// `f` applied to every pair of alternatives when a side is one of several values; None when
/// neither side is.
fn over_alternatives(l: &Val, r: &Val, f: impl Fn(Val, Val) -> Val) -> Option<Val> {
    let alts = |v: &Val| match v {
        Val::Either(a) => a.clone(),
        other => vec![other.clone()],
    };
    if !matches!(l, Val::Either(_)) && !matches!(r, Val::Either(_)) {
        return None;
    }
    let (ls, rs) = (alts(l), alts(r));
    if ls.len().saturating_mul(rs.len()) > MAX_ALTERNATIVES {
        return Some(Val::Unknown("one of too many values".into()));
    }
    let mut out: Vec<Val> = Vec::new();
    for a in &ls {
        for b in &rs {
            let v = f(a.clone(), b.clone());
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    Some(if out.len() == 1 {
        out.remove(0)
    } else {
        Val::Either(out)
    })
}

/// The items of `seq` as text, separated by `sep`.
pub fn join(sep: &Val, seq: &Val) -> Val {
    match seq {
        Val::Array(items) => {
            let sep_size = growth(sep);
            let sep = to_text(sep);
            let mut t = Template::default();
            // Counted as it grows: a large separator between many items must not be built first.
            let mut size = 0;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    size += sep_size;
                    t.extend(sep.clone());
                }
                size += growth(item);
                if size > MAX_VALUE_PARTS {
                    return Val::Unknown(too_large());
                }
                t.extend(to_text(item));
            }
            Val::Text(t).bounded()
        }
        Val::Either(alts) if alts.len() <= MAX_ALTERNATIVES => {
            let mut out: Vec<Val> = Vec::new();
            for a in alts {
                let v = join(sep, a);
                if !out.contains(&v) {
                    out.push(v);
                }
            }
            if out.len() == 1 {
                out.remove(0)
            } else {
                Val::Either(out)
            }
        }
        other => Val::Text(Template::unknown(format!(
            "the items of {}, joined",
            describe(other)
        ))),
    }
}

/// A boolean as the number it counts as; other values as they are.
fn as_number(v: Val) -> Val {
    match v {
        Val::Bool { value, .. } => Val::Num(Number::Int(i64::from(value))),
        other => other,
    }
}

/// `v` converted to text as `spec` says.
pub fn format(v: &Val, spec: &FmtSpec) -> Val {
    if let Val::Bool { .. } = v {
        match spec.kind {
            // `%d`, `{:x}`, `%.2f`: the number it counts as.
            FmtKind::Int { .. } | FmtKind::Fixed(_) => return format(&as_number(v.clone()), spec),
            // Padded or cut, languages disagree (Python pads the number: `f"{True:>5}"` is
            // `    1`).
            _ if spec.width != Width::None
                || spec.plus
                || spec.alternate
                || matches!(spec.kind, FmtKind::Str { max_chars: Some(_) }) =>
            {
                return Val::Text(Template::unknown(
                    "a boolean padded or cut, which languages do differently",
                ))
            }
            _ => {}
        }
    }
    if let Val::Either(alts) = v {
        if alts.len() <= MAX_ALTERNATIVES {
            let mut out: Vec<Val> = Vec::new();
            for a in alts {
                let x = format(a, spec);
                if !out.contains(&x) {
                    out.push(x);
                }
            }
            return if out.len() == 1 {
                out.remove(0)
            } else {
                Val::Either(out)
            };
        }
    }
    let unknown = |why: &str| Val::Text(Template::unknown(why));
    let Some((sign, body)) = convert(v, spec) else {
        return unknown("a value formatted at run time");
    };
    let number = matches!(v, Val::Num(_));
    let align = match spec.align {
        Align::Default if number && matches!(spec.kind, FmtKind::Quoted(_)) => {
            if spec.width != Width::None {
                // Languages disagree on where a quoted number's padding goes.
                return unknown("a padded value whose side of padding depends on the language");
            }
            Align::Left
        }
        Align::Default if number => Align::Right,
        Align::Default => Align::Left,
        Align::AfterSign if !number => {
            return unknown("text padded as a number");
        }
        a => a,
    };
    match pad(sign, body, align, spec) {
        Some(t) => Val::Text(t).bounded(),
        None => unknown("a value padded at run time"),
    }
}

/// The value's sign (numbers) and text before padding; None when it is not known.
fn convert(v: &Val, spec: &FmtSpec) -> Option<(String, Template)> {
    let signed = |digits: String| -> (String, Template) {
        let (neg, digits) = match digits.strip_prefix('-') {
            Some(d) => (true, d.to_string()),
            None => (false, digits),
        };
        let sign = match (neg, spec.plus) {
            (true, _) => "-",
            (false, true) => "+",
            _ => "",
        };
        (sign.to_string(), Template::lit(digits))
    };
    match (spec.kind, v) {
        (FmtKind::Unsupported, _) => None,
        (_, Val::Num(Number::Unknown(why))) => Some((String::new(), Template::unknown(why))),
        (FmtKind::Str { .. } | FmtKind::Quoted(_), Val::Num(n)) => {
            let digits = n.digits();
            match digits {
                Some(d) => Some(signed(d)),
                None => Some((String::new(), n.template())),
            }
        }
        (FmtKind::Str { max_chars }, other) => {
            let t = to_text(other);
            match max_chars {
                None => Some((String::new(), t)),
                Some(max) => {
                    let text = t.as_literal()?;
                    Some((
                        String::new(),
                        Template::lit(text.chars().take(max as usize).collect::<String>()),
                    ))
                }
            }
        }
        (FmtKind::Quoted(q), Val::Text(t)) => Some((String::new(), quote(t, q)?)),
        // `repr(True)`, `{:?}` of `true`: the plain spelling.
        (FmtKind::Quoted(_), Val::Bool { text, .. } | Val::Nil(text)) => {
            Some((String::new(), Template::lit(text)))
        }
        (FmtKind::Quoted(_), Val::Unknown(why)) => Some((String::new(), Template::unknown(why))),
        (FmtKind::Int { radix, upper }, Val::Num(Number::Int(i))) => {
            let digits = radix_digits(*i, radix, upper)?;
            let prefix = match (spec.alternate, radix) {
                (false, _) | (true, 10) => "",
                (true, 16) => "0x",
                (true, 8) => "0o",
                (true, 2) => "0b",
                _ => return None,
            };
            let (sign, body) = signed(digits);
            Some((sign + prefix, body))
        }
        (FmtKind::Fixed(decimals), Val::Num(n)) => {
            let f = n.as_f64()?;
            if decimals > MAX_DECIMALS || f.abs() >= 1e15 {
                return None;
            }
            Some(signed(format!("{f:.prec$}", prec = decimals as usize)))
        }
        (_, Val::Unknown(why)) => Some((String::new(), Template::unknown(why))),
        _ => None,
    }
}

/// An integer in radix 2, 8, 10 or 16; None for a negative number in another radix than 10
/// (languages disagree: `-ff` or two's complement).
fn radix_digits(i: i64, radix: u32, upper: bool) -> Option<String> {
    if radix == 10 {
        return Some(i.to_string());
    }
    if i < 0 {
        return None;
    }
    Some(match (radix, upper) {
        (16, false) => format!("{i:x}"),
        (16, true) => format!("{i:X}"),
        (8, _) => format!("{i:o}"),
        (2, _) => format!("{i:b}"),
        _ => return None,
    })
}

/// Text in quotes with escapes; None when a character's escape is not known to be the same in
/// every language using this style (non-ASCII, control characters).
fn quote(t: &Template, q: Quote) -> Option<Template> {
    let known = t.as_literal();
    let mark = match (q, &known) {
        (Quote::Double, _) => '"',
        (Quote::SingleUnlessQuoted, Some(s)) if s.contains('\'') && !s.contains('"') => '"',
        (Quote::SingleUnlessQuoted, Some(_)) => '\'',
        // The quote depends on text not known: the quotes are unknown too.
        (Quote::SingleUnlessQuoted, None) => {
            let mut out = Template::unknown("a quote chosen at run time");
            for p in &t.0 {
                match p {
                    Part::Lit(l) => out.push(Part::Lit(escape(l, '\'')?)),
                    other => out.push(other.clone()),
                }
            }
            out.push(Part::Unknown("a quote chosen at run time".into()));
            return Some(out);
        }
    };
    let mut out = Template::lit(mark.to_string());
    for p in &t.0 {
        match p {
            Part::Lit(l) => out.push(Part::Lit(escape(l, mark)?)),
            other => out.push(other.clone()),
        }
    }
    out.push(Part::Lit(mark.to_string()));
    Some(out)
}

fn escape(s: &str, mark: char) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == mark => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            _ => return None,
        }
    }
    Some(out)
}

/// `sign` and `body` padded to the spec's width; None when the padding cannot be computed.
fn pad(sign: String, body: Template, align: Align, spec: &FmtSpec) -> Option<Template> {
    let assemble = |before: Template, after: Template| {
        let mut t = Template::default();
        if align == Align::AfterSign {
            t.push(Part::Lit(sign.clone()));
            t.extend(before);
        } else {
            t.extend(before);
            t.push(Part::Lit(sign.clone()));
        }
        t.extend(body.clone());
        t.extend(after);
        t
    };
    let none = Template::default;
    let width = match spec.width {
        Width::None => return Some(assemble(none(), none())),
        _ if spec.fill.is_empty() => return Some(assemble(none(), none())),
        Width::Fixed(w) if w > MAX_WIDTH => return None,
        Width::Fixed(w) => Some(w as usize),
        Width::Unknown => None,
    };
    let literals = || {
        body.0.iter().filter_map(|p| match p {
            Part::Lit(l) => Some(l.as_str()),
            _ => None,
        })
    };
    // Languages count widths in different units past ASCII.
    if width.is_some() && !literals().all(str::is_ascii) {
        return None;
    }
    let len = sign.len() + literals().map(str::len).sum::<usize>();
    if let Some(w) = width {
        if len >= w {
            return Some(assemble(none(), none()));
        }
        if body.as_literal().is_some() {
            let missing = w - len;
            let fill =
                |n: usize| Template::lit(spec.fill.chars().cycle().take(n).collect::<String>());
            return Some(match align {
                Align::Left => assemble(none(), fill(missing)),
                Align::Center => assemble(fill(missing / 2), fill(missing - missing / 2)),
                _ => assemble(fill(missing), none()),
            });
        }
    }
    // Padding of a length not known: an unknown part on each padded side.
    let some = || Template::unknown("padding");
    Some(match align {
        Align::Left => assemble(none(), some()),
        Align::Center => assemble(some(), some()),
        _ => assemble(some(), none()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Val {
        Val::Num(Number::parse(s))
    }

    fn unknown() -> Val {
        Val::Unknown("a parameter".into())
    }

    fn text(v: &Val) -> String {
        to_text(v).to_string()
    }

    fn spec(kind: FmtKind, fill: &str, align: Align, width: Width) -> FmtSpec {
        FmtSpec {
            kind,
            fill: fill.into(),
            align,
            width,
            ..FmtSpec::default()
        }
    }

    #[test]
    fn addition_is_arithmetic_on_numbers_and_concatenation_on_text() {
        assert_eq!(text(&binary(BinOp::Add, num("1"), num("1"))), "2");
        assert_eq!(text(&binary(BinOp::Add, unknown(), num("1"))), "*");
        assert_eq!(text(&binary(BinOp::Add, num("1"), unknown())), "*");
        assert_eq!(text(&binary(BinOp::Add, Val::text("v"), num("1"))), "v1");
        assert_eq!(text(&binary(BinOp::Add, num("1"), Val::text("/x"))), "1/x");
        assert_eq!(text(&binary(BinOp::Add, Val::text("a/"), unknown())), "a/*");
        assert_eq!(text(&binary(BinOp::Sub, Val::text("a"), num("1"))), "*");
        let either = Val::Either(vec![num("1"), num("2")]);
        assert_eq!(
            binary(BinOp::Mul, either, num("10")),
            Val::Either(vec![num("10"), num("20")])
        );
    }

    #[test]
    fn join_and_format() {
        let items = Val::Array(vec![Val::text("a"), num("2"), unknown()]);
        assert_eq!(text(&join(&Val::text("-"), &items)), "a-2-*");
        assert_eq!(text(&join(&Val::text("-"), &unknown())), "*");
        let zero2 = spec(
            FmtKind::Str { max_chars: None },
            "0",
            Align::AfterSign,
            Width::Fixed(2),
        );
        assert_eq!(text(&format(&num("7"), &zero2)), "07");
        assert_eq!(text(&format(&num("-7"), &zero2)), "-7");
        assert_eq!(text(&format(&num("123"), &zero2)), "123");
        assert_eq!(text(&format(&unknown(), &zero2)), "*");
        assert_eq!(text(&format(&Val::text("ab"), &zero2)), "*");
        let right = spec(
            FmtKind::Str { max_chars: None },
            "ab",
            Align::Right,
            Width::Fixed(5),
        );
        assert_eq!(text(&format(&Val::text("x"), &right)), "ababx");
        let center = spec(
            FmtKind::Str { max_chars: None },
            "_",
            Align::Center,
            Width::Fixed(4),
        );
        assert_eq!(text(&format(&Val::text("a"), &center)), "_a__");
        let unknown_width = spec(
            FmtKind::Str { max_chars: None },
            "0",
            Align::Right,
            Width::Unknown,
        );
        assert_eq!(text(&format(&Val::text("5"), &unknown_width)), "*5");
        let debug = spec(
            FmtKind::Quoted(Quote::Double),
            " ",
            Align::Default,
            Width::None,
        );
        assert_eq!(text(&format(&Val::text("a\"b"), &debug)), "\"a\\\"b\"");
        assert_eq!(text(&format(&num("5"), &debug)), "5");
        let repr = spec(
            FmtKind::Quoted(Quote::SingleUnlessQuoted),
            " ",
            Align::Default,
            Width::None,
        );
        assert_eq!(text(&format(&Val::text("a"), &repr)), "'a'");
        assert_eq!(text(&format(&Val::text("it's"), &repr)), "\"it's\"");
        let hex = FmtSpec {
            alternate: true,
            ..spec(
                FmtKind::Int {
                    radix: 16,
                    upper: false,
                },
                " ",
                Align::Default,
                Width::None,
            )
        };
        assert_eq!(text(&format(&num("255"), &hex)), "0xff");
        assert_eq!(text(&format(&num("-1"), &hex)), "*");
        assert_eq!(text(&format(&Val::text("a"), &hex)), "*");
        let fixed = spec(FmtKind::Fixed(2), " ", Align::Default, Width::None);
        assert_eq!(text(&format(&num("3"), &fixed)), "3.00");
        let cut = spec(
            FmtKind::Str { max_chars: Some(2) },
            " ",
            Align::Default,
            Width::None,
        );
        assert_eq!(text(&format(&Val::text("abc"), &cut)), "ab");
        let wide = spec(
            FmtKind::Str { max_chars: None },
            " ",
            Align::Right,
            Width::Fixed(1_000_000),
        );
        assert_eq!(text(&format(&Val::text("a"), &wide)), "*");
    }

    #[test]
    fn booleans_and_null_keep_their_spelling_and_count_as_numbers() {
        let py_true = Val::Bool {
            value: true,
            text: "True".into(),
        };
        let none = Val::Nil("None".into());
        assert_eq!(text(&py_true), "True");
        assert_eq!(text(&none), "None");
        assert_eq!(
            text(&binary(BinOp::Add, Val::text("a/"), py_true.clone())),
            "a/True"
        );
        assert_eq!(text(&binary(BinOp::Add, py_true.clone(), num("1"))), "2");
        assert_eq!(text(&binary(BinOp::Add, none.clone(), num("1"))), "*");
        let plain = FmtSpec::default();
        assert_eq!(text(&format(&py_true, &plain)), "True");
        let int = spec(
            FmtKind::Int {
                radix: 10,
                upper: false,
            },
            " ",
            Align::Default,
            Width::Fixed(3),
        );
        assert_eq!(text(&format(&py_true, &int)), "  1");
        let padded = spec(
            FmtKind::Str { max_chars: None },
            " ",
            Align::Right,
            Width::Fixed(5),
        );
        assert_eq!(text(&format(&py_true, &padded)), "*");
        let quoted = spec(
            FmtKind::Quoted(Quote::Double),
            " ",
            Align::Default,
            Width::None,
        );
        assert_eq!(text(&format(&none, &quoted)), "None");
    }
}

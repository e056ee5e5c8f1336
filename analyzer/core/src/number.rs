//! Numbers as the evaluator knows them: an integer, a floating-point number, or a number that is
//! only known at run time. Arithmetic follows the IR's [`BinOp`] semantics; integer overflow and
//! results the languages would spell differently become unknown, never a wrong text.

use crate::ir::BinOp;
use crate::value::Template;

#[derive(Clone, Debug, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
    /// A number computed at run time; the text says why it is not known.
    Unknown(String),
}

/// Floats render as their digits only in this range of magnitudes, where JavaScript, Python and
/// Rust all print the shortest round-trip decimal without an exponent.
const PLAIN_FLOAT_MIN: f64 = 1e-4;
const PLAIN_FLOAT_MAX: f64 = 1e15;

impl Number {
    /// The value of a number literal as [`crate::ir::Expr::Num`] holds it.
    pub fn parse(text: &str) -> Number {
        if let Ok(i) = text.parse::<i64>() {
            return Number::Int(i);
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Number::Float(f),
            _ => Number::Unknown(format!("the number `{text}`")),
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            // Integers past 2^53 lose precision as floats; such results become unknown below.
            Number::Int(i) => Some(*i as f64),
            Number::Float(f) => Some(*f),
            Number::Unknown(_) => None,
        }
    }

    /// `a op b`.
    pub fn binary(op: BinOp, a: &Number, b: &Number) -> Number {
        let unknown = || Number::Unknown(format!("a number computed at run time ({op:?})"));
        match (a, b) {
            (Number::Unknown(why), _) | (_, Number::Unknown(why)) => Number::Unknown(why.clone()),
            (Number::Int(x), Number::Int(y)) => int_op(op, *x, *y).unwrap_or_else(unknown),
            _ => match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => float(float_op(op, x, y)).unwrap_or_else(unknown),
                _ => unknown(),
            },
        }
    }

    /// The digits the languages agree on, or None: an unknown number, or a float outside the plain
    /// range or with no fractional part (`2.0` is `2` in JavaScript and `2.0` in Python).
    pub fn digits(&self) -> Option<String> {
        match self {
            Number::Int(i) => Some(i.to_string()),
            Number::Float(f) => {
                let plain = (PLAIN_FLOAT_MIN..PLAIN_FLOAT_MAX).contains(&f.abs());
                (plain && f.fract() != 0.0).then(|| f.to_string())
            }
            Number::Unknown(_) => None,
        }
    }

    /// The number as text: its digits, or one unknown part.
    pub fn template(&self) -> Template {
        match (self.digits(), self) {
            (Some(d), _) => Template::lit(d),
            (None, Number::Unknown(why)) => Template::unknown(why.clone()),
            (None, _) => {
                Template::unknown("a floating-point number whose spelling depends on the language")
            }
        }
    }
}

/// A finite float result, or None.
fn float(f: Option<f64>) -> Option<Number> {
    f.filter(|f| f.is_finite()).map(Number::Float)
}

fn int_op(op: BinOp, x: i64, y: i64) -> Option<Number> {
    let int = |v: Option<i64>| v.map(Number::Int);
    match op {
        BinOp::Add => int(x.checked_add(y)),
        BinOp::Sub => int(x.checked_sub(y)),
        BinOp::Mul => int(x.checked_mul(y)),
        BinOp::Div => {
            if y != 0 && x.checked_rem(y) == Some(0) {
                int(x.checked_div(y))
            } else {
                float(float_op(op, x as f64, y as f64))
            }
        }
        BinOp::TrueDiv => float(float_op(op, x as f64, y as f64)),
        BinOp::TruncDiv => int(x.checked_div(y)),
        BinOp::FloorDiv => {
            let q = x.checked_div(y)?;
            let r = x.checked_rem(y)?;
            int(if r != 0 && ((r < 0) != (y < 0)) {
                q.checked_sub(1)
            } else {
                Some(q)
            })
        }
        BinOp::Rem => int(x.checked_rem(y)),
        BinOp::Mod => {
            let r = x.checked_rem(y)?;
            int(if r != 0 && ((r < 0) != (y < 0)) {
                r.checked_add(y)
            } else {
                Some(r)
            })
        }
        BinOp::Pow => match u32::try_from(y) {
            Ok(e) => int(x.checked_pow(e)),
            Err(_) => float(float_op(op, x as f64, y as f64)),
        },
    }
}

fn float_op(op: BinOp, x: f64, y: f64) -> Option<f64> {
    let nonzero = (y != 0.0).then_some(y);
    Some(match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div | BinOp::TrueDiv | BinOp::TruncDiv => x / nonzero?,
        BinOp::FloorDiv => (x / nonzero?).floor(),
        BinOp::Rem => x % nonzero?,
        BinOp::Mod => {
            let r = x % nonzero?;
            if r != 0.0 && ((r < 0.0) != (y < 0.0)) {
                r + y
            } else {
                r
            }
        }
        BinOp::Pow => x.powf(y),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s)
    }

    fn text(op: BinOp, a: &str, b: &str) -> String {
        Number::binary(op, &n(a), &n(b)).template().to_string()
    }

    #[test]
    fn integer_arithmetic_renders_digits() {
        assert_eq!(text(BinOp::Add, "1", "1"), "2");
        assert_eq!(text(BinOp::Sub, "10", "3"), "7");
        assert_eq!(text(BinOp::Mul, "6", "7"), "42");
        assert_eq!(text(BinOp::Div, "8", "2"), "4");
        assert_eq!(text(BinOp::Div, "7", "2"), "3.5");
        assert_eq!(text(BinOp::TruncDiv, "-7", "2"), "-3");
        assert_eq!(text(BinOp::FloorDiv, "-7", "2"), "-4");
        assert_eq!(text(BinOp::Rem, "-7", "3"), "-1");
        assert_eq!(text(BinOp::Mod, "-7", "3"), "2");
        assert_eq!(text(BinOp::Pow, "2", "10"), "1024");
        assert_eq!(text(BinOp::Pow, "2", "-1"), "0.5");
    }

    #[test]
    fn what_languages_spell_differently_or_cannot_compute_is_unknown() {
        // 4 / 2 is `2.0` in Python, `2` in JavaScript.
        assert_eq!(text(BinOp::TrueDiv, "4", "2"), "*");
        assert_eq!(text(BinOp::Add, "0.5", "0.5"), "*");
        assert_eq!(text(BinOp::Div, "1", "0"), "*");
        assert_eq!(text(BinOp::Rem, "1", "0"), "*");
        assert_eq!(text(BinOp::Mul, "9223372036854775807", "2"), "*");
        assert_eq!(text(BinOp::Pow, "10", "400"), "*");
        assert_eq!(text(BinOp::Add, "1e300", "1e300"), "*");
        assert_eq!(n("5.0").template().to_string(), "*");
        assert_eq!(n("0.25").template().to_string(), "0.25");
        assert_eq!(n("x").template().to_string(), "*");
        let unknown = Number::Unknown("n".into());
        assert_eq!(
            Number::binary(BinOp::Add, &unknown, &n("1"))
                .template()
                .to_string(),
            "*"
        );
    }
}

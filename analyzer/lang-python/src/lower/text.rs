//! Python values computed from other values: arithmetic operators, f-string fields, `%`
//! formatting, `str.format`, `sep.join(items)` and `str(x)`, lowered to the IR's
//! [`Expr::Binary`], [`Expr::Format`] and [`Expr::Join`].

use super::Lowerer;
use ruff_python_ast::{self as ast, Expr as PyExpr};
use slz_core::ir::{BinOp, Expr, FuncId};
use slz_lang::fmt::{self, Arg, Dialect};

impl Lowerer<'_, '_> {
    /// `a + b` (addition on numbers, concatenation on str), `a % b` (formatting when `a` is a
    /// string literal or a name bound to one), and the other arithmetic operators.
    pub(super) fn binary(&self, b: &ast::ExprBinOp, scope: FuncId, d: usize) -> Expr {
        let op = match b.op {
            ast::Operator::Add => BinOp::Add,
            ast::Operator::Sub => BinOp::Sub,
            ast::Operator::Mult => BinOp::Mul,
            ast::Operator::Div => BinOp::TrueDiv,
            ast::Operator::FloorDiv => BinOp::FloorDiv,
            ast::Operator::Mod => BinOp::Mod,
            ast::Operator::Pow => BinOp::Pow,
            _ => return Expr::Unknown("a computed value".into()),
        };
        let left = self.expr(&b.left, scope, d);
        if let (BinOp::Mod, Expr::Str(template)) = (op, &left) {
            let Some(pieces) = fmt::percent(template) else {
                return Expr::Unknown("a % format the analyzer does not follow".into());
            };
            let right = self.expr(&b.right, scope, d);
            let positional = match b.right.as_ref() {
                PyExpr::Tuple(t) => t.elts.iter().map(|x| self.expr(x, scope, d)).collect(),
                _ => vec![right.clone()],
            };
            return fmt::percent_expr(pieces, &positional, &right);
        }
        Expr::Binary(op, Box::new(left), Box::new(self.expr(&b.right, scope, d)))
    }

    /// One `{...}` of an f-string: its value with its conversion and format spec.
    pub(super) fn interpolation(
        &self,
        i: &ast::InterpolatedElement,
        scope: FuncId,
        d: usize,
    ) -> Expr {
        if i.debug_text.is_some() {
            // `f"{x=}"` prints the expression's source text too.
            return Expr::Unknown("a self-documenting f-string field".into());
        }
        let value = self.expr(&i.expression, scope, d);
        let conversion = match i.conversion {
            ast::ConversionFlag::Repr | ast::ConversionFlag::Ascii => "!r",
            _ => "",
        };
        let mut spec = String::new();
        for el in i.format_spec.iter().flat_map(|s| s.elements.iter()) {
            match el {
                ast::InterpolatedStringElement::Literal(l) => spec.push_str(&l.value),
                // A spec with fields of its own is computed at run time.
                ast::InterpolatedStringElement::Interpolation(_) => spec.push('{'),
            }
        }
        let field = if spec.is_empty() {
            format!("{{{conversion}}}")
        } else {
            format!(
                "{{{conversion}:{}}}",
                spec.replace('{', "{{").replace('}', "}}")
            )
        };
        match fmt::braces(&field, Dialect::Python) {
            Some(pieces) => fmt::braces_expr(pieces, |_| Some(value.clone())),
            None => Expr::Unknown("an f-string field the analyzer does not follow".into()),
        }
    }

    /// `"...".format(...)`, `"-".join(items)` and `str(x)`; None for any other call.
    pub(super) fn text_call(&self, c: &ast::ExprCall, scope: FuncId, d: usize) -> Option<Expr> {
        match c.func.as_ref() {
            PyExpr::Attribute(a) if matches!(a.attr.as_str(), "format" | "join") => {
                let Expr::Str(receiver) = self.expr(&a.value, scope, d) else {
                    return None;
                };
                let positional: Vec<Expr> = c
                    .arguments
                    .args
                    .iter()
                    .map(|x| match x {
                        PyExpr::Starred(_) => Expr::Unknown("*args".into()),
                        x => self.expr(x, scope, d),
                    })
                    .collect();
                if a.attr.as_str() == "join" {
                    let items = positional.into_iter().next()?;
                    return Some(Expr::Join(Box::new(Expr::Str(receiver)), Box::new(items)));
                }
                let named: Vec<(String, Expr)> = c
                    .arguments
                    .keywords
                    .iter()
                    .filter_map(|k| {
                        Some((k.arg.as_ref()?.to_string(), self.expr(&k.value, scope, d)))
                    })
                    .collect();
                let spread = c
                    .arguments
                    .args
                    .iter()
                    .any(|x| matches!(x, PyExpr::Starred(_)));
                let Some(pieces) = fmt::braces(&receiver, Dialect::Python) else {
                    return Some(Expr::Unknown(
                        "a format string the analyzer does not follow".into(),
                    ));
                };
                Some(fmt::braces_expr(pieces, |arg| match arg {
                    Arg::Index(n) if !spread => positional.get(*n).cloned(),
                    Arg::Name(n) => named.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()),
                    _ => None,
                }))
            }
            PyExpr::Name(n)
                if n.id.as_str() == "str"
                    && c.arguments.args.len() == 1
                    && c.arguments.keywords.is_empty()
                    && matches!(self.name_in(scope, "str", d), Expr::Global(_)) =>
            {
                let value = self.expr(&c.arguments.args[0], scope, d);
                Some(Expr::Format(Box::new(value), Box::default()))
            }
            _ => None,
        }
    }
}

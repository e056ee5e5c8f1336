//! Library functions that call AWS for the caller (middy middlewares, Powertools utilities),
//! described in `rules/sdk/libraries.toml` and shared by every language's SDK model.

use crate::catalog::{catalog, model::LibrarySpec};
use crate::interp::{Classified, SdkOp, Val};

/// The full dotted name of a package value: `aws_lambda_powertools.utilities` + `[parameters,
/// get_parameter]` -> `aws_lambda_powertools.utilities.parameters.get_parameter`.
fn dotted(name: &str, path: &[String]) -> String {
    let mut s = name.to_string();
    for p in path.iter().filter(|p| p.as_str() != "default") {
        s.push('.');
        s.push_str(p);
    }
    s
}

fn at(args: &[Val], path: &str) -> Option<Val> {
    let mut parts = path.split('.');
    let head = parts.next()?;
    let mut v = if head == "kw" {
        let name = parts.next()?;
        match args.last() {
            Some(o @ Val::Object(_)) => o.field(name)?.clone(),
            _ => return None,
        }
    } else {
        args.get(head.parse::<usize>().ok()?)?.clone()
    };
    for p in parts {
        v = match (p, &v) {
            ("*", Val::Object(fields)) => {
                Val::Array(fields.iter().map(|(_, x)| x.clone()).collect())
            }
            (name, Val::Object(_)) => v.field(name)?.clone(),
            _ => return None,
        };
    }
    Some(v)
}

/// The operations a call to a known library function performs.
pub fn classify(callee: &Val, args: &[Val]) -> Vec<Classified> {
    let Val::Package { name, path } = callee else {
        return Vec::new();
    };
    let key = dotted(name, path);
    let Some(spec): Option<&LibrarySpec> = catalog().libraries.get(&key) else {
        return Vec::new();
    };
    let mut input = Vec::new();
    for (field, paths) in &spec.args {
        if let Some(v) = paths.iter().find_map(|p| at(args, p)) {
            input.push((field.clone(), v));
        }
    }
    let input = Val::Object(input);
    spec.operations
        .iter()
        .map(|op| {
            Classified::Op(SdkOp {
                service: spec.service.clone(),
                operation: op.clone(),
                input: input.clone(),
                via: format!("{key}()"),
            })
        })
        .collect()
}

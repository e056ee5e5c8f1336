//! Library functions that call AWS for the caller (middy middlewares, Powertools utilities),
//! described in `rules/sdk/libraries.toml` and shared by every language's SDK model.

use crate::sdk::{Classified, SdkOp, Val};
use slz_catalog::{catalog, model::LibrarySpec};

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
                other_credentials: false,
                failure_path: false,
            })
        })
        .collect()
}

/// HTTP clients: (package, path) -> how the request's method, URL and headers are passed.
const HTTP_CLIENTS: &[(&str, &str)] = &[
    ("axios", ""),
    ("axios", "request"),
    ("axios", "get"),
    ("axios", "delete"),
    ("axios", "head"),
    ("axios", "options"),
    ("axios", "post"),
    ("axios", "put"),
    ("axios", "patch"),
    ("<global>", "fetch"),
    ("node-fetch", ""),
    ("cross-fetch", ""),
    ("got", ""),
    ("got", "get"),
    ("got", "post"),
    ("got", "put"),
    ("got", "delete"),
    ("got", "patch"),
    ("requests", "get"),
    ("requests", "post"),
    ("requests", "put"),
    ("requests", "delete"),
    ("requests", "patch"),
    ("requests", "head"),
    ("requests", "request"),
];

/// Functions that sign requests with SigV4 for the code around them.
const SIGNERS: &[(&str, &str)] = &[
    ("aws4", "sign"),
    ("aws4-axios", "aws4Interceptor"),
    ("aws4-axios", "addInterceptors"),
    ("requests_aws4auth", "AWS4Auth"),
    ("aws_requests_auth.aws_auth", "AWSRequestsAuth"),
    ("aws_requests_auth.boto_utils", "BotoAWSRequestsAuth"),
    ("botocore.auth", "SigV4Auth"),
];

fn header_has_api_key(headers: Option<&Val>) -> bool {
    match headers {
        Some(Val::Object(fields)) => fields
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("x-api-key")),
        _ => false,
    }
}

/// HTTP requests and SigV4 signers, for every language.
pub fn classify_http(callee: &Val, args: &[Val]) -> Vec<Classified> {
    let Val::Package { name, path } = callee else {
        return Vec::new();
    };
    let path: Vec<&str> = path
        .iter()
        .map(String::as_str)
        .filter(|p| *p != "default")
        .collect();
    let member = path.last().copied().unwrap_or("");
    let key = (name.as_str(), if path.len() <= 1 { member } else { "" });
    if SIGNERS
        .iter()
        .any(|(p, f)| *p == name.as_str() && *f == member)
    {
        return vec![Classified::Signer];
    }
    let is_fetch = name == "<global>" && path == ["fetch"];
    if !(HTTP_CLIENTS.contains(&key) || is_fetch) {
        return Vec::new();
    }
    let arg = |i: usize| args.get(i).cloned();
    let kwargs = match args.last() {
        Some(o @ Val::Object(_)) => Some(o.clone()),
        _ => None,
    };
    let python = name == "requests";
    let (method, url, config) = match (name.as_str(), member) {
        (_, "get" | "delete" | "head" | "options") => (
            member.to_uppercase(),
            arg(0),
            if python { kwargs.clone() } else { arg(1) },
        ),
        (_, "post" | "put" | "patch") => (
            member.to_uppercase(),
            arg(0),
            if python { kwargs.clone() } else { arg(2) },
        ),
        ("requests", "request") => {
            let m = arg(0)
                .and_then(|m| m.as_template().as_literal())
                .unwrap_or_else(|| "GET".into());
            (m.to_uppercase(), arg(1), kwargs.clone())
        }
        _ => {
            // axios(config), axios(url, config), fetch(url, init), got(url, options)
            let (url, config) = match arg(0) {
                Some(cfg @ Val::Object(_)) => (cfg.field("url").cloned(), Some(cfg)),
                other => (other, arg(1)),
            };
            let m = config
                .as_ref()
                .and_then(|c| c.field("method"))
                .and_then(|m| m.as_template().as_literal())
                .unwrap_or_else(|| "GET".into());
            (m.to_uppercase(), url, config)
        }
    };
    let Some(url) = url else { return Vec::new() };
    let signed_by_auth = python
        && kwargs.as_ref().and_then(|k| k.field("auth")).is_some_and(|a| {
            matches!(a, Val::Package { name, path } if SIGNERS.iter().any(|(p, f)| p == name || path.last().is_some_and(|l| l == f)))
        });
    let api_key = header_has_api_key(config.as_ref().and_then(|c| c.field("headers")));
    let mut out = vec![Classified::Http {
        method,
        url,
        api_key,
    }];
    if signed_by_auth {
        out.push(Classified::Signer);
    }
    out
}

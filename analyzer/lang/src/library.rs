//! Library functions that call AWS for the caller (middy middlewares, Powertools utilities),
//! described in `rules/sdk/libraries.toml`, and HTTP requests and their SigV4 signers, described in
//! `rules/sdk/http.toml`; shared by every language's SDK model.

use crate::sdk::{Classified, SdkOp, Val};
use slz_catalog::http::{Options, RequestShape};
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
    let function = if path.len() <= 1 { member } else { "" };
    let http = &catalog().http;
    if http.is_signer(name, member) {
        return vec![Classified::Signer];
    }
    let Some(call) = http.request(name, function, member) else {
        return Vec::new();
    };
    let arg = |i: usize| args.get(i).cloned();
    let kwargs = match args.last() {
        Some(o @ Val::Object(_)) => Some(o.clone()),
        _ => None,
    };
    let keywords = call.options == Options::Keywords;
    let (method, url, config) = match call.shape {
        RequestShape::Url => (
            member.to_uppercase(),
            arg(0),
            if keywords { kwargs.clone() } else { arg(1) },
        ),
        RequestShape::UrlBody => (
            member.to_uppercase(),
            arg(0),
            if keywords { kwargs.clone() } else { arg(2) },
        ),
        RequestShape::MethodUrl => {
            let m = arg(0)
                .and_then(|m| m.as_template().as_literal())
                .unwrap_or_else(|| "GET".into());
            (
                m.to_uppercase(),
                arg(1),
                if keywords { kwargs.clone() } else { arg(2) },
            )
        }
        RequestShape::Config => {
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
    let signed_by_auth = keywords
        && kwargs.as_ref().and_then(|k| k.field("auth")).is_some_and(|a| {
            matches!(a, Val::Package { name, path } if http.is_signer_value(name, path.last().map(String::as_str)))
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

#[cfg(test)]
mod tests {
    use super::classify_http;
    use crate::sdk::{Classified, Val};

    fn package(name: &str, path: &[&str]) -> Val {
        Val::Package {
            name: name.to_string(),
            path: path.iter().map(|p| p.to_string()).collect(),
        }
    }

    fn object(fields: &[(&str, Val)]) -> Val {
        Val::Object(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    /// The method, URL text and API-key flag of the request, and whether the call is signed.
    fn request(callee: Val, args: &[Val]) -> Option<(String, String, bool, bool)> {
        let out = classify_http(&callee, args);
        let signed = out.iter().any(|c| matches!(c, Classified::Signer));
        out.into_iter().find_map(|c| match c {
            Classified::Http {
                method,
                url,
                api_key,
            } => Some((method, url.as_template().to_string(), api_key, signed)),
            _ => None,
        })
    }

    const URL: &str = "https://abc.execute-api.us-east-1.amazonaws.com/prod/orders";

    fn with_api_key() -> Val {
        object(&[("headers", object(&[("X-Api-Key", Val::text("k"))]))])
    }

    #[test]
    fn each_request_shape_finds_method_url_and_headers() {
        // axios.post(url, body, config): the options are the third argument.
        assert_eq!(
            request(
                package("axios", &["post"]),
                &[Val::text(URL), object(&[]), with_api_key()]
            ),
            Some(("POST".into(), URL.into(), true, false))
        );
        // got.post(url, options): the body is an option, not an argument.
        assert_eq!(
            request(package("got", &["post"]), &[Val::text(URL), with_api_key()]),
            Some(("POST".into(), URL.into(), true, false))
        );
        // axios(config): method and URL inside the config.
        let config = object(&[
            ("url", Val::text(URL)),
            ("method", Val::text("patch")),
            ("headers", object(&[("x-api-key", Val::text("k"))])),
        ]);
        assert_eq!(
            request(package("axios", &["default"]), &[config]),
            Some(("PATCH".into(), URL.into(), true, false))
        );
        // fetch(url, init) through the global scope; GET when init has no method.
        assert_eq!(
            request(package("<global>", &["fetch"]), &[Val::text(URL)]),
            Some(("GET".into(), URL.into(), false, false))
        );
        // requests.request(method, url, **kwargs), signed through its `auth` keyword.
        let kwargs = object(&[
            ("auth", package("requests_aws4auth", &["AWS4Auth"])),
            ("headers", object(&[("x-api-key", Val::text("k"))])),
        ]);
        assert_eq!(
            request(
                package("requests", &["request"]),
                &[Val::text("delete"), Val::text(URL), kwargs]
            ),
            Some(("DELETE".into(), URL.into(), true, true))
        );
        // requests.post(url, **kwargs): the body is a keyword too.
        assert_eq!(
            request(
                package("requests", &["post"]),
                &[Val::text(URL), with_api_key()]
            ),
            Some(("POST".into(), URL.into(), true, false))
        );
    }

    #[test]
    fn signers_and_other_functions() {
        let out = classify_http(&package("aws4", &["sign"]), &[object(&[])]);
        assert!(matches!(out.as_slice(), [Classified::Signer]));
        // Not a client function: nothing.
        assert!(classify_http(&package("requests", &["Session"]), &[]).is_empty());
        assert!(classify_http(&package("left-pad", &[]), &[Val::text(URL)]).is_empty());
        // A request without a URL is not one.
        assert!(classify_http(&package("axios", &["get"]), &[]).is_empty());
    }
}

//! JS v3 calls the SDK model cannot attribute to a client, reported rather than dropped:
//! - a class of an `@aws-sdk/client-*` package that the catalog does not know as a client (a
//!   service newer than the catalog, a class name it spells otherwise): calls through it are
//!   `unknown-client` diagnostics;
//! - `send(new XCommand())` of a known command on a value not resolved to a client (a parameter,
//!   an import the analysis does not follow): the operations it carries, for a `dynamic-client`
//!   diagnostic at the call.

use super::sdk::{commands, NON_OPERATIONS};
use slz_catalog::Catalog;
use slz_lang::sdk::{describe, Classified, ClientKind, SdkVal, UnresolvedOp, Val};

const V3_CLIENT_PACKAGE: &str = "@aws-sdk/client-";

/// Exports of a client package that are built with `new` and are not clients.
const NOT_CLIENTS: &[&str] = &["Command", "Exception", "Fault"];

/// `new X()` of an export `X` of an `@aws-sdk/client-*` package that the catalog did not
/// recognise: an unrecognised client, unless the name says it is a command or an error class.
pub fn unrecognised_client(package: &str, export: &str) -> Option<Val> {
    if !package.starts_with(V3_CLIENT_PACKAGE)
        || export.is_empty()
        || NOT_CLIENTS.iter().any(|s| export.ends_with(s))
    {
        return None;
    }
    Some(Val::Sdk(SdkVal::Client {
        service: package.to_string(),
        kind: ClientKind::JsV3Unrecognised {
            class: export.to_string(),
        },
        other_credentials: false,
    }))
}

/// A call of `method` on an unrecognised client `class` of `package`.
pub fn unrecognised_client_call(
    cat: &Catalog,
    package: &str,
    class: &str,
    method: &str,
    args: &[Val],
) -> Vec<Classified> {
    if method != "send" && NON_OPERATIONS.contains(&method) {
        return Vec::new();
    }
    let what = match cat.service_by_js_v3_package(package) {
        Some(service) => {
            let expected = cat
                .index_entry(service)
                .map(|e| {
                    format!(
                        " (it knows `{}` and `{}`)",
                        e.js_v3_client, e.js_v3_aggregate
                    )
                })
                .unwrap_or_default();
            format!("`{class}` is not a client class of `{package}` the catalog knows{expected}")
        }
        None => format!("`{package}` is not a package the catalog knows"),
    };
    let call = match (method, args.first()) {
        ("send", Some(cmd)) => {
            let names: Vec<String> = commands(cmd)
                .into_iter()
                .map(|(_, op, _)| format!("{op}Command"))
                .collect();
            if names.is_empty() {
                format!("`send` of {}", describe(cmd))
            } else {
                format!("`send({})`", names.join(" | "))
            }
        }
        _ => format!("`{method}`"),
    };
    vec![Classified::Diag {
        code: "unknown-client",
        message: format!("{what}; {call} through it is granted nothing"),
    }]
}

/// The operations `receiver.send(command)` carries when `receiver` is not resolved to a client.
pub fn unresolved_send(method: &str, receiver: &Val, args: &[Val]) -> Vec<UnresolvedOp> {
    let Some(cmd) = args.first().filter(|_| method == "send") else {
        return Vec::new();
    };
    commands(cmd)
        .into_iter()
        .map(|(service, operation, _)| UnresolvedOp {
            message: format!(
                "`send({operation}Command)` is called on {}, which is not resolved to an AWS SDK client; no permission granted for {service} {operation}",
                describe(receiver)
            ),
            service,
            operation,
        })
        .collect()
}

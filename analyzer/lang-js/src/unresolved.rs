//! JS v3 calls the SDK model cannot attribute to a client, reported rather than dropped:
//! - a class of an `@aws-sdk/client-*` package that the catalog does not know as a client (a
//!   service newer than the catalog, a class name it spells otherwise): calls through it are
//!   `unknown-client` diagnostics;
//! - `send(new XCommand())` of a known command on a value not resolved to a client (a parameter,
//!   an import the analysis does not follow): the operations it carries, for a `dynamic-client`
//!   diagnostic at the call.

use super::sdk::{commands, NON_OPERATIONS};
use slz_catalog::SdkNames;
use slz_lang::sdk::{describe, Classified, HandleKind, SdkVal, UnresolvedOp, Val};

slz_lang::flavours! {
    /// The JS model's own SDK objects.
    pub enum UnrecognisedClient {
        /// A class of an `@aws-sdk/client-*` package the catalog does not know as a client: the
        /// handle's service is the package, its data the class name.
        Client = "client",
    }
}

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
    Some(Val::Sdk(SdkVal::Handle {
        service: package.to_string(),
        kind: HandleKind::plain(UnrecognisedClient::Client.flavour()),
        data: Box::new(Val::text(export)),
        other_credentials: false,
    }))
}

/// A method read off an unrecognised client, or a member of such a method (which says what it
/// was read from as a method of a client does).
pub fn unrecognised_client_member(object: &Val, prop: &str) -> Option<Val> {
    match object {
        Val::Sdk(SdkVal::Handle {
            service,
            kind,
            data,
            other_credentials,
        }) if is_unrecognised(kind) => Some(Val::Sdk(SdkVal::HandleMethod {
            service: service.clone(),
            kind: kind.clone(),
            data: data.clone(),
            name: prop.to_string(),
            other_credentials: *other_credentials,
        })),
        Val::Sdk(SdkVal::HandleMethod {
            service,
            kind,
            name,
            ..
        }) if is_unrecognised(kind) => Some(Val::Unknown(format!("`.{prop}` of {service}.{name}"))),
        _ => None,
    }
}

/// What calling (`the result of`) or constructing (`a new`) a method of an unrecognised client
/// gives: nothing known.
pub fn unrecognised_client_result(callee: &Val, what: &str) -> Option<Val> {
    match callee {
        Val::Sdk(SdkVal::HandleMethod {
            service,
            kind,
            name,
            ..
        }) if is_unrecognised(kind) => Some(Val::Unknown(format!("{what} {service}.{name}"))),
        _ => None,
    }
}

fn is_unrecognised(kind: &HandleKind) -> bool {
    UnrecognisedClient::of(kind.flavour) == Some(UnrecognisedClient::Client)
}

/// A call of `method` on an unrecognised client `class` of `package`.
pub fn unrecognised_client_call(
    v3: Option<&SdkNames>,
    package: &str,
    class: &str,
    method: &str,
    args: &[Val],
) -> Vec<Classified> {
    if method != "send" && NON_OPERATIONS.contains(&method) {
        return Vec::new();
    }
    let what = match v3.and_then(|n| n.service_by_package(package)) {
        Some(service) => {
            let expected = v3
                .and_then(|n| n.service(service))
                .filter(|s| !s.classes.is_empty())
                .map(|s| format!(" (it knows {})", listed(&s.classes)))
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

/// Names in backticks, the last after `and`.
fn listed(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
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

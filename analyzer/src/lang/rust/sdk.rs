//! aws-sdk-rust as the evaluator sees it: `aws_sdk_x::Client::new(&config)` /
//! `Client::from_conf(...)` make clients; a client method named after an operation starts a fluent
//! builder; setters (`bucket(b)`, `set_item(Some(i))`) fill the request; `send()`,
//! `into_paginator().send()` and `presigned(...)` perform it.

use crate::catalog::{catalog, Catalog};
use crate::interp::{describe, Classified, ClientKind, SdkModel, SdkOp, SdkVal, Val};
use crate::lang::python::sdk::snake;

pub struct RustSdk {
    cat: &'static Catalog,
}

impl Default for RustSdk {
    fn default() -> Self {
        RustSdk { cat: catalog() }
    }
}

/// Builder methods that keep the builder as it is.
const PASS_THROUGH: &[&str] = &["customize", "into_paginator", "items", "config_override"];

impl RustSdk {
    fn service_of_crate(&self, krate: &str) -> Option<String> {
        let krate = krate.split("::").next().unwrap_or(krate);
        self.cat.service_by_rust_crate(krate).map(str::to_string)
    }

    fn input_member(&self, service: &str, operation: &str, setter: &str) -> Option<String> {
        let setter = setter.strip_prefix("set_").unwrap_or(setter);
        let op = self.cat.service(service)?.operations.get(operation)?;
        op.inputs
            .iter()
            .find(|m| snake(m) == setter || m.eq_ignore_ascii_case(setter))
            .cloned()
    }
}

fn with_field(data: &Val, name: String, value: Val) -> Val {
    let mut fields = match data {
        Val::Object(f) => f.clone(),
        _ => Vec::new(),
    };
    fields.push((name, value));
    Val::Object(fields)
}

impl SdkModel for RustSdk {
    fn construct(&self, _callee: &Val, _args: &[Val]) -> Option<Val> {
        None
    }

    fn call(&self, callee: &Val, args: &[Val]) -> Option<Val> {
        match callee {
            Val::Package { name, path } if name.starts_with("aws_sdk_") => {
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                match p.as_slice() {
                    [.., "Client", "new" | "from_conf"] => {
                        let service = self.service_of_crate(name)?;
                        Some(Val::Sdk(SdkVal::Client {
                            service,
                            kind: ClientKind::RustClient,
                            other_credentials: false,
                        }))
                    }
                    _ => None,
                }
            }
            Val::Sdk(SdkVal::Method {
                service,
                kind: ClientKind::RustClient,
                name,
                ..
            }) => {
                // `wait_until_bucket_exists()` polls the waiter's operation.
                let waiter_op = name.strip_prefix("wait_until_").and_then(|w| {
                    let model = self.cat.service(service)?;
                    model
                        .waiters
                        .iter()
                        .find(|(k, _)| snake(k) == w)
                        .map(|(_, op)| op.clone())
                });
                let op = match waiter_op {
                    Some(op) => op,
                    None => self.cat.operation_name(service, name)?.to_string(),
                };
                Some(Val::Sdk(SdkVal::Handle {
                    service: service.clone(),
                    kind: format!("fluent:{op}"),
                    data: Box::new(Val::Object(Vec::new())),
                }))
            }
            Val::Sdk(SdkVal::HandleMethod {
                service,
                kind,
                data,
                name,
            }) => {
                let op = kind.strip_prefix("fluent:")?;
                if PASS_THROUGH.contains(&name.as_str()) {
                    return Some(Val::Sdk(SdkVal::Handle {
                        service: service.clone(),
                        kind: kind.clone(),
                        data: data.clone(),
                    }));
                }
                let member = self.input_member(service, op, name)?;
                let value = args
                    .first()
                    .cloned()
                    .unwrap_or(Val::Unknown("no value".into()));
                Some(Val::Sdk(SdkVal::Handle {
                    service: service.clone(),
                    kind: kind.clone(),
                    data: Box::new(with_field(data, member, value)),
                }))
            }
            _ => None,
        }
    }

    fn member(&self, object: &Val, prop: &str) -> Option<Val> {
        match object {
            // Operations start builders; other names may be the project's extension traits on
            // the client (`impl GetFile for Client`), reached by name with the client as `self`.
            Val::Sdk(SdkVal::Client {
                service,
                kind: ClientKind::RustClient,
                ..
            }) => {
                let is_op = self.cat.operation_name(service, prop).is_some()
                    || matches!(prop, "config" | "clone" | "with_config")
                    || prop.starts_with("wait_until");
                is_op
                    .then(|| {
                        Val::Sdk(SdkVal::Method {
                            service: service.clone(),
                            kind: ClientKind::RustClient,
                            name: prop.to_string(),
                            other_credentials: false,
                        })
                    })
                    .or_else(|| Some(Val::Unknown(format!("`.{prop}` of a {service} client"))))
            }
            Val::Sdk(SdkVal::Handle {
                service,
                kind,
                data,
            }) if kind.starts_with("fluent:") => Some(Val::Sdk(SdkVal::HandleMethod {
                service: service.clone(),
                kind: kind.clone(),
                data: data.clone(),
                name: prop.to_string(),
            })),
            Val::Sdk(_) => Some(Val::Unknown(format!("`.{prop}` of {}", describe(object)))),
            _ => None,
        }
    }

    fn classify(&self, callee: &Val, _args: &[Val], _is_new: bool) -> Vec<Classified> {
        match callee {
            Val::Either(alts) => alts
                .iter()
                .flat_map(|a| self.classify(a, &[], false))
                .collect(),
            Val::Sdk(SdkVal::HandleMethod {
                service,
                kind,
                data,
                name,
            }) if matches!(name.as_str(), "send" | "presigned") => {
                let Some(op) = kind.strip_prefix("fluent:") else {
                    return Vec::new();
                };
                let via = format!("{service}.{}().{name}()", snake(op));
                vec![Classified::Op(SdkOp {
                    service: service.clone(),
                    operation: op.to_string(),
                    input: (**data).clone(),
                    via,
                    other_credentials: false,
                    failure_path: false,
                })]
            }
            Val::Sdk(SdkVal::Method {
                service,
                kind: ClientKind::RustClient,
                name,
                ..
            }) => {
                if self.cat.operation_name(service, name).is_some()
                    || name.starts_with("wait_until")
                    || matches!(name.as_str(), "config" | "clone" | "from_conf" | "new")
                {
                    return Vec::new();
                }
                vec![Classified::Diag {
                    code: "unknown-operation",
                    message: format!("`{name}` is not an operation of {service} in the catalog; no permission granted for it"),
                }]
            }
            _ => Vec::new(),
        }
    }
}

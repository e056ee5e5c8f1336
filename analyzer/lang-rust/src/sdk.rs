//! aws-sdk-rust as the evaluator sees it: `aws_sdk_x::Client::new(&config)` /
//! `Client::from_conf(...)` make clients; a client method named after an operation starts a fluent
//! builder; setters (`bucket(b)`, `set_item(Some(i))`) fill the request; `send()`,
//! `into_paginator().send()` and `presigned(...)` perform it.
//!
//! Configs are followed only for their credentials: a loader or builder given
//! `.credentials_provider(...)` (`aws_config::defaults(..)`, `aws_sdk_x::config::Builder::from(&c)`)
//! makes configs, and then clients, whose calls run with those credentials.

use slz_catalog::{catalog, Catalog};
use slz_lang::naming::snake;
use slz_lang::sdk::{describe, Classified, ClientKind, SdkModel, SdkOp, SdkVal, Val};

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

/// A config loader or builder (`aws_config::defaults(..)`, `aws_sdk_s3::Config::builder()`): its
/// setters return it, `load()` / `build()` make a [`CONFIG`].
const CONFIG_BUILDER: &str = "config-builder";
/// A loaded or built config (`SdkConfig`, `aws_sdk_s3::Config`).
const CONFIG: &str = "config";

/// A config or config builder, with whether it carries explicit credentials.
fn config(kind: &str, other_credentials: bool) -> Val {
    Val::Sdk(SdkVal::Handle {
        service: "aws_config".into(),
        kind: kind.to_string(),
        data: Box::new(Val::Object(Vec::new())),
        other_credentials,
    })
}

/// Whether a config (or builder) was given explicit credentials; for one of several values, whether
/// each was (a call that may run as the function's role needs its permission).
fn config_credentials(v: Option<&Val>) -> bool {
    match v {
        Some(Val::Sdk(SdkVal::Handle {
            kind,
            other_credentials,
            ..
        })) if kind == CONFIG || kind == CONFIG_BUILDER => *other_credentials,
        Some(Val::Either(alts)) => {
            !alts.is_empty() && alts.iter().all(|a| config_credentials(Some(a)))
        }
        _ => false,
    }
}

/// The `aws_config` crate or one of its modules, as imported.
fn is_aws_config(krate: &str) -> bool {
    krate.split("::").next() == Some("aws_config")
}

/// `set_credentials_provider(None)` restores the default chain: the function's role.
fn sets_credentials(args: &[Val]) -> bool {
    !matches!(args.first(), Some(Val::Package { name, path }) if name == "<global>" && path.len() == 1 && path[0] == "None")
}

impl RustSdk {
    /// A constructor of configs and clients (`aws_config::defaults(..)`, `Client::new(&c)`).
    fn construct_path(&self, name: &str, path: &[&str], args: &[Val]) -> Option<Val> {
        let inherited = config_credentials(args.first());
        if is_aws_config(name) {
            return match path {
                [.., "load_from_env" | "load_defaults"] => Some(config(CONFIG, false)),
                [.., "defaults" | "from_env"]
                | [.., "ConfigLoader", "default"]
                | [.., "SdkConfig", "builder"] => Some(config(CONFIG_BUILDER, false)),
                _ => None,
            };
        }
        match path {
            [.., "Client", "new" | "from_conf"] => {
                let service = self.service_of_crate(name)?;
                Some(Val::Sdk(SdkVal::Client {
                    service,
                    kind: ClientKind::RustClient,
                    other_credentials: inherited,
                }))
            }
            [.., "config", "Builder", "from" | "new" | "default"]
            | [.., "Config", "builder"]
            | [.., "Builder", "from"] => Some(config(CONFIG_BUILDER, inherited)),
            [.., "Config", "new" | "from"] => Some(config(CONFIG, inherited)),
            _ => None,
        }
    }

    /// A method of a config or config builder.
    fn config_method(&self, kind: &str, creds: bool, name: &str, args: &[Val]) -> Option<Val> {
        match (kind, name) {
            (CONFIG_BUILDER, "credentials_provider" | "set_credentials_provider") => {
                Some(config(CONFIG_BUILDER, sets_credentials(args)))
            }
            (CONFIG_BUILDER, "load" | "build") => Some(config(CONFIG, creds)),
            // Every other setter returns the builder.
            (CONFIG_BUILDER, _) => Some(config(CONFIG_BUILDER, creds)),
            (CONFIG, "to_builder") => Some(config(CONFIG_BUILDER, creds)),
            _ => None,
        }
    }

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
            Val::Package { name, path } if name.starts_with("aws_sdk_") || is_aws_config(name) => {
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                self.construct_path(name, &p, args)
            }
            Val::Sdk(SdkVal::HandleMethod {
                kind,
                name,
                other_credentials,
                ..
            }) if kind == CONFIG || kind == CONFIG_BUILDER => {
                self.config_method(kind, *other_credentials, name, args)
            }
            Val::Sdk(SdkVal::Method {
                service,
                kind: ClientKind::RustClient,
                name,
                other_credentials,
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
                    other_credentials: *other_credentials,
                }))
            }
            Val::Sdk(SdkVal::HandleMethod {
                service,
                kind,
                data,
                name,
                other_credentials,
            }) => {
                let op = kind.strip_prefix("fluent:")?;
                if PASS_THROUGH.contains(&name.as_str()) {
                    return Some(Val::Sdk(SdkVal::Handle {
                        service: service.clone(),
                        kind: kind.clone(),
                        data: data.clone(),
                        other_credentials: *other_credentials,
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
                    other_credentials: *other_credentials,
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
                other_credentials,
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
                            other_credentials: *other_credentials,
                        })
                    })
                    .or_else(|| Some(Val::Unknown(format!("`.{prop}` of a {service} client"))))
            }
            Val::Sdk(SdkVal::Handle {
                service,
                kind,
                data,
                other_credentials,
            }) if kind.starts_with("fluent:")
                || ((kind == CONFIG_BUILDER || kind == CONFIG)
                    && self.config_method(kind, false, prop, &[]).is_some()) =>
            {
                Some(Val::Sdk(SdkVal::HandleMethod {
                    service: service.clone(),
                    kind: kind.clone(),
                    data: data.clone(),
                    name: prop.to_string(),
                    other_credentials: *other_credentials,
                }))
            }
            Val::Sdk(_) => Some(Val::Unknown(format!("`.{prop}` of {}", describe(object)))),
            _ => None,
        }
    }

    fn classify(&self, callee: &Val, args: &[Val], _is_new: bool) -> Vec<Classified> {
        match callee {
            // A credentials provider that assumes a role makes the `AssumeRole` call itself, as the
            // function.
            Val::Package { name, path }
                if is_aws_config(name)
                    && path.len() >= 2
                    && path[path.len() - 2] == "AssumeRoleProvider"
                    && path[path.len() - 1] == "builder" =>
            {
                let role = args
                    .first()
                    .cloned()
                    .unwrap_or(Val::Unknown("no role given".into()));
                vec![Classified::Op(SdkOp {
                    service: "sts".into(),
                    operation: "AssumeRole".into(),
                    input: Val::Object(vec![("RoleArn".into(), role)]),
                    via: "aws_config AssumeRoleProvider".into(),
                    other_credentials: false,
                    failure_path: false,
                })]
            }
            Val::Either(alts) => alts
                .iter()
                .flat_map(|a| self.classify(a, &[], false))
                .collect(),
            Val::Sdk(SdkVal::HandleMethod {
                service,
                kind,
                data,
                name,
                other_credentials,
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
                    other_credentials: *other_credentials,
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

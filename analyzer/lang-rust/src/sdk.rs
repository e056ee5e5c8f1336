//! aws-sdk-rust as the evaluator sees it: `aws_sdk_x::Client::new(&config)` /
//! `Client::from_conf(...)` make clients; a client method named after an operation starts a fluent
//! builder; setters (`bucket(b)`, `set_item(Some(i))`) fill the request; `send()`,
//! `into_paginator().send()` and `presigned(...)` perform it.
//!
//! Configs are followed only for their credentials: a loader or builder given
//! `.credentials_provider(...)` (`aws_config::defaults(..)`, `aws_sdk_x::config::Builder::from(&c)`)
//! makes configs, and then clients, whose calls run with those credentials.

use slz_catalog::{catalog, Catalog, SdkNames};
use slz_lang::model::{classify_each, op, unknown_operation};
use slz_lang::naming::snake;
use slz_lang::sdk::{describe, Classified, Flavour, HandleKind, SdkModel, SdkOp, SdkVal, Val};

slz_lang::flavours! {
    /// How an aws-sdk-rust client was made.
    pub enum RustClient {
        /// `aws_sdk_s3::Client::new(&config)`: methods start fluent builders.
        Client = "client",
    }
}

slz_lang::flavours! {
    /// aws-sdk-rust's SDK objects.
    pub enum RustHandle {
        /// A fluent builder (`client.get_object()`), made for its operation; its data is the
        /// request set so far.
        Fluent = "fluent",
        /// A config loader or builder (`aws_config::defaults(..)`, `aws_sdk_s3::Config::builder()`):
        /// its setters return it, `load()` / `build()` make a [`RustHandle::Config`].
        ConfigBuilder = "config-builder",
        /// A loaded or built config (`SdkConfig`, `aws_sdk_s3::Config`).
        Config = "config",
    }
}

pub struct RustSdk {
    cat: &'static Catalog,
    /// How aws-sdk-rust names services' crates (`aws_sdk_s3`).
    crates: Option<&'static SdkNames>,
}

impl Default for RustSdk {
    fn default() -> Self {
        let cat = catalog();
        RustSdk {
            cat,
            crates: cat.sdk_names("rust", "aws-sdk-rust"),
        }
    }
}

/// Builder methods that keep the builder as it is.
const PASS_THROUGH: &[&str] = &["customize", "into_paginator", "items", "config_override"];

/// The config flavour of a handle kind: a config or a config builder.
fn config_kind(kind: &HandleKind) -> Option<RustHandle> {
    RustHandle::of(kind.flavour).filter(|k| *k != RustHandle::Fluent)
}

/// Whether `flavour` is the flavour of aws-sdk-rust clients.
fn is_client(flavour: Flavour) -> bool {
    RustClient::of(flavour) == Some(RustClient::Client)
}

/// A config or config builder, with whether it carries explicit credentials.
fn config(kind: RustHandle, other_credentials: bool) -> Val {
    Val::Sdk(SdkVal::Handle {
        service: "aws_config".into(),
        kind: HandleKind::plain(kind.flavour()),
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
        })) if config_kind(kind).is_some() => *other_credentials,
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
                [.., "load_from_env" | "load_defaults"] => Some(config(RustHandle::Config, false)),
                [.., "defaults" | "from_env"]
                | [.., "ConfigLoader", "default"]
                | [.., "SdkConfig", "builder"] => Some(config(RustHandle::ConfigBuilder, false)),
                _ => None,
            };
        }
        match path {
            [.., "Client", "new" | "from_conf"] => {
                let service = self.service_of_crate(name)?;
                Some(Val::Sdk(SdkVal::Client {
                    service,
                    flavour: RustClient::Client.flavour(),
                    other_credentials: inherited,
                }))
            }
            [.., "config", "Builder", "from" | "new" | "default"]
            | [.., "Config", "builder"]
            | [.., "Builder", "from"] => Some(config(RustHandle::ConfigBuilder, inherited)),
            [.., "Config", "new" | "from"] => Some(config(RustHandle::Config, inherited)),
            _ => None,
        }
    }

    /// A method of a config or config builder.
    fn config_method(
        &self,
        kind: RustHandle,
        creds: bool,
        name: &str,
        args: &[Val],
    ) -> Option<Val> {
        match (kind, name) {
            (RustHandle::ConfigBuilder, "credentials_provider" | "set_credentials_provider") => {
                Some(config(RustHandle::ConfigBuilder, sets_credentials(args)))
            }
            (RustHandle::ConfigBuilder, "load" | "build") => {
                Some(config(RustHandle::Config, creds))
            }
            // Every other setter returns the builder.
            (RustHandle::ConfigBuilder, _) => Some(config(RustHandle::ConfigBuilder, creds)),
            (RustHandle::Config, "to_builder") => Some(config(RustHandle::ConfigBuilder, creds)),
            _ => None,
        }
    }

    fn service_of_crate(&self, krate: &str) -> Option<String> {
        let krate = krate.split("::").next().unwrap_or(krate);
        self.crates?.service_by_package(krate).map(str::to_string)
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
            }) if config_kind(kind).is_some() => {
                self.config_method(config_kind(kind)?, *other_credentials, name, args)
            }
            Val::Sdk(SdkVal::Method {
                service,
                flavour,
                name,
                other_credentials,
            }) if is_client(*flavour) => {
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
                    kind: HandleKind::new(RustHandle::Fluent.flavour(), op),
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
                let op = kind.of_flavour(RustHandle::Fluent.flavour())?;
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
                flavour,
                other_credentials,
            }) if is_client(*flavour) => {
                let is_op = self.cat.operation_name(service, prop).is_some()
                    || matches!(prop, "config" | "clone" | "with_config")
                    || prop.starts_with("wait_until");
                is_op
                    .then(|| {
                        Val::Sdk(SdkVal::Method {
                            service: service.clone(),
                            flavour: *flavour,
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
            }) if kind.flavour == RustHandle::Fluent.flavour()
                || config_kind(kind)
                    .is_some_and(|k| self.config_method(k, false, prop, &[]).is_some()) =>
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
                vec![op(
                    "sts",
                    "AssumeRole",
                    Val::Object(vec![("RoleArn".into(), role)]),
                    "aws_config AssumeRoleProvider".into(),
                )]
            }
            Val::Either(_) => classify_each(self, callee, args, false).unwrap_or_default(),
            Val::Sdk(SdkVal::HandleMethod {
                service,
                kind,
                data,
                name,
                other_credentials,
            }) if matches!(name.as_str(), "send" | "presigned") => {
                let Some(operation) = kind.of_flavour(RustHandle::Fluent.flavour()) else {
                    return Vec::new();
                };
                let via = format!("{service}.{}().{name}()", snake(operation));
                let mut made = SdkOp::new(service, operation, (**data).clone(), via);
                made.other_credentials = *other_credentials;
                vec![Classified::Op(made)]
            }
            Val::Sdk(SdkVal::Method {
                service,
                flavour,
                name,
                ..
            }) if is_client(*flavour) => {
                if self.cat.operation_name(service, name).is_some()
                    || name.starts_with("wait_until")
                    || matches!(name.as_str(), "config" | "clone" | "from_conf" | "new")
                {
                    return Vec::new();
                }
                vec![unknown_operation(service, name)]
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(name: &str, path: &[&str]) -> Val {
        Val::Package {
            name: name.into(),
            path: path.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn flavours_round_trip_and_are_distinct() {
        for kind in RustClient::ALL {
            assert_eq!(RustClient::of(kind.flavour()), Some(*kind));
        }
        for kind in RustHandle::ALL {
            assert_eq!(RustHandle::of(kind.flavour()), Some(*kind));
        }
        let names: std::collections::BTreeSet<&str> =
            RustHandle::ALL.iter().map(|k| k.flavour().name()).collect();
        assert_eq!(names.len(), RustHandle::ALL.len());
        assert_eq!(
            config_kind(&HandleKind::new(RustHandle::Fluent.flavour(), "GetObject")),
            None
        );
        assert_eq!(
            config_kind(&HandleKind::plain(RustHandle::Config.flavour())),
            Some(RustHandle::Config)
        );
    }

    #[test]
    fn a_fluent_builder_is_a_typed_handle_that_sends_its_operation() {
        let sdk = RustSdk::default();
        let client = sdk
            .call(&package("aws_sdk_s3", &["Client", "new"]), &[])
            .expect("a client");
        assert!(matches!(&client, Val::Sdk(SdkVal::Client { flavour, .. }) if is_client(*flavour)));
        let get_object = sdk.member(&client, "get_object").expect("a method");
        let builder = sdk.call(&get_object, &[]).expect("a builder");
        let Val::Sdk(SdkVal::Handle { kind, .. }) = &builder else {
            panic!("a handle: {builder:?}");
        };
        assert_eq!(
            kind.of_flavour(RustHandle::Fluent.flavour()),
            Some("GetObject")
        );
        assert_eq!(describe(&builder), "a s3 fluent:GetObject");
        let bucket = sdk.member(&builder, "bucket").expect("a setter");
        let builder = sdk.call(&bucket, &[Val::text("inbox")]).expect("a builder");
        let send = sdk.member(&builder, "send").expect("send");
        let out = sdk.classify(&send, &[], false);
        let [Classified::Op(made)] = &out[..] else {
            panic!("one operation, got {}", out.len());
        };
        assert_eq!(
            (made.operation.as_str(), made.via.as_str()),
            ("GetObject", "s3.get_object().send()")
        );
        assert_eq!(made.input.field("Bucket"), Some(&Val::text("inbox")));
    }

    #[test]
    fn configs_with_credentials_make_clients_with_other_credentials() {
        let sdk = RustSdk::default();
        let loader = sdk
            .call(&package("aws_config", &["defaults"]), &[])
            .expect("a loader");
        let set = sdk
            .member(&loader, "credentials_provider")
            .expect("a setter");
        let loader = sdk
            .call(&set, &[Val::Unknown("creds".into())])
            .expect("a loader");
        let load = sdk.member(&loader, "load").expect("load");
        let config = sdk.call(&load, &[]).expect("a config");
        assert!(config_credentials(Some(&config)));
        let client = sdk
            .call(&package("aws_sdk_s3", &["Client", "new"]), &[config])
            .expect("a client");
        assert!(matches!(
            client,
            Val::Sdk(SdkVal::Client {
                other_credentials: true,
                ..
            })
        ));
        let client = sdk.member(&client, "put_thing");
        assert!(matches!(client, Some(Val::Unknown(_))));
    }
}

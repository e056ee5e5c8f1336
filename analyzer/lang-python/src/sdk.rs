//! boto3 as the evaluator sees it: `boto3.client(...)` / `boto3.resource(...)` (also through
//! sessions and aliases), snake_case client methods, the resource API (`Table`, `Bucket`, `Object`,
//! `Queue`, `Topic`, collections, batch writers), transfer helpers, presigned URLs, paginators and
//! waiters. Names come from the catalog and `rules/sdk/python.toml`.

use crate::rules::{rules, PythonRules, ResourceSpec};
use slz_catalog::{catalog, Catalog, SdkNames};
use slz_core::value::Template;
use slz_lang::model::{
    classify_each, helper_ops, op, unknown_operation, unknown_presigned_operation,
    with_other_credentials,
};
use slz_lang::naming::snake;
use slz_lang::sdk::{describe, Classified, Flavour, HandleKind, SdkModel, SdkVal, Val};

slz_lang::flavours! {
    /// How a boto3 client was made.
    pub enum Boto3Client {
        /// `boto3.client('s3')`: snake_case operation methods.
        Client = "client",
        /// `boto3.resource('dynamodb')`: resource classes and lookups.
        Resource = "resource",
    }
}

slz_lang::flavours! {
    /// boto3's SDK objects (and PynamoDB's models).
    pub enum Boto3Handle {
        /// An instance of a resource class (`Table`, `Bucket`), made for the class.
        Resource = "resource",
        /// A collection of a resource (`bucket.objects`), made for the operation listing it.
        Collection = "collection",
        /// A writer (`table.batch_writer()`), made for the operation its calls perform.
        Writer = "writer",
        /// `client.get_paginator(name)`; its data is the operation.
        Paginator = "paginator",
        /// `client.get_waiter(name)`; its data is the waiter.
        Waiter = "waiter",
        /// A PynamoDB model's method; its data is the table and the model class.
        PynamoDb = "pynamodb",
    }
}

/// Whether `flavour` is boto3's client flavour `kind`.
fn is_client(flavour: Flavour, kind: Boto3Client) -> bool {
    Boto3Client::of(flavour) == Some(kind)
}

pub struct Boto3 {
    cat: &'static Catalog,
    rules: &'static PythonRules,
    /// How boto3 names services (`boto3.client('s3')`).
    names: Option<&'static SdkNames>,
}

impl Default for Boto3 {
    fn default() -> Self {
        let cat = catalog();
        Boto3 {
            cat,
            rules: rules(),
            names: cat.sdk_names("python", "boto3"),
        }
    }
}

/// Client attributes that are not operations and need no permission.
const NON_OPERATIONS: &[&str] = &[
    "exceptions",
    "meta",
    "close",
    "can_paginate",
    "get_paginator",
    "get_waiter",
    "generate_presigned_url",
];

/// Keyword arguments are lowered to one trailing object.
fn kwargs(args: &[Val]) -> Val {
    match args.last() {
        Some(v @ Val::Object(_)) => v.clone(),
        _ => Val::Object(Vec::new()),
    }
}

/// Positional arguments named by `names`, then keyword arguments.
fn named(args: &[Val], names: &[String]) -> Val {
    let mut fields: Vec<(String, Val)> = Vec::new();
    let kw = kwargs(args);
    let positional = if matches!(args.last(), Some(Val::Object(_))) {
        &args[..args.len() - 1]
    } else {
        args
    };
    for (n, v) in names.iter().zip(positional) {
        fields.push((n.clone(), v.clone()));
    }
    if let Val::Object(k) = kw {
        fields.extend(k);
    }
    Val::Object(fields)
}

/// A resource constructor's identifiers, positional or by their keyword names.
fn identifiers(spec: &ResourceSpec, args: &[Val]) -> Val {
    let Val::Object(fields) = named(args, &spec.identifiers) else {
        return Val::Object(Vec::new());
    };
    let renamed = fields
        .into_iter()
        .map(
            |(k, v)| match spec.keywords.iter().position(|kw| *kw == k) {
                Some(i) => (spec.identifiers[i].clone(), v),
                None => (k, v),
            },
        )
        .collect();
    Val::Object(renamed)
}

fn merge(a: &Val, b: &Val) -> Val {
    let mut fields = match a {
        Val::Object(f) => f.clone(),
        _ => Vec::new(),
    };
    if let Val::Object(f) = b {
        fields.extend(f.iter().cloned());
    }
    Val::Object(fields)
}

/// An SDK object; `other_credentials` when the client it came from was built with explicit
/// credentials.
fn handle(service: &str, kind: HandleKind, data: Val, other_credentials: bool) -> Val {
    Val::Sdk(SdkVal::Handle {
        service: service.to_string(),
        kind,
        data: Box::new(data),
        other_credentials,
    })
}

/// Keyword arguments of `boto3.client(...)` / `boto3.Session(...)` that make the client sign with
/// other credentials than the function's role.
const CREDENTIAL_KWARGS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "botocore_session",
];

/// The package value a `boto3.Session(...)` made with explicit credentials stands for.
const SESSION_WITH_CREDENTIALS: &str = "boto3.Session(credentials)";

fn explicit_credentials(args: &[Val]) -> bool {
    let kw = kwargs(args);
    CREDENTIAL_KWARGS.iter().any(|k| kw.field(k).is_some())
}

fn first_text(args: &[Val], kw: &str) -> Option<String> {
    match args.first() {
        Some(Val::Text(t)) => t.as_literal(),
        _ => kwargs(args)
            .field(kw)
            .and_then(|v| v.as_template().as_literal()),
    }
}

/// Whether a class value derives (directly or through project classes) from PynamoDB's `Model`.
fn is_pynamodb_model(class: &Val, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    match class.field("__bases__") {
        Some(Val::Array(bases)) => bases.iter().any(|b| match b {
            Val::Package { name, path } => {
                name.starts_with("pynamodb") && path.last().is_some_and(|l| l == "Model")
            }
            other @ Val::Object(_) => is_pynamodb_model(other, depth + 1),
            _ => false,
        }),
        _ => false,
    }
}

impl Boto3 {
    /// The service boto3 calls `name` (`boto3.client(name)`).
    fn service(&self, name: &str) -> Option<&str> {
        self.names?.service_by_package(name)
    }

    fn resource_spec(&self, service: &str, class: &str) -> Option<&ResourceSpec> {
        self.rules.resources.get(service)?.get(class)
    }

    fn helper(&self, name: &str, args: &[Val], via: String) -> Option<Vec<Classified>> {
        let h = self.rules.helpers.get(name)?;
        Some(helper_ops(h, &named(args, &h.params), &via))
    }

    /// A call of a boto3 client method: an operation, a helper or a presigned URL.
    fn client_method(&self, service: &str, name: &str, args: &[Val]) -> Vec<Classified> {
        let via = format!("{service}.{name}");
        if name == "generate_presigned_url" {
            let kw = kwargs(args);
            let method = first_text(args, "ClientMethod");
            let params = kw
                .field("Params")
                .cloned()
                .or_else(|| args.get(1).cloned())
                .unwrap_or(Val::Object(Vec::new()));
            return match method
                .and_then(|m| self.cat.operation_name(service, &m).map(str::to_string))
            {
                Some(o) => vec![op(
                    service,
                    &o,
                    params,
                    format!("{via}('{o}') presigned URL"),
                )],
                None => vec![unknown_presigned_operation(&via)],
            };
        }
        if let Some(out) = self.helper(name, args, via.clone()) {
            return out;
        }
        if NON_OPERATIONS.contains(&name) {
            return Vec::new();
        }
        match self.cat.operation_name(service, name) {
            Some(o) => vec![op(service, o, kwargs(args), via)],
            None => vec![unknown_operation(service, name)],
        }
    }
}

impl SdkModel for Boto3 {
    fn construct(&self, _callee: &Val, _args: &[Val]) -> Option<Val> {
        None
    }

    fn call(&self, callee: &Val, args: &[Val]) -> Option<Val> {
        match callee {
            Val::Package { name, path } if name == "boto3" || name.starts_with("boto3.") => {
                let last = path.last().map(String::as_str).unwrap_or("");
                let kind = match last {
                    "client" => Boto3Client::Client,
                    "resource" => Boto3Client::Resource,
                    "Session" => {
                        let name = if explicit_credentials(args) {
                            SESSION_WITH_CREDENTIALS
                        } else {
                            "boto3"
                        };
                        return Some(Val::Package {
                            name: name.into(),
                            path: Vec::new(),
                        });
                    }
                    _ => return None,
                };
                let service = first_text(args, "service_name")?;
                let service = self.service(&service)?.to_string();
                Some(Val::Sdk(SdkVal::Client {
                    service,
                    flavour: kind.flavour(),
                    other_credentials: name == SESSION_WITH_CREDENTIALS
                        || explicit_credentials(args),
                }))
            }
            Val::Sdk(SdkVal::Method {
                service,
                flavour,
                name,
                other_credentials,
            }) if is_client(*flavour, Boto3Client::Client) => match name.as_str() {
                "get_paginator" | "get_waiter" => {
                    let what = first_text(
                        args,
                        if name == "get_paginator" {
                            "operation_name"
                        } else {
                            "waiter_name"
                        },
                    )?;
                    let kind = if name == "get_paginator" {
                        Boto3Handle::Paginator
                    } else {
                        Boto3Handle::Waiter
                    };
                    Some(handle(
                        service,
                        HandleKind::plain(kind.flavour()),
                        Val::text(&what),
                        *other_credentials,
                    ))
                }
                _ => None,
            },
            Val::Sdk(SdkVal::Method {
                service,
                flavour,
                name,
                other_credentials,
            }) if is_client(*flavour, Boto3Client::Resource) => {
                if let Some(spec) = self.resource_spec(service, name) {
                    return Some(handle(
                        service,
                        HandleKind::new(Boto3Handle::Resource.flavour(), name),
                        identifiers(spec, args),
                        *other_credentials,
                    ));
                }
                let lookup = self.rules.lookups.get(service)?.get(name)?;
                let kw = kwargs(args);
                let mut ids = Vec::new();
                for (id, arg) in &lookup.identifiers {
                    let v = kw
                        .field(arg)
                        .cloned()
                        .unwrap_or(Val::Unknown(format!("{arg} not given")));
                    let v = if lookup.as_url {
                        let mut t = Template::lit("https://queue.invalid/");
                        t.extend(v.as_template());
                        Val::Text(t)
                    } else {
                        v
                    };
                    ids.push((id.clone(), v));
                }
                Some(handle(
                    service,
                    HandleKind::new(Boto3Handle::Resource.flavour(), &lookup.returns),
                    Val::Object(ids),
                    *other_credentials,
                ))
            }
            Val::Sdk(SdkVal::HandleMethod {
                kind, data, name, ..
            }) if kind.flavour == Boto3Handle::PynamoDb.flavour() => match name.as_str() {
                // These return model instances (or iterate them).
                "get" | "query" | "scan" | "batch_get" => data.field("__class__").cloned(),
                _ => None,
            },
            Val::Sdk(SdkVal::HandleMethod {
                service,
                kind,
                data,
                name,
                other_credentials,
            }) => {
                let class = kind.of_flavour(Boto3Handle::Resource.flavour())?;
                let spec = self.resource_spec(service, class)?;
                if let Some(sub) = spec.subresources.get(name) {
                    let sub_spec = self.resource_spec(service, sub)?;
                    let own: Vec<String> = sub_spec
                        .identifiers
                        .iter()
                        .filter(|i| data.field(i).is_none())
                        .cloned()
                        .collect();
                    return Some(handle(
                        service,
                        HandleKind::new(Boto3Handle::Resource.flavour(), sub),
                        merge(data, &named(args, &own)),
                        *other_credentials,
                    ));
                }
                if let Some(op) = spec.writers.get(name) {
                    return Some(handle(
                        service,
                        HandleKind::new(Boto3Handle::Writer.flavour(), op),
                        (**data).clone(),
                        *other_credentials,
                    ));
                }
                None
            }
            _ => None,
        }
    }

    fn member(&self, object: &Val, prop: &str) -> Option<Val> {
        match object {
            Val::Sdk(SdkVal::Client {
                service,
                flavour,
                other_credentials,
            }) => {
                if prop == "exceptions" || prop == "meta" {
                    return Some(Val::Unknown(format!("{service}.{prop}")));
                }
                Some(Val::Sdk(SdkVal::Method {
                    service: service.clone(),
                    flavour: *flavour,
                    name: prop.to_string(),
                    other_credentials: *other_credentials,
                }))
            }
            Val::Sdk(SdkVal::Handle {
                service,
                kind,
                data,
                other_credentials,
            }) => {
                if let Some(class) = kind.of_flavour(Boto3Handle::Resource.flavour()) {
                    if let Some(op) = self
                        .resource_spec(service, class)
                        .and_then(|s| s.collections.get(prop))
                    {
                        return Some(handle(
                            service,
                            HandleKind::new(Boto3Handle::Collection.flavour(), op),
                            (**data).clone(),
                            *other_credentials,
                        ));
                    }
                }
                Some(Val::Sdk(SdkVal::HandleMethod {
                    service: service.clone(),
                    kind: kind.clone(),
                    data: data.clone(),
                    name: prop.to_string(),
                    other_credentials: *other_credentials,
                }))
            }
            Val::Sdk(SdkVal::Method { .. }) | Val::Sdk(SdkVal::HandleMethod { .. }) => {
                Some(Val::Unknown(format!("`.{prop}` of {}", describe(object))))
            }
            Val::Object(_)
                if self.rules.pynamodb.methods.contains_key(prop)
                    && is_pynamodb_model(object, 0) =>
            {
                let table = object
                    .field("Meta")
                    .and_then(|m| m.field("table_name"))
                    .cloned()
                    .unwrap_or_else(|| Val::Unknown("the model has no Meta.table_name".into()));
                Some(Val::Sdk(SdkVal::HandleMethod {
                    service: "dynamodb".into(),
                    kind: HandleKind::plain(Boto3Handle::PynamoDb.flavour()),
                    data: Box::new(Val::Object(vec![
                        ("TableName".into(), table),
                        ("__class__".into(), object.clone()),
                    ])),
                    name: prop.to_string(),
                    other_credentials: false,
                }))
            }
            _ => None,
        }
    }

    fn classify(&self, callee: &Val, args: &[Val], _is_new: bool) -> Vec<Classified> {
        if let Some(out) = classify_each(self, callee, args, false) {
            return out;
        }
        with_other_credentials(
            self.classify_call(callee, args),
            made_with_credentials(callee),
        )
    }
}

/// Whether a method was read off a client or SDK object built with explicit credentials.
fn made_with_credentials(callee: &Val) -> bool {
    matches!(
        callee,
        Val::Sdk(
            SdkVal::Method {
                other_credentials: true,
                ..
            } | SdkVal::HandleMethod {
                other_credentials: true,
                ..
            }
        )
    )
}

impl Boto3 {
    /// The operations (or diagnostics) of a call, whatever credentials it is made with.
    fn classify_call(&self, callee: &Val, args: &[Val]) -> Vec<Classified> {
        match callee {
            Val::Package { name, path }
                if name == "boto3"
                    && path
                        .last()
                        .is_some_and(|l| l == "client" || l == "resource") =>
            {
                match first_text(args, "service_name") {
                    Some(s) if self.service(&s).is_some() => Vec::new(),
                    Some(s) => vec![Classified::Diag {
                        code: "dynamic-client",
                        message: format!("`{s}` is not a boto3 service name; calls on this client are not analysed"),
                    }],
                    None => vec![Classified::Diag {
                        code: "dynamic-client",
                        message: "a boto3 client whose service is not known statically; calls on it are not analysed".into(),
                    }],
                }
            }
            Val::Package { .. } => {
                let mut out = slz_lang::library::classify(callee, args);
                out.extend(slz_lang::library::classify_http(callee, args));
                out
            }
            Val::Sdk(SdkVal::Method {
                service,
                flavour,
                name,
                ..
            }) if is_client(*flavour, Boto3Client::Client) => {
                self.client_method(service, name, args)
            }
            Val::Sdk(SdkVal::Method {
                service,
                flavour,
                name,
                ..
            }) if is_client(*flavour, Boto3Client::Resource) => {
                match self.rules.lookups.get(service).and_then(|l| l.get(name)) {
                    Some(l) => vec![op(
                        service,
                        &l.operation,
                        kwargs(args),
                        format!("{service}.{name}"),
                    )],
                    None => Vec::new(),
                }
            }
            Val::Sdk(SdkVal::HandleMethod {
                service,
                kind,
                data,
                name,
                ..
            }) => {
                let via = format!("{} {}.{name}", service, kind.subject());
                let flavour = Boto3Handle::of(kind.flavour);
                if let Some(class) = kind.of_flavour(Boto3Handle::Resource.flavour()) {
                    let Some(spec) = self.resource_spec(service, class) else {
                        return Vec::new();
                    };
                    if let Some(o) = spec.actions.get(name) {
                        return vec![op(service, o, merge(data, &kwargs(args)), via)];
                    }
                    if let Some(h) = self.rules.helpers.get(name) {
                        // `bucket.upload_file(Filename, Key)`: identifiers fill the helper's
                        // parameters, the rest come positionally.
                        let rest: Vec<String> = h
                            .params
                            .iter()
                            .filter(|p| data.field(p).is_none())
                            .cloned()
                            .collect();
                        return helper_ops(h, &merge(data, &named(args, &rest)), &via);
                    }
                    return Vec::new();
                }
                if flavour == Some(Boto3Handle::PynamoDb) {
                    let spec = &self.rules.pynamodb;
                    let ops = spec.methods.get(name).cloned().unwrap_or_default();
                    return ops
                        .iter()
                        .chain(std::iter::once(&spec.describe))
                        .map(|o| {
                            op(
                                service,
                                o,
                                table_only(data),
                                format!("PynamoDB model .{name}()"),
                            )
                        })
                        .collect();
                }
                if let Some(o) = kind.of_flavour(Boto3Handle::Writer.flavour()) {
                    return match name.as_str() {
                        "put_item" | "delete_item" => vec![op(service, o, (**data).clone(), via)],
                        _ => Vec::new(),
                    };
                }
                if let Some(o) = kind.of_flavour(Boto3Handle::Collection.flavour()) {
                    return match name.as_str() {
                        "all" | "filter" | "limit" | "page_size" => {
                            vec![op(service, o, merge(data, &kwargs(args)), via)]
                        }
                        "delete" => vec![
                            op(service, o, (**data).clone(), via.clone()),
                            op(service, "DeleteObjects", (**data).clone(), via),
                        ],
                        _ => Vec::new(),
                    };
                }
                let target = data.as_template().as_literal();
                match (flavour, name.as_str(), target) {
                    (Some(Boto3Handle::Paginator), "paginate", Some(t)) => {
                        match self.cat.operation_name(service, &t) {
                            Some(o) => vec![op(
                                service,
                                o,
                                kwargs(args),
                                format!("{service} paginator {t}"),
                            )],
                            None => Vec::new(),
                        }
                    }
                    (Some(Boto3Handle::Waiter), "wait", Some(w)) => {
                        let model = self.cat.service(service);
                        let key = model.and_then(|m| {
                            m.waiters
                                .iter()
                                .find(|(k, _)| snake(k) == w)
                                .map(|(_, v)| v.clone())
                        });
                        match key {
                            Some(o) => vec![op(
                                service,
                                &o,
                                kwargs(args),
                                format!("{service} waiter {w}"),
                            )],
                            None => Vec::new(),
                        }
                    }
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }
}

/// The request input of a PynamoDB operation: the table only.
fn table_only(data: &Val) -> Val {
    Val::Object(
        data.field("TableName")
            .map(|t| vec![("TableName".to_string(), t.clone())])
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boto3(function: &str, service: &str) -> Val {
        let callee = Val::Package {
            name: "boto3".into(),
            path: vec![function.into()],
        };
        Boto3::default()
            .call(&callee, &[Val::text(service)])
            .expect("a client")
    }

    #[test]
    fn flavours_round_trip_and_are_distinct() {
        for kind in Boto3Client::ALL {
            assert_eq!(Boto3Client::of(kind.flavour()), Some(*kind));
        }
        for kind in Boto3Handle::ALL {
            assert_eq!(Boto3Handle::of(kind.flavour()), Some(*kind));
        }
        let names: std::collections::BTreeSet<&str> = Boto3Handle::ALL
            .iter()
            .map(|k| k.flavour().name())
            .collect();
        assert_eq!(names.len(), Boto3Handle::ALL.len());
    }

    #[test]
    fn clients_and_resources_carry_their_flavours() {
        let client = boto3("client", "s3");
        assert!(matches!(
            &client,
            Val::Sdk(SdkVal::Client { flavour, service, .. })
                if service == "s3" && Boto3Client::of(*flavour) == Some(Boto3Client::Client)
        ));
        let resource = boto3("resource", "dynamodb");
        assert!(matches!(
            &resource,
            Val::Sdk(SdkVal::Client { flavour, .. })
                if Boto3Client::of(*flavour) == Some(Boto3Client::Resource)
        ));
    }

    #[test]
    fn resource_handles_are_typed_and_described_as_before() {
        let sdk = Boto3::default();
        let resource = boto3("resource", "dynamodb");
        let table_class = sdk.member(&resource, "Table").expect("a method");
        let table = sdk
            .call(&table_class, &[Val::text("orders")])
            .expect("a table");
        let Val::Sdk(SdkVal::Handle { kind, data, .. }) = &table else {
            panic!("a handle: {table:?}");
        };
        assert_eq!(
            kind,
            &HandleKind::new(Boto3Handle::Resource.flavour(), "Table")
        );
        assert_eq!(data.field("TableName"), Some(&Val::text("orders")));
        assert_eq!(describe(&table), "a dynamodb resource:Table");
        let get = sdk.member(&table, "get_item").expect("a method");
        let out = sdk.classify(&get, &[Val::Object(Vec::new())], false);
        let [Classified::Op(made)] = &out[..] else {
            panic!("one operation, got {}", out.len());
        };
        assert_eq!(
            (made.operation.as_str(), made.via.as_str()),
            ("GetItem", "dynamodb Table.get_item")
        );
    }

    #[test]
    fn paginators_and_unknown_methods() {
        let sdk = Boto3::default();
        let client = boto3("client", "s3");
        let get_paginator = sdk.member(&client, "get_paginator").expect("a method");
        let paginator = sdk
            .call(&get_paginator, &[Val::text("list_objects_v2")])
            .expect("a paginator");
        assert_eq!(describe(&paginator), "a s3 paginator");
        let paginate = sdk.member(&paginator, "paginate").expect("a method");
        let out = sdk.classify(&paginate, &[Val::Object(Vec::new())], false);
        assert!(
            matches!(&out[..], [Classified::Op(o)] if o.operation == "ListObjectsV2" && o.via == "s3 paginator list_objects_v2")
        );
        let unknown = sdk.member(&client, "get_thing").expect("a method");
        let out = sdk.classify(&unknown, &[], false);
        assert!(
            matches!(&out[..], [Classified::Diag { code: "unknown-operation", message }]
            if *message == slz_lang::model::unknown_operation_message("s3", "get_thing"))
        );
    }
}

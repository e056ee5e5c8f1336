//! The AWS SDK for JavaScript as the evaluator sees it: which package exports are clients and
//! commands (v2 `aws-sdk`, v3 `@aws-sdk/client-*`, `@aws-sdk/lib-dynamodb`, `@aws-sdk/lib-storage`,
//! presigners, paginators, waiters), and which calls on them are operations. Names come from the
//! catalog; nothing here knows an IAM action.

use super::unresolved;
use slz_catalog::{catalog, Catalog};
use slz_lang::sdk::{describe, Classified, ClientKind, SdkModel, SdkOp, SdkVal, UnresolvedOp, Val};

pub struct JsSdk {
    cat: &'static Catalog,
}

impl Default for JsSdk {
    fn default() -> Self {
        JsSdk { cat: catalog() }
    }
}

const LIB_DYNAMODB: &str = "@aws-sdk/lib-dynamodb";
const LIB_STORAGE: &str = "@aws-sdk/lib-storage";
const S3_PRESIGNER: &str = "@aws-sdk/s3-request-presigner";

/// Client methods that are not operations and need no permission.
pub(super) const NON_OPERATIONS: &[&str] = &[
    "promise",
    "on",
    "send",
    "config",
    "destroy",
    "middlewareStack",
    "createSet",
    "makeRequest",
    "makeUnauthenticatedRequest",
    "setupRequestListeners",
    "defineService",
    "waitFor",
    "constructor",
    "then",
    "catch",
    "eachPage",
    "createReadStream",
    "endpoint",
    "service",
    "options",
    "wrap",
];

impl JsSdk {
    /// Drops `default` / `*` steps (ESM default imports of CommonJS packages).
    fn path(path: &[String]) -> Vec<&str> {
        path.iter()
            .map(String::as_str)
            .filter(|p| *p != "default")
            .collect()
    }

    fn v2_service(&self, package: &str, path: &[&str]) -> Option<(String, ClientKind)> {
        if package == "aws-sdk" {
            return match path {
                [class] => self
                    .cat
                    .service_by_js_v2_class(class)
                    .map(|s| (s.to_string(), ClientKind::JsV2)),
                ["DynamoDB", "DocumentClient"] => {
                    Some(("dynamodb".into(), ClientKind::JsV2Document))
                }
                _ => None,
            };
        }
        let service = self.cat.service_by_js_v2_module(package)?;
        match path {
            [] => Some((service.to_string(), ClientKind::JsV2)),
            ["DocumentClient"] if service == "dynamodb" => {
                Some(("dynamodb".into(), ClientKind::JsV2Document))
            }
            [class]
                if self
                    .cat
                    .index_entry(service)?
                    .js_v2_classes
                    .iter()
                    .any(|c| c == class) =>
            {
                Some((service.to_string(), ClientKind::JsV2))
            }
            _ => None,
        }
    }

    /// A v3 export: client class, aggregate class, or command class.
    fn v3_export(&self, package: &str, name: &str, args: &[Val]) -> Option<Val> {
        if package == LIB_DYNAMODB {
            if let Some(op) = self.cat.js.lib_dynamodb_commands.get(name) {
                return Some(command("dynamodb", op, args));
            }
            return match name {
                "DynamoDBDocumentClient" => Some(client("dynamodb", ClientKind::JsV3Document)),
                "DynamoDBDocument" => Some(client("dynamodb", ClientKind::JsV3DocumentAggregate)),
                _ => None,
            };
        }
        let service = self.cat.service_by_js_v3_package(package)?;
        let entry = self.cat.index_entry(service)?;
        if name == entry.js_v3_client {
            return Some(client(service, ClientKind::JsV3Bare));
        }
        if name == entry.js_v3_aggregate {
            return Some(client(service, ClientKind::JsV3Aggregate));
        }
        let op = name.strip_suffix("Command")?;
        let op = self.cat.operation_name(service, op)?;
        Some(command(service, op, args))
    }

    fn operation(&self, service: &str, kind: &ClientKind, method: &str) -> Option<String> {
        match kind {
            ClientKind::JsV2Document | ClientKind::JsV3DocumentAggregate => {
                self.cat.js.document_client.get(method).cloned()
            }
            _ => self.cat.operation_name(service, method).map(str::to_string),
        }
    }

    fn helper(&self, key: &str, input: &Val, via: String) -> Vec<Classified> {
        match self.cat.js.helpers.get(key) {
            Some(h) => h
                .operations
                .iter()
                .map(|op| {
                    Classified::Op(SdkOp {
                        service: h.service.clone(),
                        operation: op.clone(),
                        input: input.clone(),
                        via: via.clone(),
                        other_credentials: false,
                        failure_path: h.failure_path.contains(op),
                    })
                })
                .collect(),
            None => Vec::new(),
        }
    }

    fn waiter(&self, service: &str, waiter: &str, input: &Val, via: String) -> Vec<Classified> {
        let Some(model) = self.cat.service(service) else {
            return Vec::new();
        };
        let key = model
            .waiters
            .keys()
            .find(|k| k.eq_ignore_ascii_case(waiter));
        match key.and_then(|k| model.waiters.get(k)) {
            Some(op) => vec![op_of(service, op, input.clone(), via)],
            None => vec![Classified::Diag {
                code: "unknown-operation",
                message: format!(
                    "{service} has no waiter `{waiter}`; no permission granted for it"
                ),
            }],
        }
    }
}

fn client(service: &str, kind: ClientKind) -> Val {
    Val::Sdk(SdkVal::Client {
        service: service.to_string(),
        kind,
        other_credentials: false,
    })
}

/// Client options that make the client sign with other credentials than the function's role:
/// v3 `credentials`, v2 `credentials` / `accessKeyId` / `sessionToken`.
const CREDENTIAL_OPTIONS: &[&str] = &["credentials", "accessKeyId", "sessionToken"];

/// A client built with explicit credentials in its options (`new S3Client({ credentials })`).
fn with_options(client: Val, args: &[Val]) -> Val {
    let explicit = args
        .first()
        .is_some_and(|o| CREDENTIAL_OPTIONS.iter().any(|k| o.field(k).is_some()));
    match client {
        Val::Sdk(SdkVal::Client { service, kind, .. }) if explicit => Val::Sdk(SdkVal::Client {
            service,
            kind,
            other_credentials: true,
        }),
        other => other,
    }
}

/// Marks the operations of a client with other credentials.
fn mark_other_credentials(mut out: Vec<Classified>, other: bool) -> Vec<Classified> {
    if other {
        for c in &mut out {
            if let Classified::Op(op) = c {
                op.other_credentials = true;
            }
        }
    }
    out
}

fn command(service: &str, op: &str, args: &[Val]) -> Val {
    let input = args
        .first()
        .cloned()
        .unwrap_or_else(|| Val::Object(Vec::new()));
    Val::Sdk(SdkVal::Command {
        service: service.to_string(),
        operation: op.to_string(),
        input: Box::new(input),
    })
}

fn op_of(service: &str, operation: &str, input: Val, via: String) -> Classified {
    Classified::Op(SdkOp {
        service: service.to_string(),
        operation: operation.to_string(),
        input,
        via,
        other_credentials: false,
        failure_path: false,
    })
}

/// The commands a value may be: (service, operation, input).
pub(super) fn commands(v: &Val) -> Vec<(String, String, Val)> {
    match v {
        Val::Sdk(SdkVal::Command {
            service,
            operation,
            input,
        }) => {
            vec![(service.clone(), operation.clone(), (**input).clone())]
        }
        Val::Either(alts) => alts.iter().flat_map(commands).collect(),
        _ => Vec::new(),
    }
}

impl SdkModel for JsSdk {
    fn construct(&self, callee: &Val, args: &[Val]) -> Option<Val> {
        match callee {
            Val::Package { name, path } => {
                let path = Self::path(path);
                if let Some((service, kind)) = self.v2_service(name, &path) {
                    return Some(with_options(client(&service, kind), args));
                }
                match path.as_slice() {
                    [export] => self
                        .v3_export(name, export, args)
                        .or_else(|| unresolved::unrecognised_client(name, export))
                        .map(|v| with_options(v, args)),
                    _ => None,
                }
            }
            Val::Either(alts) => alts.iter().find_map(|a| self.construct(a, args)),
            _ => None,
        }
    }

    fn call(&self, callee: &Val, args: &[Val]) -> Option<Val> {
        let Val::Package { name, path } = callee else {
            return None;
        };
        let path = Self::path(path);
        let last = *path.last()?;
        if self.cat.js.passthrough_functions.iter().any(|p| p == last) {
            return Some(
                args.first()
                    .cloned()
                    .unwrap_or(Val::Unknown("no argument".into())),
            );
        }
        // A document client signs with the credentials of the client it wraps.
        let wrapped_other = matches!(
            args.first(),
            Some(Val::Sdk(SdkVal::Client {
                other_credentials: true,
                ..
            }))
        );
        let document = |kind| {
            Val::Sdk(SdkVal::Client {
                service: "dynamodb".to_string(),
                kind,
                other_credentials: wrapped_other,
            })
        };
        match (name.as_str(), path.as_slice()) {
            (LIB_DYNAMODB, ["DynamoDBDocumentClient", "from"]) => {
                Some(document(ClientKind::JsV3Document))
            }
            (LIB_DYNAMODB, ["DynamoDBDocument", "from"]) => {
                Some(document(ClientKind::JsV3DocumentAggregate))
            }
            _ => None,
        }
    }

    fn member(&self, object: &Val, prop: &str) -> Option<Val> {
        match object {
            Val::Sdk(SdkVal::Client {
                service,
                kind,
                other_credentials,
            }) => Some(Val::Sdk(SdkVal::Method {
                service: service.clone(),
                kind: kind.clone(),
                name: prop.to_string(),
                other_credentials: *other_credentials,
            })),
            Val::Sdk(SdkVal::Method { .. }) | Val::Sdk(SdkVal::Command { .. }) => {
                Some(Val::Unknown(format!("`.{prop}` of {}", describe(object))))
            }
            _ => None,
        }
    }

    fn classify(&self, callee: &Val, args: &[Val], is_new: bool) -> Vec<Classified> {
        let arg = |i: usize| {
            args.get(i)
                .cloned()
                .unwrap_or_else(|| Val::Object(Vec::new()))
        };
        match callee {
            Val::Either(alts) => {
                let mut out = Vec::new();
                for a in alts {
                    out.extend(self.classify(a, args, is_new));
                }
                out
            }
            Val::Sdk(SdkVal::Method {
                service,
                kind,
                name,
                other_credentials,
            }) if !is_new => {
                let via = format!("{service}.{name}");
                let out = match (kind, name.as_str()) {
                    (ClientKind::JsV3Unrecognised { class }, method) => {
                        unresolved::unrecognised_client_call(self.cat, service, class, method, args)
                    }
                    (ClientKind::JsV3Bare | ClientKind::JsV3Document, "send") => {
                        let cmds = commands(&arg(0));
                        if cmds.is_empty() {
                            return vec![Classified::Diag {
                                code: "dynamic-client",
                                message: format!(
                                    "{service} client sends {}, which is not a known command; no permission granted for it",
                                    describe(&arg(0))
                                ),
                            }];
                        }
                        cmds.into_iter().map(|(s, o, input)| op_of(&s, &o, input, format!("send({o}Command)"))).collect()
                    }
                    (ClientKind::JsV2 | ClientKind::JsV3Aggregate, "getSignedUrl" | "getSignedUrlPromise") => {
                        match arg(0).as_template().as_literal().and_then(|o| self.cat.operation_name(service, &o)) {
                            Some(op) => vec![op_of(service, op, arg(1), format!("{via}('{op}') presigned URL"))],
                            None => vec![Classified::Diag {
                                code: "unknown-operation",
                                message: format!("{via} signs an operation that is not known statically"),
                            }],
                        }
                    }
                    (ClientKind::JsV2, "upload") if service == "s3" => self.helper("s3.upload", &arg(0), via),
                    (ClientKind::JsV2, "waitFor") => match arg(0).as_template().as_literal() {
                        Some(w) => self.waiter(service, &w, &arg(1), via),
                        None => Vec::new(),
                    },
                    _ => match self.operation(service, kind, name) {
                        Some(op) => vec![op_of(service, &op, arg(0), via)],
                        None if NON_OPERATIONS.contains(&name.as_str()) => Vec::new(),
                        None => vec![Classified::Diag {
                            code: "unknown-operation",
                            message: format!("`{name}` is not an operation of {service} in the catalog; no permission granted for it"),
                        }],
                    },
                };
                mark_other_credentials(out, *other_credentials)
            }
            Val::Package { name, path } => {
                let from_library = slz_lang::library::classify(callee, args);
                if !from_library.is_empty() {
                    return from_library;
                }
                let http = slz_lang::library::classify_http(callee, args);
                if !http.is_empty() {
                    return http;
                }
                let path = Self::path(path);
                match (name.as_str(), path.as_slice(), is_new) {
                    (LIB_STORAGE, ["Upload"], true) => {
                        let params = arg(0)
                            .field("params")
                            .cloned()
                            .unwrap_or(Val::Unknown("Upload params".into()));
                        let other = matches!(
                            arg(0).field("client"),
                            Some(Val::Sdk(SdkVal::Client {
                                other_credentials: true,
                                ..
                            }))
                        );
                        mark_other_credentials(
                            self.helper("lib-storage.Upload", &params, "new Upload()".into()),
                            other,
                        )
                    }
                    (S3_PRESIGNER, ["getSignedUrl"], false) => commands(&arg(1))
                        .into_iter()
                        .map(|(s, o, input)| {
                            op_of(
                                &s,
                                &o,
                                input,
                                format!("getSignedUrl({o}Command) presigned URL"),
                            )
                        })
                        .collect(),
                    (pkg, [func], false) => {
                        let Some(service) = self.cat.service_by_js_v3_package(pkg) else {
                            return Vec::new();
                        };
                        if let Some(op) = func.strip_prefix("paginate") {
                            return match self.cat.operation_name(service, op) {
                                Some(op) => vec![op_of(service, op, arg(1), format!("{func}()"))],
                                None => Vec::new(),
                            };
                        }
                        if let Some(w) = func.strip_prefix("waitUntil") {
                            return self.waiter(service, w, &arg(1), format!("{func}()"));
                        }
                        Vec::new()
                    }
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    fn unresolved_call(&self, method: &str, receiver: &Val, args: &[Val]) -> Vec<UnresolvedOp> {
        unresolved::unresolved_send(method, receiver, args)
    }
}

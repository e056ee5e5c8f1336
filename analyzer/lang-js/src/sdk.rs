//! The AWS SDK for JavaScript as the evaluator sees it: which package exports are clients and
//! commands (v2 `aws-sdk`, v3 `@aws-sdk/client-*`, `@aws-sdk/lib-dynamodb`, `@aws-sdk/lib-storage`,
//! presigners, paginators, waiters), and which calls on them are operations. Names come from the
//! catalog; nothing here knows an IAM action.

use super::rules::{rules, JsRules};
use super::unresolved;
use slz_catalog::{catalog, Catalog, SdkNames};
use slz_lang::model::{
    classify_each, helper_ops, op, unknown_operation, unknown_presigned_operation,
    with_other_credentials,
};
use slz_lang::sdk::{describe, Classified, SdkModel, SdkVal, UnresolvedOp, Val};

slz_lang::flavours! {
    /// How a client of the AWS SDK for JavaScript was made; decides how its methods map to
    /// operations.
    pub enum JsClient {
        /// v2 `new AWS.S3()`: methods are operations, lowerCamel.
        V2 = "v2",
        /// v2 `new AWS.DynamoDB.DocumentClient()`.
        V2Document = "v2-document",
        /// v3 `new S3Client()`: `send(new XCommand())`.
        V3Bare = "v3",
        /// v3 `new S3()`: methods are operations.
        V3Aggregate = "v3-aggregate",
        /// v3 `DynamoDBDocumentClient.from()`: `send(new GetCommand())`.
        V3Document = "v3-document",
        /// v3 `DynamoDBDocument.from()`: document methods.
        V3DocumentAggregate = "v3-document-aggregate",
    }
}

pub struct JsSdk {
    cat: &'static Catalog,
    rules: &'static JsRules,
    /// How the v2 SDK (`aws-sdk`) names clients.
    v2: Option<&'static SdkNames>,
    /// How the v3 SDK (`@aws-sdk/client-*`) names clients.
    v3: Option<&'static SdkNames>,
}

/// The language id the catalog keys this front-end's SDK names by.
const LANGUAGE: &str = "js";

impl Default for JsSdk {
    fn default() -> Self {
        let cat = catalog();
        JsSdk {
            cat,
            rules: rules(),
            v2: cat.sdk_names(LANGUAGE, "aws-sdk-v2"),
            v3: cat.sdk_names(LANGUAGE, "aws-sdk-v3"),
        }
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

    fn v2_service(&self, package: &str, path: &[&str]) -> Option<(String, JsClient)> {
        if package == "aws-sdk" {
            return match path {
                [class] => self
                    .v2?
                    .service_by_class(class)
                    .map(|s| (s.to_string(), JsClient::V2)),
                ["DynamoDB", "DocumentClient"] => Some(("dynamodb".into(), JsClient::V2Document)),
                _ => None,
            };
        }
        let service = self.v2?.service_by_package(package)?;
        match path {
            [] => Some((service.to_string(), JsClient::V2)),
            ["DocumentClient"] if service == "dynamodb" => {
                Some(("dynamodb".into(), JsClient::V2Document))
            }
            [class]
                if self
                    .v2?
                    .service(service)?
                    .classes
                    .iter()
                    .any(|c| c == class) =>
            {
                Some((service.to_string(), JsClient::V2))
            }
            _ => None,
        }
    }

    /// A v3 export: client class, aggregate class, or command class.
    fn v3_export(&self, package: &str, name: &str, args: &[Val]) -> Option<Val> {
        if package == LIB_DYNAMODB {
            if let Some(op) = self.rules.lib_dynamodb_commands.get(name) {
                return Some(command("dynamodb", op, args));
            }
            return match name {
                "DynamoDBDocumentClient" => Some(client("dynamodb", JsClient::V3Document)),
                "DynamoDBDocument" => Some(client("dynamodb", JsClient::V3DocumentAggregate)),
                _ => None,
            };
        }
        let service = self.v3?.service_by_package(package)?;
        let classes = &self.v3?.service(service)?.classes;
        // The plain client, then the aggregate.
        match classes.iter().position(|c| c == name) {
            Some(0) => return Some(client(service, JsClient::V3Bare)),
            Some(_) => return Some(client(service, JsClient::V3Aggregate)),
            None => {}
        }
        let op = name.strip_suffix("Command")?;
        let op = self.cat.operation_name(service, op)?;
        Some(command(service, op, args))
    }

    fn operation(&self, service: &str, kind: Option<JsClient>, method: &str) -> Option<String> {
        match kind {
            Some(JsClient::V2Document | JsClient::V3DocumentAggregate) => {
                self.rules.document_client.get(method).cloned()
            }
            _ => self.cat.operation_name(service, method).map(str::to_string),
        }
    }

    fn helper(&self, key: &str, input: &Val, via: String) -> Vec<Classified> {
        match self.rules.helpers.get(key) {
            Some(h) => helper_ops(h, input, &via),
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
            Some(o) => vec![op(service, o, input.clone(), via)],
            None => vec![Classified::Diag {
                code: "unknown-operation",
                message: format!(
                    "{service} has no waiter `{waiter}`; no permission granted for it"
                ),
            }],
        }
    }
}

fn client(service: &str, kind: JsClient) -> Val {
    Val::Sdk(SdkVal::Client {
        service: service.to_string(),
        flavour: kind.flavour(),
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
        Val::Sdk(SdkVal::Client {
            service, flavour, ..
        }) if explicit => Val::Sdk(SdkVal::Client {
            service,
            flavour,
            other_credentials: true,
        }),
        Val::Sdk(SdkVal::Handle {
            service,
            kind,
            data,
            ..
        }) if explicit => Val::Sdk(SdkVal::Handle {
            service,
            kind,
            data,
            other_credentials: true,
        }),
        other => other,
    }
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
            _ => unresolved::unrecognised_client_result(callee, "a new"),
        }
    }

    fn call(&self, callee: &Val, args: &[Val]) -> Option<Val> {
        if let Some(result) = unresolved::unrecognised_client_result(callee, "the result of") {
            return Some(result);
        }
        let Val::Package { name, path } = callee else {
            return None;
        };
        let path = Self::path(path);
        let last = *path.last()?;
        if self.rules.passthrough_functions.iter().any(|p| p == last) {
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
        let document = |kind: JsClient| {
            Val::Sdk(SdkVal::Client {
                service: "dynamodb".to_string(),
                flavour: kind.flavour(),
                other_credentials: wrapped_other,
            })
        };
        match (name.as_str(), path.as_slice()) {
            (LIB_DYNAMODB, ["DynamoDBDocumentClient", "from"]) => {
                Some(document(JsClient::V3Document))
            }
            (LIB_DYNAMODB, ["DynamoDBDocument", "from"]) => {
                Some(document(JsClient::V3DocumentAggregate))
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
            }) => Some(Val::Sdk(SdkVal::Method {
                service: service.clone(),
                flavour: *flavour,
                name: prop.to_string(),
                other_credentials: *other_credentials,
            })),
            Val::Sdk(SdkVal::Handle { .. } | SdkVal::HandleMethod { .. }) => {
                unresolved::unrecognised_client_member(object, prop)
            }
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
            Val::Either(_) => classify_each(self, callee, args, is_new).unwrap_or_default(),
            Val::Sdk(SdkVal::HandleMethod {
                service,
                kind,
                data,
                name,
                ..
            }) if !is_new => match unresolved::UnrecognisedClient::of(kind.flavour) {
                Some(unresolved::UnrecognisedClient::Client) => {
                    let class = data.as_template().as_literal().unwrap_or_default();
                    unresolved::unrecognised_client_call(self.v3, service, &class, name, args)
                }
                None => Vec::new(),
            },
            Val::Sdk(SdkVal::Method {
                service,
                flavour,
                name,
                other_credentials,
            }) if !is_new => {
                let via = format!("{service}.{name}");
                let kind = JsClient::of(*flavour);
                let out = match (kind, name.as_str()) {
                    (Some(JsClient::V3Bare | JsClient::V3Document), "send") => {
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
                        cmds.into_iter()
                            .map(|(s, o, input)| op(&s, &o, input, format!("send({o}Command)")))
                            .collect()
                    }
                    (
                        Some(JsClient::V2 | JsClient::V3Aggregate),
                        "getSignedUrl" | "getSignedUrlPromise",
                    ) => {
                        match arg(0)
                            .as_template()
                            .as_literal()
                            .and_then(|o| self.cat.operation_name(service, &o))
                        {
                            Some(o) => vec![op(
                                service,
                                o,
                                arg(1),
                                format!("{via}('{o}') presigned URL"),
                            )],
                            None => vec![unknown_presigned_operation(&via)],
                        }
                    }
                    (Some(JsClient::V2), "upload") if service == "s3" => {
                        self.helper("s3.upload", &arg(0), via)
                    }
                    (Some(JsClient::V2), "waitFor") => match arg(0).as_template().as_literal() {
                        Some(w) => self.waiter(service, &w, &arg(1), via),
                        None => Vec::new(),
                    },
                    _ => match self.operation(service, kind, name) {
                        Some(o) => vec![op(service, &o, arg(0), via)],
                        None if NON_OPERATIONS.contains(&name.as_str()) => Vec::new(),
                        None => vec![unknown_operation(service, name)],
                    },
                };
                with_other_credentials(out, *other_credentials)
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
                        with_other_credentials(
                            self.helper("lib-storage.Upload", &params, "new Upload()".into()),
                            other,
                        )
                    }
                    (S3_PRESIGNER, ["getSignedUrl"], false) => commands(&arg(1))
                        .into_iter()
                        .map(|(s, o, input)| {
                            op(
                                &s,
                                &o,
                                input,
                                format!("getSignedUrl({o}Command) presigned URL"),
                            )
                        })
                        .collect(),
                    (pkg, [func], false) => {
                        let Some(service) = self.v3.and_then(|n| n.service_by_package(pkg)) else {
                            return Vec::new();
                        };
                        if let Some(paginated) = func.strip_prefix("paginate") {
                            return match self.cat.operation_name(service, paginated) {
                                Some(o) => vec![op(service, o, arg(1), format!("{func}()"))],
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unresolved::UnrecognisedClient;
    use slz_lang::sdk::{Flavour, HandleKind};

    fn package(name: &str, path: &[&str]) -> Val {
        Val::Package {
            name: name.into(),
            path: path.iter().map(|p| p.to_string()).collect(),
        }
    }

    fn flavour_of(v: &Val) -> Option<Flavour> {
        match v {
            Val::Sdk(SdkVal::Client { flavour, .. } | SdkVal::Method { flavour, .. }) => {
                Some(*flavour)
            }
            _ => None,
        }
    }

    #[test]
    fn client_flavours_round_trip_and_are_distinct() {
        for kind in JsClient::ALL {
            assert_eq!(JsClient::of(kind.flavour()), Some(*kind));
        }
        let names: std::collections::BTreeSet<&str> =
            JsClient::ALL.iter().map(|k| k.flavour().name()).collect();
        assert_eq!(names.len(), JsClient::ALL.len());
        assert_eq!(
            UnrecognisedClient::of(UnrecognisedClient::Client.flavour()),
            Some(UnrecognisedClient::Client)
        );
    }

    #[test]
    fn clients_carry_the_flavour_their_construction_says() {
        let sdk = JsSdk::default();
        let made = |callee: Val| {
            sdk.construct(&callee, &[Val::Object(Vec::new())])
                .as_ref()
                .and_then(flavour_of)
                .and_then(JsClient::of)
        };
        assert_eq!(made(package("aws-sdk", &["S3"])), Some(JsClient::V2));
        assert_eq!(
            made(package("aws-sdk", &["DynamoDB", "DocumentClient"])),
            Some(JsClient::V2Document)
        );
        assert_eq!(
            made(package("@aws-sdk/client-s3", &["S3Client"])),
            Some(JsClient::V3Bare)
        );
        assert_eq!(
            made(package("@aws-sdk/client-s3", &["S3"])),
            Some(JsClient::V3Aggregate)
        );
        let document = sdk.call(
            &package(LIB_DYNAMODB, &["DynamoDBDocumentClient", "from"]),
            &[],
        );
        assert_eq!(
            document
                .as_ref()
                .and_then(flavour_of)
                .and_then(JsClient::of),
            Some(JsClient::V3Document)
        );
        // A method keeps its client's flavour.
        let client = sdk
            .construct(&package("aws-sdk", &["S3"]), &[])
            .expect("a client");
        let method = sdk.member(&client, "getObject").expect("a method");
        assert_eq!(
            flavour_of(&method).and_then(JsClient::of),
            Some(JsClient::V2)
        );
    }

    #[test]
    fn an_unrecognised_client_is_a_handle_of_the_js_model_and_its_calls_are_reported() {
        let sdk = JsSdk::default();
        let made = sdk
            .construct(
                &package("@aws-sdk/client-kendra", &["KendraServiceClient"]),
                &[],
            )
            .expect("an unrecognised client");
        let Val::Sdk(SdkVal::Handle { service, kind, .. }) = &made else {
            panic!("a handle: {made:?}");
        };
        assert_eq!(service, "@aws-sdk/client-kendra");
        assert_eq!(
            *kind,
            HandleKind::plain(UnrecognisedClient::Client.flavour())
        );
        assert_eq!(describe(&made), "a @aws-sdk/client-kendra client");
        let send = sdk.member(&made, "send").expect("a method");
        assert_eq!(
            sdk.call(&send, &[]),
            Some(Val::Unknown(
                "the result of @aws-sdk/client-kendra.send".into()
            ))
        );
        let out = sdk.classify(&send, &[], false);
        assert!(
            matches!(&out[..], [Classified::Diag { code: "unknown-client", message }] if message.starts_with("`KendraServiceClient` is not a client class")),
            "{:?}",
            out.len()
        );
    }

    #[test]
    fn unknown_methods_and_alternatives_use_the_shared_helpers() {
        let sdk = JsSdk::default();
        let s3 = sdk
            .construct(&package("aws-sdk", &["S3"]), &[])
            .expect("a client");
        let sqs = sdk
            .construct(&package("aws-sdk", &["SQS"]), &[])
            .expect("a client");
        let callee = Val::Either(vec![
            sdk.member(&s3, "getObject").expect("a method"),
            sdk.member(&sqs, "sendMessage").expect("a method"),
            sdk.member(&s3, "getThing").expect("a method"),
        ]);
        let out = sdk.classify(&callee, &[Val::Object(Vec::new())], false);
        let summary: Vec<String> = out
            .iter()
            .map(|c| match c {
                Classified::Op(o) => format!("{} {}", o.service, o.operation),
                Classified::Diag { code, message } => format!("{code}: {message}"),
                _ => "other".into(),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "s3 GetObject",
                "sqs SendMessage",
                "unknown-operation: `getThing` is not an operation of s3 in the catalog; no permission granted for it"
            ]
        );
    }
}

//! Validation of `rules/`: overrides name real operations and actions, every ARN placeholder of a
//! curated operation is bound or explicitly wildcarded, files are in canonical order, and every
//! operation of every service can be looked up.

use super::model::arn_placeholders;
use super::*;
use std::collections::BTreeSet;

#[test]
fn every_operation_of_every_service_looks_up() {
    let cat = catalog();
    let (mut services, mut operations, mut with_action) = (0, 0, 0);
    for service in cat.service_names().collect::<Vec<_>>() {
        let model = cat
            .service(service)
            .unwrap_or_else(|| panic!("{service} parses"));
        services += 1;
        for op in model.operations.keys() {
            let rules = cat
                .lookup(service, op)
                .unwrap_or_else(|| panic!("{service}.{op}"));
            operations += 1;
            if !rules.actions.is_empty() {
                with_action += 1;
            }
        }
    }
    assert!(services > 400, "{services} services");
    assert!(operations > 15_000, "{operations} operations");
    assert!(
        with_action * 100 / operations >= 90,
        "{with_action}/{operations} have an action"
    );
}

#[test]
fn overrides_name_real_operations_and_actions() {
    let cat = catalog();
    for ov in cat.override_services() {
        let model = cat
            .service(&ov.service)
            .unwrap_or_else(|| panic!("override for unknown service {}", ov.service));
        for (op, o) in &ov.operations {
            assert!(
                model.operations.contains_key(op),
                "{}: unknown operation {op}",
                ov.service
            );
            assert!(
                o.doc.starts_with("https://docs.aws.amazon.com/"),
                "{}.{op}: cite an AWS docs page",
                ov.service
            );
            for g in o.all_grants() {
                let (prefix, name) = g.action.split_once(':').expect("prefix:Action");
                let iam = cat
                    .iam_prefix(prefix)
                    .unwrap_or_else(|| panic!("no IAM prefix {prefix}"));
                let (canonical, action) = iam
                    .action(name)
                    .unwrap_or_else(|| panic!("{}.{op}: no IAM action {}", ov.service, g.action));
                assert_eq!(
                    canonical, name,
                    "{}.{op}: spell {} as IAM does",
                    ov.service, g.action
                );
                if g.resource.as_deref() == Some("*") {
                    // On `*` on purpose: the override must say why.
                    assert!(
                        g.note.is_some(),
                        "{}.{op}: {} on `*` needs a note",
                        ov.service,
                        g.action
                    );
                } else if let Some(rt) = &g.resource {
                    assert!(
                        action.resources.iter().any(|r| &r.resource_type == rt),
                        "{}.{op}: {} has no resource type {rt}",
                        ov.service,
                        g.action
                    );
                }
            }
        }
    }
}

#[test]
fn curated_placeholders_are_bound_or_wildcarded() {
    let cat = catalog();
    for ov in cat.override_services() {
        let ops: Vec<&String> = if ov.operations.is_empty() {
            Vec::new()
        } else {
            ov.operations.keys().collect()
        };
        for op in ops {
            let rules = cat.lookup(&ov.service, op).unwrap();
            for a in &rules.actions {
                let Some(arn) = &a.arn else { continue };
                for ph in arn_placeholders(arn) {
                    let bound = a.bindings.iter().any(|b| b.placeholder == ph)
                        || a.constants.iter().any(|(k, _)| k == ph);
                    let wild = ov.wildcard.iter().any(|w| w == ph);
                    let cross_service = !a.action.starts_with(&format!(
                        "{}:",
                        cat.service(&ov.service).unwrap().iam_prefix
                    ));
                    assert!(
                        bound || wild || cross_service,
                        "{}.{op}: {} placeholder {ph} is neither bound nor in `wildcard`",
                        ov.service,
                        a.action
                    );
                }
            }
        }
    }
}

#[test]
fn override_files_are_in_canonical_order() {
    for (name, text) in data::OVERRIDES {
        let headers: Vec<&str> = text
            .lines()
            .filter_map(|l| {
                l.strip_prefix("[operations.")
                    .and_then(|r| r.strip_suffix(']'))
            })
            .collect();
        let mut sorted = headers.clone();
        sorted.sort();
        assert_eq!(
            headers, sorted,
            "rules/overrides/{name}.toml: sort [operations.*] tables"
        );
        let service = text
            .lines()
            .find_map(|l| l.strip_prefix("service = "))
            .unwrap_or_default();
        assert_eq!(
            service.trim_matches('"'),
            *name,
            "rules/overrides/{name}.toml names its service"
        );
    }
}

#[test]
fn s3_rules() {
    let cat = catalog();
    let list = cat.lookup("s3", "ListObjectsV2").unwrap();
    assert_eq!(list.actions[0].action, "s3:ListBucket");
    assert_eq!(list.actions[0].resource_type.as_deref(), Some("bucket"));
    let head = cat.lookup("s3", "HeadObject").unwrap();
    assert_eq!(head.actions[0].action, "s3:GetObject");
    assert_eq!(
        head.actions[0].arn.as_deref(),
        Some("arn:${Partition}:s3:::${BucketName}/${ObjectName}")
    );
    let get = cat.lookup("s3", "GetObject").unwrap();
    assert_eq!(get.actions[1].action, "s3:GetObjectVersion");
    assert_eq!(get.actions[1].if_arg.as_deref(), Some("VersionId"));
    let copy = cat.lookup("s3", "CopyObject").unwrap();
    let names: Vec<&str> = copy.actions.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(names, ["s3:PutObject", "s3:GetObject"]);
    assert!(copy.actions[1]
        .bindings
        .iter()
        .any(|b| b.arg.0 == "CopySource" && b.placeholder == "BucketName"));
}

#[test]
fn inferred_default_and_name_matching() {
    let cat = catalog();
    let put = cat.lookup("dynamodb", "PutItem").unwrap();
    assert_eq!(put.actions[0].action, "dynamodb:PutItem");
    assert_eq!(put.actions[0].resource_type.as_deref(), Some("table"));
    assert_eq!(put.actions[0].bindings[0].arg.0, "TableName");
    let send = cat.lookup("sqs", "SendMessage").unwrap();
    assert_eq!(
        send.actions[0].bindings[0].transform,
        Transform::UrlLastSegment
    );
    assert_eq!(
        cat.lookup("kinesis", "PutRecord").unwrap().actions[0].source,
        RuleSource::Inferred
    );
}

#[test]
fn sdk_names() {
    let cat = catalog();
    let v3 = cat.sdk_names("js", "aws-sdk-v3").expect("JS v3 names");
    assert_eq!(
        v3.service_by_package("@aws-sdk/client-sfn"),
        Some("stepfunctions")
    );
    assert_eq!(v3.service_by_class("SFNClient"), Some("stepfunctions"));
    assert_eq!(
        v3.service("stepfunctions"),
        Some(&crate::ServiceNames {
            packages: vec!["@aws-sdk/client-sfn".into()],
            classes: vec!["SFNClient".into(), "SFN".into()],
        })
    );
    let v2 = cat.sdk_names("js", "aws-sdk-v2").expect("JS v2 names");
    assert_eq!(v2.service_by_class("StepFunctions"), Some("stepfunctions"));
    assert_eq!(v2.service_by_class("EventBridge"), Some("events"));
    assert_eq!(
        v2.service_by_package("aws-sdk/clients/dynamodb"),
        Some("dynamodb")
    );
    assert_eq!(v2.service_by_package("@aws-sdk/client-dynamodb"), None);
    let boto3 = cat.sdk_names("python", "boto3").expect("boto3 names");
    assert_eq!(
        boto3.service_by_package("stepfunctions"),
        Some("stepfunctions")
    );
    assert_eq!(boto3.service_by_package("aws_sdk_sfn"), None);
    assert_eq!(boto3.service_by_class("SFNClient"), None);
    let rust = cat
        .sdk_names("rust", "aws-sdk-rust")
        .expect("aws-sdk-rust names");
    assert_eq!(
        rust.service_by_package("aws_sdk_dynamodb"),
        Some("dynamodb")
    );
    assert_eq!(rust.service_by_package("dynamodb"), None);
    // Every service of the index has names in every SDK; other keys have none.
    for (language, sdk) in [
        ("js", "aws-sdk-v3"),
        ("python", "boto3"),
        ("rust", "aws-sdk-rust"),
    ] {
        let names = cat.sdk_names(language, sdk).expect("names");
        for service in cat.service_names() {
            assert!(
                names
                    .service(service)
                    .is_some_and(|n| !n.packages.is_empty()),
                "{language} {sdk}: no package for {service}"
            );
        }
    }
    assert!(cat.sdk_names("js", "boto3").is_none());
    assert!(cat.sdk_names("go", "aws-sdk-go-v2").is_none());
    assert_eq!(cat.operation_name("s3", "getObject"), Some("GetObject"));
    assert_eq!(
        cat.operation_name("s3", "list_objects_v2"),
        Some("ListObjectsV2")
    );
    assert_eq!(
        cat.index_entry("stepfunctions").unwrap().iam_prefix,
        "states"
    );
    assert_eq!(
        cat.index_entry("apigatewaymanagementapi")
            .unwrap()
            .iam_prefix,
        "execute-api"
    );
}

/// The JS v3 SDK names its classes from the model's sdkId with each word capitalised: a name in
/// another shape (`kendraClient`) is exported by no package, and code using the real class would
/// not be recognised.
#[test]
fn js_v3_class_names_have_the_sdk_shape() {
    let cat = catalog();
    let mut checked = 0;
    for service in cat.service_names() {
        let classes = &cat
            .sdk_names("js", "aws-sdk-v3")
            .and_then(|n| n.service(service))
            .expect("listed services have JS v3 names")
            .classes;
        let [client, aggregate] = &classes[..] else {
            panic!("{service}: JS v3 classes {classes:?}, not a client and an aggregate");
        };
        assert!(
            client.starts_with(|c: char| c.is_ascii_uppercase()),
            "{service}: JS v3 client `{client}` does not start with an upper-case letter"
        );
        assert!(
            client.chars().all(|c| c.is_ascii_alphanumeric()),
            "{service}: JS v3 client `{client}` is not an identifier of letters and digits"
        );
        assert_eq!(
            client.strip_suffix("Client"),
            Some(aggregate.as_str()),
            "{service}: the aggregate class is the client class without `Client`"
        );
        assert!(!aggregate.is_empty(), "{service}: empty aggregate class");
        checked += 1;
    }
    assert!(checked > 400, "{checked} services");
    for (service, client) in [
        ("kendra", "KendraClient"),
        ("apigatewayv2", "ApiGatewayV2Client"),
        ("stepfunctions", "SFNClient"),
        ("logs", "CloudWatchLogsClient"),
        ("dynamodbstreams", "DynamoDBStreamsClient"),
        ("codestar-connections", "CodeStarConnectionsClient"),
        ("elbv2", "ElasticLoadBalancingV2Client"),
    ] {
        assert_eq!(
            cat.sdk_names("js", "aws-sdk-v3")
                .and_then(|n| n.service(service))
                .map(|n| n.classes[0].as_str()),
            Some(client)
        );
    }
}

#[test]
fn sdk_naming_files_name_real_operations() {
    let cat = catalog();
    let check = |service: &str, op: &str, what: &str| {
        if let Some(why) = cat.unknown_operation(service, op) {
            panic!("{what}: {why}");
        }
    };
    for (name, lib) in &cat.libraries {
        assert!(
            lib.doc.starts_with("https://"),
            "libraries.toml {name}: cite a documentation page"
        );
        for op in &lib.operations {
            check(&lib.service, op, &format!("libraries.toml {name}"));
        }
    }
    // The front-ends' own files (`js.toml`, `python.toml`) are checked by the front-ends that
    // read them.
    for name in ["js", "python"] {
        assert!(cat.sdk_rules(name).is_some(), "rules/sdk/{name}.toml");
    }
}

/// Actions SAM policy templates name that IAM does not define: SQS authorizes its batch calls with
/// the single call's action (ChangeMessageVisibilityBatch needs sqs:ChangeMessageVisibility), see
/// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html
/// They grant nothing, so they never make a template look broader than it is.
const SAM_ACTIONS_NOT_IN_IAM: &[&str] =
    &["sqs:ChangeMessageVisibilityBatch", "sqs:DeleteMessageBatch"];

#[test]
fn sam_policy_templates_name_real_actions() {
    let cat = catalog();
    let connectors = cat.sam_connectors.iter().flat_map(|(ty, m)| {
        m.iter()
            .map(move |(p, st)| (format!("{ty} {p}"), &st.actions))
    });
    let templates = cat
        .sam_policy_templates
        .iter()
        .flat_map(|(n, t)| t.statements.iter().map(move |st| (n.clone(), &st.actions)));
    let mut not_in_iam = BTreeSet::new();
    for (name, actions) in templates.chain(connectors) {
        for a in actions {
            let (prefix, action) = a
                .split_once(':')
                .unwrap_or_else(|| panic!("{name}: {a} has no prefix"));
            let iam = cat
                .iam_prefix(prefix)
                .unwrap_or_else(|| panic!("{name}: no IAM prefix {prefix}"));
            // Spelled as IAM spells it (the evaluator ignores case, readers of the data do not).
            let exists = match action.strip_suffix('*') {
                Some(stem) => iam.actions.keys().any(|k| k.starts_with(stem)),
                None => iam.actions.contains_key(action),
            };
            if !exists && SAM_ACTIONS_NOT_IN_IAM.contains(&a.as_str()) {
                not_in_iam.insert(a.as_str());
                continue;
            }
            assert!(exists, "{name}: {a} is not an IAM action");
        }
    }
    // The exceptions are still needed, each of them.
    assert_eq!(
        not_in_iam,
        SAM_ACTIONS_NOT_IN_IAM
            .iter()
            .copied()
            .collect::<BTreeSet<_>>()
    );
}

#[test]
fn sam_policy_templates_are_generated_whole_and_well_formed() {
    let cat = catalog();
    // Every template of the pinned aws-sam-translator release, the one rules/generate.py names.
    assert!(
        cat.sam_policy_templates.len() >= 80,
        "{}",
        cat.sam_policy_templates.len()
    );
    let script = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/generate.py"),
    )
    .unwrap();
    let pin = format!(
        "SAM_TRANSLATOR = {:?}",
        cat.sam_policy_templates_source.aws_sam_translator
    );
    assert!(script.contains(&pin), "generate.py does not pin {pin}");
    assert!(script.contains(&format!(
        "SAM_TEMPLATES_FILE = {:?}",
        cat.sam_policy_templates_source.file
    )));
    // The file lists templates in name order.
    let names: Vec<&str> = data::SAM_POLICY_TEMPLATES
        .lines()
        .filter_map(|l| l.strip_prefix('[')?.strip_suffix(']'))
        .filter(|l| !l.starts_with('[') && *l != "generated_from")
        .collect();
    assert_eq!(names.len(), cat.sam_policy_templates.len());
    assert!(
        names.windows(2).all(|w| w[0] < w[1]),
        "templates out of order"
    );
    let pseudo = ["AWS::AccountId", "AWS::Partition", "AWS::Region"];
    for (name, t) in &cat.sam_policy_templates {
        assert!(!t.statements.is_empty(), "{name}: no statements");
        assert!(
            t.parameters.windows(2).all(|w| w[0] < w[1]),
            "{name}: parameters not sorted and unique"
        );
        let mut used = BTreeSet::new();
        for st in &t.statements {
            assert!(!st.actions.is_empty() && !st.resources.is_empty(), "{name}");
            let unique: BTreeSet<&String> = st.actions.iter().collect();
            assert_eq!(unique.len(), st.actions.len(), "{name}: repeated action");
            let unique: BTreeSet<&String> = st.resources.iter().collect();
            assert_eq!(
                unique.len(),
                st.resources.len(),
                "{name}: repeated resource"
            );
            for r in &st.resources {
                for hole in r.split("${").skip(1) {
                    let (p, _) = hole
                        .split_once('}')
                        .unwrap_or_else(|| panic!("{name}: unclosed placeholder in {r}"));
                    assert!(
                        pseudo.contains(&p) || t.parameters.iter().any(|d| d == p),
                        "{name}: {r} uses {p}, not a declared parameter"
                    );
                    used.insert(p.to_string());
                }
            }
        }
        // A declared parameter fills a resource, or a condition (kept as a comment).
        let conditional = t.statements.iter().any(|s| s.conditional);
        for p in &t.parameters {
            assert!(
                used.contains(p) || conditional,
                "{name}: parameter {p} is never used"
            );
        }
    }
    // The statements with a condition are marked so.
    let efs = &cat.sam_policy_templates["EFSWriteAccessPolicy"];
    assert!(efs.statements.iter().all(|s| s.conditional));
    assert!(cat.sam_policy_templates["DynamoDBCrudPolicy"]
        .statements
        .iter()
        .all(|s| !s.conditional));
}

#[test]
fn cloudformation_return_values_cite_their_page_and_are_consistent() {
    use super::cfn::Returns;
    let cfn = &catalog().cfn;
    assert!(cfn.types.len() >= 20, "{} types", cfn.types.len());
    for (ty, t) in &cfn.types {
        let parts: Vec<&str> = ty.split("::").collect();
        assert_eq!(parts.len(), 3, "{ty}: not a resource type");
        assert_eq!(parts[0], "AWS", "{ty}");
        // The page is the type's own: aws-resource-<service>-<type> or sam-resource-<type>.
        let page = if parts[1] == "Serverless" {
            format!(
                "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-{}.html#",
                parts[2].to_lowercase()
            )
        } else {
            format!(
                "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-{}-{}.html#",
                parts[1].to_lowercase(),
                parts[2].to_lowercase()
            )
        };
        assert!(
            t.doc.starts_with(&page),
            "{ty}: doc {} is not {page}",
            t.doc
        );
        assert!(t.doc.ends_with("-return-values"), "{ty}: doc anchor");
        if let Some(a) = &t.name_attribute {
            assert_eq!(
                t.get_att.get(a),
                Some(&Returns::Name),
                "{ty}: name_attribute {a} is not a name attribute"
            );
        }
        if t.reference == Returns::Url {
            assert!(
                t.name_attribute.is_some(),
                "{ty}: Ref returns a URL, so the name needs a name_attribute"
            );
        }
    }
    // Types are listed in order, so the file stays easy to review.
    let text = super::data::CFN_RETURNS;
    let listed: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("[types.\"")?.strip_suffix("\"]"))
        .collect();
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    assert_eq!(listed, sorted, "returns.toml types are sorted");
    assert_eq!(listed.len(), cfn.types.len());
    // The documented facts resolution depends on.
    for (ty, kind) in [
        ("AWS::SQS::Queue", Returns::Url),
        ("AWS::SNS::Topic", Returns::Arn),
        ("AWS::StepFunctions::StateMachine", Returns::Arn),
        ("AWS::Serverless::StateMachine", Returns::Arn),
        ("AWS::SecretsManager::Secret", Returns::Arn),
        ("AWS::ECS::TaskDefinition", Returns::Arn),
        ("AWS::DynamoDB::Table", Returns::Name),
        ("AWS::S3::Bucket", Returns::Name),
        ("AWS::Lambda::Function", Returns::Name),
    ] {
        assert_eq!(cfn.of_ref(ty), Some(kind), "{ty}");
    }
}

/// The `[<table>.<key>]` headers of a rules file, in file order, quotes removed.
fn table_keys<'a>(text: &'a str, table: &str) -> Vec<&'a str> {
    let open = format!("[{table}.");
    text.lines()
        .filter_map(|l| l.strip_prefix(open.as_str())?.strip_suffix(']'))
        .map(|k| k.trim_matches('"'))
        .collect()
}

#[test]
fn http_clients_and_signers_cite_their_pages_and_are_consistent() {
    use super::http::{Options, RequestShape};
    let http = &catalog().http;
    let text = super::data::SDK_NAMING
        .iter()
        .find(|(n, _)| *n == "http")
        .map(|(_, t)| *t)
        .unwrap_or("");
    for (table, listed) in [
        ("clients", http.clients.keys().collect::<Vec<_>>()),
        ("signers", http.signers.keys().collect::<Vec<_>>()),
    ] {
        let in_file = table_keys(text, table);
        let mut sorted = in_file.clone();
        sorted.sort_unstable();
        assert_eq!(in_file, sorted, "http.toml {table} are sorted");
        assert_eq!(
            in_file.len(),
            listed.len(),
            "http.toml {table}: one header each"
        );
    }
    for (package, c) in &http.clients {
        assert!(
            c.doc.starts_with("https://"),
            "http.toml clients.{package}: cite the library's page"
        );
        assert!(!c.functions.is_empty(), "clients.{package}: no function");
        for (f, shape) in &c.functions {
            // The method of these shapes is the function's name: it must be an HTTP method.
            if matches!(shape, RequestShape::Url | RequestShape::UrlBody) {
                assert!(
                    ["get", "delete", "head", "options", "post", "put", "patch"]
                        .contains(&f.as_str()),
                    "clients.{package}.{f}: `{shape:?}` takes the method from the name"
                );
            }
            assert!(
                !http.is_signer(package, f),
                "{package}.{f} is both a client and a signer"
            );
        }
    }
    for (package, s) in &http.signers {
        assert!(
            s.doc.starts_with("https://"),
            "http.toml signers.{package}: cite the library's page"
        );
        assert!(!s.functions.is_empty(), "signers.{package}: no function");
    }
    // The facts the request model depends on.
    let fetch = http.request("<global>", "fetch", "fetch").unwrap();
    assert_eq!(
        (fetch.shape, fetch.options),
        (RequestShape::Config, Options::Positional)
    );
    let post = http.request("axios", "post", "post").unwrap();
    assert_eq!(post.shape, RequestShape::UrlBody);
    // A longer path is the package's own call, shaped by its last name.
    let nested = http.request("axios", "", "get").unwrap();
    assert_eq!(nested.shape, RequestShape::Url);
    assert_eq!(
        http.request("axios", "", "use").unwrap().shape,
        RequestShape::Config
    );
    let request = http.request("requests", "request", "request").unwrap();
    assert_eq!(
        (request.shape, request.options),
        (RequestShape::MethodUrl, Options::Keywords)
    );
    assert!(http.request("requests", "", "adapters").is_none());
    assert!(http.is_signer("botocore.auth", "SigV4Auth"));
    assert!(http.is_signer_value("requests_aws4auth", None));
    assert!(http.is_signer_value("my_auth", Some("AWS4Auth")));
    assert!(!http.is_signer_value("my_auth", Some("HTTPBasicAuth")));
}

/// `prefix:Name` is an IAM action, spelled as IAM spells it.
fn assert_iam_action(action: &str, what: &str) {
    let (prefix, name) = action
        .split_once(':')
        .unwrap_or_else(|| panic!("{what}: {action} is not prefix:Action"));
    let iam = catalog()
        .iam_prefix(prefix)
        .unwrap_or_else(|| panic!("{what}: {action}: unknown IAM prefix"));
    let (canonical, _) = iam
        .action(name)
        .unwrap_or_else(|| panic!("{what}: {action} is not an IAM action"));
    assert_eq!(canonical, name, "{what}: {action} is spelled {canonical}");
}

#[test]
fn event_sources_invocations_and_destinations_are_consistent() {
    use super::events::InvocationTarget;
    let cat = catalog();
    let ev = &cat.events;
    let text = super::data::EVENTS;
    for (table, listed) in [
        ("sources", ev.sources.len()),
        ("shared_event_kinds", ev.shared_event_kinds.len()),
        ("invocations", ev.invocations.len()),
        ("destinations", ev.destinations.len()),
    ] {
        let in_file = table_keys(text, table);
        let mut sorted = in_file.clone();
        sorted.sort_unstable();
        assert_eq!(in_file, sorted, "events.toml {table} are sorted");
        assert_eq!(
            in_file.len(),
            listed,
            "events.toml {table}: one header each"
        );
    }
    let mut event_kinds = BTreeSet::new();
    let mut actions = BTreeSet::new();
    for (kind, s) in &ev.sources {
        assert!(
            s.doc.starts_with("https://docs.aws.amazon.com/"),
            "sources.{kind}: cite the AWS documentation"
        );
        assert!(
            !s.event_kinds.is_empty() && !s.triggered_by.is_empty(),
            "{kind}"
        );
        for k in &s.event_kinds {
            assert!(
                event_kinds.insert(k.as_str()),
                "event kind {k} listed twice"
            );
            assert_eq!(ev.source_kind(k, String::new), Some(kind.as_str()));
        }
        for a in &s.triggered_by {
            assert_iam_action(a, &format!("sources.{kind}"));
            assert!(actions.insert(a.as_str()), "{a} triggers two kinds");
            assert_eq!(ev.triggered_source(a), Some(kind.as_str()));
        }
    }
    for (key, shared) in &ev.shared_event_kinds {
        assert!(shared.doc.starts_with("https://"), "{key}: cite its page");
        assert!(
            !event_kinds.contains(key.as_str()),
            "{key} is also a source's"
        );
        assert!(ev.sources.contains_key(&shared.default), "{key}: default");
        for (kind, markers) in &shared.markers {
            assert!(ev.sources.contains_key(kind), "{key}: marker kind {kind}");
            assert!(!markers.is_empty(), "{key}.{kind}: no marker");
            assert_eq!(
                ev.source_kind(key, || format!("x{}x", markers[0])),
                Some(kind.as_str())
            );
        }
        assert_eq!(
            ev.source_kind(key, String::new),
            Some(shared.default.as_str())
        );
    }
    for (via, i) in &ev.invocations {
        assert!(
            i.doc.starts_with("https://docs.aws.amazon.com/"),
            "invocations.{via}: cite the AWS documentation"
        );
        assert!(!ev.sources.contains_key(via), "{via} is also a source kind");
        for a in &i.actions {
            assert_iam_action(a, &format!("invocations.{via}"));
            assert!(actions.insert(a.as_str()), "{a} starts two kinds of edge");
            assert_eq!(ev.invocation(a).map(|(v, _)| v), Some(via.as_str()));
        }
        // State machines are found among the template's resources by their types.
        assert_eq!(
            i.target == InvocationTarget::StateMachine,
            !i.resource_types.is_empty(),
            "invocations.{via}: resource_types"
        );
        for ty in &i.resource_types {
            assert!(
                cat.cfn.types.contains_key(ty),
                "invocations.{via}: {ty} is not in returns.toml"
            );
        }
    }
    assert!(ev.destinations.contains_key(&ev.default_destination));
    let mut seen = BTreeSet::new();
    for (kind, d) in &ev.destinations {
        assert_iam_action(&d.action, &format!("destinations.{kind}"));
        // A destination ARN's service is the one whose action delivers there.
        assert_eq!(
            d.action.split(':').next(),
            Some(d.arn_service.as_str()),
            "destinations.{kind}"
        );
        assert!(
            cat.cfn.types.contains_key(&d.resource_type),
            "destinations.{kind}: {} is not in returns.toml",
            d.resource_type
        );
        for (what, value) in [
            ("sam_type", &d.sam_type),
            ("resource_type", &d.resource_type),
            ("arn_service", &d.arn_service),
        ] {
            assert!(seen.insert((what, value.as_str())), "{what} {value} twice");
        }
        assert_eq!(ev.destination_by_sam_type(&d.sam_type), Some(kind.as_str()));
        assert_eq!(
            ev.destination_by_resource_type(&d.resource_type),
            Some(kind.as_str())
        );
        let arn = format!("arn:aws:{}:us-east-1:123456789012:x", d.arn_service);
        assert_eq!(ev.destination_by_arn(&arn), Some(kind.as_str()));
    }
    assert_eq!(ev.destination_by_arn("arn:aws:sqs"), None);
    assert_eq!(
        ev.destination_action_or_default("unknown"),
        ev.destination(&ev.default_destination)
            .map(|d| d.action.as_str())
    );
    // `check` grants each source's polling actions by kind (rules/check.toml): every kind it
    // lists is a source kind.
    let check: toml::Value = toml::from_str(super::check_data()).unwrap();
    let polled = check
        .get("event_sources")
        .and_then(|t| t.as_table())
        .expect("check.toml [event_sources]");
    for kind in polled.keys() {
        assert!(
            ev.sources.contains_key(kind),
            "check.toml event_sources.{kind}"
        );
    }
    // The call graph matches EventBridge rule patterns against the PutEvents entries.
    assert_eq!(ev.triggered_source("events:PutEvents"), Some("eventbridge"));
}

/// Every file under `dir`, as paths relative to `base` with `/`.
fn files_under(base: &std::path::Path, dir: &std::path::Path, out: &mut BTreeSet<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(base, &path, out);
        } else if let Ok(rel) = path.strip_prefix(base) {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.insert(parts.join("/"));
        }
    }
}

#[test]
fn generated_files_match_the_digests_the_generator_recorded() {
    let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let list = std::fs::read_to_string(rules.join("generated.sha256"))
        .expect("rules/generated.sha256 is written by rules/generate.py");
    let mut recorded = BTreeMap::new();
    for line in list
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (digest, path) = line
            .split_once("  ")
            .unwrap_or_else(|| panic!("generated.sha256: `{line}` is not `<sha256>  <path>`"));
        assert_eq!(digest.len(), 64, "generated.sha256: {path}");
        assert!(
            recorded.insert(path.to_string(), digest).is_none(),
            "generated.sha256 lists {path} twice"
        );
    }
    let mut generated = BTreeSet::from(["sam-policy-templates.toml".to_string()]);
    files_under(&rules, &rules.join("catalog"), &mut generated);
    let listed: BTreeSet<String> = recorded.keys().cloned().collect();
    let rerun = "re-run rules/generate.py";
    let mut problems: Vec<String> = generated
        .difference(&listed)
        .map(|p| {
            format!("rules/{p} was not written by the generator (not in generated.sha256); {rerun}")
        })
        .chain(
            listed
                .difference(&generated)
                .map(|p| format!("rules/{p} was generated but is missing; {rerun}")),
        )
        .collect();
    problems.extend(
        recorded
            .iter()
            .filter(|(path, digest)| {
                let bytes = std::fs::read(rules.join(path.as_str())).unwrap_or_default();
                super::sha256::hex_digest(&bytes) != **digest
            })
            .map(|(path, _)| format!("generated file rules/{path} was edited by hand; {rerun}")),
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The embedded catalog is the files the digests cover.
    assert_eq!(
        super::data::SERVICES.len(),
        generated
            .iter()
            .filter(|p| p.starts_with("catalog/services/"))
            .count()
    );
}

#[test]
fn unknown_helper_operations_are_named_with_their_helper() {
    let helper = |service: &str, ops: &[&str]| crate::model::HelperSpec {
        service: service.into(),
        operations: ops.iter().map(|o| o.to_string()).collect(),
        params: Vec::new(),
        doc: String::new(),
        failure_path: Vec::new(),
    };
    let helpers = std::collections::BTreeMap::from([
        ("upload".to_string(), helper("s3", &["PutObject", "Shout"])),
        ("other".to_string(), helper("nosuchservice", &["X"])),
    ]);
    assert_eq!(
        catalog().unknown_helper_operations(&helpers),
        [
            "helper other: unknown service nosuchservice",
            "helper upload: s3 has no operation Shout"
        ]
    );
}

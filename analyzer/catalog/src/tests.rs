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
    assert_eq!(
        cat.service_by_js_v3_package("@aws-sdk/client-sfn"),
        Some("stepfunctions")
    );
    assert_eq!(
        cat.service_by_js_v2_class("StepFunctions"),
        Some("stepfunctions")
    );
    assert_eq!(cat.service_by_js_v2_class("EventBridge"), Some("events"));
    assert_eq!(
        cat.service_by_js_v2_module("aws-sdk/clients/dynamodb"),
        Some("dynamodb")
    );
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
    assert_eq!(cat.js.document_client["get"], "GetItem");
}

/// The JS v3 SDK names its classes from the model's sdkId with each word capitalised: a name in
/// another shape (`kendraClient`) is exported by no package, and code using the real class would
/// not be recognised.
#[test]
fn js_v3_class_names_have_the_sdk_shape() {
    let cat = catalog();
    let mut checked = 0;
    for service in cat.service_names() {
        let e = cat
            .index_entry(service)
            .expect("listed services have an entry");
        let client = &e.js_v3_client;
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
            Some(e.js_v3_aggregate.as_str()),
            "{service}: the aggregate class is the client class without `Client`"
        );
        assert!(
            !e.js_v3_aggregate.is_empty(),
            "{service}: empty aggregate class"
        );
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
        assert_eq!(cat.index_entry(service).unwrap().js_v3_client, client);
    }
}

#[test]
fn sdk_naming_files_name_real_operations() {
    let cat = catalog();
    let check = |service: &str, op: &str, what: &str| {
        let model = cat
            .service(service)
            .unwrap_or_else(|| panic!("{what}: unknown service {service}"));
        assert!(
            model.operations.contains_key(op),
            "{what}: {service} has no operation {op}"
        );
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
    for (name, h) in cat.python.helpers.iter().chain(cat.js.helpers.iter()) {
        for op in &h.operations {
            check(&h.service, op, &format!("helper {name}"));
        }
    }
    for (service, classes) in &cat.python.resources {
        for (class, spec) in classes {
            let ops = spec
                .actions
                .values()
                .chain(spec.writers.values())
                .chain(spec.collections.values());
            for op in ops {
                check(
                    service,
                    op,
                    &format!("python.toml resources.{service}.{class}"),
                );
            }
        }
    }
    for op in cat
        .python
        .pynamodb
        .methods
        .values()
        .flatten()
        .chain([&cat.python.pynamodb.describe])
    {
        check("dynamodb", op, "python.toml pynamodb");
    }
    for op in cat
        .js
        .document_client
        .values()
        .chain(cat.js.lib_dynamodb_commands.values())
    {
        check("dynamodb", op, "js.toml");
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

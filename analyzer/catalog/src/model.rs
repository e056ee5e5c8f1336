//! Catalog types (the generated service models and IAM data, the SDK helpers the front-ends'
//! rules name) and the lookup that combines the generated default with curated overrides.

use super::overrides::{BindingSpec, GrantSpec};
use super::Catalog;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A service of the index. The SDK names it holds are read through
/// [`Catalog::sdk_names`](crate::Catalog::sdk_names).
#[derive(Debug, Deserialize)]
pub struct IndexEntry {
    pub iam_prefix: String,
    pub(crate) boto3: String,
    pub(crate) js_v3_package: String,
    pub(crate) js_v3_client: String,
    pub(crate) js_v3_aggregate: String,
    pub(crate) rust_crate: String,
    #[serde(default)]
    pub(crate) js_v2_classes: Vec<String>,
    #[serde(default)]
    pub(crate) js_v2_modules: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct OperationModel {
    pub boto3: String,
    #[serde(default)]
    pub inputs: Vec<String>,
    #[serde(default)]
    pub required: Vec<String>,
    pub action: Option<String>,
    #[serde(default)]
    pub paginated: bool,
}

#[derive(Debug, Deserialize)]
pub struct ServiceModel {
    pub service: String,
    pub service_id: String,
    pub iam_prefix: String,
    pub protocol: String,
    pub api_version: String,
    #[serde(default)]
    pub waiters: BTreeMap<String, String>,
    pub operations: BTreeMap<String, OperationModel>,
    /// Other spellings of each operation name (`getObject`, `get_object`), built on first use.
    #[serde(skip)]
    spellings: std::sync::OnceLock<rustc_hash::FxHashMap<String, String>>,
}

impl ServiceModel {
    /// The operation an SDK spells `name` (`GetObject`, `getObject`, `get_object`), as the model
    /// spells it. Nothing is allocated once the spellings are built.
    pub fn operation_name(&self, name: &str) -> Option<&str> {
        if let Some((k, _)) = self.operations.get_key_value(name) {
            return Some(k);
        }
        let spellings = self.spellings.get_or_init(|| {
            let mut map = rustc_hash::FxHashMap::default();
            for k in self.operations.keys() {
                let mut chars = k.chars();
                if let Some(first) = chars.next() {
                    let lower: String = first.to_lowercase().chain(chars).collect();
                    map.entry(lower).or_insert_with(|| k.clone());
                }
            }
            for (k, op) in &self.operations {
                map.entry(op.boto3.clone()).or_insert_with(|| k.clone());
            }
            map
        });
        spellings.get(name).map(String::as_str)
    }
}

#[derive(Debug, Deserialize)]
pub struct IamResourceRef {
    #[serde(rename = "type")]
    pub resource_type: String,
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Deserialize)]
pub struct IamAction {
    pub access: String,
    #[serde(default)]
    pub resources: Vec<IamResourceRef>,
    #[serde(default)]
    pub dependent: Vec<String>,
    #[serde(default)]
    pub condition_keys: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct IamResourceType {
    pub arn: String,
}

#[derive(Debug, Deserialize)]
pub struct IamPrefix {
    pub prefix: String,
    pub actions: BTreeMap<String, IamAction>,
    pub resource_types: BTreeMap<String, IamResourceType>,
}

impl IamPrefix {
    /// The action as IAM spells it, matched case-insensitively (IAM actions are case-insensitive).
    pub fn action(&self, name: &str) -> Option<(&str, &IamAction)> {
        self.actions
            .get_key_value(name)
            .or_else(|| {
                self.actions
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
            })
            .map(|(k, v)| (k.as_str(), v))
    }
}

/// An SDK helper that stands for several operations (`s3.upload`, boto3's `upload_file`), as a
/// front-end's `rules/sdk/<language>.toml` lists it.
#[derive(Debug, Deserialize)]
pub struct HelperSpec {
    pub service: String,
    pub operations: Vec<String>,
    /// Positional parameter names, where the helper takes positional arguments (boto3).
    #[serde(default)]
    pub params: Vec<String>,
    pub doc: String,
    /// Operations the helper performs only when another fails (aborting a multipart upload).
    #[serde(default)]
    pub failure_path: Vec<String>,
}

/// A library function that calls AWS (`rules/sdk/libraries.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibrarySpec {
    pub service: String,
    pub operations: Vec<String>,
    /// Request field -> argument paths, the first that gives a value wins.
    pub args: BTreeMap<String, Vec<String>>,
    pub doc: String,
}

/// Where a rule came from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RuleSource {
    /// The operation and an IAM action share a name (botocore + IAM data).
    Inferred,
    /// A curated override in `rules/overrides/<service>.toml`.
    Override { file: String, doc: String },
}

/// How an argument value becomes a placeholder value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transform {
    /// The value as it is.
    Identity,
    /// The last `/` segment (an SQS queue URL -> queue name).
    UrlLastSegment,
    /// A name, or a full ARN that then stands for the whole resource (FunctionName, TableName).
    NameOrArn,
    /// Always a full ARN: the whole resource (TopicArn, StateMachineArn).
    WholeArn,
    /// The text before the first `/` (S3 CopySource -> bucket).
    BeforeFirstSlash,
    /// The text after the first `/` (S3 CopySource -> key).
    AfterFirstSlash,
    /// A leading `/` is dropped (SSM parameter names in ARNs).
    StripLeadingSlash,
    /// A Secrets Manager name, which the ARN suffixes with `-??????`.
    SecretName,
    /// A KMS key id or key ARN; an alias does not name the key.
    KmsKeyId,
    /// The table a PartiQL statement reads or writes (`SELECT * FROM "orders"`).
    PartiqlTable,
    /// The model an inference profile routes to: the id after an ARN's last `/`, without the
    /// profile's geography prefix (`us.anthropic.claude-x` -> `anthropic.claude-x`).
    InferenceProfileModel,
}

/// A path into a request's input: `Bucket`, `Entries[].EventBusName`, `RequestItems{}`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ArgPath(pub String);

#[derive(Clone, Debug, serde::Serialize)]
pub struct Binding {
    pub arg: ArgPath,
    pub placeholder: String,
    pub transform: Transform,
    /// Used when the argument is absent (`EventBusName` -> `default`).
    pub default: Option<String>,
    /// An unknown value here is expected (an S3 object key) and widens without a warning.
    pub quiet: bool,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct ActionRule {
    pub action: String,
    /// The IAM resource type the action is scoped to, if it supports one.
    pub resource_type: Option<String>,
    /// Its ARN template (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
    pub arn: Option<String>,
    pub bindings: Vec<Binding>,
    /// Only when this argument is present in the call (`VersionId` -> s3:GetObjectVersion).
    pub if_arg: Option<String>,
    /// Not when this argument is present in the call (`PhoneNumber`: SMS, not a topic).
    pub unless_arg: Option<String>,
    /// Placeholders with a fixed value.
    pub constants: Vec<(String, String)>,
    /// Only when the argument's text starts with this prefix (or is not known).
    pub if_arg_starts_with: Option<(String, String)>,
    /// Only for the argument's values matching one of the patterns (see `GrantSpec`).
    pub if_arg_like: Option<(String, Vec<String>)>,
    /// Only for the argument's values matching none of the patterns.
    pub unless_arg_like: Option<(String, Vec<String>)>,
    /// Why the grant is what it is, shown with the permission.
    pub note: Option<String>,
    /// An argument appended to the resource after a separator when given (see `GrantSpec`).
    pub append_arg: Option<(String, String)>,
    /// Every resource type the IAM action supports, and whether IAM requires it (empty: no
    /// resource-level permission; optional types apply only when the request names one).
    pub resource_types: Vec<(String, bool)>,
    /// The curated rule grants on `*` on purpose (`resource = "*"`, with a `note`).
    pub wildcard_on_purpose: bool,
    /// Placeholders the curated rules leave as `*` on purpose (no warning when unbound).
    pub wildcard: Vec<String>,
    pub source: RuleSource,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct OperationRules {
    pub service: String,
    pub operation: String,
    pub actions: Vec<ActionRule>,
    /// AWS documents that the operation needs no permission (an empty `actions` is then right).
    pub no_permission: bool,
}

fn spec_binding(arg: &str, spec: &BindingSpec) -> Binding {
    match spec {
        BindingSpec::Placeholder(p) => Binding {
            arg: ArgPath(arg.to_string()),
            placeholder: p.clone(),
            transform: Transform::Identity,
            default: None,
            quiet: false,
        },
        BindingSpec::Full {
            placeholder,
            transform,
            default,
            quiet,
            arg: arg_override,
        } => Binding {
            arg: ArgPath(arg_override.clone().unwrap_or_else(|| arg.to_string())),
            placeholder: placeholder.clone(),
            transform: transform.unwrap_or(Transform::Identity),
            default: default.clone(),
            quiet: *quiet,
        },
    }
}

/// Placeholders in an ARN template, in order, excluding partition, region and account.
pub fn arn_placeholders(arn: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = arn;
    while let Some(i) = rest.find("${") {
        let Some(j) = rest[i..].find('}') else { break };
        let name = &rest[i + 2..i + j];
        if !matches!(name, "Partition" | "Region" | "Account") {
            out.push(name);
        }
        rest = &rest[i + j + 1..];
    }
    out
}

/// The default binding of a placeholder by name: `TableName` <- `TableName`, `BucketName` <- `Bucket`.
/// Case is ignored; nothing is allocated.
fn name_match<'a>(placeholder: &str, inputs: &'a [String]) -> Option<&'a str> {
    inputs
        .iter()
        .find(|i| {
            i.eq_ignore_ascii_case(placeholder)
                || (placeholder.len() == i.len() + 4
                    && placeholder
                        .get(..i.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(i))
                    && placeholder[i.len()..].eq_ignore_ascii_case("Name"))
        })
        .map(String::as_str)
}

pub(super) fn lookup(cat: &Catalog, service: &str, operation: &str) -> Option<OperationRules> {
    let model = cat.service(service)?;
    let op = model.operations.get(operation)?;
    let iam = cat.iam_prefix(&model.iam_prefix);
    let ov = cat.overrides(service);
    let service_bindings: Vec<Binding> = ov
        .map(|o| {
            o.bindings
                .iter()
                .map(|(arg, spec)| spec_binding(arg, spec))
                .collect()
        })
        .unwrap_or_default();
    let op_override = ov.and_then(|o| o.operations.get(operation));
    let grants: Vec<(GrantSpec, RuleSource)> = match op_override {
        Some(o) => {
            let source = RuleSource::Override {
                file: format!("rules/overrides/{service}.toml"),
                doc: o.doc.clone(),
            };
            o.all_grants()
                .into_iter()
                .map(|g| (g, source.clone()))
                .collect()
        }
        None => op
            .action
            .iter()
            .map(|a| (GrantSpec::action(a), RuleSource::Inferred))
            .collect(),
    };
    let mut actions = Vec::new();
    for (grant, source) in grants {
        let (prefix, name) = grant
            .action
            .split_once(':')
            .unwrap_or((&model.iam_prefix, &grant.action));
        let iam_for = if prefix == model.iam_prefix {
            iam
        } else {
            cat.iam_prefix(prefix)
        };
        let iam_action = iam_for.and_then(|p| p.action(name));
        let action = match iam_action {
            Some((canonical, _)) => format!("{prefix}:{canonical}"),
            None => grant.action.clone(),
        };
        let mut bindings: Vec<Binding> = grant
            .bindings
            .iter()
            .map(|(arg, spec)| spec_binding(arg, spec))
            .collect();
        for b in &service_bindings {
            let curated_here = grant
                .bindings
                .values()
                .any(|g| spec_placeholder(g) == b.placeholder);
            if op_has_arg(op, &b.arg) && !curated_here && !bindings.iter().any(|x| x.arg == b.arg) {
                bindings.push(b.clone());
            }
        }
        // Pick the resource type: the curated one, else the one whose placeholders the inputs fill;
        // then every other type the action requires (with the argument naming it as a condition
        // when the operation has one).
        let mut types: Vec<(Option<String>, Option<String>, Option<String>)> = Vec::new();
        let mut resource_types = Vec::new();
        match (iam_action, iam_for) {
            (Some((_, a)), Some(p)) if !a.resources.is_empty() => {
                resource_types = a
                    .resources
                    .iter()
                    .map(|r| (r.resource_type.clone(), r.required))
                    .collect();
                let candidates: Vec<(&str, &str, bool)> = a
                    .resources
                    .iter()
                    .filter_map(|r| {
                        p.resource_types
                            .get(&r.resource_type)
                            .map(|t| (r.resource_type.as_str(), t.arn.as_str(), r.required))
                    })
                    .collect();
                let names = |ph: &str| {
                    bindings
                        .iter()
                        .find(|b| b.placeholder == ph && op_has_arg(op, &b.arg))
                        .map(|b| b.arg.0.split(['.', '[', '{']).next().unwrap_or(""))
                        .or_else(|| name_match(ph, &op.inputs))
                };
                let score = |arn: &str| {
                    let ph = arn_placeholders(arn);
                    let bound = ph.iter().filter(|p| names(p).is_some()).count();
                    (bound == ph.len(), bound, usize::MAX - ph.len())
                };
                let chosen = match grant.resource.as_deref() {
                    Some("*") => None,
                    Some(want) => candidates.iter().find(|(t, _, _)| *t == want).copied(),
                    // A type none of whose placeholders the call names is not what the call acts
                    // on (then the action is granted on `*`, with a diagnostic).
                    None => candidates
                        .iter()
                        .filter(|(_, arn, _)| {
                            let (_, bound, _) = score(arn);
                            bound > 0 || arn_placeholders(arn).is_empty()
                        })
                        .max_by_key(|(t, arn, _)| (score(arn), !t.contains("accesspoint")))
                        .copied(),
                };
                if let Some((t, arn, required)) = chosen {
                    types.push((Some(t.to_string()), Some(arn.to_string()), None));
                    if grant.resource.is_none() && required {
                        fn set(arn: &str) -> Vec<&str> {
                            let mut v = arn_placeholders(arn);
                            v.sort_unstable();
                            v
                        }
                        let required_sets: Vec<Vec<&str>> = candidates
                            .iter()
                            .filter(|c| c.2)
                            .map(|c| set(c.1))
                            .collect();
                        for (t2, arn2, _) in candidates.iter().filter(|c| c.2 && c.0 != t) {
                            // Types with the same placeholders are alternatives (a Bedrock model
                            // or an inference profile), not resources needed together.
                            let s2 = set(arn2);
                            if required_sets.iter().filter(|s| **s == s2).count() > 1 {
                                continue;
                            }
                            let own = set(arn);
                            let condition = s2
                                .iter()
                                .filter(|p| !own.contains(p))
                                .find_map(|p| names(p))
                                .map(str::to_string);
                            types.push((Some(t2.to_string()), Some(arn2.to_string()), condition));
                        }
                    }
                }
            }
            _ => {}
        }
        if types.is_empty() {
            types.push((None, None, None));
        }
        let wildcard_on_purpose = grant.resource.as_deref() == Some("*");
        for (resource_type, arn, condition) in types {
            let mut bindings = bindings.clone();
            if let Some(arn) = &arn {
                for ph in arn_placeholders(arn) {
                    if bindings.iter().any(|b| b.placeholder == ph) {
                        continue;
                    }
                    if let Some(input) = name_match(ph, &op.inputs) {
                        bindings.push(Binding {
                            arg: ArgPath(input.to_string()),
                            placeholder: ph.to_string(),
                            transform: Transform::Identity,
                            default: None,
                            quiet: false,
                        });
                    }
                }
                bindings.retain(|b| arn.contains(&format!("${{{}}}", b.placeholder)));
            } else {
                bindings.clear();
            }
            bindings.sort_by(|a, b| {
                a.placeholder
                    .cmp(&b.placeholder)
                    .then(a.arg.0.cmp(&b.arg.0))
            });
            actions.push(ActionRule {
                action: action.clone(),
                resource_type,
                arn,
                bindings,
                if_arg: condition.or_else(|| grant.if_arg.clone()),
                unless_arg: grant.unless_arg.clone(),
                constants: grant
                    .constants
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                if_arg_starts_with: grant.if_arg_starts_with.clone(),
                if_arg_like: grant.if_arg_like.clone(),
                unless_arg_like: grant.unless_arg_like.clone(),
                note: grant.note.clone(),
                append_arg: grant.append_arg.clone(),
                resource_types: resource_types.clone(),
                wildcard_on_purpose,
                wildcard: ov.map(|o| o.wildcard.clone()).unwrap_or_default(),
                source: source.clone(),
            });
        }
    }
    Some(OperationRules {
        service: service.to_string(),
        operation: operation.to_string(),
        actions,
        no_permission: op_override.is_some_and(|o| o.no_permission),
    })
}

fn spec_placeholder(spec: &BindingSpec) -> &str {
    match spec {
        BindingSpec::Placeholder(p) | BindingSpec::Full { placeholder: p, .. } => p,
    }
}

fn op_has_arg(op: &OperationModel, arg: &ArgPath) -> bool {
    let head = arg.0.split(['.', '[', '{']).next().unwrap_or("");
    op.inputs.iter().any(|i| i == head)
}

/// `rules/sam-policy-templates.toml`: generated from aws-sam-translator's policy templates.
#[derive(Debug, Deserialize)]
pub struct SamPolicyTemplateFile {
    pub generated_from: SamTemplatesSource,
    /// Every other table is a template, by name.
    #[serde(flatten)]
    pub templates: BTreeMap<String, SamPolicyTemplate>,
}

/// The package (and the file in it) the templates were generated from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamTemplatesSource {
    #[serde(rename = "aws-sam-translator")]
    pub aws_sam_translator: String,
    pub file: String,
}

/// An AWS SAM policy template.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamPolicyTemplate {
    /// The parameters the template declares (`TableName`), sorted.
    pub parameters: Vec<String>,
    pub statements: Vec<SamPolicyStatement>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamPolicyStatement {
    /// The statement has a `Condition`: it may allow, it is never sure to.
    #[serde(default)]
    pub conditional: bool,
    pub actions: Vec<String>,
    /// ARN templates with `${Parameter}` and `${AWS::...}` placeholders.
    pub resources: Vec<String>,
}

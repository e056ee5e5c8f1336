//! The project model: functions, their handlers, environment, events and declared permissions, and
//! the template resources, read from the project's configuration. One reader per framework
//! ([`serverless`]); all produce the same [`Project`].

pub mod includes;
pub mod reader;
pub mod roles;
pub mod variables;
pub mod yaml;

pub use slz_core::code::Code;
use slz_core::diagnostics::{Diagnostic, Location};
use slz_core::value::Template;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use variables::Resolver;
use yaml::{Node, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Framework {
    Serverless,
    Sam,
    Cloudformation,
    Serverlize,
    /// A cargo-lambda crate with no deployment config: one function per binary.
    #[serde(rename = "cargo-lambda")]
    CargoLambda,
}

/// A resource declared in the template (`resources.Resources` / `Resources`).
#[derive(Clone, Debug)]
pub struct Resource {
    pub logical_id: String,
    pub resource_type: String,
    /// The physical name when the template sets one (`TableName`, `BucketName`, `QueueName`, ...).
    pub physical_name: Option<Template>,
    /// Logical ids its properties refer to (`Ref`, `GetAtt`, `${X}` in `Sub`): a state machine's
    /// tasks, for example.
    pub mentions: Vec<String>,
    pub line: u32,
}

impl Resource {
    /// A resource of a template (`Resources.<id>`, or serverless.yml's `resources.Resources`):
    /// its type, the physical name it sets, and the logical ids its properties mention.
    pub fn from_template(r: &Resolver<'_>, id: &str, node: &Node) -> Resource {
        let resource_type = node
            .get("Type")
            .and_then(|t| t.as_str())
            .unwrap_or_default()
            .to_string();
        let props = node.get("Properties");
        // Physical-name properties come from `rules/cloudformation/returns.toml`.
        let physical_name = slz_catalog::catalog()
            .cfn
            .name_property(&resource_type)
            .and_then(|prop| props.and_then(|p| p.get(prop)))
            .map(|n| r.template(n));
        let mut mentions = std::collections::BTreeSet::new();
        if let Some(props) = props {
            self::mentions(props, &mut mentions, 0);
        }
        Resource {
            logical_id: id.to_string(),
            resource_type,
            physical_name,
            mentions: mentions.into_iter().collect(),
            line: node.line,
        }
    }
}

/// An event that triggers a function, as configured.
#[derive(Clone, Debug, Default)]
pub struct Event {
    /// `http`, `httpApi`, `websocket`, `sqs`, `sns`, `s3`, `stream`, `eventBridge`, `schedule`;
    /// SAM: `Api`, `HttpApi`, `SQS`, `SNS`, `S3`, `DynamoDB`, `Kinesis`, `EventBridgeRule`, ...
    pub kind: String,
    /// A short human description: `http GET /restaurants`.
    pub description: String,
    /// The endpoint's configured authorization, for API events: `aws_iam`, `api_key`, `cognito`,
    /// `custom:<authorizer>`, `jwt`, or `none`.
    pub auth: Option<String>,
    /// A custom authorizer's result cache lifetime (seconds; 0: no caching).
    pub authorizer_ttl: Option<u32>,
    /// API events: the method (upper case, `ANY` / `*` kept) and the path.
    pub method: Option<String>,
    pub path: Option<String>,
    /// What the event reads from: a queue, topic, bucket, stream or event bus, as configured.
    pub source: Option<Template>,
    /// EventBridge patterns: literal `source` and `detail-type` values (empty: any).
    pub pattern_sources: Vec<String>,
    pub pattern_detail_types: Vec<String>,
    pub line: u32,
    /// Where the event's configuration sits in the file, for edits.
    pub body: Option<EventBody>,
}

/// The position of an event's body: a map (`http:` + indented keys) or an inline value
/// (`http: GET /x`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventBody {
    /// The line and 1-based column of the event's key (`http:`, or the SAM event's `Properties:`).
    pub key_line: u32,
    pub key_column: u32,
    /// The line and column of the first key inside the body, when it is a map.
    pub map_line: Option<u32>,
    pub map_column: Option<u32>,
}

/// Which asynchronous source an event reads from, in one vocabulary for both frameworks
/// (`rules/events.toml`).
pub fn event_source_kind(kind: &str, source: Option<&Template>) -> Option<&'static str> {
    slz_catalog::catalog()
        .events
        .source_kind(kind, || source.map(|t| t.to_string()).unwrap_or_default())
}

/// A permission the configuration implies, with no call in the function's code.
#[derive(Clone, Debug)]
pub struct ImplicitGrant {
    pub action: String,
    pub resource: Template,
    pub reason: String,
    pub location: Location,
}

/// Where an asynchronous invocation's result goes; the function's role needs the right to send there.
#[derive(Clone, Debug)]
pub struct Destination {
    /// `sqs`, `sns`, `function` or `eventBus`.
    pub kind: String,
    pub target: Template,
    pub line: u32,
}

/// A policy statement declared in the configuration, kept for comparison and `check`.
#[derive(Clone, Debug, Default)]
pub struct DeclaredStatement {
    pub effect: String,
    pub actions: Vec<String>,
    pub resources: Vec<Template>,
    /// `NotAction` / `NotResource` instead of `Action` / `Resource`.
    pub not_action: bool,
    pub not_resource: bool,
    /// The statement has a `Condition`.
    pub conditional: bool,
    pub line: u32,
    /// Lines of its `Action` and `Resource` keys (0 when unknown).
    pub action_line: u32,
    pub resource_line: u32,
    /// Added by the framework itself, not written in the config (cannot be removed by the user).
    pub implicit: bool,
    /// The line of each entry of `actions` (empty when unknown).
    pub action_lines: Vec<u32>,
    /// The SAM policy template or connector permission it expands (its actions come as a whole).
    pub bundle: Option<String>,
    /// The `AWS::IAM::ManagedPolicy` (logical id) it belongs to; None for inline policies.
    pub managed_policy: Option<String>,
    /// The statement's `Sid`, when it has one (the tool's own start with `SlzIam`).
    pub sid: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Function {
    /// The key the config names it by (serverless.yml functions key, SAM logical id).
    pub name: String,
    /// The handler as configured (`functions/get-index.handler`).
    pub handler: String,
    pub runtime: Option<String>,
    /// What its code is and where it starts.
    pub code: Code,
    /// Merged environment: provider-level, overridden by the function's own.
    pub environment: Environment,
    pub events: Vec<Event>,
    /// Managed policies attached to the function's role, by name or ARN.
    pub managed_policies: Vec<String>,
    /// Asynchronous-invocation destinations (`destinations.onFailure`): the role delivers to them.
    pub destinations: Vec<Destination>,
    /// Permissions the framework's own runtime code needs (secrets it unwraps before the handler).
    pub implicit: Vec<ImplicitGrant>,
    pub declared: Vec<DeclaredStatement>,
    /// The deployed function name (`${self:service}-${sls:stage}-fn` unless `name:` is set).
    pub deployed_name: Template,
    /// The CloudFormation logical id of the function resource.
    pub logical_id: String,
    pub location: Location,
}

#[derive(Clone, Debug)]
pub struct Project {
    pub framework: Framework,
    /// The config file, relative to the project root.
    pub config: PathBuf,
    pub service: String,
    pub functions: Vec<Function>,
    pub resources: BTreeMap<String, Resource>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Environment variables by name, with their values.
pub type Variables = BTreeMap<String, Template>;

/// A function's environment variables: its own, over the ones that all the functions of a config
/// share (serverless.yml `provider.environment`, SAM `Globals`), which are held once for all of
/// them.
#[derive(Clone, Debug, Default)]
pub struct Environment {
    shared: std::sync::Arc<Variables>,
    /// Shared too when several functions name the same variables (`environment:
    /// ${self:custom.env}`).
    own: std::sync::Arc<Variables>,
}

impl Environment {
    /// `own` over `shared`.
    pub fn layered(shared: std::sync::Arc<Variables>, own: Variables) -> Environment {
        Environment::layered_shared(shared, std::sync::Arc::new(own))
    }

    /// `own`, which other functions may hold too, over `shared`.
    pub fn layered_shared(
        shared: std::sync::Arc<Variables>,
        own: std::sync::Arc<Variables>,
    ) -> Environment {
        Environment { shared, own }
    }

    /// The merged variables `merged` as `shared` plus those that differ from it, when `merged`
    /// has every variable of `shared` (its value may differ); else all of `merged` as its own.
    pub fn over(shared: &std::sync::Arc<Variables>, mut merged: Variables) -> Environment {
        if shared.keys().all(|k| merged.contains_key(k)) {
            merged.retain(|k, v| shared.get(k) != Some(v));
            Environment::layered(shared.clone(), merged)
        } else {
            Environment::from(merged)
        }
    }

    pub fn get(&self, name: &str) -> Option<&Template> {
        self.own.get(name).or_else(|| self.shared.get(name))
    }

    /// Whether both hold the very same variables of their own (not equal copies).
    pub fn shares_own_with(&self, other: &Environment) -> bool {
        std::sync::Arc::ptr_eq(&self.own, &other.own)
    }
}

impl From<Variables> for Environment {
    fn from(own: Variables) -> Environment {
        Environment {
            shared: Default::default(),
            own: std::sync::Arc::new(own),
        }
    }
}

impl Function {
    /// Gives back the spare capacity of its lists, built one push at a time: a list of one event
    /// holds room for four, and a project holds thousands of functions for the whole run.
    pub fn shrink(&mut self) {
        self.events.shrink_to_fit();
        self.managed_policies.shrink_to_fit();
        self.destinations.shrink_to_fit();
        self.implicit.shrink_to_fit();
        self.declared.shrink_to_fit();
    }
}

impl Project {
    /// A project of `framework` read from `config`, with nothing in it yet.
    pub fn new(framework: Framework, config: &Path) -> Project {
        Project {
            framework,
            config: config.to_path_buf(),
            service: String::new(),
            functions: Vec::new(),
            resources: BTreeMap::new(),
            diagnostics: Vec::new(),
        }
    }

    /// Parses the YAML (or JSON) config `source`; when it does not parse, or is not a map of
    /// settings, records a `config-parse-error` at the position the parser gives and returns
    /// None. An empty file is an empty map.
    ///
    /// Parts the parser leaves out (nested deeper than [`yaml::MAX_DEPTH`], aliases past the
    /// copy budget) are `config-part-omitted` warnings when they lie outside the sections the
    /// readers read ([`needs`]): there they can only be reached through variables, which then
    /// resolve to unknown values with their own diagnostic. Inside those sections, the config is
    /// refused as before (a `config-parse-error` at the omitted part).
    ///
    /// A key repeated in a map is read as the frameworks' own readers read it: in a template (and
    /// a config in JSON) the last one wins, as SAM CLI (PyYAML), CloudFormation and `JSON.parse`
    /// have it, with a `duplicate-key` warning at it; a serverless.yml that repeats a key is
    /// refused, as the Serverless Framework (js-yaml) refuses it.
    pub fn parse_yaml(&mut self, source: &str) -> Option<Node> {
        let mut duplicates = Vec::new();
        let parsed = yaml::parse_document(source).and_then(|doc| {
            duplicates = doc.duplicates;
            match doc.omitted.iter().find(|o| needs(&o.path)) {
                Some(o) => Err(yaml::YamlError {
                    line: o.line,
                    column: o.column,
                    message: o.message.clone(),
                }),
                None => {
                    // One diagnostic each for the first few; the last of them counts the rest.
                    const SHOWN: usize = 16;
                    let more = doc.omitted.len().saturating_sub(SHOWN);
                    for (i, o) in doc.omitted.iter().take(SHOWN).enumerate() {
                        let rest = if i + 1 == SHOWN && more > 0 {
                            format!(" ({more} more parts are left out after this one)")
                        } else {
                            String::new()
                        };
                        self.diagnostics.push(Diagnostic::new(
                            "config-part-omitted",
                            Location::new(&self.config, o.line, o.column),
                            format!(
                                "`{}` is left out ({}); the analysis does not read it, and variables that name it are unresolved{rest}",
                                shown_path(&o.path),
                                o.message
                            ),
                        ));
                    }
                    Ok(doc.root)
                }
            }
        });
        if let Ok(root) = &parsed {
            let json = self.config.extension().is_some_and(|e| e == "json");
            // A template (`Resources`, no `service` or `functions`) is read as SAM reads it.
            let template = root.get("Resources").is_some()
                && root.get("functions").is_none()
                && root.get("service").is_none();
            let serverless = self.framework == Framework::Serverless && !template;
            if let Some(d) = duplicates.first().filter(|_| serverless && !json) {
                self.diagnostics.push(Diagnostic::new(
                    "config-parse-error",
                    Location::new(&self.config, d.line, d.column),
                    format!(
                        "{} does not parse: duplicate key `{}` (given at line {} too); the Serverless Framework refuses a config that repeats a key",
                        self.config.display(),
                        shown_key(&d.path),
                        d.replaces
                    ),
                ));
                return None;
            }
            for d in &duplicates {
                self.diagnostics.push(Diagnostic::new(
                    "duplicate-key",
                    Location::new(&self.config, d.line, d.column),
                    format!(
                        "`{}` is given twice: this one replaces the one at line {}, as SAM CLI and CloudFormation read it",
                        shown_key(&d.path),
                        d.replaces
                    ),
                ));
            }
        }
        match parsed {
            Ok(root) if matches!(root.value, Value::Map(_)) => Some(root),
            Ok(root) if root.value == Value::Null => Some(Node {
                value: Value::Map(Vec::new()),
                ..root
            }),
            Ok(root) => {
                self.diagnostics.push(Diagnostic::new(
                    "config-parse-error",
                    Location::new(&self.config, root.line, root.column),
                    format!(
                        "{} is not a map of settings (its top level is a list or a single value)",
                        self.config.display()
                    ),
                ));
                None
            }
            Err(e) => {
                self.diagnostics.push(Diagnostic::new(
                    "config-parse-error",
                    Location::new(&self.config, e.line, e.column),
                    format!("{} does not parse: {}", self.config.display(), e.message),
                ));
                None
            }
        }
    }

    pub fn resource(&self, logical_id: &str) -> Option<&Resource> {
        self.resources.get(logical_id)
    }
}

/// A path for a message: its first keys, and how many levels follow.
fn shown_path(path: &[String]) -> String {
    const SHOWN: usize = 4;
    let head = path
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(".");
    match path.len().checked_sub(SHOWN) {
        Some(more) if more > 0 => format!("{head}... ({more} levels further)"),
        _ => head,
    }
}

/// A key's path for a message: all of it when short, else its first keys and its last ones.
fn shown_key(path: &[String]) -> String {
    if path.len() <= 6 {
        return path.join(".");
    }
    let (head, tail) = (&path[..3], &path[path.len() - 2..]);
    format!("{}...{}", head.join("."), tail.join("."))
}

/// Whether the readers read the part of a config at `path` (map keys from the root) directly:
/// the top-level sections of a serverless.yml or a template that hold functions, their settings
/// and what they refer to, and the plugin settings under `custom` that the readers look at.
/// Anything else (the rest of `custom`, `Outputs`, `Metadata`, keys no reader knows) is read only
/// through variables.
fn needs(path: &[String]) -> bool {
    const SECTIONS: &[&str] = &[
        "service",
        "frameworkVersion",
        "plugins",
        "provider",
        "functions",
        "resources",
        "constructs",
        "stepFunctions",
        "AWSTemplateFormatVersion",
        "Transform",
        "Globals",
        "Parameters",
        "Mappings",
        "Conditions",
        "Resources",
    ];
    const CUSTOM: &[&str] = &["wsgi", "serverless-iam-roles-per-function"];
    match path {
        [] => true,
        [section, ..] if SECTIONS.contains(&section.as_str()) => true,
        [custom] => custom == "custom",
        [custom, key, ..] => custom == "custom" && CUSTOM.contains(&key.as_str()),
    }
}

/// The two branches of a CloudFormation `Fn::If` (`!If [Cond, a, b]` or `{"Fn::If": [...]}`),
/// without a branch that is `AWS::NoValue` (which removes the value); None for any other node.
pub fn if_branches(node: &Node) -> Option<Vec<Node>> {
    let args = match &node.value {
        Value::Tagged(tag, inner) if tag == "If" => inner,
        Value::Map(entries) if entries.len() == 1 && entries[0].0 == "Fn::If" => &entries[0].1,
        _ => return None,
    };
    let items = args.items();
    if items.len() != 3 {
        return None;
    }
    let no_value = |n: &Node| match &n.value {
        Value::Tagged(tag, inner) => tag == "Ref" && inner.as_str() == Some("AWS::NoValue"),
        Value::Map(e) => e.len() == 1 && e[0].0 == "Ref" && e[0].1.as_str() == Some("AWS::NoValue"),
        _ => false,
    };
    Some(
        items[1..]
            .iter()
            .filter(|n| !no_value(n))
            .cloned()
            .collect(),
    )
}

/// `node`, or the values of both branches of the `Fn::If` it is (nested ones too, within a
/// depth), with whether a condition decides which applies.
fn alternatives(r: &Resolver<'_>, node: &Node) -> (Vec<Node>, bool) {
    let node = r.deref(node).into_owned();
    let mut out = Vec::new();
    let mut conditional = false;
    let mut stack = vec![(node, 0usize)];
    while let Some((n, depth)) = stack.pop() {
        match if_branches(&n) {
            Some(branches) if depth < 8 => {
                conditional = true;
                stack.extend(
                    branches
                        .into_iter()
                        .rev()
                        .map(|b| (r.deref(&b).into_owned(), depth + 1)),
                );
            }
            _ => out.push(n),
        }
    }
    (out, conditional)
}

/// Policy statements (`Effect`, `Action`, `Resource`) as the config declares them: a list, or
/// one statement on its own (IAM allows `Statement` to be a single object). A statement, or its
/// `Action` or `Resource`, chosen by `Fn::If` is read with both branches and counts as
/// conditional: possibly granted, never surely.
pub fn declared_statements(r: &Resolver<'_>, list: &Node) -> Vec<DeclaredStatement> {
    let list = r.deref(list);
    let one = std::slice::from_ref(list.as_ref());
    let listed = match &list.value {
        Value::Seq(items) => items.as_slice(),
        Value::Map(_) => one,
        _ => &[],
    };
    let mut statements: Vec<(Node, bool)> = Vec::new();
    for s in listed {
        let (branches, conditional) = alternatives(r, s);
        statements.extend(branches.into_iter().map(|b| (b, conditional)));
    }
    statements
        .iter()
        .map(|(s, chosen)| {
            let s = r.deref(s);
            let branched = std::cell::Cell::new(*chosen);
            let strings = |key: &str| -> Vec<Node> {
                let Some(n) = s.get(key) else {
                    return Vec::new();
                };
                let (values, conditional) = alternatives(r, n);
                if conditional {
                    branched.set(true);
                }
                values
                    .into_iter()
                    .flat_map(|v| match v.value {
                        Value::Seq(items) => items
                            .iter()
                            .flat_map(|i| {
                                let (alts, c) = alternatives(r, i);
                                if c {
                                    branched.set(true);
                                }
                                alts
                            })
                            .collect::<Vec<_>>(),
                        _ => vec![v],
                    })
                    .collect()
            };
            let not_action = s.get("NotAction").is_some();
            let action_nodes = strings(if not_action { "NotAction" } else { "Action" });
            let not_resource = s.get("NotResource").is_some();
            DeclaredStatement {
                effect: s
                    .get("Effect")
                    .and_then(|e| e.scalar_text())
                    .unwrap_or_else(|| "Allow".into()),
                actions: action_nodes
                    .iter()
                    .map(|a| r.template(a).to_string())
                    .collect(),
                action_lines: action_nodes.iter().map(|a| a.line).collect(),
                resources: strings(if not_resource {
                    "NotResource"
                } else {
                    "Resource"
                })
                .iter()
                .map(|n| r.template(n))
                .collect(),
                not_action,
                not_resource,
                implicit: false,
                bundle: None,
                managed_policy: None,
                sid: s.get("Sid").and_then(|v| v.scalar_text()),
                conditional: s.get("Condition").is_some() || branched.get(),
                line: s.line,
                action_line: s
                    .get(if not_action { "NotAction" } else { "Action" })
                    .map(|n| n.line)
                    .unwrap_or(0),
                resource_line: s
                    .get(if not_resource {
                        "NotResource"
                    } else {
                        "Resource"
                    })
                    .map(|n| n.line)
                    .unwrap_or(0),
            }
        })
        .collect()
}

/// The literal values listed at `path` of an EventBridge rule (`pattern.source`).
pub fn pattern_values(r: &Resolver<'_>, node: &Node, path: &str) -> Vec<String> {
    node.path(path)
        .map(|v| r.deref(v))
        .map(|v| v.items().iter().filter_map(|i| i.scalar_text()).collect())
        .unwrap_or_default()
}

/// Every logical id a config node refers to.
pub fn mentions(node: &Node, out: &mut std::collections::BTreeSet<String>, depth: usize) {
    if depth > yaml::MAX_DEPTH {
        return;
    }
    let from_text = |t: &str, out: &mut std::collections::BTreeSet<String>| {
        let mut rest = t;
        while let Some(i) = rest.find("${") {
            let Some(j) = rest[i..].find('}') else { break };
            let inner = &rest[i + 2..i + j];
            if !inner.contains(':') && !inner.starts_with('!') {
                out.insert(inner.split('.').next().unwrap_or(inner).to_string());
            }
            rest = &rest[i + j + 1..];
        }
    };
    match &node.value {
        Value::Tagged(tag, inner) => match (tag.as_str(), &inner.value) {
            ("Ref", Value::Str(id)) => {
                out.insert(id.clone());
            }
            ("GetAtt", Value::Str(s)) => {
                out.insert(s.split('.').next().unwrap_or(s).to_string());
            }
            ("Sub", Value::Str(s)) => from_text(s, out),
            _ => mentions(inner, out, depth + 1),
        },
        Value::Map(entries) => {
            for (k, v) in entries {
                match (k.as_str(), &v.value) {
                    ("Ref", Value::Str(id)) => {
                        out.insert(id.clone());
                    }
                    ("Fn::GetAtt", Value::Seq(items)) => {
                        if let Some(id) = items.first().and_then(|i| i.as_str()) {
                            out.insert(id.to_string());
                        }
                    }
                    ("Fn::GetAtt", Value::Str(s)) => {
                        out.insert(s.split('.').next().unwrap_or(s).to_string());
                    }
                    ("Fn::Sub", Value::Str(s)) => from_text(s, out),
                    _ => mentions(v, out, depth + 1),
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|i| mentions(i, out, depth + 1)),
        Value::Str(s) => from_text(s, out),
        _ => {}
    }
}

/// Splits a handler string (`src/handlers/get.main`) into module path and export name.
pub fn split_handler(handler: &str) -> (PathBuf, String) {
    let h = handler.trim();
    match h.rfind('.') {
        Some(i) if !h[i + 1..].contains('/') => (PathBuf::from(&h[..i]), h[i + 1..].to_string()),
        _ => (PathBuf::from(h), "handler".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fn_if_statements_and_values_are_read_with_both_branches_as_conditional() {
        let root = yaml::parse(
            "Statement:
  - !If
    - IsProd
    - Effect: Allow
      Action: s3:GetObject
      Resource: arn:aws:s3:::prod/*
    - !Ref AWS::NoValue
  - Effect: Allow
    Action: [sqs:SendMessage]
    Resource: !If [IsProd, arn:aws:sqs:us-east-1:1:prod, arn:aws:sqs:us-east-1:1:dev]
  - Effect: Allow
    Action: [sns:Publish, !If [Extra, sns:Subscribe, !Ref AWS::NoValue]]
    Resource: '*'
  - Effect: Allow
    Action: logs:PutLogEvents
    Resource: '*'
",
        )
        .unwrap();
        let r = Resolver::new(&root, "template.yaml".into());
        let got: Vec<(Vec<String>, Vec<String>, bool)> =
            declared_statements(&r, root.get("Statement").unwrap())
                .into_iter()
                .map(|d| {
                    let res = d.resources.iter().map(|t| t.to_string()).collect();
                    (d.actions, res, d.conditional)
                })
                .collect();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            got,
            vec![
                (s(&["s3:GetObject"]), s(&["arn:aws:s3:::prod/*"]), true),
                (
                    s(&["sqs:SendMessage"]),
                    s(&[
                        "arn:aws:sqs:us-east-1:1:prod",
                        "arn:aws:sqs:us-east-1:1:dev"
                    ]),
                    true
                ),
                (s(&["sns:Publish", "sns:Subscribe"]), s(&["*"]), true),
                (s(&["logs:PutLogEvents"]), s(&["*"]), false),
            ]
        );
    }

    fn vars(pairs: &[(&str, &str)]) -> Variables {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Template::lit(*v)))
            .collect()
    }

    fn get(env: &Environment, name: &str) -> Option<String> {
        env.get(name).map(|t| t.to_string())
    }

    #[test]
    fn an_environment_reads_its_own_variables_over_the_shared_ones() {
        let shared = std::sync::Arc::new(vars(&[("A", "1"), ("B", "2")]));
        let env = Environment::over(&shared, vars(&[("A", "1"), ("B", "3"), ("C", "4")]));
        assert_eq!(get(&env, "A").as_deref(), Some("1"));
        assert_eq!(get(&env, "B").as_deref(), Some("3"));
        assert_eq!(get(&env, "C").as_deref(), Some("4"));
        assert!(std::sync::Arc::ptr_eq(&env.shared, &shared));
        assert_eq!(env.own.len(), 2);
        // A merged set that lacks a shared variable is held whole: the shared one must not show.
        let env = Environment::over(&shared, vars(&[("A", "1")]));
        assert_eq!(get(&env, "B"), None);
        assert_eq!(get(&env, "A").as_deref(), Some("1"));
    }
}

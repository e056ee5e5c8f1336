//! The format of `rules/overrides/<service>.toml`: curated bindings and per-operation grants, each
//! operation citing the AWS documentation page it comes from.

use super::model::Transform;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceOverrides {
    /// The botocore service name (`s3`, `stepfunctions`).
    pub service: String,
    /// Service-wide: request argument -> ARN placeholder.
    #[serde(default)]
    pub bindings: BTreeMap<String, BindingSpec>,
    /// Placeholders that are deliberately left as `*` for this service (none can be bound).
    #[serde(default)]
    pub wildcard: Vec<String>,
    #[serde(default)]
    pub operations: BTreeMap<String, OperationOverride>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum BindingSpec {
    Placeholder(String),
    Full {
        placeholder: String,
        transform: Option<Transform>,
        default: Option<String>,
        #[serde(default)]
        quiet: bool,
        /// A path into the input when it differs from the key (`Entries[].EventBusName`).
        arg: Option<String>,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationOverride {
    /// The AWS documentation page that says which actions the operation needs.
    pub doc: String,
    /// Shorthand: these actions with the service-wide bindings.
    #[serde(default)]
    pub actions: Vec<String>,
    /// Full form: actions with their own resource type, bindings or condition.
    #[serde(default)]
    pub grants: Vec<GrantSpec>,
    /// AWS documents that the operation needs no permission at all.
    #[serde(default)]
    pub no_permission: bool,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct GrantSpec {
    pub action: String,
    /// The IAM resource type to scope to (`object`, `bucket`).
    pub resource: Option<String>,
    #[serde(default)]
    pub bindings: BTreeMap<String, BindingSpec>,
    /// Only when this argument is present in the call.
    pub if_arg: Option<String>,
    /// Not when this argument is present in the call (its input known to have it).
    pub unless_arg: Option<String>,
    /// Placeholders with a fixed value (`Method = "POST"`).
    #[serde(default)]
    pub constants: BTreeMap<String, String>,
    /// Only when the argument's text starts with this (case-insensitive), or is not known:
    /// `["Statement", "SELECT"]` for PartiQL.
    pub if_arg_starts_with: Option<(String, String)>,
    /// Only for the argument's values matching one of these patterns (`*`: any text; a value not
    /// known statically never matches): `["modelId", ["us.*", "eu.*"]]`. The grant's bindings of
    /// that argument see only the matching values.
    pub if_arg_like: Option<(String, Vec<String>)>,
    /// Only for the argument's values matching none of these patterns (values not known
    /// statically included); the bindings of that argument see only those values.
    pub unless_arg_like: Option<(String, Vec<String>)>,
    /// Why the grant is what it is, shown with the permission (`SMS has no resource ARN`).
    pub note: Option<String>,
    /// When this argument is given, its value is appended to the resource after the separator:
    /// `["Qualifier", ":"]` (a Lambda version or alias -> the qualified function ARN).
    pub append_arg: Option<(String, String)>,
}

impl GrantSpec {
    pub fn action(action: &str) -> GrantSpec {
        GrantSpec {
            action: action.to_string(),
            resource: None,
            bindings: BTreeMap::new(),
            if_arg: None,
            unless_arg: None,
            constants: BTreeMap::new(),
            if_arg_starts_with: None,
            if_arg_like: None,
            unless_arg_like: None,
            note: None,
            append_arg: None,
        }
    }
}

impl OperationOverride {
    pub fn all_grants(&self) -> Vec<GrantSpec> {
        self.actions
            .iter()
            .map(|a| GrantSpec::action(a))
            .chain(self.grants.iter().cloned())
            .collect()
    }
}

//! What CloudFormation's `Ref` and `Fn::GetAtt` return per resource type
//! (`rules/cloudformation/returns.toml`): a name, an ARN, a URL or an id, and which property sets
//! the physical name. Resolution asks it how a template value fits an ARN template.

use serde::Deserialize;
use std::collections::BTreeMap;

/// What a `Ref` or an attribute returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Returns {
    Name,
    Arn,
    Url,
    Id,
}

/// One resource type's return values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeReturns {
    /// The AWS documentation page listing the type's return values.
    pub doc: String,
    #[serde(rename = "ref")]
    pub reference: Returns,
    /// The property that sets the physical name (`TableName`).
    pub name_property: Option<String>,
    /// The attribute that returns the name, for types whose `Ref` is not the name.
    pub name_attribute: Option<String>,
    #[serde(default)]
    pub get_att: BTreeMap<String, Returns>,
}

/// Every listed type's return values.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CfnReturns {
    pub types: BTreeMap<String, TypeReturns>,
}

impl CfnReturns {
    /// What `Ref` of a resource of this type returns.
    pub fn of_ref(&self, resource_type: &str) -> Option<Returns> {
        self.types.get(resource_type).map(|t| t.reference)
    }

    /// What `Fn::GetAtt` of this attribute returns.
    pub fn of_get_att(&self, resource_type: &str, attribute: &str) -> Option<Returns> {
        self.types
            .get(resource_type)?
            .get_att
            .get(attribute)
            .copied()
    }

    pub fn name_property(&self, resource_type: &str) -> Option<&str> {
        self.types.get(resource_type)?.name_property.as_deref()
    }

    /// The attribute giving the resource's name when `Ref` does not.
    pub fn name_attribute(&self, resource_type: &str) -> Option<&str> {
        self.types.get(resource_type)?.name_attribute.as_deref()
    }
}

//! `rules/sdk/python.toml`, the boto3 naming the service models do not carry (helpers, the
//! resource API, PynamoDB), as the Python model reads it. The catalog holds the text; this
//! front-end owns its shape.

use serde::Deserialize;
use slz_catalog::catalog;
use slz_catalog::model::HelperSpec;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// boto3 and PynamoDB naming the models lack.
#[derive(Debug, Default, Deserialize)]
pub struct PythonRules {
    pub helpers: BTreeMap<String, HelperSpec>,
    /// service -> resource class -> spec.
    pub resources: BTreeMap<String, BTreeMap<String, ResourceSpec>>,
    /// service -> service-resource method -> lookup.
    #[serde(default)]
    pub lookups: BTreeMap<String, BTreeMap<String, LookupSpec>>,
    pub pynamodb: PynamoDbSpec,
}

#[derive(Debug, Default, Deserialize)]
pub struct PynamoDbSpec {
    /// Granted with every model method.
    pub describe: String,
    pub methods: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ResourceSpec {
    pub identifiers: Vec<String>,
    /// The keyword names of the identifiers, in the same order.
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub actions: BTreeMap<String, String>,
    /// Methods returning a writer whose calls all perform this operation (`batch_writer`).
    #[serde(default)]
    pub writers: BTreeMap<String, String>,
    /// Collections (`bucket.objects`) and the operation iterating them performs.
    #[serde(default)]
    pub collections: BTreeMap<String, String>,
    /// Sub-resource constructors (`bucket.Object(key)`) -> resource class.
    #[serde(default)]
    pub subresources: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
pub struct LookupSpec {
    pub operation: String,
    pub returns: String,
    /// identifier -> argument name.
    pub identifiers: BTreeMap<String, String>,
    #[serde(default)]
    pub as_url: bool,
}

/// The rules, parsed on first use.
pub fn rules() -> &'static PythonRules {
    static RULES: OnceLock<PythonRules> = OnceLock::new();
    RULES.get_or_init(|| {
        let text = catalog().sdk_rules("python").unwrap_or("");
        toml::from_str(text).expect("rules/sdk/python.toml is valid (tested)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation the file names is an operation of its service's model.
    #[test]
    fn python_rules_name_real_operations() {
        let cat = catalog();
        let rules = rules();
        let check = |service: &str, op: &str, what: &str| {
            if let Some(why) = cat.unknown_operation(service, op) {
                panic!("{what}: {why}");
            }
        };
        let wrong = cat.unknown_helper_operations(&rules.helpers);
        assert!(wrong.is_empty(), "{wrong:?}");
        for (service, classes) in &rules.resources {
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
        for (service, methods) in &rules.lookups {
            for (method, lookup) in methods {
                check(
                    service,
                    &lookup.operation,
                    &format!("python.toml lookups.{service}.{method}"),
                );
            }
        }
        for op in rules
            .pynamodb
            .methods
            .values()
            .flatten()
            .chain([&rules.pynamodb.describe])
        {
            check("dynamodb", op, "python.toml pynamodb");
        }
        assert!(rules.resources["dynamodb"].contains_key("Table"));
    }
}

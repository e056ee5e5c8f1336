//! `rules/sdk/js.toml`, the JavaScript SDK naming the service models do not carry, as the JS
//! model reads it. The catalog holds the text; this front-end owns its shape.

use serde::Deserialize;
use slz_catalog::catalog;
use slz_catalog::model::HelperSpec;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// JS SDK naming that is not in the service models: v2 DocumentClient methods, v3 lib-dynamodb
/// commands, managed-upload helpers.
#[derive(Debug, Default, Deserialize)]
pub struct JsRules {
    /// v2 `DynamoDB.DocumentClient` method -> DynamoDB operation.
    pub document_client: BTreeMap<String, String>,
    /// `@aws-sdk/lib-dynamodb` command class -> DynamoDB operation.
    pub lib_dynamodb_commands: BTreeMap<String, String>,
    /// Helpers that stand for several operations (`s3.upload` -> PutObject + multipart).
    pub helpers: BTreeMap<String, HelperSpec>,
    /// Wrapper functions whose result is their first argument (`captureAWSv3Client`).
    pub passthrough_functions: Vec<String>,
}

/// The rules, parsed on first use.
pub fn rules() -> &'static JsRules {
    static RULES: OnceLock<JsRules> = OnceLock::new();
    RULES.get_or_init(|| {
        let text = catalog().sdk_rules("js").unwrap_or("");
        toml::from_str(text).expect("rules/sdk/js.toml is valid (tested)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation the file names is an operation of its service's model.
    #[test]
    fn js_rules_name_real_operations() {
        let cat = catalog();
        let rules = rules();
        let check = |service: &str, op: &str, what: &str| {
            if let Some(why) = cat.unknown_operation(service, op) {
                panic!("{what}: {why}");
            }
        };
        let wrong = cat.unknown_helper_operations(&rules.helpers);
        assert!(wrong.is_empty(), "{wrong:?}");
        for op in rules
            .document_client
            .values()
            .chain(rules.lib_dynamodb_commands.values())
        {
            check("dynamodb", op, "js.toml");
        }
        assert_eq!(rules.document_client["get"], "GetItem");
        assert!(rules
            .passthrough_functions
            .iter()
            .any(|f| f == "captureAWSv3Client"));
    }
}

//! SDK names keyed by (language, SDK): how each SDK spells the client of a service (the
//! packages, modules or crates code imports it from, its client classes), built once from the
//! index. Front-ends ask with their own ids (`catalog().sdk_names("js", "aws-sdk-v3")`); the
//! catalog knows no more of a language than which index fields name its SDKs.

use crate::model::IndexEntry;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// How one SDK of one language names the services it has clients for.
#[derive(Debug, Default)]
pub struct SdkNames {
    /// Package (module, crate, service name) -> service.
    packages: HashMap<String, String>,
    /// Client class -> service.
    classes: HashMap<String, String>,
    services: BTreeMap<String, ServiceNames>,
}

/// How an SDK names the client of one service.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ServiceNames {
    /// What code imports, or hands the SDK, to get the client: packages, modules, crates, or
    /// the service name the SDK takes (`@aws-sdk/client-s3`, `aws-sdk/clients/s3`,
    /// `aws_sdk_s3`, `s3`).
    pub packages: Vec<String>,
    /// Its client classes, the plain client first (`S3Client`, then the aggregate `S3`).
    pub classes: Vec<String>,
}

impl SdkNames {
    /// The service whose client comes from `package` (`@aws-sdk/client-s3` -> `s3`).
    pub fn service_by_package(&self, package: &str) -> Option<&str> {
        self.packages.get(package).map(String::as_str)
    }

    /// The service whose client class is `class` (`DynamoDB`, `StepFunctions`).
    pub fn service_by_class(&self, class: &str) -> Option<&str> {
        self.classes.get(class).map(String::as_str)
    }

    /// How this SDK names `service`'s client.
    pub fn service(&self, service: &str) -> Option<&ServiceNames> {
        self.services.get(service)
    }

    /// The names of every service, by service in name order. When two services share a name,
    /// the first in name order answers for it.
    fn build<'i>(
        entries: impl Iterator<Item = (&'i String, &'i IndexEntry)>,
        names: fn(&IndexEntry) -> ServiceNames,
    ) -> SdkNames {
        let mut out = SdkNames::default();
        for (service, entry) in entries {
            let mut own = names(entry);
            own.packages.retain(|p| !p.is_empty());
            own.classes.retain(|c| !c.is_empty());
            for p in &own.packages {
                out.packages
                    .entry(p.clone())
                    .or_insert_with(|| service.clone());
            }
            for c in &own.classes {
                out.classes
                    .entry(c.clone())
                    .or_insert_with(|| service.clone());
            }
            out.services.insert(service.clone(), own);
        }
        out
    }
}

/// The SDKs the index names clients for: (language, SDK) and the fields that give the names.
type SdkFields = (&'static str, &'static str, fn(&IndexEntry) -> ServiceNames);

const SDKS: &[SdkFields] = &[
    ("js", "aws-sdk-v2", |e| ServiceNames {
        packages: e.js_v2_modules.clone(),
        classes: e.js_v2_classes.clone(),
    }),
    ("js", "aws-sdk-v3", |e| ServiceNames {
        packages: vec![e.js_v3_package.clone()],
        classes: vec![e.js_v3_client.clone(), e.js_v3_aggregate.clone()],
    }),
    ("python", "boto3", |e| ServiceNames {
        packages: vec![e.boto3.clone()],
        classes: Vec::new(),
    }),
    ("rust", "aws-sdk-rust", |e| ServiceNames {
        packages: vec![e.rust_crate.clone()],
        classes: Vec::new(),
    }),
];

/// Every SDK's names, keyed by (language, SDK).
pub(crate) fn all(
    services: &BTreeMap<String, IndexEntry>,
) -> Vec<((&'static str, &'static str), SdkNames)> {
    SDKS.iter()
        .map(|(language, sdk, names)| ((*language, *sdk), SdkNames::build(services.iter(), *names)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(package: &str, classes: &[&str]) -> IndexEntry {
        IndexEntry {
            iam_prefix: String::new(),
            boto3: String::new(),
            js_v3_package: package.into(),
            js_v3_client: classes.first().copied().unwrap_or("").into(),
            js_v3_aggregate: classes.get(1).copied().unwrap_or("").into(),
            rust_crate: String::new(),
            js_v2_classes: Vec::new(),
            js_v2_modules: Vec::new(),
        }
    }

    #[test]
    fn the_first_service_in_name_order_answers_for_a_shared_name_and_empty_names_are_none() {
        let services: BTreeMap<String, IndexEntry> = [
            (
                "sms-voice",
                entry("@aws-sdk/client-sms-voice", &["SmsClient", "Sms"]),
            ),
            (
                "pinpoint-sms-voice",
                entry("@aws-sdk/client-sms-voice", &["SmsClient", ""]),
            ),
            ("s3", entry("", &["S3Client", "S3"])),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let all = all(&services);
        let (_, v3) = all
            .iter()
            .find(|(key, _)| *key == ("js", "aws-sdk-v3"))
            .expect("JS v3");
        assert_eq!(
            v3.service_by_package("@aws-sdk/client-sms-voice"),
            Some("pinpoint-sms-voice")
        );
        assert_eq!(v3.service_by_class("SmsClient"), Some("pinpoint-sms-voice"));
        assert_eq!(v3.service_by_class("Sms"), Some("sms-voice"));
        assert_eq!(
            v3.service("pinpoint-sms-voice").map(|n| n.classes.clone()),
            Some(vec!["SmsClient".to_string()])
        );
        assert_eq!(v3.service_by_package(""), None);
        assert_eq!(v3.service("s3").map(|n| n.packages.len()), Some(0));
        let keys: Vec<(&str, &str)> = all.iter().map(|(key, _)| *key).collect();
        assert_eq!(
            keys,
            [
                ("js", "aws-sdk-v2"),
                ("js", "aws-sdk-v3"),
                ("python", "boto3"),
                ("rust", "aws-sdk-rust")
            ]
        );
    }
}

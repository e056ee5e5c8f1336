//! Policy synthesis: a function's grants become a small, deterministic IAM policy. Grants on the
//! same action and resource merge (keeping every source line); actions that share the same set of
//! resources share a statement; a `*` resource subsumes narrower ones for that action.

use crate::diagnostics::Location;
use crate::resolve::Grant;
use crate::value::Template;
use std::collections::{BTreeMap, BTreeSet};

/// One permission with every call that needs it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Permission {
    pub action: String,
    pub resource: Template,
    pub sources: Vec<Location>,
    pub reasons: Vec<String>,
    /// Every call needing it needs it only when another call fails.
    pub failure_path: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub sid: String,
    pub actions: Vec<String>,
    pub resources: Vec<Template>,
}

/// Merges grants found at their locations into permissions (sorted, deduplicated).
pub fn permissions(grants: &[(Grant, Location)]) -> Vec<Permission> {
    type Merged = (BTreeSet<Location>, BTreeSet<String>, bool);
    let mut by_key: BTreeMap<(String, Template), Merged> = BTreeMap::new();
    for (g, loc) in grants {
        let e = by_key
            .entry((g.action.clone(), g.resource.clone()))
            .or_insert_with(|| (BTreeSet::new(), BTreeSet::new(), true));
        e.0.insert(loc.clone());
        e.1.insert(g.reason.clone());
        e.2 &= g.failure_path;
    }
    let star: BTreeSet<String> = by_key
        .keys()
        .filter(|(_, r)| r.as_literal().as_deref() == Some("*"))
        .map(|(a, _)| a.clone())
        .collect();
    by_key
        .into_iter()
        .filter(|((a, r), _)| !star.contains(a) || r.as_literal().as_deref() == Some("*"))
        .map(
            |((action, resource), (sources, reasons, failure_path))| Permission {
                action,
                resource,
                sources: sources.into_iter().collect(),
                reasons: reasons.into_iter().collect(),
                failure_path,
            },
        )
        .collect()
}

/// Groups permissions into statements: one per distinct resource set.
pub fn statements(perms: &[Permission], render: impl Fn(&Template) -> String) -> Vec<Statement> {
    let mut by_action: BTreeMap<&str, BTreeMap<String, Template>> = BTreeMap::new();
    for p in perms {
        by_action
            .entry(&p.action)
            .or_default()
            .insert(render(&p.resource), p.resource.clone());
    }
    let mut by_resources: BTreeMap<Vec<String>, (Vec<String>, Vec<Template>)> = BTreeMap::new();
    for (action, resources) in by_action {
        let key: Vec<String> = resources.keys().cloned().collect();
        let entry = by_resources
            .entry(key)
            .or_insert_with(|| (Vec::new(), resources.values().cloned().collect()));
        entry.0.push(action.to_string());
    }
    let mut out: Vec<Statement> = by_resources
        .into_values()
        .map(|(actions, resources)| Statement {
            sid: String::new(),
            actions,
            resources,
        })
        .collect();
    out.sort_by(|a, b| a.actions.cmp(&b.actions));
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for s in &mut out {
        let prefix = s.actions[0].split(':').next().unwrap_or("Stmt");
        let base: String = prefix
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect();
        let n = used.entry(base.clone()).or_insert(0);
        *n += 1;
        s.sid = format!("{base}{n}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(action: &str, resource: &str, line: u32) -> (Grant, Location) {
        (
            Grant {
                action: action.into(),
                resource: Template::lit(resource),
                reason: "x".into(),
                failure_path: false,
            },
            Location::new("a.js", line, 1),
        )
    }

    #[test]
    fn merges_same_resources_and_star_subsumes() {
        let perms = permissions(&[
            grant("dynamodb:GetItem", "arn:t", 1),
            grant("dynamodb:PutItem", "arn:t", 2),
            grant("dynamodb:GetItem", "arn:t", 3),
            grant("s3:GetObject", "arn:aws:s3:::b/*", 4),
            grant("s3:GetObject", "*", 5),
        ]);
        assert_eq!(perms.len(), 3);
        assert_eq!(perms[0].sources.len(), 2);
        let st = statements(&perms, |t| t.to_string());
        assert_eq!(st.len(), 2);
        assert_eq!(st[0].actions, vec!["dynamodb:GetItem", "dynamodb:PutItem"]);
        assert_eq!(st[0].sid, "Dynamodb1");
        assert_eq!(st[1].resources[0].to_string(), "*");
    }
}

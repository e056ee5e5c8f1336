//! `dangerous-permission`: grants that let code escalate its privileges or reach other accounts,
//! as data (`[[dangerous]]` in `rules/check.toml`): an action (a declared wildcard covering it
//! counts) and resource patterns matched with IAM wildcard semantics
//! ([`grants_every_instance`]).

use crate::policy::{action_matches, grants_every_instance};
use crate::project::DeclaredStatement;
use serde::Deserialize;

/// One `[[dangerous]]` rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Dangerous {
    /// The dangerous action; `None`: whatever the statement grants.
    pub action: Option<String>,
    /// Patterns a declared resource must grant whole for the grant to be dangerous; empty: any.
    #[serde(default)]
    pub resources: Vec<String>,
    /// A bare `*` resource does not count (it is a `wildcard-resource` finding).
    #[serde(default)]
    pub arn_only: bool,
    pub why: String,
    pub cite: String,
}

impl Dangerous {
    /// Whether the statement grants the rule's action: the action itself, or a wildcard that
    /// covers it (`iam:*`, `iam:Pass*`, `*`).
    fn granted_action(&self, d: &DeclaredStatement) -> bool {
        let Some(action) = &self.action else {
            return true;
        };
        d.actions.iter().any(|a| {
            a == action || (action != "*" && a.contains(['*', '?']) && action_matches(a, action))
        })
    }

    /// The first declared resource that makes the grant dangerous (rendered as `render` writes
    /// it), if any. A `NotResource` statement grants all but a few: any resource it leaves counts.
    pub fn matches(&self, d: &DeclaredStatement, resources: &[String]) -> Option<String> {
        if !self.granted_action(d) {
            return None;
        }
        if d.not_resource {
            return Some(format!("all but {}", resources.join(", ")));
        }
        resources
            .iter()
            .find(|r| {
                (!self.arn_only || r.starts_with("arn:"))
                    && (self.resources.is_empty()
                        || self.resources.iter().any(|p| grants_every_instance(r, p)))
            })
            .cloned()
    }

    /// What the finding says the statement grants.
    pub fn what(&self, d: &DeclaredStatement) -> String {
        match &self.action {
            Some(a) => a.clone(),
            None => d.actions.join(", "),
        }
    }
}

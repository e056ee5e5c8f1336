//! `check`: compares what each function's role grants (as the config declares it) with what its
//! code needs, and reports what matters before a deploy. [`findings`] is what the `check` command
//! and the language server both show: [`check`]'s raw findings after the user's settings and
//! inline suppressions (`settings.rs`, source read through the caller's `SourceFs`). The caller
//! decides what fails.

use crate::diagnostics::{Location, Severity};
use crate::policy::{action_matches, evaluate, resource_overlaps, Decision, Statement};
use crate::project::{event_source_kind, DeclaredStatement, Function, Project};
use crate::report::Report;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::sync::OnceLock;

mod dangerous;
mod not_analysed;
mod settings;

pub use settings::{
    apply_settings, parse_settings, read_settings, severity_named, CheckConfig, Ignore,
    SettingsError, MAX_SETTINGS_BYTES, SETTINGS_FILE,
};

/// Every finding code, its default severity and what it means (documented once, here).
pub const FINDINGS: &[(&str, Severity, &str)] = &[
    ("dangerous-permission", Severity::Error, "The role grants a permission that lets the code escalate its privileges or reach other accounts (iam:PassRole or sts:AssumeRole on every role, lambda:UpdateFunctionCode on every function, `*` in an ARN's account field, iam:CreatePolicyVersion, ...; patterns in rules/check.toml)."),
    ("excess-permission", Severity::Warning, "The role grants an action the function's code never uses."),
    ("internal-endpoint-public", Severity::Warning, "An endpoint only the project's own functions call (signed) has no authorization: make it aws_iam."),
    ("missing-permission", Severity::Error, "The code needs a permission the role does not grant: the call fails with AccessDenied at run time."),
    ("not-analysed", Severity::Error, "Some of the function's code was not read (unsupported runtime, missing handler, syntax error, missing module, file too large or too deep, outside the project, internal error), so what it needs is unknown: its role is not judged as excess, and a statement it shares with other functions is not either. The reasons are listed with their file and line."),
    ("policy-too-large", Severity::Warning, "A role's inline policies are near IAM's 10,240-character limit, or a managed policy the template defines is near 6,144; the deploy fails once it is crossed."),
    ("public-endpoint", Severity::Warning, "An endpoint that changes state has no authorization: anyone on the internet can call it."),
    ("shared-role", Severity::Warning, "One role serves functions with different needs, so each gets the others' permissions. Use per-function roles."),
    ("unused-ignore", Severity::Warning, "An ignore in slz-iam.toml matched no finding; remove it."),
    ("unverified-permission", Severity::Info, "The function's role is an existing role, or holds a managed policy, whose content the project does not show: the permissions its code needs that the visible statements do not grant cannot be verified. They are listed; make sure that role or policy grants them."),
    ("wildcard-action", Severity::Warning, "The role grants an action wildcard where the code uses only a few actions of it."),
    ("wildcard-resource", Severity::Warning, "The role grants on `*` where the code shows which resources it uses."),
];

pub fn finding_doc(code: &str) -> Option<&'static (&'static str, Severity, &'static str)> {
    FINDINGS.iter().find(|(c, _, _)| *c == code)
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Finding {
    pub location: Location,
    pub code: &'static str,
    pub severity: Severity,
    pub function: Option<String>,
    pub message: String,
    pub action: Option<String>,
    pub resource: Option<String>,
    /// For `wildcard-action`: the actions the code uses, to write instead of the wildcard.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub replacement: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct CheckData {
    baseline: Vec<String>,
    event_sources: std::collections::BTreeMap<String, Vec<String>>,
    known_managed: Vec<String>,
    kms_services: Vec<String>,
    kms_actions: Vec<String>,
    dangerous: Vec<dangerous::Dangerous>,
}

fn data() -> &'static CheckData {
    static DATA: OnceLock<CheckData> = OnceLock::new();
    DATA.get_or_init(|| {
        toml::from_str(crate::catalog::check_data()).expect("rules/check.toml is valid (tested)")
    })
}

fn finding(
    code: &'static str,
    location: Location,
    function: Option<&str>,
    message: String,
) -> Finding {
    let severity = finding_doc(code).map(|f| f.1).unwrap_or(Severity::Warning);
    Finding {
        location,
        code,
        severity,
        function: function.map(str::to_string),
        message,
        action: None,
        resource: None,
        replacement: Vec::new(),
    }
}

/// The role's statements as evaluator input.
fn statements(f: &Function, render: &dyn Fn(&crate::value::Template) -> String) -> Vec<Statement> {
    f.declared
        .iter()
        .map(|d| Statement::declared(d, render))
        .collect()
}

/// Actions the function may hold without its code calling them.
fn acceptable(f: &Function, used: &[&str]) -> Vec<String> {
    let d = data();
    let mut out = d.baseline.clone();
    let encrypted = used.iter().any(|a| {
        d.kms_services
            .iter()
            .any(|s| a.split(':').next() == Some(s.as_str()))
    });
    if encrypted {
        out.extend(d.kms_actions.iter().cloned());
    }
    for e in &f.events {
        if let Some(kind) = event_source_kind(&e.kind, e.source.as_ref()) {
            out.extend(d.event_sources.get(kind).cloned().unwrap_or_default());
        }
    }
    let events = &crate::catalog::catalog().events;
    for dest in &f.destinations {
        out.extend(
            events
                .destination_action_or_default(&dest.kind)
                .map(str::to_string),
        );
    }
    out
}

/// The findings of `project` and its `report` as the user sees them: [`check`]'s, after the
/// settings `cfg` (see [`read_settings`]) and the inline suppressions in the files `fs` reads;
/// sorted.
pub fn findings(
    project: &Project,
    report: &Report,
    cfg: &CheckConfig,
    fs: &dyn crate::SourceFs,
) -> Vec<Finding> {
    apply_settings(fs, cfg, check(project, report))
}

/// The raw findings, before the user's settings.
pub fn check(project: &Project, report: &Report) -> Vec<Finding> {
    let render = |t: &crate::value::Template| t.to_string();
    let config = &project.config;
    let mut out = Vec::new();
    let reports = by_name(report);
    for f in &project.functions {
        let Some(fr) = reports.get(f.name.as_str()) else {
            continue;
        };
        let stmts = statements(f, &render);
        let unknown: Vec<&String> = f
            .managed_policies
            .iter()
            .filter(|m| !data().known_managed.iter().any(|k| k == *m))
            .collect();
        let unknown_managed = !unknown.is_empty();
        // Needs that only the unseen role or policies could grant.
        let mut unverified: Vec<String> = Vec::new();
        // Missing: each permission the code needs, against the declared statements.
        for p in &fr.permissions {
            let resource = render(&p.resource);
            let decision = evaluate(&stmts, &p.action, &resource);
            // A crate without deployment config declares no role at all: nothing to compare.
            let no_role_config = !crate::project::reader(project.framework).declares_roles();
            let missing = match decision {
                Decision::Denied => true,
                Decision::NotAllowed => !unknown_managed && !no_role_config,
                Decision::Allowed => false,
            };
            if decision == Decision::NotAllowed && unknown_managed && !no_role_config {
                unverified.push(format!("{} on {resource}", p.action));
            }
            if missing {
                let loc = p
                    .sources
                    .first()
                    .cloned()
                    .unwrap_or_else(|| f.location.clone());
                let how = if decision == Decision::Denied {
                    "denies"
                } else {
                    "does not grant"
                };
                let mut fd = finding(
                    "missing-permission",
                    loc,
                    Some(&f.name),
                    format!(
                        "function `{}` needs {} on {resource} ({}), but its role {how} it",
                        f.name,
                        p.action,
                        p.reasons.join(", ")
                    ),
                );
                // Needed only on a failure path (rule data): the call works until then.
                if p.failure_path {
                    fd.severity = Severity::Warning;
                    fd.message
                        .push_str("; only needed when another call fails (cleanup)");
                }
                fd.action = Some(p.action.clone());
                fd.resource = Some(resource.clone());
                out.push(fd);
            }
        }
        if !unverified.is_empty() {
            let names: Vec<&str> = unknown.iter().map(|m| m.as_str()).collect();
            out.push(finding(
                "unverified-permission",
                f.location.clone(),
                Some(&f.name),
                format!(
                    "function `{}` relies on {} whose content the project does not show; make sure it grants: {}",
                    f.name,
                    names.join(", "),
                    unverified.join(", ")
                ),
            ));
        }
    }
    not_analysed::findings(report, &mut out);
    excess_and_wildcards(project, report, &mut out);
    policy_sizes(project, &mut out);
    shared_roles(project, report, &mut out);
    // Endpoints.
    let functions: std::collections::HashMap<&str, &Function> = project
        .functions
        .iter()
        .map(|f| (f.name.as_str(), f))
        .collect();
    for a in &report.auth {
        let line = functions
            .get(a.function.as_str())
            .and_then(|f| f.events.iter().find(|e| e.description == a.event))
            .map(|e| e.line)
            .unwrap_or(1);
        let loc = Location::new(config.clone(), line, 1);
        if a.current == "none" && a.recommended == "aws_iam" {
            out.push(finding(
                "internal-endpoint-public",
                loc,
                Some(&a.function),
                format!("{} ({}) is called only by the project's functions but has no authorization: {}", a.event, a.function, a.reason),
            ));
        } else if a.current == "none" && a.reason.starts_with("public endpoint that changes state")
        {
            out.push(finding(
                "public-endpoint",
                loc,
                Some(&a.function),
                format!("{}: {}", a.event, a.reason),
            ));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// `shared-role`: functions that hold the very same statements and policies (the provider's role,
/// one existing role) while their code needs different things, so each gets the others' grants.
fn shared_roles(project: &Project, report: &Report, out: &mut Vec<Finding>) {
    if !crate::project::reader(project.framework).shares_a_default_role() {
        return;
    }
    type RoleKey = (Vec<(u32, u32)>, Vec<String>);
    let reports = by_name(report);
    let mut roles: std::collections::BTreeMap<RoleKey, Vec<&Function>> = Default::default();
    for f in &project.functions {
        let key: RoleKey = (
            f.declared
                .iter()
                .filter(|d| !d.implicit)
                .map(|d| (d.line, d.action_line))
                .collect(),
            f.managed_policies.clone(),
        );
        if key.0.is_empty() && key.1.is_empty() {
            continue;
        }
        roles.entry(key).or_default().push(f);
    }
    for ((statements, _), functions) in roles {
        // What an unanalysed function needs is unknown: only the others are compared.
        let needs: BTreeSet<BTreeSet<&str>> = functions
            .iter()
            .filter_map(|f| reports.get(f.name.as_str()))
            .filter(|r| r.analysed())
            .map(|r| r.permissions.iter().map(|p| p.action.as_str()).collect())
            .collect();
        if functions.len() < 2 || needs.len() < 2 {
            continue;
        }
        let line = statements.iter().map(|(l, _)| *l).min().unwrap_or(1);
        let names: Vec<String> = functions.iter().map(|f| format!("`{}`", f.name)).collect();
        out.push(finding(
            "shared-role",
            Location::new(project.config.clone(), line, 1),
            None,
            format!(
                "{} share one role but need different permissions; each gets all of them",
                names.join(", ")
            ),
        ));
    }
}

/// IAM's limits on policy text (characters, whitespace not counted): a role's inline policies
/// together, and each managed policy.
const INLINE_LIMIT: usize = 10_240;
const MANAGED_LIMIT: usize = 6_144;
/// Reported from this share of the limit on, before a deploy fails on it.
const NEAR_LIMIT_PERCENT: usize = 90;

/// The statements as compact policy JSON, counted as IAM counts them. References resolved only at
/// deploy time count as written, so the figure is a lower bound.
fn policy_chars(statements: &[&DeclaredStatement]) -> usize {
    let json: Vec<serde_json::Value> = statements
        .iter()
        .map(|d| {
            serde_json::json!({
                "Effect": d.effect,
                "Action": d.actions,
                "Resource": d.resources.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = serde_json::json!({"Version": "2012-10-17", "Statement": json}).to_string();
    doc.chars().filter(|c| !c.is_whitespace()).count()
}

/// `policy-too-large`: each role's inline policies, and each managed policy the template defines.
fn policy_sizes(project: &Project, out: &mut Vec<Finding>) {
    let near = |limit: usize| limit * NEAR_LIMIT_PERCENT / 100;
    let mut managed_seen = BTreeSet::new();
    for f in &project.functions {
        let inline: Vec<&DeclaredStatement> = f
            .declared
            .iter()
            .filter(|d| d.managed_policy.is_none())
            .collect();
        let size = policy_chars(&inline);
        if size > near(INLINE_LIMIT) {
            out.push(finding(
                "policy-too-large",
                f.location.clone(),
                Some(&f.name),
                format!(
                    "the inline policies of `{}`'s role are about {size} characters, near IAM's {INLINE_LIMIT} limit",
                    f.name
                ),
            ));
        }
        for d in &f.declared {
            let Some(id) = d.managed_policy.as_deref() else {
                continue;
            };
            if !managed_seen.insert(id) {
                continue;
            }
            let statements: Vec<&DeclaredStatement> = f
                .declared
                .iter()
                .filter(|o| o.managed_policy.as_deref() == Some(id))
                .collect();
            let size = policy_chars(&statements);
            if size > near(MANAGED_LIMIT) {
                let line = statements.iter().map(|s| s.line).min().unwrap_or(1);
                out.push(finding(
                    "policy-too-large",
                    Location::new(project.config.clone(), line, 1),
                    None,
                    format!(
                        "managed policy {id} is about {size} characters, near IAM's {MANAGED_LIMIT} limit for a managed policy"
                    ),
                ));
            }
        }
    }
}

/// One declared statement, as every function whose role carries it sees it: a provider-level
/// statement (or a SAM `Globals` policy) is written once and fixed once, so it is judged against
/// what all of those functions use, and reported once.
struct Grant<'a> {
    statement: &'a DeclaredStatement,
    functions: Vec<&'a str>,
    /// Actions the functions' code uses, with the resource each is used on.
    used: Vec<(&'a str, String)>,
    /// Actions the functions may hold without calling them (runtime, event sources, destinations).
    acceptable: Vec<String>,
    /// Holders whose code was not read whole: what they use is unknown, so the statement is not
    /// judged as excess or wider than needed.
    unanalysed: Vec<&'a str>,
}

impl Grant<'_> {
    /// The function the finding belongs to when only one carries the statement.
    fn function(&self) -> Option<&str> {
        match self.functions.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    fn holders(&self) -> String {
        match self.functions.as_slice() {
            [one] => format!("`{one}`"),
            many => format!(
                "{} (one shared statement)",
                many.iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// Each function's report by name.
fn by_name(report: &Report) -> std::collections::HashMap<&str, &crate::report::FunctionReport> {
    report
        .functions
        .iter()
        .map(|r| (r.name.as_str(), r))
        .collect()
}

/// Declared statements grouped by where the config writes them.
fn grants<'a>(project: &'a Project, report: &'a Report) -> Vec<Grant<'a>> {
    let mut out: Vec<Grant<'a>> = Vec::new();
    // The same statement: written at the same place with the same content.
    type Key<'k> = (u32, u32, &'k [String], String);
    let mut index: std::collections::HashMap<Key<'a>, usize> = Default::default();
    let reports = by_name(report);
    let unanalysed = not_analysed::unanalysed(report);
    for f in &project.functions {
        let Some(fr) = reports.get(f.name.as_str()) else {
            continue;
        };
        let complete = !unanalysed.contains(f.name.as_str());
        let used: Vec<(&str, String)> = fr
            .permissions
            .iter()
            .map(|p| (p.action.as_str(), p.resource.to_string()))
            .collect();
        let acceptable = acceptable(f, &used.iter().map(|(a, _)| *a).collect::<Vec<_>>());
        let judged = f
            .declared
            .iter()
            .filter(|d| !d.effect.eq_ignore_ascii_case("deny") && !d.not_action && !d.implicit);
        for d in judged {
            let resources: Vec<String> = d.resources.iter().map(|r| r.to_string()).collect();
            let key = (
                d.line,
                d.action_line,
                d.actions.as_slice(),
                resources.join("\n"),
            );
            let at = *index.entry(key).or_insert_with(|| {
                out.push(Grant {
                    statement: d,
                    functions: Vec::new(),
                    used: Vec::new(),
                    acceptable: Vec::new(),
                    unanalysed: Vec::new(),
                });
                out.len() - 1
            });
            let grant = &mut out[at];
            grant.functions.push(&f.name);
            if !complete {
                grant.unanalysed.push(&f.name);
            }
            // A use counts for the statements that may grant it: same action, overlapping resource.
            grant.used.extend(
                used.iter()
                    .filter(|(_, r)| {
                        d.not_resource || resources.iter().any(|p| resource_overlaps(p, r))
                    })
                    .cloned(),
            );
            grant.acceptable.extend(acceptable.iter().cloned());
        }
    }
    out
}

/// Excess, wildcards and dangerous grants: each declared Allow action pattern against what the
/// code of every function holding it uses.
fn excess_and_wildcards(project: &Project, report: &Report, out: &mut Vec<Finding>) {
    let config = &project.config;
    let grants = grants(project, report);
    bundle_excess(&grants, config, out);
    for g in &grants {
        let d = g.statement;
        let line_or = |l: u32| if l > 0 { l } else { d.line };
        let loc = Location::new(config.clone(), line_or(d.action_line), 1);
        let res_loc = Location::new(config.clone(), line_or(d.resource_line), 1);
        let on_any = d.resources.iter().any(|r| r.to_string() == "*");
        let mut replacements: Vec<(usize, Vec<String>)> = Vec::new();
        let mut push = |code, loc: &Location, action: &str, message: String| {
            let mut fd = finding(code, loc.clone(), g.function(), message);
            fd.action = Some(action.to_string());
            out.push(fd);
            out.len() - 1
        };
        for (i, pattern) in d.actions.iter().enumerate() {
            // A bundle is judged whole (`bundle_excess`); a statement an unanalysed function holds
            // cannot be judged against what the code uses.
            if d.bundle.is_some() || !g.unanalysed.is_empty() {
                break;
            }
            let loc = match d.action_lines.get(i) {
                Some(&l) if l > 0 => Location::new(config.clone(), l, 1),
                _ => loc.clone(),
            };
            let users: BTreeSet<&str> = g
                .used
                .iter()
                .filter(|(a, _)| action_matches(pattern, a))
                .map(|(a, _)| *a)
                .collect();
            let harmless = g.acceptable.iter().any(|a| {
                a.eq_ignore_ascii_case(pattern)
                    || (!pattern.contains('*') && action_matches(pattern, a))
            });
            if users.is_empty() && !harmless {
                push(
                    "excess-permission",
                    &loc,
                    pattern,
                    format!(
                        "{pattern} is granted to {}, whose code never uses it",
                        g.holders()
                    ),
                );
            } else if pattern.contains('*') && !users.is_empty() {
                let list: Vec<&str> = users.iter().copied().collect();
                let at = push(
                    "wildcard-action",
                    &loc,
                    pattern,
                    format!(
                        "{pattern} is granted to {}, whose code uses only {}",
                        g.holders(),
                        list.join(", ")
                    ),
                );
                replacements.push((at, list.iter().map(|a| a.to_string()).collect()));
            }
            let scoped_use = g
                .used
                .iter()
                .filter(|(a, _)| action_matches(pattern, a))
                .all(|(_, r)| r != "*");
            if !users.is_empty() && scoped_use && on_any {
                push(
                    "wildcard-resource",
                    &res_loc,
                    pattern,
                    format!(
                        "{pattern} is granted to {} on `*`; the code uses it only on specific resources (see `generate`)",
                        g.holders()
                    ),
                );
            }
        }
        let resources: Vec<String> = d.resources.iter().map(|r| r.to_string()).collect();
        for dg in &data().dangerous {
            let Some(resource) = dg.matches(d, &resources) else {
                continue;
            };
            let mut fd = finding(
                "dangerous-permission",
                loc.clone(),
                g.function(),
                format!(
                    "{} {} granted {} on {resource}: {} ({})",
                    g.holders(),
                    if g.functions.len() == 1 { "is" } else { "are" },
                    dg.what(d),
                    dg.why,
                    dg.cite
                ),
            );
            fd.action = dg.action.clone();
            fd.resource = Some(resource);
            out.push(fd);
        }
        for (at, list) in replacements {
            out[at].replacement = list;
        }
    }
}

/// A SAM policy template or connector permission is written as one line and comes as a whole: it
/// is reported once, with the actions its functions never use and, when one exists, the smaller
/// template with the same parameters that still covers what they do use.
fn bundle_excess(grants: &[Grant<'_>], config: &std::path::Path, out: &mut Vec<Finding>) {
    let mut seen: BTreeSet<(u32, &str)> = BTreeSet::new();
    for g in grants {
        let Some(bundle) = g.statement.bundle.as_deref() else {
            continue;
        };
        if !seen.insert((g.statement.line, bundle)) {
            continue;
        }
        let parts: Vec<&Grant<'_>> = grants
            .iter()
            .filter(|o| {
                o.statement.line == g.statement.line
                    && o.statement.bundle.as_deref() == Some(bundle)
            })
            .collect();
        if parts.iter().any(|p| !p.unanalysed.is_empty()) {
            continue;
        }
        let mut actions: Vec<&str> = Vec::new();
        for a in parts.iter().flat_map(|p| p.statement.actions.iter()) {
            if !actions.contains(&a.as_str()) {
                actions.push(a);
            }
        }
        let used = |pattern: &str| {
            parts.iter().any(|p| {
                p.used.iter().any(|(a, _)| action_matches(pattern, a))
                    || p.acceptable.iter().any(|a| action_matches(pattern, a))
            })
        };
        let (kept, unused): (Vec<&str>, Vec<&str>) = actions.iter().partition(|a| used(a));
        if unused.is_empty() {
            continue;
        }
        let message = if kept.is_empty() {
            format!(
                "{bundle} is granted to {}, whose code uses none of its actions ({})",
                g.holders(),
                unused.join(", ")
            )
        } else {
            let narrower = narrower_template(bundle, &kept)
                .map(|t| format!("; {t} covers what it uses"))
                .unwrap_or_default();
            let narrower = if narrower.is_empty() {
                "; `generate --format sam` prints the inline statements that grant only those"
                    .to_string()
            } else {
                narrower
            };
            format!(
                "{bundle} grants {} {} action(s) its code never uses ({}); it uses only {}{narrower}",
                g.holders(),
                unused.len(),
                unused.join(", "),
                kept.join(", ")
            )
        };
        out.push(finding(
            "excess-permission",
            Location::new(config.to_path_buf(), g.statement.line, 1),
            g.function(),
            message,
        ));
    }
}

/// The SAM policy template with the same parameters as `bundle` and the fewest actions that still
/// grants every action in `needed`, unconditionally, on every resource `bundle` grants it on.
fn narrower_template(bundle: &str, needed: &[&str]) -> Option<String> {
    use crate::catalog::model::SamPolicyTemplate;
    let templates = &crate::catalog::catalog().sam_policy_templates;
    let size =
        |t: &SamPolicyTemplate| -> usize { t.statements.iter().map(|s| s.actions.len()).sum() };
    // The resources a template grants `action` on (only through unconditional statements when
    // `sure`).
    let on = |t: &'static SamPolicyTemplate, action: &str, sure: bool| -> BTreeSet<&'static str> {
        t.statements
            .iter()
            .filter(|s| !(sure && s.conditional))
            .filter(|s| s.actions.iter().any(|p| action_matches(p, action)))
            .flat_map(|s| s.resources.iter().map(String::as_str))
            .collect()
    };
    let current = templates.get(bundle)?;
    templates
        .iter()
        .filter(|(name, t)| {
            name.as_str() != bundle
                && t.parameters == current.parameters
                && size(t) < size(current)
                && needed.iter().all(|a| {
                    let granted = on(t, a, true);
                    !granted.is_empty() && on(current, a, false).is_subset(&granted)
                })
        })
        .min_by_key(|(name, t)| (size(t), name.as_str()))
        .map(|(name, _)| name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_parses_and_codes_are_sorted() {
        assert!(!data().baseline.is_empty());
        assert!(data()
            .dangerous
            .iter()
            .any(|d| d.action.as_deref() == Some("iam:PassRole")));
        for pair in FINDINGS.windows(2) {
            assert!(pair[0].0 < pair[1].0);
        }
    }
}

//! Resource resolution: an SDK operation's input values, through the catalog's argument bindings and
//! the project's resources, become concrete ARN templates. What cannot be known becomes `*` in the
//! narrowest place, with an `unresolved-resource` diagnostic naming the argument.

use crate::catalog::{catalog, ActionRule, Binding, Transform};
use crate::diagnostics::{Diagnostic, Location};
use crate::interp::{SdkOp, Val};
use crate::project::Project;
use crate::value::{Part, Template};

/// Most resources one action of one call expands to (the cross product of placeholder values).
const MAX_RESOURCES: usize = 16;

/// One permission a call needs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grant {
    pub action: String,
    pub resource: Template,
    /// Why: `s3.getObject` / `send(GetCommand)`.
    pub reason: String,
}

/// The grants for one SDK operation found at `location`.
pub fn grants_for(
    op: &SdkOp,
    location: &Location,
    project: &Project,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Grant> {
    let cat = catalog();
    let Some(rules) = cat.lookup(&op.service, &op.operation) else {
        diagnostics.push(Diagnostic::new(
            "unknown-operation",
            location.clone(),
            format!(
                "{}.{} is not in the catalog; no permission granted for it",
                op.service, op.operation
            ),
        ));
        return Vec::new();
    };
    if rules.actions.is_empty() {
        if !rules.no_permission {
            diagnostics.push(Diagnostic::new(
                "unmapped-operation",
                location.clone(),
                format!(
                    "{}.{} has no IAM action in the catalog; no permission granted for it (add it by hand if the call needs one)",
                    op.service, op.operation
                ),
            ));
        }
        return Vec::new();
    }
    let mut out = Vec::new();
    for rule in &rules.actions {
        if let Some(arg) = &rule.if_arg {
            if extract(&op.input, arg).is_empty() {
                continue;
            }
        }
        if let Some((arg, prefix)) = &rule.if_arg_starts_with {
            let values = extract(&op.input, arg);
            let known: Vec<String> = values.iter().filter_map(Template::as_literal).collect();
            if !known.is_empty()
                && !known.iter().any(|v| {
                    v.trim_start()
                        .to_uppercase()
                        .starts_with(&prefix.to_uppercase())
                })
            {
                continue;
            }
        }
        for resource in resources(rule, op, location, project, diagnostics) {
            if passes_any_role(&rule.action, &resource) {
                diagnostics.push(Diagnostic::new(
                    "passrole-any-role",
                    location.clone(),
                    format!(
                        "{} for {}: granted on every role ({resource}), so the code could hand any role of the account to a service; replace `*` with the roles it passes",
                        rule.action, op.via
                    ),
                ));
            }
            out.push(Grant {
                action: rule.action.clone(),
                resource,
                reason: op.via.clone(),
            });
        }
    }
    out
}

/// Whether a generated grant is `iam:PassRole` on every role of an account (its role name widened
/// to `*`): privilege escalation, which `check` reports as `dangerous-permission`.
fn passes_any_role(action: &str, resource: &Template) -> bool {
    action.eq_ignore_ascii_case("iam:PassRole")
        && crate::policy::grants_every_instance(
            &resource.to_string(),
            "arn:${Partition}:iam::${Account}:role/*",
        )
}

fn resources(
    rule: &ActionRule,
    op: &SdkOp,
    location: &Location,
    project: &Project,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Template> {
    let Some(arn) = &rule.arn else {
        return vec![Template::lit("*")];
    };
    // Each placeholder's candidate values; a whole-ARN value replaces the template outright.
    let mut choices: Vec<(String, Vec<Template>)> = Vec::new();
    let mut whole: Vec<Template> = Vec::new();
    // Placeholders no argument names; a warning unless another argument gives the whole ARN.
    let mut unnamed: Vec<String> = Vec::new();
    for ph in crate::catalog::model::arn_placeholders(arn) {
        if let Some((_, c)) = rule.constants.iter().find(|(k, _)| k == ph) {
            choices.push((ph.to_string(), vec![Template::lit(c.clone())]));
            continue;
        }
        let bindings: Vec<&Binding> = rule
            .bindings
            .iter()
            .filter(|b| b.placeholder == ph)
            .collect();
        let mut values = Vec::new();
        let mut quiet = rule.wildcard.iter().any(|w| w == ph);
        for b in &bindings {
            quiet |= b.quiet;
            let raw = extract(&op.input, &b.arg.0);
            let raw = if raw.is_empty() {
                match (&b.default, input_known(&op.input)) {
                    (Some(d), true) => vec![Template::lit(d.clone())],
                    (_, true) => continue,
                    (_, false) => vec![Template::unknown(
                        "the request's input is not known statically",
                    )],
                }
            } else {
                raw
            };
            for v in raw {
                match apply(b.transform, &v, project) {
                    Applied::Whole(t) => whole.push(t),
                    Applied::Part(t) => {
                        if !b.quiet && t.0.iter().any(|p| matches!(p, Part::Unknown(_))) {
                            diagnostics.push(Diagnostic::new(
                                "unresolved-resource",
                                location.clone(),
                                format!(
                                    "{} for {}: `{}` is not known statically ({}); widened to `{}`",
                                    rule.action,
                                    op.via,
                                    b.arg.0,
                                    t.unknown_reasons().join("; "),
                                    t
                                ),
                            ));
                        }
                        values.push(t);
                    }
                }
            }
        }
        if values.is_empty() {
            if !quiet {
                unnamed.push(ph.to_string());
            }
            values.push(Template::unknown(format!("{ph} not named")));
        }
        if !values.is_empty() {
            values.sort();
            values.dedup();
            choices.push((ph.to_string(), values));
        }
    }
    if whole.is_empty() {
        for ph in unnamed {
            diagnostics.push(Diagnostic::new(
                "unresolved-resource",
                location.clone(),
                format!(
                    "{} for {}: no argument names the {ph}; widened to `*`",
                    rule.action, op.via
                ),
            ));
        }
    }
    let mut out = whole;
    let placeholders_filled = choices.iter().all(|(_, v)| !v.is_empty());
    if placeholders_filled
        && (out.is_empty()
            || choices
                .iter()
                .any(|(_, v)| v.iter().any(|t| !t.is_fully_unknown())))
    {
        let mut combos: Vec<Vec<(String, Template)>> = vec![Vec::new()];
        for (ph, vals) in &choices {
            let mut next = Vec::new();
            for c in &combos {
                for v in vals {
                    if next.len() >= MAX_RESOURCES {
                        break;
                    }
                    let mut c2 = c.clone();
                    c2.push((ph.clone(), v.clone()));
                    next.push(c2);
                }
            }
            combos = next;
        }
        if out.is_empty()
            || !combos
                .iter()
                .all(|c| c.iter().all(|(_, t)| t.is_fully_unknown()))
        {
            for c in combos {
                out.push(fill(arn, &c));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn input_known(input: &Val) -> bool {
    matches!(input, Val::Object(_))
}

enum Applied {
    /// The value fills the placeholder.
    Part(Template),
    /// The value is the whole resource ARN.
    Whole(Template),
}

fn apply(transform: Transform, v: &Template, project: &Project) -> Applied {
    let is_arn =
        v.starts_with("arn:") || matches!(v.0.as_slice(), [Part::GetAtt(_, a)] if a == "Arn");
    match transform {
        Transform::Identity => Applied::Part(v.clone()),
        Transform::WholeArn => match v.0.as_slice() {
            [Part::Ref(r)] if ref_kind(project, r) == RefKind::Name => Applied::Part(v.clone()),
            _ if is_arn || matches!(v.0.as_slice(), [Part::Ref(_)]) => Applied::Whole(v.clone()),
            _ if v.is_fully_unknown() => Applied::Part(v.clone()),
            _ => Applied::Whole(v.clone()),
        },
        Transform::NameOrArn => {
            if is_arn {
                Applied::Whole(v.clone())
            } else {
                Applied::Part(v.clone())
            }
        }
        Transform::UrlLastSegment => match v.0.as_slice() {
            // A Lift queue construct: its ARN is published next to its URL.
            [Part::DeployVar(var)]
                if var.starts_with("construct:") && var.ends_with(".queueUrl") =>
            {
                let arn = var.trim_end_matches(".queueUrl").to_string() + ".queueArn";
                Applied::Whole(Template(vec![Part::DeployVar(arn)]))
            }
            [Part::Ref(r)] if ref_kind(project, r) == RefKind::Url => {
                Applied::Part(Template(vec![Part::GetAtt(r.clone(), "QueueName".into())]))
            }
            _ => match v.after_last_slash() {
                Some(t) => Applied::Part(t),
                None if v.is_fully_unknown() => Applied::Part(v.clone()),
                None => Applied::Part(Template::unknown(format!("`{v}` is not a queue URL"))),
            },
        },
        Transform::BeforeFirstSlash => Applied::Part(split_first_slash(v).0),
        Transform::AfterFirstSlash => Applied::Part(split_first_slash(v).1),
        Transform::StripLeadingSlash => {
            let mut t = v.clone();
            if let Some(Part::Lit(l)) = t.0.first_mut() {
                if let Some(rest) = l.strip_prefix('/') {
                    *l = rest.to_string();
                }
            }
            Applied::Part(t)
        }
        Transform::KmsKeyId => {
            if is_arn && !v.starts_with("arn:aws:kms") {
                Applied::Whole(v.clone())
            } else if v.starts_with("arn:") && v.to_string().contains(":alias/")
                || v.starts_with("alias/")
            {
                Applied::Part(Template::unknown(format!(
                    "`{v}` is an alias; the key it names is not known statically"
                )))
            } else if is_arn {
                Applied::Whole(v.clone())
            } else {
                Applied::Part(v.clone())
            }
        }
        Transform::PartiqlTable => match v.as_literal().and_then(|s| partiql_table(&s)) {
            Some(t) => Applied::Part(Template::lit(t)),
            None => Applied::Part(Template::unknown(
                "the PartiQL statement's table is not known statically",
            )),
        },
        Transform::SecretName => {
            if is_arn {
                Applied::Whole(v.clone())
            } else {
                let mut t = v.clone();
                t.push(Part::Lit("-??????".into()));
                Applied::Part(t)
            }
        }
    }
}

/// The table after FROM / INTO / UPDATE in a PartiQL statement, quotes removed.
fn partiql_table(statement: &str) -> Option<String> {
    let words: Vec<&str> = statement.split_whitespace().collect();
    let i = words
        .iter()
        .position(|w| matches!(w.to_uppercase().as_str(), "FROM" | "INTO" | "UPDATE"))?;
    let name = words.get(i + 1)?.trim_matches(|c| c == '"' || c == ';');
    let name = name.split('.').next()?.trim_matches('"');
    (!name.is_empty() && !name.contains('?')).then(|| name.to_string())
}

#[derive(PartialEq, Eq)]
enum RefKind {
    Name,
    Arn,
    Url,
    Unknown,
}

/// What `Ref` of a template resource returns.
fn ref_kind(project: &Project, logical: &str) -> RefKind {
    match project.resource(logical).map(|r| r.resource_type.as_str()) {
        Some("AWS::SQS::Queue") => RefKind::Url,
        Some(
            "AWS::SNS::Topic" | "AWS::StepFunctions::StateMachine" | "AWS::IAM::ManagedPolicy",
        ) => RefKind::Arn,
        Some(_) => RefKind::Name,
        None => RefKind::Unknown,
    }
}

fn split_first_slash(v: &Template) -> (Template, Template) {
    let s = v.clone();
    let mut head = Template::default();
    let mut tail = Template::default();
    let mut in_tail = false;
    for p in s.0 {
        match p {
            Part::Lit(l) if !in_tail => {
                let l = if head.0.is_empty() {
                    l.trim_start_matches('/')
                } else {
                    l.as_str()
                };
                match l.split_once('/') {
                    Some((a, b)) => {
                        head.push(Part::Lit(a.to_string()));
                        tail.push(Part::Lit(b.to_string()));
                        in_tail = true;
                    }
                    None => head.push(Part::Lit(l.to_string())),
                }
            }
            p if in_tail => tail.push(p),
            p => head.push(p),
        }
    }
    if !in_tail {
        tail.push(Part::Unknown("no key in the copy source".into()));
    }
    (head, tail)
}

/// Substitutes placeholder values into an IAM ARN template.
fn fill(arn: &str, values: &[(String, Template)]) -> Template {
    Template::substitute(arn, |name| match name {
        "Partition" => Template::lit("aws"),
        "Region" => Template(vec![Part::Pseudo("AWS::Region".into())]),
        "Account" => Template(vec![Part::Pseudo("AWS::AccountId".into())]),
        other => match values.iter().find(|(k, _)| k == other) {
            Some((_, t)) => t.clone(),
            None => Template::unknown(format!("{other} not named")),
        },
    })
}

/// Values at a path in the input: `Bucket`, `Entries[].EventBusName`, `RequestItems{}` (map keys),
/// `TransactItems[].*.TableName` (`*`: every field's value).
pub fn extract(input: &Val, path: &str) -> Vec<Template> {
    let mut current = vec![input.clone()];
    let mut keys_out: Option<Vec<Template>> = None;
    for raw in path.split('.') {
        let (name, suffix) = match raw.find(['[', '{']) {
            Some(i) => (&raw[..i], &raw[i..]),
            None => (raw, ""),
        };
        let mut next = Vec::new();
        for v in &current {
            let vs: Vec<Val> = match (name, v) {
                ("*", Val::Object(fields)) => fields.iter().map(|(_, x)| x.clone()).collect(),
                ("", v) => vec![v.clone()],
                (n, Val::Object(_)) => v.field(n).cloned().into_iter().collect(),
                (_, Val::Either(alts)) => alts.iter().flat_map(|a| extract_val(a, name)).collect(),
                (_, Val::Unknown(why)) => vec![Val::Unknown(why.clone())],
                _ => Vec::new(),
            };
            next.extend(vs);
        }
        match suffix {
            "[]" => {
                next = next
                    .into_iter()
                    .flat_map(|v| match v {
                        Val::Array(items) => items,
                        other => vec![other],
                    })
                    .collect();
            }
            "{}" => {
                let mut keys = Vec::new();
                for v in &next {
                    match v {
                        Val::Object(fields) => {
                            keys.extend(fields.iter().map(|(k, _)| Template::lit(k.clone())))
                        }
                        other => keys.push(other.as_template()),
                    }
                }
                keys_out = Some(keys);
            }
            _ => {}
        }
        current = next;
    }
    if let Some(keys) = keys_out {
        return keys;
    }
    current
        .iter()
        .flat_map(|v| match v {
            Val::Either(alts) => alts.iter().map(Val::as_template).collect(),
            other => vec![other.as_template()],
        })
        .collect()
}

fn extract_val(v: &Val, name: &str) -> Vec<Val> {
    match v {
        Val::Object(_) => v.field(name).cloned().into_iter().collect(),
        Val::Either(alts) => alts.iter().flat_map(|a| extract_val(a, name)).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(fields: &[(&str, Val)]) -> Val {
        Val::Object(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn extracts_paths() {
        let input = obj(&[
            (
                "Entries",
                Val::Array(vec![obj(&[("EventBusName", Val::text("bus"))]), obj(&[])]),
            ),
            (
                "RequestItems",
                obj(&[("t1", Val::Array(vec![])), ("t2", Val::Array(vec![]))]),
            ),
        ]);
        assert_eq!(
            extract(&input, "Entries[].EventBusName"),
            vec![Template::lit("bus")]
        );
        assert_eq!(
            extract(&input, "RequestItems{}"),
            vec![Template::lit("t1"), Template::lit("t2")]
        );
        assert!(extract(&input, "Missing").is_empty());
    }

    #[test]
    fn fills_arn_templates() {
        let t = fill(
            "arn:${Partition}:s3:::${BucketName}/${ObjectName}",
            &[("BucketName".into(), Template::lit("b"))],
        );
        assert_eq!(t.to_string(), "arn:aws:s3:::b/*");
    }

    #[test]
    fn partiql_tables() {
        assert_eq!(
            partiql_table("SELECT * FROM \"orders\" WHERE id = ?").as_deref(),
            Some("orders")
        );
        assert_eq!(
            partiql_table("INSERT INTO audit VALUE {'a': 1}").as_deref(),
            Some("audit")
        );
        assert_eq!(
            partiql_table("UPDATE \"t\".\"byDate\" SET x = 1").as_deref(),
            Some("t")
        );
        assert_eq!(partiql_table("DELETE FROM ?"), None);
    }

    #[test]
    fn copy_source_splits() {
        let (b, k) = split_first_slash(&Template::lit("/src-bucket/a/b.txt"));
        assert_eq!(
            (b.to_string(), k.to_string()),
            ("src-bucket".into(), "a/b.txt".into())
        );
    }
}

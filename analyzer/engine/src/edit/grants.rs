//! What a function still needs written: the permissions its code needs that no statement the user
//! wrote already allows (the local IAM evaluator decides, as for `check`), as statements the tool
//! owns (`Sid` prefixed with [`OWNED`]).

use super::render::Item;
use super::OWNED;
use crate::policy::{evaluate, Decision, Statement};
use crate::project::Function;
use crate::report::{FunctionReport, Report};
use crate::synth::{self, Permission};

/// The permissions to write for one function, and the ones a `Deny` of the user blocks.
#[derive(Default)]
pub struct Needs {
    pub permissions: Vec<Permission>,
    pub denied: Vec<String>,
}

/// Whether a declared statement is one the tool wrote.
fn owned(sid: Option<&str>) -> bool {
    sid.is_some_and(|s| s.starts_with(OWNED))
}

/// The user's statements of the function's role (the tool's own left out) as evaluator input.
fn user_statements(f: &Function) -> Vec<Statement> {
    f.declared
        .iter()
        .filter(|d| !owned(d.sid.as_deref()))
        .map(|d| Statement::declared(d, |r| r.to_string()))
        .collect()
}

/// The permissions of `fr` that the user's grants do not allow. A grant that may apply (a SAM
/// template on a bucket the code reaches through a variable, a statement on a parameter) counts
/// as given: the generated statement would be wider than what the user wrote.
pub fn needs(f: &Function, fr: &FunctionReport) -> Needs {
    let user = user_statements(f);
    let mut out = Needs::default();
    for p in &fr.permissions {
        let resource = p.resource.to_string();
        match evaluate(&user, &p.action, &resource) {
            Decision::NotAllowed => out.permissions.push(p.clone()),
            Decision::Denied => out.denied.push(format!("{} on {resource}", p.action)),
            Decision::Allowed => {}
        }
    }
    out
}

/// `permissions` as statement items with `Sid`s `SlzIam<scope><n>` (none when `sid` is false).
pub fn statement_items(
    report: &Report,
    permissions: &[Permission],
    scope: &str,
    sid: bool,
) -> Vec<Item> {
    let mut perms = permissions.to_vec();
    perms.sort();
    perms.dedup_by(|a, b| a.action == b.action && a.resource == b.resource);
    synth::statements(&perms, |t| report.render_resource(t).to_string())
        .into_iter()
        .map(|s| {
            let mut entries = Vec::new();
            if sid {
                entries.push(("Sid", Item::Str(format!("{OWNED}{scope}{}", s.sid))));
            }
            entries.push(("Effect", Item::str("Allow")));
            entries.push((
                "Action",
                Item::Seq(s.actions.iter().map(|a| Item::str(a)).collect()),
            ));
            entries.push((
                "Resource",
                Item::Seq(
                    s.resources
                        .iter()
                        .map(|r| Item::from_json(&report.render_resource(r)))
                        .collect(),
                ),
            ));
            Item::map(entries)
        })
        .collect()
}

/// Letters and digits of a name, for a `Sid` or a policy name.
pub fn alnum(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).collect()
}

//! Where a function's grants go, following what the framework reads, and the edits that put them
//! there. serverless.yml: a function's own role on Serverless Framework v4 (`iam.role.statements`,
//! with `iam.inheritStatements` so a new role keeps the provider's statements, and the provider's
//! managed policies copied) or with serverless-iam-roles-per-function (`iamRoleStatements` with
//! `iamRoleStatementsInherit`); otherwise the shared provider role, which v3 and v4 both honour;
//! an existing role (`role:`, `provider.iam.role`, `provider.role`) when `resources.Resources`
//! defines it. SAM: the function's `Policies`, or the template's `AWS::IAM::Role` its `Role` names
//! (SAM ignores `Policies` then). A template role gets a policy of the tool's own in its
//! `Policies`. Anything else is refused with the reason.

use super::doc::{owned_by, Doc, Style, MARKER};
use super::grants::{self, alnum};
use super::render::{self, Item};
use crate::project::reader::ConfigDialect;
use crate::project::yaml::{Node, Value};
use crate::project::{serverless, Framework, Function, Project};
use crate::report::Report;
use crate::synth::Permission;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    /// serverless.yml: the provider's shared role.
    Provider,
    /// serverless.yml: the function's own role (existing or new).
    Function(String),
    /// SAM: the function's `Policies`.
    Policies(String),
    /// SAM / CloudFormation: an `AWS::IAM::Role` of the template, by logical id.
    Role(String),
}

/// Whether the tool replaces what it wrote (a whole policy) or only adds (one grant).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Replace,
    Add,
}

/// What serverless.yml says about the framework.
struct Sls {
    v3: bool,
    v4: bool,
    plugin: bool,
    per_function_mode: bool,
}

impl Sls {
    fn of(root: &Node, plugin_keys: bool) -> Sls {
        let major = serverless::framework_major(root);
        Sls {
            v3: major == Some(3),
            v4: major == Some(4),
            plugin: plugin_keys || serverless::uses_roles_plugin(root),
            per_function_mode: root.path("provider.iam.role.mode").and_then(|m| m.as_str())
                == Some("perFunction"),
        }
    }
}

fn is_map(n: Option<&Node>) -> bool {
    matches!(n.map(|n| &n.value), Some(Value::Map(_)))
}

fn is_false(n: Option<&Node>) -> bool {
    n.is_some_and(|v| v.value == Value::Bool(false))
}

/// The role every function without one of its own runs with, when it is not the one the
/// framework generates from `provider.iam.role.statements`: the setting that names it (as the
/// reader takes it: `provider.iam.role` naming a role, else `provider.role`) and what to call it.
fn provider_external(root: &Node) -> Option<(&Node, &'static str)> {
    match root.path("provider.iam.role") {
        Some(r) if is_role_reference(r) => Some((r, "the role `provider.iam.role` names")),
        _ => root
            .path("provider.role")
            .map(|r| (r, "the role `provider.role` names")),
    }
}

/// Whether `iam.role` names an existing role rather than describing the one the framework
/// creates (as the serverless.yml reader decides).
fn is_role_reference(n: &Node) -> bool {
    match &n.value {
        Value::Str(_) | Value::Tagged(..) => true,
        Value::Map(entries) => {
            entries.len() == 1 && (entries[0].0 == "Ref" || entries[0].0.starts_with("Fn::"))
        }
        _ => false,
    }
}

/// The `AWS::IAM::Role` of `resources.Resources` a serverless.yml role setting names (its logical
/// id, `!GetAtt R.Arn`, `Fn::GetAtt: [R, Arn]`, `!Ref R`), as the framework resolves it.
fn sls_template_role(root: &Node, setting: &Node) -> Option<String> {
    let id = match &setting.value {
        Value::Str(s) => Some(s.clone()),
        _ => role_id(setting),
    }?;
    (root
        .path(&format!(
            "{}.{id}.Type",
            ConfigDialect::Serverless.resources_path()
        ))
        .and_then(|t| t.as_str())
        == Some("AWS::IAM::Role"))
    .then_some(id)
}

/// The provider's managed policies as items to copy into a new v4 function role; None when one
/// of them is not a plain name or ARN.
fn provider_managed(root: &Node) -> Option<Vec<Item>> {
    let mut out = Vec::new();
    for path in [
        "provider.iam.role.managedPolicies",
        "provider.iamManagedPolicies",
    ] {
        if let Some(list) = root.path(path) {
            if !matches!(list.value, Value::Seq(_)) {
                return None;
            }
            for m in list.items() {
                out.push(Item::str(m.as_str()?));
            }
        }
    }
    Some(out)
}

const V3_NOTE: &str = "Serverless Framework v3 gives a function no role of its own (without serverless-iam-roles-per-function): they go to the provider role all functions share";
const UNKNOWN_NOTE: &str = "`frameworkVersion` does not tell Serverless Framework v3 from v4, and v3 ignores a function's `iam`: they go to the provider role all functions share, which both versions honour";

/// Where a serverless.yml function's grants go, with the note to give when it is the shared role.
fn sls_place(root: &Node, s: &Sls, name: &str) -> Result<(Place, Option<&'static str>), String> {
    let fnode = root
        .path("functions")
        .and_then(|f| f.get(name))
        .ok_or_else(|| {
            format!("function `{name}` is not written under `functions` in this file; its role is left alone")
        })?;
    if !matches!(fnode.value, Value::Map(_)) {
        return Err(format!(
            "function `{name}` is not written out as a map in this file; its role is left alone"
        ));
    }
    if let Some(role) = fnode.get("role") {
        // The framework gives the function that role alone: a role `resources.Resources`
        // defines is written into, any other is not the file's to edit.
        return match sls_template_role(root, role) {
            Some(id) => Ok((Place::Role(id), None)),
            None => Err(format!(
                "function `{name}` runs with the role its `role:` names, which this file does not define: add its statements there"
            )),
        };
    }
    let own_plugin = fnode.get("iamRoleStatements").is_some() && (s.plugin || !s.v3);
    let own_iam = !s.v3 && is_map(fnode.path("iam.role"));
    if own_plugin || own_iam {
        return Ok((Place::Function(name.to_string()), None));
    }
    if let Some((setting, role)) = provider_external(root) {
        return match sls_template_role(root, setting) {
            Some(id) => Ok((Place::Role(id), None)),
            None => Err(format!(
                "function `{name}` runs with {role}, which this file does not define: add its statements there"
            )),
        };
    }
    let shared = if s.v3 { V3_NOTE } else { UNKNOWN_NOTE };
    if s.plugin && !is_false(fnode.get("iamRoleStatementsInherit")) {
        return Ok((Place::Function(name.to_string()), None));
    }
    if s.v4
        && fnode
            .get("iam")
            .is_none_or(|i| matches!(i.value, Value::Map(_)))
    {
        if is_false(fnode.path("iam.inheritStatements")) {
            return Ok((Place::Provider, Some("the function sets `iam.inheritStatements: false`, so a role of its own would lose the provider's statements: they go to the provider role")));
        }
        if !s.per_function_mode && provider_managed(root).is_none() {
            return Ok((Place::Provider, Some("a role of its own would need the provider's managed policies, which are not plain names to copy: they go to the provider role")));
        }
        return Ok((Place::Function(name.to_string()), None));
    }
    Ok((Place::Provider, Some(shared)))
}

/// The logical id a SAM `Role` value names (`!GetAtt R.Arn`, `Fn::GetAtt: [R, Arn]`, `!Ref R`).
fn role_id(n: &Node) -> Option<String> {
    let from = |tag: &str, inner: &Node| -> Option<String> {
        match (tag.trim_start_matches("Fn::"), &inner.value) {
            ("GetAtt", Value::Str(s)) => s.split('.').next().map(str::to_string),
            ("GetAtt", Value::Seq(items)) => items.first()?.as_str().map(str::to_string),
            ("Ref", Value::Str(s)) => Some(s.clone()),
            _ => None,
        }
    };
    match &n.value {
        Value::Tagged(tag, inner) => from(tag, inner),
        Value::Map(entries) if entries.len() == 1 => from(&entries[0].0, &entries[0].1),
        _ => None,
    }
}

fn sam_place(root: &Node, f: &Function) -> Result<(Place, Option<&'static str>), String> {
    let name = &f.name;
    let res = root
        .get("Resources")
        .and_then(|r| r.get(&f.logical_id))
        .ok_or_else(|| format!("function `{name}` is not a resource written in this file"))?;
    let props = res.get("Properties");
    if let Some(role) = props.and_then(|p| p.get("Role")) {
        let id = role_id(role).filter(|id| {
            root.path(&format!("Resources.{id}.Type"))
                .and_then(|t| t.as_str())
                == Some("AWS::IAM::Role")
        });
        return match id {
            Some(id) => Ok((Place::Role(id), None)),
            None => Err(format!(
                "function `{name}` runs with the role `Role:` names, which this template does not define, and SAM ignores `Policies` then: add its statements to that role"
            )),
        };
    }
    if res.get("Type").and_then(|t| t.as_str()) != Some("AWS::Serverless::Function") {
        return Err(format!(
            "function `{name}` has no `Role` this template defines; its role is left alone"
        ));
    }
    if !is_map(props) {
        return Err(format!(
            "function `{name}` has no `Properties` map written in this file"
        ));
    }
    Ok((Place::Policies(name.clone()), None))
}

fn place_of(
    project: &Project,
    root: &Node,
    sls: &Sls,
    f: &Function,
) -> Result<(Place, Option<&'static str>), String> {
    if crate::project::reader(project.framework).dialect() == Some(ConfigDialect::Template) {
        sam_place(root, f)
    } else {
        sls_place(root, sls, &f.name)
    }
}

/// Writes the generated statements of every function (or only of the roles `only` uses).
pub fn write_policies(
    project: &Project,
    doc: &mut Doc<'_>,
    report: &Report,
    only: Option<&str>,
    plugin_keys: bool,
    notes: &mut Vec<String>,
) -> Vec<String> {
    // Functions that need a grant the edits do not write (each with a note saying why).
    let mut unwritten: Vec<String> = Vec::new();
    let sls = Sls::of(&doc.root, plugin_keys);
    let mut targets: BTreeMap<Place, Vec<(String, Vec<Permission>)>> = BTreeMap::new();
    let mut shared_why: Option<&'static str> = None;
    // By name, so each lookup is constant time (thousands of functions).
    let mut by_name: std::collections::HashMap<&str, &Function> = std::collections::HashMap::new();
    for f in &project.functions {
        by_name.entry(f.name.as_str()).or_insert(f);
    }
    let reported: std::collections::HashSet<&str> =
        report.functions.iter().map(|r| r.name.as_str()).collect();
    for fr in &report.functions {
        let Some(&f) = by_name.get(fr.name.as_str()) else {
            continue;
        };
        let needs = grants::needs(f, fr);
        let wanted = only.is_none_or(|o| o == f.name);
        // A function another file defines (a nested stack's template): that file is not edited.
        if f.location.file != project.config {
            if wanted && !needs.permissions.is_empty() {
                notes.push(format!(
                    "function `{}` is not written under this file but in {}; its role is left alone",
                    f.name,
                    f.location.file.display()
                ));
                unwritten.push(f.name.clone());
            }
            continue;
        }
        match place_of(project, &doc.root, &sls, f) {
            Err(reason) => {
                if wanted && !needs.permissions.is_empty() {
                    notes.push(reason);
                    unwritten.push(f.name.clone());
                }
            }
            Ok((place, why)) => {
                if wanted {
                    for d in &needs.denied {
                        notes.push(format!(
                            "function `{}` needs {d}, which a `Deny` of its role blocks; not granted",
                            f.name
                        ));
                    }
                }
                if place == Place::Provider && !needs.permissions.is_empty() {
                    shared_why = shared_why.or(why);
                }
                targets
                    .entry(place)
                    .or_default()
                    .push((f.name.clone(), needs.permissions));
            }
        }
    }
    // Functions of the config the report leaves out are left alone (their analysis is
    // incomplete): a role they share is not rewritten, since replacing the statements the tool
    // wrote there could take away what their unread code needs.
    let mut left_alone: BTreeMap<Place, Vec<String>> = BTreeMap::new();
    for f in &project.functions {
        if f.location.file != project.config || reported.contains(f.name.as_str()) {
            continue;
        }
        if let Ok((place, _)) = place_of(project, &doc.root, &sls, f) {
            left_alone
                .entry(place)
                .or_default()
                .push(format!("`{}`", f.name));
        }
    }
    for (place, fns) in targets {
        if let Some(o) = only {
            if !fns.iter().any(|(n, _)| n == o) {
                continue;
            }
        }
        if let Some(kept) = left_alone.get(&place) {
            let names: Vec<String> = fns.iter().map(|(n, _)| format!("`{n}`")).collect();
            unwritten.extend(
                fns.iter()
                    .filter(|(_, p)| !p.is_empty())
                    .map(|(n, _)| n.clone()),
            );
            notes.push(format!(
                "the statements of {} are not written: their role also serves {}, which is left as it is",
                names.join(", "),
                kept.join(", ")
            ));
            continue;
        }
        let perms: Vec<Permission> = fns.iter().flat_map(|(_, p)| p.iter().cloned()).collect();
        let names: Vec<String> = fns
            .iter()
            .filter(|(_, p)| !p.is_empty())
            .map(|(n, _)| format!("`{n}`"))
            .collect();
        let result = match &place {
            Place::Provider => {
                let items = grants::statement_items(report, &perms, "Shared", true);
                write_provider(doc, items, Mode::Replace)
            }
            Place::Function(name) => {
                let items = grants::statement_items(report, &perms, "", true);
                write_function(doc, &sls, name, items, Mode::Replace)
            }
            Place::Policies(name) => {
                let items = grants::statement_items(report, &perms, "", true);
                write_sam_policies(doc, name, project, items, Mode::Replace)
            }
            Place::Role(id) => {
                let items = grants::statement_items(report, &perms, "", true);
                write_role(
                    doc,
                    project.framework,
                    id,
                    items,
                    Mode::Replace,
                    &format!("{}{}", super::OWNED, alnum(id)),
                )
            }
        };
        match result {
            Err(reason) => {
                if !perms.is_empty() {
                    notes.push(format!("functions {}: {reason}", names.join(", ")));
                    unwritten.extend(
                        fns.iter()
                            .filter(|(_, p)| !p.is_empty())
                            .map(|(n, _)| n.clone()),
                    );
                }
            }
            Ok(()) if place == Place::Provider && !names.is_empty() => notes.push(format!(
                "the statements of {} go to the shared provider role: {}",
                names.join(", "),
                shared_why.unwrap_or(UNKNOWN_NOTE)
            )),
            Ok(()) => {}
        }
    }
    unwritten.sort();
    unwritten.dedup();
    unwritten
}

/// Adds one statement (no `Sid`: it is the user's once accepted) for `function`, where its role
/// is; the note when that is the shared provider role.
pub fn write_grant(
    project: &Project,
    doc: &mut Doc<'_>,
    function: &str,
    action: &str,
    resource: &serde_json::Value,
    plugin_keys: bool,
) -> Result<Option<String>, String> {
    let f = project
        .functions
        .iter()
        .find(|f| f.name == function)
        .ok_or_else(|| format!("no function `{function}`"))?;
    if f.location.file != project.config {
        return Err(format!(
            "function `{function}` is not defined in the config"
        ));
    }
    let sls = Sls::of(&doc.root, plugin_keys);
    let (place, why) = place_of(project, &doc.root, &sls, f)?;
    let item = Item::map(vec![
        ("Effect", Item::str("Allow")),
        ("Action", Item::Seq(vec![Item::str(action)])),
        ("Resource", Item::Seq(vec![Item::from_json(resource)])),
    ]);
    match &place {
        Place::Provider => write_provider(doc, vec![item], Mode::Add)?,
        Place::Function(name) => write_function(doc, &sls, name, vec![item], Mode::Add)?,
        Place::Policies(name) => write_sam_policies(doc, name, project, vec![item], Mode::Add)?,
        Place::Role(id) => {
            let name = format!("{}Grant{}", alnum(function), alnum(action));
            write_role(doc, project.framework, id, vec![item], Mode::Add, &name)?
        }
    }
    Ok((place == Place::Provider).then(|| why.unwrap_or(UNKNOWN_NOTE).to_string()))
}

/// Whether `key` may be added to `map`: the map is written here, not an anchor's copied
/// elsewhere, and no merge key (`<<`) brings a value the new key would silently override.
pub(super) fn check_addable(doc: &Doc<'_>, map: &Node, key: &str) -> Result<(), String> {
    if !matches!(map.value, Value::Map(_)) {
        return Err(format!("the place for `{key}` is not a map"));
    }
    if doc.shared(map) {
        return Err(format!(
            "the map `{key}` would go into belongs to an anchor that aliases copy elsewhere; adding it would change every copy"
        ));
    }
    if let Some(merged) = map.get("<<") {
        let brings = |n: &Node| n.get(key).is_some();
        if brings(merged) || merged.items().iter().any(brings) {
            return Err(format!(
                "`{key}` comes from a merge key (`<<`); a local `{key}` would replace what it brings"
            ));
        }
    }
    Ok(())
}

fn statement_owned(n: &Node) -> bool {
    owned_by(n, "Sid")
}

/// A SAM `Policies` entry the tool wrote: a policy document whose statements are all its own.
fn document_owned(n: &Node) -> bool {
    let st = n.get("Statement").map(|s| s.items()).unwrap_or_default();
    !st.is_empty() && st.iter().all(statement_owned)
}

fn role_policy_owned(n: &Node) -> bool {
    owned_by(n, "PolicyName")
}

/// Writes `items` into the list at `key` of `parent`, creating the key when it is absent. In
/// replace mode the items the tool wrote before (`owned`) are replaced and the rest kept; in add
/// mode the items are added after the others.
fn write_list(
    doc: &mut Doc<'_>,
    parent: &Node,
    key: &str,
    items: Vec<Item>,
    mode: Mode,
    owned: fn(&Node) -> bool,
) -> Result<(), String> {
    let Some(list) = parent.get(key).cloned() else {
        if items.is_empty() {
            return Ok(());
        }
        check_addable(doc, parent, key)?;
        let value = if mode == Mode::Replace {
            Item::Marked(items)
        } else {
            Item::Seq(items)
        };
        return doc.add_key(parent, key, &value);
    };
    let existing = match &list.value {
        Value::Seq(v) => v.clone(),
        _ => {
            return Err(format!(
                "`{key}` is not a list written in this file (a variable, an include, or empty)"
            ))
        }
    };
    if doc.shared(&list) {
        return Err(format!(
            "`{key}` belongs to an anchor that aliases copy elsewhere; editing it would change every copy"
        ));
    }
    let mine: Vec<&Node> = match mode {
        Mode::Replace => existing.iter().filter(|i| owned(i)).collect(),
        Mode::Add => Vec::new(),
    };
    if mine.is_empty() {
        if items.is_empty() {
            return Ok(());
        }
        return doc.append_items(&list, &items, mode == Mode::Replace);
    }
    if items.is_empty() && mine.len() == existing.len() {
        // Emptied, the list would read as null: the statements stay until the user removes them.
        return Ok(());
    }
    match doc.style(&list).ok_or("a list the edit cannot locate")? {
        Style::Block(indent) => {
            let mut at = None;
            for item in &mine {
                let (first, last) = doc
                    .block_item_lines(&list, item)
                    .ok_or("an item the edit cannot locate")?;
                let first = if first > 1 && doc.line(first - 1).trim() == MARKER {
                    first - 1
                } else {
                    first
                };
                at.get_or_insert(first);
                doc.remove_lines(first, last);
            }
            if !items.is_empty() {
                let mut lines = vec![format!("{}{MARKER}", " ".repeat(indent))];
                lines.extend(render::block_items(&items, indent));
                doc.insert_lines(at.unwrap_or(1) - 1, lines);
            }
        }
        Style::Flow(_) => {
            doc.replace_flow_item(mine[0], &items)?;
            for item in &mine[1..] {
                doc.replace_flow_item(item, &[])?;
            }
        }
    }
    Ok(())
}

/// `parent.key` as a map to write into: the existing one, or None when it is absent.
fn child_map(parent: &Node, key: &str) -> Result<Option<Node>, String> {
    match parent.get(key) {
        None => Ok(None),
        Some(n) if matches!(n.value, Value::Map(_)) => Ok(Some(n.clone())),
        Some(_) => Err(format!("`{key}` is not a map written in this file")),
    }
}

fn write_provider(doc: &mut Doc<'_>, items: Vec<Item>, mode: Mode) -> Result<(), String> {
    let provider = child_map(&doc.root, "provider")?.ok_or("the config has no `provider`")?;
    let role = child_map(&provider, "iam")?
        .map(|iam| child_map(&iam, "role"))
        .transpose()?
        .flatten();
    match role {
        Some(role)
            if role.get("statements").is_some() || provider.get("iamRoleStatements").is_none() =>
        {
            write_list(doc, &role, "statements", items, mode, statement_owned)
        }
        _ if provider.get("iamRoleStatements").is_some() => write_list(
            doc,
            &provider,
            "iamRoleStatements",
            items,
            mode,
            statement_owned,
        ),
        _ => {
            if items.is_empty() {
                return Ok(());
            }
            let statements = if mode == Mode::Replace {
                Item::Marked(items)
            } else {
                Item::Seq(items)
            };
            let role = Item::map(vec![("statements", statements)]);
            match child_map(&provider, "iam")? {
                Some(iam) => {
                    check_addable(doc, &iam, "role")?;
                    doc.add_key(&iam, "role", &role)
                }
                None => {
                    check_addable(doc, &provider, "iam")?;
                    doc.add_key(&provider, "iam", &Item::map(vec![("role", role)]))
                }
            }
        }
    }
}

fn write_function(
    doc: &mut Doc<'_>,
    s: &Sls,
    name: &str,
    items: Vec<Item>,
    mode: Mode,
) -> Result<(), String> {
    let fnode = doc
        .root
        .path("functions")
        .and_then(|f| f.get(name))
        .cloned()
        .ok_or_else(|| format!("no function `{name}`"))?;
    let marked = |items: Vec<Item>| {
        if mode == Mode::Replace {
            Item::Marked(items)
        } else {
            Item::Seq(items)
        }
    };
    let plugin_list = fnode.get("iamRoleStatements").is_some() && (s.plugin || !s.v3);
    if plugin_list {
        return write_list(
            doc,
            &fnode,
            "iamRoleStatements",
            items,
            mode,
            statement_owned,
        );
    }
    if let Some(role) = child_map(&fnode, "iam")?
        .map(|iam| child_map(&iam, "role"))
        .transpose()?
        .flatten()
    {
        return write_list(doc, &role, "statements", items, mode, statement_owned);
    }
    if items.is_empty() {
        return Ok(());
    }
    if s.plugin {
        // A new role of the plugin's: it keeps the provider's statements and managed policies.
        check_addable(doc, &fnode, "iamRoleStatements")?;
        if fnode.get("iamRoleStatementsInherit").is_none() {
            check_addable(doc, &fnode, "iamRoleStatementsInherit")?;
            doc.add_key(&fnode, "iamRoleStatementsInherit", &Item::boolean(true))?;
        }
        return doc.add_key(&fnode, "iamRoleStatements", &marked(items));
    }
    // A new v4 role: it holds the provider's statements with `inheritStatements`, and its managed
    // policies only when copied.
    let mut role = vec![("statements", marked(items))];
    let mut iam_keys = Vec::new();
    if !s.per_function_mode {
        let managed = provider_managed(&doc.root).unwrap_or_default();
        if !managed.is_empty() {
            role.push(("managedPolicies", Item::Seq(managed)));
        }
        iam_keys.push(("inheritStatements", Item::boolean(true)));
    }
    iam_keys.push(("role", Item::map(role)));
    match child_map(&fnode, "iam")? {
        Some(iam) => {
            for (k, v) in iam_keys {
                if iam.get(k).is_none() {
                    check_addable(doc, &iam, k)?;
                    doc.add_key(&iam, k, &v)?;
                }
            }
            Ok(())
        }
        None => {
            check_addable(doc, &fnode, "iam")?;
            doc.add_key(&fnode, "iam", &Item::map(iam_keys))
        }
    }
}

/// A policy document holding `items`.
fn document(items: Vec<Item>) -> Item {
    Item::map(vec![
        ("Version", Item::version()),
        ("Statement", Item::Seq(items)),
    ])
}

fn write_sam_policies(
    doc: &mut Doc<'_>,
    name: &str,
    project: &Project,
    items: Vec<Item>,
    mode: Mode,
) -> Result<(), String> {
    let id = project
        .functions
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.logical_id.clone())
        .unwrap_or_else(|| name.to_string());
    let props = doc
        .root
        .path(&format!("Resources.{id}.Properties"))
        .cloned()
        .ok_or_else(|| format!("function `{name}` has no `Properties`"))?;
    let entries = if items.is_empty() {
        Vec::new()
    } else {
        vec![document(items)]
    };
    match props.get("Policies") {
        Some(p) if matches!(p.value, Value::Str(_)) => {
            if entries.is_empty() {
                return Ok(());
            }
            scalar_to_list(doc, &props, &p.clone(), entries, mode == Mode::Replace)
        }
        _ => write_list(doc, &props, "Policies", entries, mode, document_owned),
    }
}

/// `key: Name` (one managed policy) becomes a list of it and `items`.
fn scalar_to_list(
    doc: &mut Doc<'_>,
    parent: &Node,
    scalar: &Node,
    items: Vec<Item>,
    marker: bool,
) -> Result<(), String> {
    if doc.shared(parent) {
        return Err("the list belongs to an anchor that aliases copy elsewhere".into());
    }
    let (s, e) = doc
        .scalar_span(scalar)
        .ok_or("a value the edit cannot locate")?;
    let text = doc.text[s..e].to_string();
    match doc.style(parent).ok_or("a map the edit cannot locate")? {
        Style::Block(indent) => {
            let from = doc.text[..s].trim_end_matches(' ').len();
            doc.splice(from, e - from, String::new());
            let pad = " ".repeat(indent + 2);
            let mut lines = vec![format!("{pad}- {text}")];
            if marker {
                lines.push(format!("{pad}{MARKER}"));
            }
            lines.extend(render::block_items(&items, indent + 2));
            doc.insert_lines(scalar.line, lines);
        }
        Style::Flow(_) => {
            let rest: Vec<String> = items
                .iter()
                .map(|i| {
                    if doc.json {
                        render::json(i, 0, None)
                    } else {
                        render::flow(i)
                    }
                })
                .collect();
            doc.splice(s, e - s, format!("[{text}, {}]", rest.join(", ")));
        }
    }
    Ok(())
}

/// The layout of a config of `framework` the tool writes into.
fn dialect(framework: Framework) -> ConfigDialect {
    crate::project::reader(framework)
        .dialect()
        .unwrap_or(ConfigDialect::Template)
}

/// Writes `items` as the policy `policy_name` into the `Policies` of the template role `id`.
fn write_role(
    doc: &mut Doc<'_>,
    framework: Framework,
    id: &str,
    items: Vec<Item>,
    mode: Mode,
    policy_name: &str,
) -> Result<(), String> {
    let props = doc
        .root
        .path(&format!(
            "{}.{id}.Properties",
            dialect(framework).resources_path()
        ))
        .cloned()
        .filter(|p| matches!(p.value, Value::Map(_)))
        .ok_or_else(|| format!("the role `{id}` has no `Properties` map written in this file"))?;
    let entries = if items.is_empty() {
        Vec::new()
    } else {
        vec![Item::map(vec![
            ("PolicyName", Item::str(policy_name)),
            ("PolicyDocument", document(items)),
        ])]
    };
    write_list(doc, &props, "Policies", entries, mode, role_policy_owned)
}

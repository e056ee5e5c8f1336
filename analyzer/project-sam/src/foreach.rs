//! `Fn::ForEach` of the `AWS::LanguageExtensions` transform in a template's `Resources`:
//! `Fn::ForEach::<Loop>: [Identifier, [values...], {<key with ${Identifier}>: <template>}]` is
//! expanded into one resource per value before the template is read, as the transform does:
//! `${Identifier}` and `&{Identifier}` (the value without its non-alphanumeric characters) are
//! replaced in keys and in every string of the template. A collection the template does not list
//! (a parameter's list, known at deploy time) cannot be expanded: that loop is left out with a
//! diagnostic.

use slz_core::diagnostics::{Diagnostic, Location};
use slz_project::yaml::{Node, Value};
use std::path::Path;

/// Deepest nesting of loops expanded.
const MAX_DEPTH: usize = 4;

/// Most resources one template's loops may make.
const MAX_RESOURCES: usize = 10_000;

/// `root` with the loops of its `Resources` expanded; None when it has none.
pub fn expand(root: &Node, config: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<Node> {
    let resources = root.get("Resources")?;
    if !resources
        .entries()
        .iter()
        .any(|(k, _)| k.starts_with("Fn::ForEach::"))
    {
        return None;
    }
    let mut made = Vec::new();
    expand_entries(resources.entries(), config, diagnostics, 0, &mut made);
    let mut out = root.clone();
    if let Value::Map(entries) = &mut out.value {
        for (k, v) in entries.iter_mut() {
            if k == "Resources" {
                v.value = Value::Map(std::mem::take(&mut made));
            }
        }
    }
    Some(out)
}

fn expand_entries(
    entries: &[(String, Node)],
    config: &Path,
    diagnostics: &mut Vec<Diagnostic>,
    depth: usize,
    out: &mut Vec<(String, Node)>,
) {
    for (key, node) in entries {
        if !key.starts_with("Fn::ForEach::") {
            if out.len() < MAX_RESOURCES {
                out.push((key.clone(), node.clone()));
            }
            continue;
        }
        let at = Location::new(config, node.line, node.column);
        let items = node.items();
        let (Some(id), Some(values), Some(template)) = (
            items.first().and_then(|i| i.as_str()),
            items.get(1),
            items.get(2),
        ) else {
            diagnostics.push(Diagnostic::new(
                "config-part-omitted",
                at,
                format!("`{key}` is not `[Identifier, [values], {{template}}]`; its resources are left out"),
            ));
            continue;
        };
        let listed: Option<Vec<String>> = match &values.value {
            Value::Seq(vs) => vs.iter().map(|v| v.scalar_text()).collect(),
            _ => None,
        };
        let Some(listed) = listed.filter(|_| depth < MAX_DEPTH) else {
            diagnostics.push(Diagnostic::new(
                "config-part-omitted",
                at,
                format!("`{key}` loops over values the template does not list (or nests too deep); its resources are left out"),
            ));
            continue;
        };
        for value in listed {
            let bare: String = value
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            let replace = |s: &str| {
                s.replace(&format!("${{{id}}}"), &value)
                    .replace(&format!("&{{{id}}}"), &bare)
            };
            let expanded: Vec<(String, Node)> = template
                .entries()
                .iter()
                .map(|(k, v)| (replace(k), substitute(v, &replace)))
                .collect();
            expand_entries(&expanded, config, diagnostics, depth + 1, out);
        }
    }
}

/// `node` with `replace` applied to every string in it, keys included.
fn substitute(node: &Node, replace: &dyn Fn(&str) -> String) -> Node {
    let value = match &node.value {
        Value::Str(s) => Value::Str(replace(s)),
        Value::Seq(items) => Value::Seq(items.iter().map(|i| substitute(i, replace)).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| (replace(k), substitute(v, replace)))
                .collect(),
        ),
        Value::Tagged(tag, inner) => {
            Value::Tagged(tag.clone(), Box::new(substitute(inner, replace)))
        }
        other => other.clone(),
    };
    Node {
        value,
        line: node.line,
        column: node.column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slz_project::yaml;

    #[test]
    fn loops_become_resources_and_unlisted_ones_are_diagnosed() {
        let root = yaml::parse(
            "Resources:\n  Fn::ForEach::Queues:\n    - Name\n    - [Orders, Pay-ments]\n    - ${Name}Queue:\n        Type: AWS::SQS::Queue\n        Properties:\n          QueueName: !Sub 'q-${Name}-&{Name}'\n  Fn::ForEach::Later:\n    - X\n    - !Ref Names\n    - ${X}T:\n        Type: AWS::SNS::Topic\n  Plain:\n    Type: AWS::S3::Bucket\n",
        )
        .unwrap();
        let mut diags = Vec::new();
        let out = expand(&root, Path::new("template.yaml"), &mut diags).unwrap();
        let keys: Vec<&str> = out
            .get("Resources")
            .unwrap()
            .entries()
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(keys, ["OrdersQueue", "Pay-mentsQueue", "Plain"]);
        let name = out
            .path("Resources.Pay-mentsQueue.Properties.QueueName")
            .unwrap();
        let Value::Tagged(_, inner) = &name.value else {
            panic!("{name:?}")
        };
        assert_eq!(inner.as_str(), Some("q-Pay-ments-Payments"));
        assert_eq!(diags.len(), 1);
        assert!(expand(
            &yaml::parse("Resources: {A: {Type: X}}\n").unwrap(),
            Path::new("t"),
            &mut diags
        )
        .is_none());
    }
}

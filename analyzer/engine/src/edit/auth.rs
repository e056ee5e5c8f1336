//! The recommended endpoint auth, written into the event: `authorizer: aws_iam` / `private: true`
//! (serverless.yml), `Auth.Authorizer: AWS_IAM` / `Auth.ApiKeyRequired: true` (SAM), merged into an
//! `Auth` the event already has (a value set to `NONE` or `false` is replaced, never repeated).

use super::doc::{Doc, Style};
use super::place::check_addable;
use super::render::{self, Item};
use crate::project::reader::ConfigDialect;
use crate::project::yaml::{Node, Value};
use crate::project::{Event, Function, Project};
use crate::report::AuthRecommendation;

pub fn write(
    project: &Project,
    doc: &mut Doc<'_>,
    recs: &[AuthRecommendation],
    notes: &mut Vec<String>,
) {
    let sam = crate::project::reader(project.framework).dialect() == Some(ConfigDialect::Template);
    for rec in recs
        .iter()
        .filter(|r| r.recommended != r.current && r.current == "none")
    {
        let Some(f) = project.functions.iter().find(|f| f.name == rec.function) else {
            continue;
        };
        let Some(ev) = f.events.iter().find(|e| e.description == rec.event) else {
            continue;
        };
        if f.location.file != project.config {
            continue;
        }
        let setting = match (sam, rec.recommended.as_str()) {
            (false, "aws_iam") => ("authorizer", Item::str("aws_iam")),
            (false, "api_key") => ("private", Item::boolean(true)),
            (true, "aws_iam") => ("Authorizer", Item::str("AWS_IAM")),
            (true, "api_key") => ("ApiKeyRequired", Item::boolean(true)),
            _ => continue,
        };
        let result = if sam {
            sam_event(doc, f, ev, setting)
        } else {
            serverless_event(doc, f, ev, setting)
        };
        if let Err(reason) = result {
            notes.push(format!(
                "{} of `{}`: the recommended `{}` is not written: {reason}",
                rec.event, rec.function, rec.recommended
            ));
        }
    }
}

/// Sets `key` in `map`: replaces a plain value it has, else adds the key.
fn set_key(doc: &mut Doc<'_>, map: &Node, key: &str, value: &Item) -> Result<(), String> {
    match map.get(key) {
        Some(v) if !matches!(v.value, Value::Map(_) | Value::Seq(_) | Value::Tagged(..)) => {
            if doc.shared(map) {
                return Err("the event belongs to an anchor that aliases copy elsewhere".into());
            }
            let (s, e) = doc.scalar_span(v).ok_or("a value the edit cannot locate")?;
            let text = if doc.json {
                render::json(value, 0, None)
            } else {
                render::flow(value)
            };
            doc.splice(s, e - s, text);
            Ok(())
        }
        Some(_) => Err(format!("`{key}` is already set to something else")),
        None => {
            check_addable(doc, map, key)?;
            doc.add_key(map, key, value)
        }
    }
}

fn serverless_event(
    doc: &mut Doc<'_>,
    f: &Function,
    ev: &Event,
    (key, value): (&str, Item),
) -> Result<(), String> {
    let body = ev.body.as_ref().ok_or("the event has no body")?;
    let item = doc
        .root
        .path("functions")
        .and_then(|fs| fs.get(&f.name))
        .and_then(|fnode| fnode.get("events"))
        .map(|e| e.items())
        .unwrap_or_default()
        .iter()
        .find(|i| i.line == ev.line && i.column == body.key_column)
        .cloned()
        .ok_or("the event is not written in this file")?;
    let target = item
        .get(&ev.kind)
        .cloned()
        .ok_or("the event is not written in this file")?;
    match &target.value {
        Value::Map(_) => set_key(doc, &target, key, &value),
        Value::Str(_) => {
            // `http: GET /x` becomes a map with the method, the path and the setting.
            if doc.shared(&item) {
                return Err("the event belongs to an anchor that aliases copy elsewhere".into());
            }
            let map = Item::map(vec![
                (
                    "method",
                    Item::str(&ev.method.clone().unwrap_or_default().to_lowercase()),
                ),
                ("path", Item::str(&ev.path.clone().unwrap_or_default())),
                (key, value),
            ]);
            let (s, e) = doc
                .scalar_span(&target)
                .ok_or("a value the edit cannot locate")?;
            match doc.style(&item) {
                Some(Style::Block(indent)) => {
                    let from = doc.text[..s].trim_end_matches(' ').len();
                    doc.splice(from, e - from, String::new());
                    let Item::Map(entries) = map else {
                        return Ok(());
                    };
                    doc.insert_lines(target.line, render::block_map(&entries, indent + 2));
                }
                _ => {
                    let text = if doc.json {
                        render::json(&map, 0, None)
                    } else {
                        render::flow(&map)
                    };
                    doc.splice(s, e - s, text);
                }
            }
            Ok(())
        }
        _ => Err("the event's settings are not a map".into()),
    }
}

fn sam_event(
    doc: &mut Doc<'_>,
    f: &Function,
    ev: &Event,
    (key, value): (&str, Item),
) -> Result<(), String> {
    let events = doc
        .root
        .path(&format!("Resources.{}.Properties.Events", f.logical_id))
        .cloned()
        .ok_or("the event is not written in this file")?;
    let entry = events
        .entries()
        .iter()
        .map(|(_, n)| n)
        .find(|n| n.line == ev.line)
        .ok_or("the event is not written in this file")?;
    let props = entry
        .get("Properties")
        .filter(|p| matches!(p.value, Value::Map(_)))
        .ok_or("the event has no `Properties` map")?
        .clone();
    match props.get("Auth") {
        Some(auth) if matches!(auth.value, Value::Map(_)) => {
            let auth = auth.clone();
            set_key(doc, &auth, key, &value)
        }
        Some(_) => Err("its `Auth` is not a map".into()),
        None => {
            check_addable(doc, &props, "Auth")?;
            doc.add_key(&props, "Auth", &Item::map(vec![(key, value)]))
        }
    }
}

//! Serverless Framework variables (`${self:...}`, `${sls:stage}`, `${opt:stage, 'dev'}`,
//! `${env:X, d}`, `${aws:region}`, nested variables) and CloudFormation intrinsics (`Ref`,
//! `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, long and short forms) turned into [`Template`]s.
//!
//! Values known in the file (`${self:...}`, literals) are substituted; values only the deploy knows
//! (stage, region, account, `${env:...}`, `${ssm:...}`, `${param:...}`) stay as variables so the
//! policy works on every stage.

use super::includes::{self, Includes};
use super::yaml::{Node, Value};
use rustc_hash::FxHashMap as HashMap;
use slz_core::diagnostics::{Diagnostic, Location};
use slz_core::value::{Part, Template};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};

/// Deepest chain of variables followed before giving up (cycles end here too).
const MAX_RESOLVE_DEPTH: usize = 32;

/// Most bytes of text one resolved value may hold; a longer one (variables that repeat variables
/// that repeat variables) is unknown, with a diagnostic.
pub const MAX_VALUE_BYTES: usize = 64 * 1024;

/// Most bytes of text the resolver copies out of resolved variables in a whole config; past this,
/// every further variable is unknown, with one diagnostic. Each variable is resolved once
/// (memoised by its path), so only uses are copied.
pub const MAX_COPIED_BYTES: usize = 64 << 20;

/// Sources the framework resolves at deploy time; kept as written.
const DEPLOY_SOURCES: &[&str] = &[
    "env",
    "param",
    "ssm",
    "cf",
    "s3",
    "file",
    "strToBool",
    "git",
    "sls",
    "aws",
    "opt",
    "construct",
    "terraform",
    "vault",
    "doppler",
];

pub struct Resolver<'a> {
    root: &'a Node,
    file: PathBuf,
    /// The files the config includes with `${file(...)}`, read beforehand.
    includes: &'a Includes,
    stack: RefCell<Vec<String>>,
    /// The dotted paths of the parts of the config left out by the parser.
    omitted: std::collections::BTreeSet<String>,
    /// `${self:path}` and `Fn::FindInMap` results by their key, each computed once.
    memo: RefCell<HashMap<String, Resolved<'a>>>,
    /// Bytes copied out of the memo so far, against [`MAX_COPIED_BYTES`].
    copied: Cell<usize>,
    pub diagnostics: RefCell<Vec<Diagnostic>>,
}

/// What a `${...}` expression resolved to: text, or a subtree of the config (borrowed, never
/// copied).
#[derive(Clone)]
enum Resolved<'a> {
    Text(Template),
    Node(&'a Node),
}

impl<'a> Resolver<'a> {
    pub fn new(root: &'a Node, file: PathBuf) -> Self {
        Resolver::with_includes(root, file, &includes::NONE)
    }

    /// A resolver that follows `${file(...)}` into `includes`.
    pub fn with_includes(root: &'a Node, file: PathBuf, includes: &'a Includes) -> Self {
        Resolver {
            root,
            file,
            includes,
            stack: RefCell::new(Vec::new()),
            omitted: {
                let mut out = std::collections::BTreeSet::new();
                omitted_paths(root, &mut String::new(), &mut out, 0);
                out
            },
            memo: RefCell::new(HashMap::default()),
            copied: Cell::new(0),
            diagnostics: RefCell::new(Vec::new()),
        }
    }

    /// Whether the subtree at the dotted `address` holds an omitted part.
    fn holds_omitted(&self, address: &str) -> bool {
        self.omitted.contains(address)
            || self
                .omitted
                .range(format!("{address}.")..)
                .next()
                .is_some_and(|p| {
                    p.starts_with(address) && p.as_bytes().get(address.len()) == Some(&b'.')
                })
    }

    /// A memoised result, charged to the copy budget; unknown once the budget is spent.
    fn recall(&self, key: &str, node: &Node) -> Option<Resolved<'a>> {
        let memo = self.memo.borrow();
        let hit = memo.get(key)?;
        let Resolved::Text(t) = hit else {
            return Some(hit.clone());
        };
        let copied = self.copied.get().saturating_add(t.text_len());
        if copied > MAX_COPIED_BYTES {
            let first = self.copied.get() <= MAX_COPIED_BYTES;
            self.copied.set(copied);
            drop(memo);
            if first {
                self.diag(
                    node,
                    "unresolved-variable",
                    format!("variables copy more than {} MiB of text in all; `{key}` and later uses are not resolved", MAX_COPIED_BYTES >> 20),
                );
            }
            return Some(Resolved::Text(Template::unknown(
                "the config's variables expand to too much text",
            )));
        }
        self.copied.set(copied);
        Some(Resolved::Text(t.clone()))
    }

    /// Cuts a value longer than [`MAX_VALUE_BYTES`] to an unknown one, with a diagnostic.
    fn bounded(&self, t: Template, what: &str, node: &Node) -> Template {
        if t.text_len() <= MAX_VALUE_BYTES {
            return t;
        }
        self.too_long(what, node)
    }

    fn too_long(&self, what: &str, node: &Node) -> Template {
        self.diag(
            node,
            "unresolved-variable",
            format!(
                "{what} expands to more than {} KiB of text; it is left unresolved",
                MAX_VALUE_BYTES >> 10
            ),
        );
        Template::unknown(format!("{what} expands to too much text"))
    }

    fn diag(&self, node: &Node, code: &'static str, message: String) {
        let loc = Location::new(self.file.clone(), node.line, node.column);
        self.diagnostics
            .borrow_mut()
            .push(Diagnostic::new(code, loc, message));
    }

    /// Resolves a node whose value is a whole variable (`environment: ${self:custom.env}`) to the
    /// node it names; other nodes are returned as they are.
    /// Borrowed when there is nothing to resolve, so that walking a large config copies nothing.
    pub fn deref<'n>(&self, node: &'n Node) -> Cow<'n, Node>
    where
        'a: 'n,
    {
        if let Value::Str(s) = &node.value {
            let t = s.trim();
            if t.starts_with("${") && find_close(t, 2) == Some(t.len() - 1) {
                if let Some(Resolved::Node(n)) = self.resolve_expr(&t[2..t.len() - 1], node, 0) {
                    return Cow::Borrowed(n);
                }
            }
        }
        Cow::Borrowed(node)
    }

    /// A config value as a template: strings with variables, CloudFormation intrinsics, scalars.
    pub fn template(&self, node: &Node) -> Template {
        self.template_at(node, 0)
    }

    fn template_at(&self, node: &Node, depth: usize) -> Template {
        if depth > MAX_RESOLVE_DEPTH {
            return Template::unknown("value nested too deeply");
        }
        match &node.value {
            Value::Str(s) => self.string(s, node, depth, false),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                Template::lit(node.scalar_text().unwrap_or_default())
            }
            Value::Null => Template::default(),
            Value::Omitted => {
                self.diag(
                    node,
                    "unresolved-variable",
                    "a value the config's reader left out (too deep or too large) is used"
                        .to_string(),
                );
                Template::unknown("a part of the config that was left out")
            }
            Value::Tagged(tag, inner) => self.intrinsic(tag, inner, node, depth),
            Value::Map(entries) if entries.len() == 1 => {
                let (k, v) = &entries[0];
                let tag = k.strip_prefix("Fn::").unwrap_or(k);
                if k == "Ref" || k.starts_with("Fn::") {
                    self.intrinsic(tag, v, node, depth)
                } else {
                    Template::unknown(format!("a map ({k}: ...) where a string was expected"))
                }
            }
            Value::Map(_) | Value::Seq(_) => {
                Template::unknown("a list or map where a string was expected")
            }
        }
    }

    fn intrinsic(&self, tag: &str, arg: &Node, node: &Node, depth: usize) -> Template {
        match tag {
            "Ref" => {
                let Some(name) = arg.as_str() else {
                    return self.malformed(node, "Ref", "a logical id or parameter name", arg);
                };
                let name = self.string(name, arg, depth + 1, false);
                match name.as_literal() {
                    Some(n) if n.starts_with("AWS::") => Template(vec![Part::Pseudo(n)]),
                    Some(n) => Template(vec![Part::Ref(n)]),
                    None => Template::unknown("Ref to a computed name"),
                }
            }
            "GetAtt" => {
                let (res, attr) = match &arg.value {
                    Value::Str(s) => match s.split_once('.') {
                        Some((a, b)) => (a.to_string(), b.to_string()),
                        None => (s.clone(), String::new()),
                    },
                    Value::Seq(items) if items.len() == 2 => (
                        self.template_at(&items[0], depth + 1).to_string(),
                        self.template_at(&items[1], depth + 1).to_string(),
                    ),
                    _ => {
                        return self.malformed(
                            node,
                            "Fn::GetAtt",
                            "`Resource.Attribute` or [resource, attribute]",
                            arg,
                        )
                    }
                };
                Template(vec![Part::GetAtt(res, attr)])
            }
            "Sub" => match &arg.value {
                Value::Str(s) => self.string(s, arg, depth + 1, true),
                Value::Seq(items)
                    if matches!(items.len(), 1 | 2)
                        && items[0].as_str().is_some()
                        && items
                            .get(1)
                            .is_none_or(|v| matches!(v.value, Value::Map(_))) =>
                {
                    let text = items[0].as_str().unwrap_or_default();
                    let vars = items.get(1);
                    let base = self.string(text, &items[0], depth + 1, true);
                    let mut out = Template::default();
                    for p in base.0 {
                        match &p {
                            Part::Ref(name) => match vars.and_then(|v| v.get(name)) {
                                Some(v) => out.extend(self.template_at(v, depth + 1)),
                                None => out.push(p),
                            },
                            _ => out.push(p),
                        }
                    }
                    out
                }
                _ => self.malformed(node, "Fn::Sub", "a string or [string, {variables}]", arg),
            },
            "Join" => {
                let items = arg.items();
                let expected = "[delimiter, [values]]";
                let [sep, list] = items else {
                    return self.malformed(node, "Fn::Join", expected, arg);
                };
                let Some(sep) = sep.scalar_text() else {
                    return self.malformed(node, "Fn::Join", expected, arg);
                };
                let list = self.deref(list);
                match &list.value {
                    Value::Seq(_) => {}
                    // A list given by another intrinsic (`!Ref SubnetIds`, `!Split`): deploy time.
                    Value::Map(_) | Value::Tagged(..) => {
                        return Template::unknown("Fn::Join of a list known at deploy time")
                    }
                    _ => return self.malformed(node, "Fn::Join", expected, arg),
                }
                let mut out = Template::default();
                for (i, item) in list.items().iter().enumerate() {
                    if i > 0 {
                        out.push(Part::Lit(sep.clone()));
                    }
                    out.extend(self.template_at(item, depth + 1));
                }
                out
            }
            "FindInMap" => {
                let items = arg.items();
                if items.len() < 3 {
                    return Template::unknown("malformed Fn::FindInMap");
                }
                let keys: Vec<Template> = items
                    .iter()
                    .map(|i| self.template_at(i, depth + 1))
                    .collect();
                let map = keys[0]
                    .as_literal()
                    .and_then(|m| self.root.path("Mappings").and_then(|ms| ms.get(&m)));
                let Some(map) = map else {
                    return Template::unknown("Fn::FindInMap names no mapping of the template");
                };
                let (Some(name), Some(second)) = (keys[0].as_literal(), keys[2].as_literal())
                else {
                    return Template::unknown("Fn::FindInMap keyed by a deploy-time value");
                };
                // A key known only at deploy time (`!Ref AWS::Region`) is `*`: the value when
                // every entry agrees, else unknown.
                let top = keys[1].as_literal();
                let key = format!(
                    "FindInMap:{name}\0{}\0{second}",
                    top.as_deref().unwrap_or("*")
                );
                if let Some(Resolved::Text(t)) = self.recall(&key, node) {
                    return t;
                }
                if self.stack.borrow().contains(&key) {
                    // Reported once, at the first entry found to loop.
                    let first = self
                        .memo
                        .borrow_mut()
                        .insert(format!("cycle:{key}"), Resolved::Text(Template::default()))
                        .is_none();
                    if first {
                        self.diag(
                            node,
                            "unresolved-variable",
                            format!(
                                "Fn::FindInMap cycle through {name}.{}.{second}",
                                top.as_deref().unwrap_or("*")
                            ),
                        );
                    }
                    return Template::unknown("Fn::FindInMap cycle");
                }
                self.stack.borrow_mut().push(key.clone());
                let out = match top {
                    Some(top) => match map.get(&top).and_then(|t| t.get(&second)) {
                        Some(v) => self.template_at(v, depth + 1),
                        None => Template::unknown(format!("no {top}.{second} in the mapping")),
                    },
                    None => {
                        let mut first: Option<Template> = None;
                        let mut agree = true;
                        for v in map.entries().iter().filter_map(|(_, t)| t.get(&second)) {
                            let v = self.template_at(v, depth + 1);
                            match &first {
                                None => first = Some(v),
                                Some(f) if *f != v => {
                                    agree = false;
                                    break;
                                }
                                Some(_) => {}
                            }
                        }
                        match first {
                            Some(f) if agree => f,
                            _ => Template::unknown("Fn::FindInMap keyed by a deploy-time value"),
                        }
                    }
                };
                self.stack.borrow_mut().pop();
                let out = self.bounded(out, "Fn::FindInMap", node);
                self.memo
                    .borrow_mut()
                    .insert(key, Resolved::Text(out.clone()));
                out
            }
            "Select" => {
                let items = arg.items();
                let index = items
                    .first()
                    .and_then(|i| self.template_at(i, depth + 1).as_literal())
                    .and_then(|i| i.parse::<usize>().ok());
                let list = items.get(1).map(|l| self.deref(l));
                match (index, list.as_ref().map(|l| l.items())) {
                    (Some(i), Some(list)) if i < list.len() => {
                        self.template_at(&list[i], depth + 1)
                    }
                    _ => Template::unknown("Fn::Select over a list known at deploy time"),
                }
            }
            "If" => {
                let items = arg.items();
                if items.len() != 3 {
                    return Template::unknown("malformed Fn::If");
                }
                let (a, b) = (
                    self.template_at(&items[1], depth + 1),
                    self.template_at(&items[2], depth + 1),
                );
                let cond = items[0].as_str().unwrap_or("a condition");
                if a == b {
                    a
                } else {
                    Template::unknown(format!("depends on the condition {cond}"))
                }
            }
            "ImportValue" | "Split" | "Base64" | "GetAZs" | "Cidr" => {
                Template::unknown(format!("Fn::{tag} is resolved at deploy time"))
            }
            other => {
                self.diag(
                    node,
                    "unresolved-variable",
                    format!("unknown CloudFormation intrinsic `{other}`"),
                );
                Template::unknown(format!("unknown intrinsic {other}"))
            }
        }
    }

    /// An intrinsic whose argument has the wrong shape (`Ref: [a, b]`, `Fn::Join: text`): diagnosed
    /// at its line and left unknown, never read as an empty or partial value.
    fn malformed(&self, node: &Node, name: &str, expected: &str, arg: &Node) -> Template {
        let got = match &arg.value {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) | Value::Tagged(..) => "a map or another intrinsic",
            Value::Omitted => "a part of the config that was omitted",
        };
        self.diag(
            node,
            "unresolved-variable",
            format!("malformed `{name}`: it takes {expected}, not {got}"),
        );
        Template::unknown(format!("malformed {name}"))
    }

    /// Resolves variables in a string. In `Fn::Sub` strings, `${Name}` and `${Name.Attr}` that are
    /// not Serverless variables become CloudFormation references.
    fn string(&self, s: &str, node: &Node, depth: usize, in_sub: bool) -> Template {
        let mut out = Template::default();
        let mut bytes = s.len();
        let mut rest = s;
        while let Some(start) = rest.find("${") {
            out.push(Part::Lit(rest[..start].to_string()));
            let Some(end) = find_close(rest, start + 2) else {
                out.push(Part::Lit(rest[start..].to_string()));
                return out;
            };
            let inner = &rest[start + 2..end];
            if in_sub && !is_serverless_expr(inner) {
                out.push(cfn_sub_part(inner));
            } else if is_serverless_expr(inner) {
                match self.resolve_expr(inner, node, depth + 1) {
                    Some(Resolved::Text(t)) => {
                        bytes = bytes.saturating_add(t.text_len());
                        out.extend(t);
                    }
                    Some(Resolved::Node(n)) => out.extend(self.template_at(n, depth + 1)),
                    None => out.push(Part::DeployVar(inner.to_string())),
                }
                if bytes > MAX_VALUE_BYTES {
                    return self.too_long(&format!("`{}`", short(s)), node);
                }
            } else {
                out.push(Part::Lit(rest[start..=end].to_string()));
            }
            rest = &rest[end + 1..];
        }
        out.push(Part::Lit(rest.to_string()));
        out
    }

    /// One `${...}` body: `source:address, fallback, ...`. None means "keep it as written".
    fn resolve_expr(&self, inner: &str, node: &Node, depth: usize) -> Option<Resolved<'a>> {
        if depth > MAX_RESOLVE_DEPTH {
            self.diag(
                node,
                "unresolved-variable",
                format!("variable chain too deep at ${{{inner}}}"),
            );
            return None;
        }
        let alternatives = split_top_level(inner);
        let first = alternatives.first()?.trim();
        let fallback = alternatives.get(1).map(|s| s.trim());
        // A nested variable in the address: resolve it first (`${self:custom.${sls:stage}}`).
        let first_owned;
        let first = if first.contains("${") {
            let t = self.string(first, node, depth + 1, false);
            first_owned = t.as_literal()?;
            first_owned.as_str()
        } else {
            first
        };
        let (source, address) = first.split_once(':').unwrap_or(("", first));
        match source {
            "self" => {
                let key = format!("self:{address}");
                if let Some(hit) = self.recall(&key, node) {
                    return Some(hit);
                }
                if self.stack.borrow().contains(&key) {
                    self.diag(
                        node,
                        "unresolved-variable",
                        format!("variable cycle through ${{{key}}}"),
                    );
                    return Some(Resolved::Text(Template::unknown(format!("cycle at {key}"))));
                }
                let root: &'a Node = self.root;
                let target = if address.is_empty() {
                    Some(root)
                } else {
                    root.path(address)
                };
                let target = match target {
                    Some(t) => t,
                    None if address == "service" => return None,
                    None => {
                        return match fallback {
                            Some(f) => self.fallback(f, node, depth),
                            None => {
                                self.diag(
                                    node,
                                    "unresolved-variable",
                                    format!("`${{{inner}}}`: no `{address}` in the file"),
                                );
                                Some(Resolved::Text(Template::unknown(format!(
                                    "${{{inner}}} is not set"
                                ))))
                            }
                        };
                    }
                };
                let target = if address == "service" {
                    target.get("name").unwrap_or(target)
                } else {
                    target
                };
                if !address.is_empty() && self.holds_omitted(address) {
                    self.diag(
                        node,
                        "unresolved-variable",
                        format!("`${{{key}}}` holds a part of the config that was left out (too deep or too large)"),
                    );
                    let out = Resolved::Text(Template::unknown(format!(
                        "${{{key}}} holds a part of the config that was left out"
                    )));
                    self.memo.borrow_mut().insert(key, out.clone());
                    return Some(out);
                }
                self.stack.borrow_mut().push(key.clone());
                let out = match &target.value {
                    Value::Str(_)
                    | Value::Int(_)
                    | Value::Float(_)
                    | Value::Bool(_)
                    | Value::Tagged(..) => Resolved::Text(self.template_at(target, depth + 1)),
                    Value::Map(e)
                        if e.len() == 1 && (e[0].0 == "Ref" || e[0].0.starts_with("Fn::")) =>
                    {
                        Resolved::Text(self.template_at(target, depth + 1))
                    }
                    _ => Resolved::Node(target),
                };
                self.stack.borrow_mut().pop();
                let out = match out {
                    Resolved::Text(t) => {
                        Resolved::Text(self.bounded(t, &format!("`${{{key}}}`"), node))
                    }
                    n => n,
                };
                self.memo.borrow_mut().insert(key, out.clone());
                Some(out)
            }
            "sls" if address == "stage" => Some(Resolved::Text(stage())),
            "opt" if address == "stage" => Some(Resolved::Text(stage())),
            "opt" if address == "region" => Some(Resolved::Text(Template(vec![Part::Pseudo(
                "AWS::Region".into(),
            )]))),
            "aws" if address == "region" => Some(Resolved::Text(Template(vec![Part::Pseudo(
                "AWS::Region".into(),
            )]))),
            "aws" if address == "accountId" => Some(Resolved::Text(Template(vec![Part::Pseudo(
                "AWS::AccountId".into(),
            )]))),
            _ if first.starts_with("file(") => {
                // `${file(../x.yml):key}`: the file was read beforehand ([`Includes`]); a path
                // that leaves the project is reported, not followed.
                let (path, key) = includes::file_argument(first)?;
                let base = self.file.parent().unwrap_or(Path::new(""));
                let Some(normal) = slz_core::fs::normalize(&base.join(path)) else {
                    self.diag(
                        node,
                        "path-outside-project",
                        format!("`${{{inner}}}` reads {path}, outside the project folder; it is not followed"),
                    );
                    return Some(Resolved::Text(Template::unknown(format!(
                        "{path} is outside the project"
                    ))));
                };
                let included: &'a Node = match self.includes.get(&normal) {
                    Some(Ok(doc)) => doc,
                    Some(Err(why)) => {
                        if let Some(f) = fallback {
                            return self.fallback(f, node, depth);
                        }
                        self.diag(
                            node,
                            "unresolved-variable",
                            format!("`${{{inner}}}`: {why}"),
                        );
                        return Some(Resolved::Text(Template::unknown(why.clone())));
                    }
                    // A path only the deploy knows (`${file(./${opt:stage}.yml)}`).
                    None => return None,
                };
                let target = match key {
                    Some(key) => included.path(key),
                    None => Some(included),
                };
                match (target, fallback) {
                    (Some(t), _) => Some(Resolved::Node(t)),
                    (None, Some(f)) => self.fallback(f, node, depth),
                    (None, None) => {
                        self.diag(
                            node,
                            "unresolved-variable",
                            format!("`${{{inner}}}`: {path} has no `{}`", key.unwrap_or("")),
                        );
                        Some(Resolved::Text(Template::unknown(format!(
                            "{path} has no such key"
                        ))))
                    }
                }
            }
            s if DEPLOY_SOURCES.contains(&s) => {
                // Deploy-time values: keep the variable, but a literal fallback for `opt:`
                // (command-line option) is the value most runs get.
                match (s, fallback) {
                    ("opt", Some(f)) => self.fallback(f, node, depth),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn fallback(&self, f: &str, node: &Node, depth: usize) -> Option<Resolved<'a>> {
        let f = f.trim();
        if let Some(q) = f.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
            return Some(Resolved::Text(Template::lit(q)));
        }
        if let Some(q) = f.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
            return Some(Resolved::Text(Template::lit(q)));
        }
        if f.starts_with("${") {
            return Some(Resolved::Text(self.string(f, node, depth + 1, false)));
        }
        if f.contains(':') {
            return self.resolve_expr(f, node, depth + 1);
        }
        Some(Resolved::Text(Template::lit(f)))
    }
}

/// Collects the dotted paths of the omitted nodes under `node` (at `path`).
fn omitted_paths(
    node: &Node,
    path: &mut String,
    out: &mut std::collections::BTreeSet<String>,
    depth: usize,
) {
    if depth > super::yaml::MAX_DEPTH + 1 {
        return;
    }
    let mut visit = |key: &str, child: &Node, path: &mut String| {
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
        omitted_paths(child, path, out, depth + 1);
        path.truncate(len);
    };
    match &node.value {
        Value::Omitted => {
            out.insert(path.clone());
        }
        Value::Map(entries) => {
            for (k, v) in entries {
                visit(k, v, path);
            }
        }
        Value::Seq(items) => {
            for (i, v) in items.iter().enumerate() {
                visit(&i.to_string(), v, path);
            }
        }
        Value::Tagged(_, inner) => omitted_paths(inner, path, out, depth),
        _ => {}
    }
}

/// The start of a long value, for a message.
fn short(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn stage() -> Template {
    Template(vec![Part::DeployVar("sls:stage".into())])
}

fn is_serverless_expr(inner: &str) -> bool {
    let head = inner.trim_start();
    match head.split_once(':') {
        Some((src, _)) => {
            src == "self" || DEPLOY_SOURCES.contains(&src) || src.starts_with("file(")
        }
        None => false,
    }
}

fn cfn_sub_part(inner: &str) -> Part {
    if let Some(lit) = inner.strip_prefix('!') {
        return Part::Lit(format!("${{{lit}}}"));
    }
    if inner.starts_with("AWS::") {
        return Part::Pseudo(inner.to_string());
    }
    match inner.split_once('.') {
        Some((r, a)) => Part::GetAtt(r.to_string(), a.to_string()),
        None => Part::Ref(inner.to_string()),
    }
}

/// Index of the `}` closing a `${` whose body starts at `from`, honouring nesting.
fn find_close(s: &str, from: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// Splits `a, b, ${c, d}` at top-level commas (not inside nested `${}` or quotes).
fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start, mut quote) = (0i32, 0usize, None::<u8>);
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'\'' | b'"') => quote = Some(b),
            (None, b'{') => depth += 1,
            (None, b'}') => depth -= 1,
            (None, b',') if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    fn resolve(doc: &str, path: &str) -> (String, Vec<Diagnostic>) {
        let root = parse(doc).unwrap();
        let r = Resolver::new(&root, "serverless.yml".into());
        let t = r.template(root.path(path).unwrap());
        let d = r.diagnostics.into_inner();
        (t.to_string(), d)
    }

    #[test]
    fn self_references_and_stage() {
        let doc = "service: todo\nprovider:\n  stage: ${opt:stage, 'dev'}\n  environment:\n    T: ${self:service}-${sls:stage}\n    U: ${self:service}-${opt:stage, self:provider.stage}\n";
        assert_eq!(
            resolve(doc, "provider.environment.T").0,
            "todo-${sls:stage}"
        );
        assert_eq!(
            resolve(doc, "provider.environment.U").0,
            "todo-${sls:stage}"
        );
    }

    #[test]
    fn custom_and_nested() {
        let doc = "service: {name: svc}\ncustom:\n  tableName: 'users-table-${sls:stage}'\n  dev: {bucket: b-dev}\n  stage: dev\nx: ${self:custom.tableName}\ny: ${self:custom.${self:custom.stage}.bucket}\nz: ${self:service}\n";
        assert_eq!(resolve(doc, "x").0, "users-table-${sls:stage}");
        assert_eq!(resolve(doc, "y").0, "b-dev");
        assert_eq!(resolve(doc, "z").0, "svc");
    }

    #[test]
    fn env_defaults_and_deploy_vars() {
        let doc = "a: ${env:BUCKET, 'fallback'}\nb: ${aws:region}-${aws:accountId}\nc: ${ssm:/x/y}\nd: ${opt:foo, 'bar'}\n";
        assert_eq!(resolve(doc, "a").0, "${env:BUCKET, 'fallback'}");
        assert_eq!(resolve(doc, "b").0, "${AWS::Region}-${AWS::AccountId}");
        assert_eq!(resolve(doc, "c").0, "${ssm:/x/y}");
        assert_eq!(resolve(doc, "d").0, "bar");
    }

    #[test]
    fn cloudformation_intrinsics_long_and_short() {
        let doc = "a: !Ref Table\nb: {Ref: Table}\nc: !GetAtt Table.Arn\nd: {'Fn::GetAtt': [Q, QueueName]}\ne: !Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'\nf: {'Fn::Join': ['', ['arn:aws:s3:::', {Ref: B}, '/*']]}\ng: !Sub ['${Name}-x', {Name: !Ref T}]\n";
        assert_eq!(resolve(doc, "a").0, "${Table}");
        assert_eq!(resolve(doc, "b").0, "${Table}");
        assert_eq!(resolve(doc, "c").0, "${Table.Arn}");
        assert_eq!(resolve(doc, "d").0, "${Q.QueueName}");
        assert_eq!(
            resolve(doc, "e").0,
            "arn:${AWS::Partition}:s3:::${Bucket}/*"
        );
        assert_eq!(resolve(doc, "f").0, "arn:aws:s3:::${B}/*");
        assert_eq!(resolve(doc, "g").0, "${T}-x");
    }

    #[test]
    fn mappings_select_and_if() {
        let doc = "Mappings:\n  Env:\n    us-east-1: {Bucket: b-east, Same: s}\n    eu-west-1: {Bucket: b-west, Same: s}\na: !FindInMap [Env, us-east-1, Bucket]\nb: !FindInMap [Env, !Ref 'AWS::Region', Same]\nc: !FindInMap [Env, !Ref 'AWS::Region', Bucket]\nd: !Select [1, [x, y, z]]\ne: !If [IsProd, p, q]\nf: !If [IsProd, same, same]\n";
        assert_eq!(resolve(doc, "a").0, "b-east");
        assert_eq!(resolve(doc, "b").0, "s");
        assert_eq!(resolve(doc, "c").0, "*");
        assert_eq!(resolve(doc, "d").0, "y");
        assert_eq!(resolve(doc, "e").0, "*");
        assert_eq!(resolve(doc, "f").0, "same");
    }

    #[test]
    fn unknown_intrinsics_are_diagnosed_at_their_line() {
        let (t, d) = resolve("a: x\nb: !Frobnicate [1]\n", "b");
        assert_eq!(t, "*");
        assert_eq!((d[0].code, d[0].location.line), ("unresolved-variable", 2));
    }

    #[test]
    fn cycles_and_missing_keys_are_diagnosed() {
        let (_, d) = resolve("a: ${self:b}\nb: ${self:a}\n", "a");
        assert!(d.iter().any(|d| d.message.contains("cycle")), "{d:?}");
        let (t, d) = resolve("a: ${self:custom.nope}\n", "a");
        assert_eq!(t, "*");
        assert_eq!(d[0].location.line, 1);
    }
    #[test]
    fn mappings_that_look_themselves_up_end() {
        let mut doc = String::from("Mappings:\n  M:\n");
        for e in 0..12 {
            doc += &format!("    e{e}: {{k: !FindInMap [M, !Ref 'AWS::Region', k]}}\n");
        }
        doc += "a: !FindInMap [M, !Ref 'AWS::Region', k]\nb: !FindInMap [M, e1, k]\n";
        let (t, d) = resolve(&doc, "a");
        assert_eq!(t, "*");
        assert!(
            d.iter()
                .any(|d| d.message.contains("cycle") && d.location.line == 3),
            "{d:?}"
        );
        assert_eq!(resolve(&doc, "b").0, "*");
    }

    #[test]
    fn variables_are_resolved_once_and_bounded() {
        // Ten uses per level over nine levels: 10^9 copies of `x` once expanded.
        let mut doc = String::from("custom:\n  l0: x\n");
        for l in 1..10 {
            let uses = format!("${{self:custom.l{}}}", l - 1).repeat(10);
            doc += &format!("  l{l}: '{uses}'\n");
        }
        doc += "a: ${self:custom.l9}\nb: ${self:custom.l3}\n";
        let (t, d) = resolve(&doc, "a");
        assert_eq!(t, "*");
        assert!(d.iter().any(|d| d.message.contains("KiB of text")), "{d:?}");
        assert_eq!(resolve(&doc, "b").0, "x".repeat(1000));
        // A subtree named by a variable is borrowed, not copied.
        let root = parse("custom:\n  env: {A: '1'}\nx: ${self:custom.env}\n").unwrap();
        let r = Resolver::new(&root, "serverless.yml".into());
        let env = r.deref(root.get("x").unwrap());
        assert!(std::ptr::eq(env.as_ref(), root.path("custom.env").unwrap()));
    }

    #[test]
    fn variables_naming_an_omitted_part_are_unresolved() {
        let deep = "- ".repeat(300) + "z";
        let source = format!("custom:\n  deep:\n    {deep}\n  ok: fine\na: ${{self:custom.deep}}\nb: ${{self:custom}}\nc: ${{self:custom.ok}}\n");
        let root = crate::yaml::parse_document(&source).unwrap().root;
        let r = Resolver::new(&root, "serverless.yml".into());
        assert_eq!(r.template(root.get("a").unwrap()).to_string(), "*");
        assert_eq!(r.template(root.get("c").unwrap()).to_string(), "fine");
        assert_eq!(
            r.deref(root.get("b").unwrap()).as_str(),
            Some("${self:custom}")
        );
        let d = r.diagnostics.into_inner();
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d
            .iter()
            .all(|d| d.code == "unresolved-variable" && d.location.line >= 5));
    }
}

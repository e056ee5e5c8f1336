//! The call graph between the project's functions, and the auth recommendations it implies.
//!
//! An edge is a permission one function's code uses whose resource is what another function is
//! triggered by: `lambda:InvokeFunction` on its name, `sqs:SendMessage` on its queue,
//! `sns:Publish` on its topic, `events:PutEvents` on its bus with an entry its rule pattern
//! matches, `kinesis:PutRecord(s)` on its stream, DynamoDB writes on the table of its stream,
//! `s3:PutObject` on its bucket. Resources are compared by their keys: the template logical ids
//! they name, the physical names those resources declare, and the literal name an ARN ends with.
//! Which actions start which edges is data: `rules/events.toml`.

use crate::catalog::events::InvocationTarget;
use crate::diagnostics::{Diagnostic, Location};
use crate::interp::{describe, Found, HttpCall, Val};
use crate::project::{event_source_kind, Function, Project};
use crate::report::{AuthRecommendation, Edge};
use crate::resolve::{extract, Grant};
use crate::value::{Part, Template};
use std::collections::BTreeSet;

/// What one function's analysis produced, for the graph.
pub struct FunctionFacts<'a> {
    pub name: &'a str,
    pub grants: &'a [(Grant, Location)],
    pub found: &'a [Found],
}

/// The names a resource template can be recognised by.
fn keys(t: &Template, project: &Project) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in &t.0 {
        match p {
            Part::Ref(id) | Part::GetAtt(id, _) => {
                out.insert(id.clone());
                if let Some(name) = project.resource(id).and_then(|r| r.physical_name.as_ref()) {
                    out.insert(name.to_string());
                }
            }
            Part::DeployVar(v) if v.starts_with("construct:") => {
                out.insert(v.split('.').next().unwrap_or(v).to_string());
            }
            _ => {}
        }
    }
    let text = t.to_string();
    let text = text.trim_end_matches("/*").trim_end_matches('*');
    if let Some(bucket) = text.strip_prefix("arn:aws:s3:::") {
        out.insert(bucket.split('/').next().unwrap_or("").to_string());
    } else {
        out.insert(last_segment(text).to_string());
    }
    out.retain(|k| !k.is_empty() && !k.contains('*'));
    out
}

/// What follows the last `:` or `/` that is not inside a `${...}`.
fn last_segment(text: &str) -> &str {
    let mut depth = 0usize;
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && bytes[i - 1] == b'$' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' | b'/' if depth == 0 => start = i + 1,
            _ => {}
        }
    }
    &text[start..]
}

/// The `Source` / `DetailType` pairs of the PutEvents calls at `location`.
fn put_events_entries(
    found: &[Found],
    location: &Location,
) -> Vec<(Option<String>, Option<String>)> {
    found
        .iter()
        .filter(|f| f.location == *location && f.op.operation == "PutEvents")
        .flat_map(|f| {
            let sources = extract(&f.op.input, "Entries[].Source");
            let types = extract(&f.op.input, "Entries[].DetailType");
            let n = sources.len().max(types.len()).max(1);
            (0..n)
                .map(|i| {
                    (
                        sources.get(i).and_then(Template::as_literal),
                        types.get(i).and_then(Template::as_literal),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn pattern_matches(values: &[String], value: &Option<String>) -> bool {
    match value {
        Some(v) if !values.is_empty() => values.contains(v),
        _ => true,
    }
}

pub fn edges(project: &Project, facts: &[FunctionFacts<'_>]) -> Vec<Edge> {
    let mut out = Vec::new();
    // Computed once: functions by deployed name and logical id, and each event source's keys.
    let mut by_deployed: rustc_hash::FxHashMap<String, Vec<&Function>> = Default::default();
    let mut by_logical: rustc_hash::FxHashMap<&str, Vec<&Function>> = Default::default();
    for f in &project.functions {
        by_deployed
            .entry(f.deployed_name.to_string())
            .or_default()
            .push(f);
        by_logical.entry(f.logical_id.as_str()).or_default().push(f);
    }
    let sources: Vec<(&Function, &crate::project::Event, &str, BTreeSet<String>)> = project
        .functions
        .iter()
        .flat_map(|t| t.events.iter().map(move |ev| (t, ev)))
        .filter_map(|(t, ev)| {
            let kind = event_source_kind(&ev.kind, ev.source.as_ref())?;
            Some((t, ev, kind, keys(ev.source.as_ref()?, project)))
        })
        .collect();
    let events = &crate::catalog::catalog().events;
    for from in facts {
        for (g, loc) in from.grants {
            let edge = |to: &Function, kind: &str| Edge {
                from: from.name.to_string(),
                to: to.name.clone(),
                via: kind.to_string(),
                file: loc.file.clone(),
                line: loc.line,
            };
            let invocation = events.invocation(&g.action);
            if let Some((via, _)) =
                invocation.filter(|(_, i)| i.target == InvocationTarget::Function)
            {
                let text = g.resource.to_string();
                let by_name = text
                    .rfind(":function:")
                    // `function:name`, or `function:name:qualifier` (a version or an alias).
                    .and_then(|i| {
                        let rest = &text[i + ":function:".len()..];
                        by_deployed.get(rest).or_else(|| {
                            let (name, qualifier) = rest.rsplit_once(':')?;
                            // Not the inside of a `${sls:stage}`-style variable.
                            (!qualifier.contains('}'))
                                .then(|| by_deployed.get(name))
                                .flatten()
                        })
                    });
                let by_ref = g.resource.0.iter().filter_map(|p| match p {
                    Part::Ref(r) | Part::GetAtt(r, _) => by_logical.get(r.as_str()),
                    _ => None,
                });
                let mut targets: Vec<&Function> = by_name
                    .into_iter()
                    .chain(by_ref)
                    .flatten()
                    .copied()
                    .collect();
                targets.sort_by(|a, b| a.name.cmp(&b.name));
                targets.dedup_by(|a, b| a.name == b.name);
                for target in targets {
                    out.push(edge(target, via));
                }
                continue;
            }
            if let Some((via, i)) =
                invocation.filter(|(_, i)| i.target == InvocationTarget::StateMachine)
            {
                let granted = keys(&g.resource, project);
                for machine in project
                    .resources
                    .values()
                    .filter(|r| i.resource_types.contains(&r.resource_type))
                {
                    let named = granted.contains(&machine.logical_id)
                        || machine
                            .physical_name
                            .as_ref()
                            .is_some_and(|n| granted.contains(&n.to_string()));
                    if !named {
                        continue;
                    }
                    for target in project.functions.iter().filter(|t| {
                        machine
                            .mentions
                            .iter()
                            .any(|m| *m == t.logical_id || *m == t.name)
                    }) {
                        out.push(edge(target, via));
                    }
                }
                continue;
            }
            let Some(kind) = events.triggered_source(&g.action) else {
                continue;
            };
            let granted = keys(&g.resource, project);
            if granted.is_empty() {
                continue;
            }
            for (target, ev, source_kind, source_keys) in &sources {
                if *source_kind != kind || source_keys.is_disjoint(&granted) {
                    continue;
                }
                if kind == "eventbridge" {
                    let entries = put_events_entries(from.found, loc);
                    let matched = entries.is_empty()
                        || entries.iter().any(|(s, d)| {
                            pattern_matches(&ev.pattern_sources, s)
                                && pattern_matches(&ev.pattern_detail_types, d)
                        });
                    if !matched {
                        continue;
                    }
                }
                out.push(edge(target, kind));
            }
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.from == b.from && a.to == b.to && a.via == b.via);
    out
}

const WRITES: &[&str] = &["POST", "PUT", "PATCH", "DELETE", "ANY", "*"];

/// One recommendation per API endpoint: keep what the endpoint has unless the graph calls for more
/// (only sibling functions call it, signed: `aws_iam`; with an API key: `api_key`), and say when a
/// public endpoint changes state.
pub fn auth(project: &Project, edges: &[Edge]) -> Vec<AuthRecommendation> {
    let mut out = Vec::new();
    // HTTP calls by the function they reach.
    let mut http_in: rustc_hash::FxHashMap<&str, Vec<&Edge>> = Default::default();
    for e in edges.iter().filter(|e| e.via.starts_with("http")) {
        http_in.entry(e.to.as_str()).or_default().push(e);
    }
    for f in &project.functions {
        for ev in f.events.iter().filter(|e| e.auth.is_some()) {
            let current = ev.auth.clone().unwrap_or_else(|| "none".into());
            let inbound: Vec<&Edge> = http_in.get(f.name.as_str()).cloned().unwrap_or_default();
            let method = ev.method.clone().unwrap_or_default();
            let (recommended, reason) = if !inbound.is_empty()
                && inbound.iter().all(|e| e.via == "http-sigv4")
            {
                let callers: Vec<&str> = inbound.iter().map(|e| e.from.as_str()).collect();
                (
                    "aws_iam".to_string(),
                    format!(
                        "called only by {} with SigV4-signed requests",
                        callers.join(", ")
                    ),
                )
            } else if inbound.iter().any(|e| e.via == "http-api-key")
                && ev.kind.eq_ignore_ascii_case("httpapi")
            {
                (
                    "aws_iam".to_string(),
                    "called with an x-api-key header, but HTTP APIs have no API keys: the header is ignored and the endpoint is open; sign the callers' requests (SigV4) and use aws_iam, or add a JWT or Lambda authorizer"
                        .to_string(),
                )
            } else if inbound.iter().any(|e| e.via == "http-api-key") {
                (
                    "api_key".to_string(),
                    "called with an x-api-key header: mark it private with a usage plan; API keys identify and throttle clients, they do not authenticate"
                        .to_string(),
                )
            } else if current == "none" && WRITES.contains(&method.as_str()) {
                ("none".to_string(), format!("public endpoint that changes state ({method}) with no authorizer: anyone can call it"))
            } else if current == "none" {
                ("none".to_string(), "public read-only endpoint".to_string())
            } else if let Some(authorizer) = current.strip_prefix("custom:") {
                (
                    current.clone(),
                    format!(
                        "custom authorizer `{authorizer}`: API Gateway invokes it through the resource-based permission the framework adds (lambda:InvokeFunction for apigateway.amazonaws.com); no role needs it"
                    ),
                )
            } else {
                (current.clone(), "authenticated as configured".to_string())
            };
            out.push(AuthRecommendation {
                function: f.name.clone(),
                event: ev.description.clone(),
                current,
                recommended,
                reason,
            });
        }
    }
    out.sort();
    out
}

/// A template from `Fn::Sub`-style text: `${AWS::X}` pseudo parameters, `${a:b}` deploy variables,
/// `${R.A}` attributes, `${R}` references.
fn template_from_sub(text: &str) -> Template {
    Template::substitute(text, |inner| {
        Template(vec![if inner.starts_with("AWS::") {
            Part::Pseudo(inner.to_string())
        } else if inner.contains(':') {
            Part::DeployVar(inner.to_string())
        } else if let Some((r, a)) = inner.split_once('.') {
            Part::GetAtt(r.to_string(), a.to_string())
        } else {
            Part::Ref(inner.to_string())
        }])
    })
}

/// An API Gateway URL of the project: (API id, stage, path).
fn api_url(url: &Template) -> Option<(String, String, String)> {
    let text = url.to_string();
    let host_start = text.find("://").map(|i| i + 3)?;
    let rest = &text[host_start..];
    let api_end = rest.find(".execute-api.")?;
    let api = rest[..api_end].to_string();
    let after_host = rest
        .find("amazonaws.com")
        .map(|i| &rest[i + "amazonaws.com".len()..])
        .unwrap_or("");
    let after_host = after_host
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_start_matches('/');
    let (stage, path) = match after_host.split_once('/') {
        Some((stage, path)) => (stage.to_string(), format!("/{path}")),
        None => (after_host.to_string(), "/".to_string()),
    };
    Some((api, stage, path))
}

/// One API route of the project, split once.
struct Route<'p> {
    function: usize,
    method: &'p str,
    /// The path's segments (`/prices/{region}` -> `prices`, `{region}`).
    segments: Vec<&'p str>,
    /// `*` or a `{proxy+}` path: matches every path.
    catch_all: bool,
    /// An HTTP API route (served at the `$default` stage, without a stage segment).
    http_api: bool,
}

/// The project's API routes, indexed by their first literal segment, so that matching a call does
/// not scan every endpoint of a large project.
struct Endpoints<'p> {
    routes: Vec<Route<'p>>,
    by_first: rustc_hash::FxHashMap<&'p str, Vec<usize>>,
    /// Routes whose first segment is a parameter, or that match every path.
    general: Vec<usize>,
}

fn segments(path: &str) -> Vec<&str> {
    path.trim_matches('/').split('/').collect()
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

impl<'p> Endpoints<'p> {
    fn new(project: &'p Project) -> Self {
        let mut e = Endpoints {
            routes: Vec::new(),
            by_first: Default::default(),
            general: Vec::new(),
        };
        for (fi, f) in project.functions.iter().enumerate() {
            for ev in &f.events {
                let (Some(method), Some(path)) = (ev.method.as_deref(), ev.path.as_deref()) else {
                    continue;
                };
                let route = Route {
                    function: fi,
                    method,
                    segments: segments(path),
                    catch_all: path == "*" || path.contains("{proxy+}"),
                    http_api: ev.kind.eq_ignore_ascii_case("httpapi"),
                };
                let index = e.routes.len();
                match route.segments.first() {
                    Some(first) if !route.catch_all && !is_param(first) => {
                        e.by_first.entry(first).or_default().push(index);
                    }
                    _ => e.general.push(index),
                }
                e.routes.push(route);
            }
        }
        e
    }

    /// The functions (indexes, in project order) whose routes an HTTP call reaches.
    fn targets(&self, call: &HttpCall) -> Vec<usize> {
        let Some((_, stage, path)) = api_url(&call.url) else {
            return Vec::new();
        };
        // An HTTP API's `$default` stage has no path segment: there the whole path is the route.
        let whole = if path == "/" {
            format!("/{stage}")
        } else {
            format!("/{stage}{path}")
        };
        let mut found = BTreeSet::new();
        for (candidate, http_api_only) in [(path.as_str(), false), (whole.as_str(), true)] {
            let segs = segments(candidate);
            let first = segs.first().copied().unwrap_or("");
            let all: Vec<usize>;
            let candidates: &[usize] = if first.contains('*') {
                all = (0..self.routes.len()).collect();
                &all
            } else {
                self.by_first.get(first).map_or(&[], Vec::as_slice)
            };
            for &ri in candidates.iter().chain(&self.general) {
                let r = &self.routes[ri];
                let method_ok = r.method == call.method || r.method == "ANY" || r.method == "*";
                if method_ok
                    && (!http_api_only || r.http_api)
                    && (r.catch_all
                        || (r.segments.len() == segs.len()
                            && r.segments
                                .iter()
                                .zip(&segs)
                                .all(|(p, s)| p == s || is_param(p) || s.contains('*'))))
                {
                    found.insert(r.function);
                }
            }
        }
        found.into_iter().collect()
    }
}

/// `execute-api:Invoke` for a SigV4-signed request, on exactly the method it calls.
pub fn http_grant(call: &HttpCall, diagnostics: &mut Vec<Diagnostic>) -> Option<(Grant, Location)> {
    if !call.signed {
        return None;
    }
    let resource = match api_url(&call.url) {
        Some((api, stage, path)) => {
            let text = format!(
                "arn:aws:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:{api}/{stage}/{}{path}",
                call.method
            );
            template_from_sub(&text)
        }
        None => {
            diagnostics.push(Diagnostic::new(
                "unresolved-resource",
                call.location.clone(),
                format!(
                    "execute-api:Invoke for a SigV4-signed {} request: the URL `{}` is not an API Gateway URL known statically; widened to every API",
                    call.method, call.url
                ),
            ));
            template_from_sub("arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:*")
        }
    };
    let grant = Grant {
        action: "execute-api:Invoke".into(),
        resource,
        reason: format!("SigV4-signed HTTP {}", call.method),
        failure_path: false,
    };
    Some((grant, call.location.clone()))
}

/// Edges for HTTP calls to the project's own API.
pub fn http_edges(project: &Project, calls: &[(&str, &[HttpCall])]) -> Vec<Edge> {
    let mut out = Vec::new();
    let endpoints = Endpoints::new(project);
    for (from, list) in calls {
        for call in *list {
            let via = if call.signed {
                "http-sigv4"
            } else if call.api_key {
                "http-api-key"
            } else {
                "http"
            };
            for to in endpoints.targets(call) {
                out.push(Edge {
                    from: from.to_string(),
                    to: project.functions[to].name.clone(),
                    via: via.to_string(),
                    file: call.location.file.clone(),
                    line: call.location.line,
                });
            }
        }
    }
    out
}

/// Checks the policies a custom authorizer returns, when `f` is one: always `Allow`, `Effect`
/// taken from the request, `Resource: "*"`, or exactly `methodArn` while results are cached.
pub fn authorizer_checks(
    project: &Project,
    f: &Function,
    policies: &[(Val, Location)],
) -> Vec<Diagnostic> {
    // Most functions return no policy document: skip the scan of every event for them.
    if policies.is_empty() {
        return Vec::new();
    }
    let uses: Vec<Option<u32>> = project
        .functions
        .iter()
        .flat_map(|g| g.events.iter())
        .filter(|e| {
            e.auth.as_deref().and_then(|a| a.strip_prefix("custom:")) == Some(f.name.as_str())
        })
        .map(|e| e.authorizer_ttl)
        .collect();
    if uses.is_empty() || policies.is_empty() {
        return Vec::new();
    }
    let ttl = uses.iter().flatten().copied().max().unwrap_or(0);
    let mut out = Vec::new();
    let mut effects = Vec::new();
    for (policy, loc) in policies {
        let statements = match policy
            .field("policyDocument")
            .and_then(|d| d.field("Statement"))
        {
            Some(Val::Array(items)) => items.clone(),
            Some(other) => vec![other.clone()],
            None => Vec::new(),
        };
        for st in statements {
            let effect = st
                .field("Effect")
                .cloned()
                .unwrap_or(Val::Unknown("no Effect".into()));
            if let Val::Unknown(why) = &effect {
                if why.contains("the event") {
                    out.push(Diagnostic::new(
                        "authorizer-effect-from-input",
                        loc.clone(),
                        format!("authorizer `{}` takes its policy Effect from the request ({why}) without validating it", f.name),
                    ));
                }
            }
            effects.push(effect.as_template().as_literal());
            for r in match st.field("Resource") {
                Some(Val::Array(items)) => items.clone(),
                Some(v) => vec![v.clone()],
                None => Vec::new(),
            } {
                let text = r.as_template();
                if text.as_literal().as_deref() == Some("*") {
                    out.push(Diagnostic::new(
                        "authorizer-policy-too-broad",
                        loc.clone(),
                        format!("authorizer `{}` allows `*`: every API and method in the account, not only this API", f.name),
                    ));
                } else if ttl > 0 && describe(&r).contains("methodArn") && text.is_fully_unknown() {
                    out.push(Diagnostic::new(
                        "authorizer-policy-too-narrow",
                        loc.clone(),
                        format!(
                            "authorizer `{}` allows only the requested methodArn, but results are cached for {ttl}s and reused for the caller's other methods, which are then denied",
                            f.name
                        ),
                    ));
                }
            }
        }
    }
    if !effects.is_empty() && effects.iter().all(|e| e.as_deref() == Some("Allow")) {
        if let Some((_, loc)) = policies.first() {
            out.push(Diagnostic::new(
                "authorizer-always-allows",
                loc.clone(),
                format!(
                    "authorizer `{}` only ever returns Allow: it does not check the caller",
                    f.name
                ),
            ));
        }
    }
    out
}

/// Unsigned HTTP calls to endpoints that require `aws_iam`.
pub fn unsigned_calls(project: &Project, edges: &[Edge]) -> Vec<Diagnostic> {
    edges
        .iter()
        .filter(|e| e.via == "http" || e.via == "http-api-key")
        .filter(|e| {
            project
                .functions
                .iter()
                .any(|f| f.name == e.to && f.events.iter().any(|ev| ev.auth.as_deref() == Some("aws_iam")))
        })
        .map(|e| {
            Diagnostic::new(
                "unsigned-call",
                Location::new(e.file.clone(), e.line, 1),
                format!("`{}` calls `{}`, which requires AWS_IAM, without signing the request; it will be denied", e.from, e.to),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::MemFs;
    use std::path::Path;

    /// A SAM HTTP API serves its routes at the `$default` stage: the URL has no stage segment.
    /// An API key sent to it does nothing (HTTP APIs have none), so the endpoint needs real auth.
    #[test]
    fn http_api_routes_without_a_stage_and_api_keys_that_do_nothing() {
        let template = "Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    Environment:
      Variables:
        PRICES_URL: !Sub https://${ServerlessHttpApi}.execute-api.${AWS::Region}.amazonaws.com/prices/eu
Resources:
  Front:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: front.handler
  Prices:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: prices.handler
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /prices/{region}
            Method: get
";
        let project = crate::project::read_yaml_config(template, Path::new("template.yaml"));
        let fs = MemFs::new([
            (
                "src/front.js",
                "exports.handler = async () => fetch(process.env.PRICES_URL, { headers: { 'x-api-key': process.env.KEY } });\n",
            ),
            ("src/prices.js", "exports.handler = async () => ({});\n"),
        ]);
        let report = crate::analyze(&project, &fs);
        let edges: Vec<_> = report
            .edges
            .iter()
            .map(|e| (e.from.as_str(), e.to.as_str(), e.via.as_str()))
            .collect();
        assert_eq!(edges, [("Front", "Prices", "http-api-key")]);
        let prices = report.auth.iter().find(|a| a.function == "Prices").unwrap();
        assert_eq!(prices.recommended, "aws_iam");
        assert!(
            prices.reason.contains("HTTP APIs have no API keys"),
            "{}",
            prices.reason
        );
    }
}

//! Reads `serverless.yml` (Serverless Framework v3 and v4) into a [`Project`]: service, provider
//! environment and IAM statements (`iam.role.statements`, legacy `iamRoleStatements`), functions
//! (handler, environment, events, per-function `iam.role.statements` and the per-function-roles
//! plugin's `iamRoleStatements`), and `resources.Resources`.

pub mod reader;

use slz_core::diagnostics::{Diagnostic, Location};
use slz_core::value::{Part, Template};
use slz_project::includes::Includes;
use slz_project::variables::Resolver;
use slz_project::yaml::{Node, Value};
use slz_project::Code;
use slz_project::{
    split_handler, DeclaredStatement, Destination, Event, Framework, Function, Project, Resource,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Parses `source` (the text of `config`, a path relative to the project root).
pub fn read(source: &str, config: &Path) -> Project {
    let mut project = Project::new(Framework::Serverless, config);
    match project.parse_yaml(source) {
        Some(root) => from_tree(project, &root),
        None => project,
    }
}

/// A function's `image:`: a name of `provider.ecr.images` (built from its `path`, with `file` as
/// the Dockerfile), or a prebuilt image's URI (no source), with the `command` that overrides the
/// image's `CMD`.
fn image_code(r: &Resolver<'_>, provider: Option<&Node>, image: &Node, base: &Path) -> Code {
    let (name, cmd) = match &image.value {
        Value::Map(_) => (
            image.get("name").and_then(|n| n.scalar_text()),
            image
                .get("command")
                .map(|c| {
                    r.deref(c)
                        .items()
                        .iter()
                        .map(|i| r.template(i).to_string())
                        .collect()
                })
                .unwrap_or_default(),
        ),
        _ => (image.scalar_text(), Vec::new()),
    };
    let built = name.and_then(|n| provider?.path("ecr.images")?.get(&n).map(|b| r.deref(b)));
    let (context, dockerfile) = match built.as_deref().map(|b| (b, &b.value)) {
        Some((b, Value::Map(_))) => (
            b.get("path")
                .and_then(|p| p.scalar_text())
                .map(|p| base.join(p)),
            b.get("file")
                .and_then(|f| f.scalar_text())
                .map(PathBuf::from),
        ),
        // `images: { name: <uri> }`, or no such name: an image built elsewhere.
        _ => (None, None),
    };
    Code::Image {
        context,
        dockerfile,
        cmd,
    }
}

/// The template resources of `resources`: `resources.Resources`, or the `Resources` of each
/// item when `resources` is a list (of objects or `${file(...)}` includes, merged in order as the
/// framework merges them); each resource and each level may be a variable or an include.
fn template_resources(r: &Resolver<'_>, root: &Node) -> Node {
    let mut merged: Vec<(String, Node)> = Vec::new();
    let mut add = |part: &Node| {
        let part = r.deref(part);
        let Some(resources) = part.get("Resources") else {
            return;
        };
        for (id, node) in r.deref(resources).entries() {
            let node = r.deref(node).into_owned();
            match merged.iter_mut().find(|(k, _)| k == id) {
                Some((_, existing)) => *existing = node,
                None => merged.push((id.clone(), node)),
            }
        }
    };
    if let Some(resources) = root.get("resources") {
        let resources = r.deref(resources);
        match &resources.value {
            Value::Seq(items) => items.iter().for_each(&mut add),
            _ => add(&resources),
        }
    }
    Node {
        value: Value::Map(merged),
        line: 0,
        column: 0,
    }
}

/// Reads the parsed config `root` into `project`, with no included files.
pub fn from_tree(project: Project, root: &Node) -> Project {
    from_tree_with(project, root, &slz_project::includes::NONE)
}

/// Reads the parsed config `root` into `project`; `${file(...)}` variables name `includes`.
pub fn from_tree_with(mut project: Project, root: &Node, includes: &Includes) -> Project {
    let config = project.config.clone();
    let config = config.as_path();
    let base = config.parent().unwrap_or(Path::new("")).to_path_buf();
    let r = Resolver::with_includes(root, config.to_path_buf(), includes);
    let service_node = root.get("service").map(|s| s.get("name").unwrap_or(s));
    project.service = service_node
        .map(|s| r.template(s).to_string())
        .unwrap_or_default();
    let provider = root.get("provider").map(|p| r.deref(p));
    if let Some(p) = &provider {
        // `provider: aws` or `provider.name: aws`; a name from a variable is not judged.
        let name = match &p.value {
            Value::Map(_) => p.get("name"),
            _ => Some(p.as_ref()),
        };
        let known = name.and_then(|n| Some((r.template(n).as_literal()?, n.line, n.column)));
        if let Some((name, line, column)) = known.filter(|(n, ..)| !n.eq_ignore_ascii_case("aws")) {
            project.diagnostics.push(Diagnostic::new(
                "unsupported-provider",
                Location::new(config, line, column),
                format!(
                    "the provider is `{name}`: slz-iam reads AWS Lambda functions only (`provider.name: aws`); the functions of {} are not analysed",
                    config.display()
                ),
            ));
            return project;
        }
    }

    let provider_env = std::sync::Arc::new(
        provider
            .as_ref()
            .and_then(|p| p.get("environment"))
            .map(|e| environment(&r, e))
            .unwrap_or_default(),
    );
    let mut shared_env = SharedEnvironments::default();
    let mut provider_statements = Vec::new();
    if let Some(p) = &provider {
        for path in ["iam.role.statements", "iamRoleStatements"] {
            if let Some(list) = p.path(path) {
                provider_statements.extend(slz_project::declared_statements(&r, list));
            }
        }
    }
    provider_statements.extend(framework_statements(root, &r));
    let template_resources = template_resources(&r, root);
    // The provider's role: its statements, managed policies, or an existing role instead.
    let mut provider_role = slz_project::roles::RoleGrants {
        declared: provider_statements,
        managed_policies: Vec::new(),
    };
    if let Some(p) = &provider {
        let existing = p
            .path("iam.role")
            .filter(|n| is_role_reference(n))
            .or_else(|| p.get("role"));
        if let Some(role) = existing {
            slz_project::roles::attach_role(&r, &template_resources, role, &mut provider_role);
        }
        for path in ["iam.role.managedPolicies", "iamManagedPolicies"] {
            for m in p.path(path).map(|l| r.deref(l)).unwrap_or_default().items() {
                slz_project::roles::managed_policy(&r, &template_resources, m, &mut provider_role);
            }
        }
    }

    for (id, node) in template_resources.entries() {
        project
            .resources
            .insert(id.clone(), Resource::from_template(&r, id, node));
    }

    // serverless-step-functions: `stepFunctions.stateMachines.<name>`.
    if let Some(machines) = root.path("stepFunctions.stateMachines") {
        for (id, node) in r.deref(machines).entries() {
            let mut m = std::collections::BTreeSet::new();
            if let Some(def) = node.get("definition") {
                slz_project::mentions(def, &mut m, 0);
            }
            project.resources.insert(
                id.clone(),
                Resource {
                    logical_id: id.clone(),
                    resource_type: "AWS::StepFunctions::StateMachine".into(),
                    physical_name: node.get("name").map(|n| r.template(n)),
                    mentions: m.into_iter().collect(),
                    line: node.line,
                },
            );
        }
    }

    let per_function_roles = root.get("plugins").is_some_and(|p| {
        let p = r.deref(p);
        let list = p.get("modules").unwrap_or(&p).items().to_vec();
        list.iter()
            .any(|m| m.as_str() == Some("serverless-iam-roles-per-function"))
    });
    // Serverless Framework v3 reads no `iam` under a function (only the plugin's keys), v4 does.
    let v3 = framework_major(root) == Some(3);
    let per_function_mode = provider
        .as_ref()
        .and_then(|p| p.path("iam.role.mode"))
        .and_then(|m| m.as_str())
        == Some("perFunction");

    let mut lift_queues: BTreeMap<String, String> = BTreeMap::new();
    let declared_functions = root.get("functions").map(|f| r.deref(f));
    let mut functions: Vec<(String, std::borrow::Cow<'_, Node>)> = declared_functions
        .iter()
        .flat_map(|f| f.entries())
        .map(|(key, node)| (key.clone(), std::borrow::Cow::Borrowed(node)))
        .collect();
    // Lift constructs that carry a function (`type: queue` with a `worker`): named `<id>Worker`.
    let constructs = root.get("constructs").map(|c| r.deref(c));
    for (id, c) in constructs.iter().flat_map(|c| c.entries()) {
        if let Some(worker) = c.get("worker") {
            lift_queues.insert(format!("{id}Worker"), id.clone());
            functions.push((format!("{id}Worker"), r.deref(worker)));
        }
    }
    project.functions.reserve(functions.len());
    for (key, fnode) in &functions {
        let fnode = r.deref(fnode);
        let loc = Location::new(config, fnode.line, fnode.column);
        // A container image function (`image:`) has no handler: its code is found through the
        // image's Dockerfile.
        let image = match (fnode.get("handler"), fnode.get("image")) {
            (None, Some(img)) => Some(image_code(&r, provider.as_deref(), &r.deref(img), &base)),
            _ => None,
        };
        let handler = match (fnode.get("handler"), &image) {
            (Some(h), _) => r.template(h).to_string(),
            (None, Some(Code::Image { cmd, .. })) => cmd.first().cloned().unwrap_or_default(),
            _ => {
                project.diagnostics.push(Diagnostic::new(
                    "invalid-config",
                    loc,
                    format!("function `{key}` has no handler"),
                ));
                continue;
            }
        };
        let (module, export) = split_handler(&handler);
        // serverless-wsgi generates `wsgi_handler.handler` at package time; the code it runs is
        // the WSGI app named by `custom.wsgi.app` (`app.app`).
        let wsgi_app = root
            .path("custom.wsgi.app")
            .map(|a| r.template(a).to_string());
        let (module, export) = match (
            handler.starts_with("wsgi_handler.") || handler == "wsgi.handler",
            wsgi_app,
        ) {
            (true, Some(app)) => split_handler(&app),
            _ => (module, export),
        };
        let env = match fnode.get("environment") {
            Some(e) => slz_project::Environment::layered_shared(
                provider_env.clone(),
                shared_env.get(&r, e),
            ),
            None => slz_project::Environment::layered(provider_env.clone(), Default::default()),
        };
        let mut declared = Vec::new();
        let own = ["iam.role.statements", "iamRoleStatements"]
            .iter()
            .filter(|p| !(v3 && p.starts_with("iam.")))
            .filter_map(|p| fnode.path(p))
            .flat_map(|list| slz_project::declared_statements(&r, list))
            .collect::<Vec<_>>();
        // A function with its own `iam.role` (v4) gets a role of its own, which holds the
        // provider's statements with `iam.inheritStatements: true` (by default in `perFunction`
        // mode); with the per-function-roles plugin, they are inherited only when asked.
        let own_v4_role = !v3 && fnode.path("iam.role").is_some();
        let inherit_flag = fnode
            .path("iam.inheritStatements")
            .map(|v| v.value == Value::Bool(true));
        let v4_inherits = own_v4_role
            && (inherit_flag == Some(true) || (per_function_mode && inherit_flag.is_none()));
        let inherit = (!per_function_roles && !own_v4_role)
            || own.is_empty()
            || v4_inherits
            || fnode
                .get("iamRoleStatementsInherit")
                .and_then(|v| match v.value {
                    Value::Bool(b) => Some(b),
                    _ => None,
                })
                == Some(true)
            || root
                .path("custom.serverless-iam-roles-per-function.defaultInherit")
                .map(|v| v.value == Value::Bool(true))
                == Some(true);
        let mut role = slz_project::roles::RoleGrants::default();
        if let Some(existing) = fnode.get("role") {
            // An existing role replaces everything the provider and the plugin would create.
            slz_project::roles::attach_role(&r, &template_resources, existing, &mut role);
        } else {
            if inherit {
                role.declared.extend(provider_role.declared.iter().cloned());
                // A v4 function role inherits the provider's statements, not its managed
                // policies (except in `perFunction` mode).
                if !own_v4_role || per_function_mode {
                    role.managed_policies
                        .extend(provider_role.managed_policies.iter().cloned());
                }
            }
            role.declared.extend(own);
            for m in (!v3)
                .then(|| fnode.path("iam.role.managedPolicies"))
                .flatten()
                .map(|l| r.deref(l))
                .unwrap_or_default()
                .items()
            {
                slz_project::roles::managed_policy(&r, &template_resources, m, &mut role);
            }
        }
        declared.extend(role.declared);
        let deployed_name = match fnode.get("name") {
            Some(n) => r.template(n),
            None => {
                let mut t = r.template(service_node.unwrap_or(&Node::default()));
                t.push(Part::Lit("-".into()));
                t.push(Part::DeployVar("sls:stage".into()));
                t.push(Part::Lit(format!("-{key}")));
                t
            }
        };
        let runtime = fnode
            .get("runtime")
            .or_else(|| provider.as_ref().and_then(|p| p.get("runtime")))
            .and_then(|n| n.scalar_text());
        // serverless-rust: `handler: <package>.<binary>` (or the binary alone) on a `provided`
        // runtime, or on the plugin's own `runtime: rust`, which it deploys as `provided`.
        let code = if let Some(image) = image {
            image
        } else if runtime
            .as_deref()
            .is_some_and(|r| r.starts_with("provided") || r == "rust")
        {
            Code::Binary {
                dir: base.clone(),
                name: Some(handler.rsplit('.').next().unwrap_or(&handler).to_string())
                    .filter(|n| n != "bootstrap"),
                language: "rust".into(),
            }
        } else {
            Code::Module {
                module: base.join(module),
                export,
            }
        };
        project.functions.push(Function {
            name: key.clone(),
            handler,
            runtime: fnode
                .get("runtime")
                .or_else(|| provider.as_ref().and_then(|p| p.get("runtime")))
                .and_then(|n| n.scalar_text()),
            code,
            environment: env,
            events: {
                let mut evs = events(&r, &fnode);
                // A Lift queue's worker reads that queue.
                if let Some(q) = lift_queues.get(key) {
                    evs.push(Event {
                        kind: "sqs".into(),
                        description: format!("sqs construct {q}"),
                        source: Some(Template(vec![Part::DeployVar(format!(
                            "construct:{q}.queueArn"
                        ))])),
                        line: fnode.line,
                        ..Event::default()
                    });
                }
                evs
            },
            managed_policies: role.managed_policies,
            destinations: destinations(&r, &fnode, &project.resources),
            implicit: Vec::new(),
            declared,
            deployed_name,
            logical_id: logical_id(key),
            location: loc,
        });
    }
    project.diagnostics.extend(r.diagnostics.into_inner());
    project
}

/// Whether the config lists the serverless-iam-roles-per-function plugin.
pub fn uses_roles_plugin(root: &Node) -> bool {
    root.get("plugins").is_some_and(|p| {
        p.get("modules")
            .unwrap_or(p)
            .items()
            .iter()
            .any(|m| m.as_str() == Some("serverless-iam-roles-per-function"))
    })
}

/// The major version of the Serverless Framework that `frameworkVersion` admits: 3 when it admits
/// only versions before 4 (`'3'`, `^3.38.0`, `>=2 <4`), 4 when only 4 and later (`'4'`, `>=4`,
/// `~4.1`), None when it is absent or admits both.
pub fn framework_major(root: &Node) -> Option<u32> {
    let spec = root.get("frameworkVersion")?.scalar_text()?;
    let mut all_v3 = true;
    let mut all_v4 = true;
    for alternative in spec.split("||") {
        let (mut lo, mut hi) = (0u32, u32::MAX);
        let mut words = alternative.split_whitespace().peekable();
        let mut any = false;
        while let Some(w) = words.next() {
            // `>= 4` is one comparator written as two words.
            let w = if w.chars().all(|c| "<>=~^".contains(c)) {
                format!("{w}{}", words.next().unwrap_or_default())
            } else {
                w.to_string()
            };
            let op_len = w.len() - w.trim_start_matches(|c| "<>=~^v".contains(c)).len();
            let (op, version) = w.split_at(op_len);
            let mut parts = version.split('.');
            let major: u32 = parts.next()?.parse().ok()?;
            let rest_zero = parts.all(|p| p.chars().all(|c| c == '0' || c == 'x' || c == '*'));
            any = true;
            match op.trim_end_matches('v') {
                ">=" | ">" => lo = lo.max(major),
                "<" if rest_zero => hi = hi.min(major.saturating_sub(1)),
                "<" | "<=" => hi = hi.min(major),
                _ => {
                    lo = lo.max(major);
                    hi = hi.min(major);
                }
            }
        }
        if !any {
            return None;
        }
        all_v3 &= hi <= 3;
        all_v4 &= lo >= 4;
    }
    match (all_v3, all_v4) {
        (true, false) => Some(3),
        (false, true) => Some(4),
        _ => None,
    }
}

/// Statements the framework and its usual plugins add to the shared role without the config
/// listing them: `execute-api:ManageConnections` on `@connections` when websocket events exist
/// (Serverless Framework), `sqs:SendMessage` on each Lift queue construct.
fn framework_statements(root: &Node, r: &Resolver<'_>) -> Vec<DeclaredStatement> {
    let mut out = Vec::new();
    let functions = root.get("functions").map(|f| r.deref(f));
    let websockets = functions.as_ref().is_some_and(|f| {
        f.entries().iter().any(|(_, fnode)| {
            r.deref(fnode)
                .get("events")
                .map(|e| r.deref(e))
                .is_some_and(|e| e.items().iter().any(|ev| ev.get("websocket").is_some()))
        })
    });
    if websockets {
        out.push(DeclaredStatement {
            effect: "Allow".into(),
            actions: vec!["execute-api:ManageConnections".into()],
            resources: vec![Template::lit("arn:aws:execute-api:*:*:*/@connections/*")],
            line: functions.as_ref().map(|f| f.line).unwrap_or(1),
            implicit: true,
            ..DeclaredStatement::default()
        });
    }
    if let Some(constructs) = root.get("constructs") {
        for (id, c) in r.deref(constructs).entries() {
            if c.get("type").and_then(|t| t.as_str()) == Some("queue") {
                out.push(DeclaredStatement {
                    effect: "Allow".into(),
                    actions: vec!["sqs:SendMessage".into()],
                    resources: vec![Template(vec![Part::DeployVar(format!(
                        "construct:{id}.queueArn"
                    ))])],
                    line: c.line,
                    implicit: true,
                    ..DeclaredStatement::default()
                });
            }
        }
    }
    out
}

/// Whether `iam.role` names an existing role (`arn:...`, a logical id, `!GetAtt R.Arn`) rather than
/// describing the role the framework creates.
fn is_role_reference(n: &Node) -> bool {
    match &n.value {
        Value::Str(_) | Value::Tagged(..) => true,
        Value::Map(entries) => {
            entries.len() == 1 && (entries[0].0 == "Ref" || entries[0].0.starts_with("Fn::"))
        }
        _ => false,
    }
}

/// The logical id the framework gives a function: `get-index` -> `GetDashindexLambdaFunction`.
pub fn logical_id(key: &str) -> String {
    let mut out = String::new();
    for (i, c) in key.chars().enumerate() {
        match c {
            '-' => out.push_str("Dash"),
            '_' => out.push_str("Underscore"),
            c if i == 0 => out.extend(c.to_uppercase()),
            c => out.push(c),
        }
    }
    out + "LambdaFunction"
}

/// Functions' environments read once per config node: every function whose `environment` names
/// the same map (`${self:custom.env}`) holds the same variables.
#[derive(Default)]
struct SharedEnvironments(rustc_hash::FxHashMap<*const Node, Arc<BTreeMap<String, Template>>>);

impl SharedEnvironments {
    fn get(&mut self, r: &Resolver<'_>, node: &Node) -> Arc<BTreeMap<String, Template>> {
        let target = r.deref(node);
        let std::borrow::Cow::Borrowed(target) = target else {
            return Arc::new(environment(r, node));
        };
        if std::ptr::eq(target, node) {
            return Arc::new(environment(r, node));
        }
        self.0
            .entry(std::ptr::from_ref(target))
            .or_insert_with(|| Arc::new(environment(r, target)))
            .clone()
    }
}

fn environment(r: &Resolver<'_>, node: &Node) -> BTreeMap<String, Template> {
    r.deref(node)
        .entries()
        .iter()
        .map(|(k, v)| (k.clone(), r.template(v)))
        .collect()
}

/// The cache lifetime of a custom authorizer (`authorizer.resultTtlInSeconds`, else the
/// framework's default for the event type).
fn authorizer_ttl(body: &Node, default: u32) -> Option<u32> {
    let a = body.get("authorizer")?;
    let ttl = a
        .get("resultTtlInSeconds")
        .and_then(|t| t.scalar_text())
        .and_then(|t| t.parse().ok());
    Some(ttl.unwrap_or(default))
}

/// The authorization of a Serverless `http` / `httpApi` event.
fn http_auth(body: &Node) -> String {
    let authorizer = body.get("authorizer");
    let named = authorizer.and_then(|a| {
        a.as_str()
            .map(str::to_string)
            .or_else(|| a.get("name").and_then(|n| n.scalar_text()))
    });
    let kind = authorizer
        .and_then(|a| a.get("type"))
        .and_then(|t| t.scalar_text())
        .map(|t| t.to_lowercase());
    match (named.as_deref(), kind.as_deref()) {
        (Some("aws_iam"), _) | (_, Some("aws_iam")) => "aws_iam".into(),
        (_, Some("cognito_user_pools")) => "cognito".into(),
        (_, Some("jwt")) => "jwt".into(),
        (Some(n), _) if authorizer.and_then(|a| a.get("arn")).is_some() => format!("cognito:{n}"),
        (Some(n), _) => format!("custom:{n}"),
        (None, _)
            if body
                .get("private")
                .is_some_and(|p| p.value == Value::Bool(true)) =>
        {
            "api_key".into()
        }
        _ => "none".into(),
    }
}

/// `destinations: {onFailure: arn | {type, arn}}`; the kind comes from `type`, the referenced
/// resource's type or the ARN's service (`rules/events.toml`).
fn destinations(
    r: &Resolver<'_>,
    fnode: &Node,
    resources: &BTreeMap<String, Resource>,
) -> Vec<Destination> {
    let Some(dest) = fnode.get("destinations").map(|d| r.deref(d)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (_, d) in dest.entries() {
        let d = r.deref(d);
        let (declared_kind, target_node) = match d.get("arn") {
            Some(arn) => (d.get("type").and_then(|t| t.scalar_text()), arn.clone()),
            None => (None, d.into_owned()),
        };
        let target = r.template(&target_node);
        let from_ref = target.0.iter().find_map(|p| match p {
            Part::Ref(id) | Part::GetAtt(id, _) => {
                resources.get(id).map(|res| res.resource_type.clone())
            }
            _ => None,
        });
        let text = target.to_string();
        let events = &slz_catalog::catalog().events;
        let kind = declared_kind.unwrap_or_else(|| {
            from_ref
                .as_deref()
                .and_then(|t| events.destination_by_resource_type(t))
                .or_else(|| events.destination_by_arn(&text))
                .unwrap_or(&events.default_destination)
                .to_string()
        });
        out.push(Destination {
            kind,
            target,
            line: target_node.line,
        });
    }
    out
}

fn events(r: &Resolver<'_>, fnode: &Node) -> Vec<Event> {
    let mut out = Vec::new();
    let list = fnode.get("events").map(|e| r.deref(e));
    for ev in list.as_ref().map(|l| l.items()).unwrap_or_default() {
        for (kind, body) in ev.entries() {
            let raw = body;
            let body = r.deref(body);
            let is_map = matches!(raw.value, Value::Map(_));
            let mut e = Event {
                kind: kind.clone(),
                line: ev.line,
                body: Some(slz_project::EventBody {
                    key_line: ev.line,
                    key_column: ev.column,
                    map_line: is_map.then_some(raw.line),
                    map_column: is_map.then_some(raw.column),
                }),
                ..Event::default()
            };
            match kind.as_str() {
                "http" | "httpApi" => {
                    let (method, path) = match &body.value {
                        Value::Str(s) if s.trim() == "*" => ("*".to_string(), "*".to_string()),
                        Value::Str(s) => {
                            let mut it = s.split_whitespace();
                            (
                                it.next().unwrap_or("").to_string(),
                                it.next().unwrap_or("").to_string(),
                            )
                        }
                        _ => (
                            body.get("method")
                                .and_then(|m| m.scalar_text())
                                .unwrap_or_else(|| "*".into()),
                            body.get("path")
                                .and_then(|m| m.scalar_text())
                                .unwrap_or_else(|| "*".into()),
                        ),
                    };
                    let path = if path.starts_with('/') || path == "*" {
                        path
                    } else {
                        format!("/{path}")
                    };
                    let method = method.to_uppercase();
                    e.description = if path == "*" && method == "*" {
                        format!("{kind} * (catch-all)")
                    } else {
                        format!("{kind} {method} {path}")
                    };
                    e.auth = Some(http_auth(&body));
                    e.authorizer_ttl = authorizer_ttl(&body, if kind == "http" { 300 } else { 0 });
                    e.method = Some(method);
                    e.path = Some(path);
                }
                "websocket" => {
                    let route = body
                        .scalar_text()
                        .or_else(|| body.get("route").and_then(|r| r.scalar_text()))
                        .unwrap_or_default();
                    e.description = format!("websocket {route}");
                    e.auth = Some(http_auth(&body));
                    e.authorizer_ttl = authorizer_ttl(&body, 0);
                    e.path = Some(route);
                }
                "sqs" | "stream" => {
                    e.source = Some(r.template(body.get("arn").unwrap_or(&body)));
                    e.description = format!(
                        "{kind} {}",
                        e.source.as_ref().map(|t| t.to_string()).unwrap_or_default()
                    );
                }
                "sns" => {
                    let topic = body
                        .get("arn")
                        .or_else(|| body.get("topicName"))
                        .unwrap_or(&body);
                    e.source = Some(r.template(topic));
                    e.description = format!(
                        "sns {}",
                        e.source.as_ref().map(|t| t.to_string()).unwrap_or_default()
                    );
                }
                "s3" => {
                    e.source = Some(r.template(body.get("bucket").unwrap_or(&body)));
                    e.description = format!(
                        "s3 {}",
                        e.source.as_ref().map(|t| t.to_string()).unwrap_or_default()
                    );
                }
                "eventBridge" => {
                    e.source = Some(
                        body.get("eventBus")
                            .map(|b| r.template(b))
                            .unwrap_or_else(|| Template::lit("default")),
                    );
                    e.pattern_sources = slz_project::pattern_values(r, &body, "pattern.source");
                    e.pattern_detail_types =
                        slz_project::pattern_values(r, &body, "pattern.detail-type");
                    e.description = "eventBridge".into();
                }
                _ => {
                    e.description = match body.scalar_text() {
                        Some(s) => format!("{kind} {s}"),
                        None => kind.clone(),
                    };
                }
            }
            out.push(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use slz_project::yaml;

    const CONFIG: &str = r#"
service: restaurants
provider:
  name: aws
  runtime: nodejs20.x
  environment:
    TABLE: !Ref RestaurantsTable
  iam:
    role:
      statements:
        - Effect: Allow
          Action: dynamodb:Scan
          Resource: !GetAtt RestaurantsTable.Arn
functions:
  get-index:
    handler: functions/get-index.handler
    environment:
      API: !Sub https://${ApiGatewayRestApi}.execute-api.${AWS::Region}.amazonaws.com/${sls:stage}/restaurants
    events:
      - http: GET /
  broken: {}
resources:
  Resources:
    RestaurantsTable:
      Type: AWS::DynamoDB::Table
"#;

    #[test]
    fn reads_functions_env_events_and_resources() {
        let p = read(CONFIG, Path::new("serverless.yml"));
        assert_eq!(p.service, "restaurants");
        assert_eq!(p.functions.len(), 1);
        let f = &p.functions[0];
        assert_eq!(
            f.code,
            Code::Module {
                module: "functions/get-index".into(),
                export: "handler".into()
            }
        );
        assert_eq!(
            f.environment.get("TABLE").unwrap().to_string(),
            "${RestaurantsTable}"
        );
        assert_eq!(
            f.environment.get("API").unwrap().to_string(),
            "https://${ApiGatewayRestApi}.execute-api.${AWS::Region}.amazonaws.com/${sls:stage}/restaurants"
        );
        assert_eq!(f.events[0].description, "http GET /");
        assert_eq!(f.events[0].auth.as_deref(), Some("none"));
        let body = yaml::parse("authorizer: aws_iam").unwrap();
        assert_eq!(http_auth(&body), "aws_iam");
        let body = yaml::parse("private: true").unwrap();
        assert_eq!(http_auth(&body), "api_key");
        let body = yaml::parse("authorizer: {name: auth, type: request}").unwrap();
        assert_eq!(http_auth(&body), "custom:auth");
        let body =
            yaml::parse("authorizer: {type: COGNITO_USER_POOLS, authorizerId: !Ref A}").unwrap();
        assert_eq!(http_auth(&body), "cognito");
        assert_eq!(f.declared[0].actions, vec!["dynamodb:Scan"]);
        assert_eq!(
            f.deployed_name.to_string(),
            "restaurants-${sls:stage}-get-index"
        );
        assert_eq!(f.logical_id, "GetDashindexLambdaFunction");
        assert_eq!(
            p.resources["RestaurantsTable"].resource_type,
            "AWS::DynamoDB::Table"
        );
        let d = &p.diagnostics[0];
        assert_eq!((d.code, d.location.line), ("invalid-config", 21));
    }

    #[test]
    fn rust_functions_name_their_binary() {
        let p = read(
            "service: s\nprovider:\n  runtime: provided.al2\nfunctions:\n  get:\n    handler: shop.get-item\n",
            Path::new("serverless.yml"),
        );
        let f = &p.functions[0];
        let Code::Binary { name, language, .. } = &f.code else {
            panic!("a binary: {:?}", f.code);
        };
        assert_eq!(
            (name.as_deref(), language.as_str()),
            (Some("get-item"), "rust")
        );
        assert_eq!(f.code.export(), "main");
    }

    #[test]
    fn serverless_rust_plugin_runtime_is_a_rust_binary() {
        let p = read(
            "service: s\nprovider:\n  runtime: rust\nplugins: [serverless-rust]\nfunctions:\n  api:\n    handler: api-bin\n",
            Path::new("serverless.yml"),
        );
        let Code::Binary { name, language, .. } = &p.functions[0].code else {
            panic!("a binary: {:?}", p.functions[0].code);
        };
        assert_eq!(
            (name.as_deref(), language.as_str()),
            (Some("api-bin"), "rust")
        );
    }

    #[test]
    fn framework_versions() {
        let major =
            |v: &str| framework_major(&yaml::parse(&format!("frameworkVersion: {v}\n")).unwrap());
        assert_eq!(major("'3'"), Some(3));
        assert_eq!(major("^3.38.0"), Some(3));
        assert_eq!(major("'>=2.0.0 <4.0.0'"), Some(3));
        assert_eq!(major("'4'"), Some(4));
        assert_eq!(major("'>= 4'"), Some(4));
        assert_eq!(major("~4.1"), Some(4));
        assert_eq!(major("'>=3'"), None);
        assert_eq!(major("'3 || 4'"), None);
        assert_eq!(major("latest"), None);
    }

    #[test]
    fn broken_yaml_is_a_diagnostic() {
        let p = read("service: x\nfunctions: [\n", Path::new("serverless.yml"));
        assert_eq!(p.diagnostics[0].code, "config-parse-error");
        assert!(p.functions.is_empty());
    }
    #[test]
    fn environments_named_by_one_variable_are_shared() {
        let config = "service: s\ncustom:\n  env:\n    TABLE: t\n    B: ${self:custom.b}\n  b: bee\nprovider:\n  name: aws\n  environment: ${self:custom.env}\nfunctions:\n  a:\n    handler: a.handler\n    environment: ${self:custom.env}\n  b:\n    handler: b.handler\n    environment: ${self:custom.env}\n  c:\n    handler: c.handler\n    environment: {TABLE: t, B: bee}\n";
        let p = read(config, Path::new("serverless.yml"));
        let env = |i: usize| &p.functions[i].environment;
        assert!(env(0).shares_own_with(env(1)));
        assert!(!env(0).shares_own_with(env(2)));
        for i in 0..3 {
            assert_eq!(
                env(i).get("B").map(ToString::to_string).as_deref(),
                Some("bee")
            );
        }
    }
}

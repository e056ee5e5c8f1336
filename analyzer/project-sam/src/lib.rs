//! Reads AWS SAM and plain CloudFormation templates (YAML or JSON) into a [`Project`]:
//! `AWS::Serverless::Function` and `AWS::Lambda::Function` resources with `Globals.Function` merged
//! the way SAM merges it (maps merged key by key, scalars overridden), `Handler` + `CodeUri` ->
//! source file, inline code (`InlineCode`, `Code.ZipFile`) and container images (`PackageType:
//! Image`, which take no `CodeUri`, `Handler`, `Runtime` or `Layers` from `Globals`) as what they
//! are, environment, events, and the template's resources. Parameters stay `Ref`s, so the
//! policy follows whatever value a deploy passes.
pub mod foreach;
pub mod nested;
pub mod reader;

use slz_project::Code;

use slz_core::diagnostics::{Diagnostic, Location};
use slz_core::value::{Part, Template};
use slz_project::variables::Resolver;
use slz_project::yaml::{Node, Value};
use slz_project::{DeclaredStatement, Destination, Event, Framework, Function, Project, Resource};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const FUNCTION_TYPES: &[&str] = &["AWS::Serverless::Function", "AWS::Lambda::Function"];

/// Whether a parsed config is a CloudFormation/SAM template rather than a serverless.yml.
pub fn is_template(root: &Node) -> bool {
    root.get("Resources").is_some()
        && root.get("functions").is_none()
        && root.get("service").is_none()
}

/// Merges `global` under `local`: maps key by key (recursively), anything else taken from `local`.
fn merge(global: &Node, local: &Node) -> Node {
    match (&global.value, &local.value) {
        (Value::Map(g), Value::Map(l)) => {
            let mut out = g.clone();
            for (k, v) in l {
                match out.iter_mut().find(|(gk, _)| gk == k) {
                    Some((_, gv)) => *gv = merge(gv, v),
                    None => out.push((k.clone(), v.clone())),
                }
            }
            Node {
                value: Value::Map(out),
                line: local.line,
                column: local.column,
            }
        }
        // Lists (Policies, Layers) are added to.
        (Value::Seq(g), Value::Seq(l)) => Node {
            value: Value::Seq(g.iter().chain(l).cloned().collect()),
            line: local.line,
            column: local.column,
        },
        _ => local.clone(),
    }
}

pub fn read(source: &str, config: &Path) -> Project {
    let mut project = Project::new(Framework::Sam, config);
    match project.parse_yaml(source) {
        Some(root) => from_tree(project, &root),
        None => project,
    }
}

/// Reads the parsed template `root` into `project`.
pub fn from_tree(mut project: Project, root: &Node) -> Project {
    // `Fn::ForEach` loops (AWS::LanguageExtensions) become the resources they make.
    let config_path = project.config.clone();
    let expanded = foreach::expand(root, &config_path, &mut project.diagnostics);
    let root = expanded.as_ref().unwrap_or(root);
    project.framework = Framework::Sam;
    let config = project.config.clone();
    let config = config.as_path();
    let is_sam = match root.get("Transform").map(|t| &t.value) {
        Some(Value::Str(s)) => s.starts_with("AWS::Serverless"),
        Some(Value::Seq(items)) => items
            .iter()
            .any(|i| i.as_str().is_some_and(|s| s.starts_with("AWS::Serverless"))),
        _ => false,
    };
    if !is_sam {
        project.framework = Framework::Cloudformation;
    }
    let base = config.parent().unwrap_or(Path::new("")).to_path_buf();
    let r = Resolver::new(root, config.to_path_buf());
    let globals = root.path("Globals.Function").cloned().unwrap_or(Node {
        value: Value::Map(Vec::new()),
        line: 0,
        column: 0,
    });
    // A container image's code, handler and runtime are the image's: `Globals` does not give
    // them.
    let image_globals = Node {
        value: Value::Map(
            globals
                .entries()
                .iter()
                .filter(|(k, _)| {
                    !matches!(k.as_str(), "CodeUri" | "Handler" | "Runtime" | "Layers")
                })
                .cloned()
                .collect(),
        ),
        ..globals.clone()
    };
    let no_resources = Node::default();
    let resources = root.get("Resources").unwrap_or(&no_resources);
    for (id, node) in resources.entries() {
        project
            .resources
            .insert(id.clone(), Resource::from_template(&r, id, node));
    }
    // `AWS::Serverless::Connector` resources, by the logical id of their source.
    let mut connectors_by_source: BTreeMap<&str, Vec<&Node>> = BTreeMap::new();
    for (_, res) in resources.entries() {
        if res.get("Type").and_then(|t| t.as_str()) == Some("AWS::Serverless::Connector") {
            if let Some(source) = res.path("Properties.Source.Id").and_then(|s| s.as_str()) {
                connectors_by_source.entry(source).or_default().push(res);
            }
        }
    }
    fn rtype(node: &Node) -> &str {
        node.get("Type")
            .and_then(|t| t.as_str())
            .unwrap_or_default()
    }
    let function_nodes = resources
        .entries()
        .iter()
        .filter(|(_, node)| FUNCTION_TYPES.contains(&rtype(node)));
    let function_count = function_nodes.clone().count();
    project.functions.reserve(function_count);
    // Variables every function gets from `Globals`, held once for all of them.
    let shared_env = std::sync::Arc::new(
        globals
            .path("Environment.Variables")
            .filter(|_| function_count > 0)
            .map(|vars| variables(&r, vars))
            .unwrap_or_default(),
    );
    for (id, node) in function_nodes {
        let rtype = rtype(node);
        let serverless = rtype == "AWS::Serverless::Function";
        let empty = Node {
            value: Value::Map(Vec::new()),
            line: node.line,
            column: node.column,
        };
        let local = node.get("Properties").unwrap_or(&empty);
        let image = local.get("PackageType").and_then(|p| p.as_str()) == Some("Image");
        let globals = if image { &image_globals } else { &globals };
        let props = if serverless && !globals.entries().is_empty() {
            std::borrow::Cow::Owned(merge(globals, local))
        } else {
            std::borrow::Cow::Borrowed(local)
        };
        let loc = Location::new(config, node.line, node.column);
        let entry = node
            .path("Metadata.BuildProperties.EntryPoints")
            .and_then(|e| e.items().first())
            .and_then(|e| e.as_str())
            .map(PathBuf::from);
        let build_method = node.path("Metadata.BuildMethod").and_then(|m| m.as_str());
        let cargo_lambda = build_method == Some("rust-cargolambda");
        let makefile = build_method == Some("makefile");
        let binary = node
            .path("Metadata.BuildProperties.Binary")
            .and_then(|b| b.scalar_text());
        let metadata_path = |key: &str| {
            node.path(&format!("Metadata.{key}"))
                .and_then(|m| m.as_str())
                .map(PathBuf::from)
        };
        let ctx = Ctx {
            base: &base,
            image: image.then(|| (metadata_path("DockerContext"), metadata_path("Dockerfile"))),
            resources: &project.resources,
            serverless,
            entry,
            cargo_lambda,
            makefile,
            binary,
            shared_env: &shared_env,
        };
        if let Some(mut f) = function(&r, id, &props, loc, &ctx, &mut project.diagnostics) {
            declared(&r, &props, resources, &mut f);
            let standalone = connectors_by_source
                .get(id.as_str())
                .map_or(&[][..], Vec::as_slice);
            connectors(&r, node, standalone, resources, &mut f);
            project.functions.push(f);
        }
    }
    project.diagnostics.extend(r.diagnostics.into_inner());
    project
}

/// What a function's reading needs from its template.
struct Ctx<'c> {
    base: &'c Path,
    resources: &'c BTreeMap<String, Resource>,
    serverless: bool,
    /// esbuild builds: `Metadata.BuildProperties.EntryPoints[0]` names the source file.
    entry: Option<PathBuf>,
    /// cargo-lambda builds: `Metadata.BuildMethod: rust-cargolambda`, `BuildProperties.Binary`.
    cargo_lambda: bool,
    /// `Metadata.BuildMethod: makefile`: the Makefile's `build-<LogicalId>` target builds it.
    makefile: bool,
    binary: Option<String>,
    /// `PackageType: Image`: `Metadata.DockerContext` and `Metadata.Dockerfile`.
    image: Option<(Option<PathBuf>, Option<PathBuf>)>,
    /// The environment variables `Globals` gives every function.
    shared_env: &'c std::sync::Arc<slz_project::Variables>,
}

/// `Environment.Variables`, resolved.
fn variables(r: &Resolver<'_>, vars: &Node) -> slz_project::Variables {
    r.deref(vars)
        .entries()
        .iter()
        .map(|(k, v)| (k.clone(), r.template(v)))
        .collect()
}

fn function(
    r: &Resolver<'_>,
    id: &str,
    props: &Node,
    loc: Location,
    ctx: &Ctx<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Function> {
    let (base, resources, serverless) = (ctx.base, ctx.resources, ctx.serverless);
    let runtime = props.get("Runtime").and_then(|n| n.scalar_text());
    if let Some((context, dockerfile)) = &ctx.image {
        return Some(image_function(r, id, props, loc, ctx, context, dockerfile));
    }
    let handler = props.get("Handler").map(|h| r.template(h).to_string());
    let is_custom_runtime = runtime
        .as_deref()
        .is_some_and(|rt| rt.starts_with("provided"));
    let code_key = if serverless { "CodeUri" } else { "Code" };
    let code_dir: Option<PathBuf> = match props.get(code_key).map(|c| &c.value) {
        Some(Value::Str(s)) => Some(PathBuf::from(s)),
        Some(_) => None,
        None if props.get("InlineCode").is_some() || props.path("Code.ZipFile").is_some() => None,
        None if props.get("ImageUri").is_some()
            || props.get("PackageType").and_then(|p| p.as_str()) == Some("Image") =>
        {
            None
        }
        None => {
            let at = props.get("Handler").map(|h| h.line).unwrap_or(loc.line);
            diagnostics.push(Diagnostic::new(
                "invalid-config",
                Location::new(loc.file.clone(), at, 1),
                format!("function `{id}` has no {code_key}; its source folder is taken to be the template's"),
            ));
            Some(PathBuf::new())
        }
    };
    let handler = match handler {
        Some(h) => h,
        None if is_custom_runtime => "bootstrap".to_string(),
        None => {
            diagnostics.push(Diagnostic::new(
                "invalid-config",
                loc,
                format!("function `{id}` has no Handler"),
            ));
            return None;
        }
    };
    let python = runtime
        .as_deref()
        .is_some_and(|rt| rt.starts_with("python"));
    // Node: `src/app.handler` -> src/app; Python: `pkg.module.handler` -> pkg/module.
    let (module, export) = match handler.rfind('.') {
        Some(i) => {
            let m = &handler[..i];
            let m = if python {
                m.replace('.', "/")
            } else {
                m.to_string()
            };
            (PathBuf::from(m), handler[i + 1..].to_string())
        }
        None => (PathBuf::from(&handler), "handler".to_string()),
    };
    let code_dir = code_dir.unwrap_or_default();
    // `CodeUri: src/function.js`: SAM packages that one file, so the handler's module is beside
    // it.
    let source_file = code_dir
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "js" | "mjs" | "cjs" | "ts" | "py"));
    let code_dir = if source_file {
        code_dir.parent().unwrap_or(Path::new("")).to_path_buf()
    } else {
        code_dir
    };
    let handler_module = match &ctx.entry {
        Some(e) => base.join(&code_dir).join(e.with_extension("")),
        None => base.join(&code_dir).join(module),
    };
    let merged = props
        .path("Environment.Variables")
        .map(|vars| variables(r, vars))
        .unwrap_or_default();
    let environment = slz_project::Environment::over(ctx.shared_env, merged);
    let deployed_name = match props.get("FunctionName") {
        Some(n) => r.template(n),
        None => Template(vec![Part::Ref(id.to_string())]),
    };
    // Diagnostics about the function point at its handler.
    let loc = match props.get("Handler") {
        Some(h) => Location::new(loc.file.clone(), h.line, h.column),
        None => loc,
    };
    let inline = props
        .get("InlineCode")
        .or_else(|| props.path("Code.ZipFile"));
    let code = if let Some(node) = inline {
        inline_code(node, runtime.as_deref(), export, &loc.file)
    } else if ctx.makefile && is_custom_runtime {
        // The language is the Makefile's to say.
        Code::Binary {
            dir: base.join(&code_dir),
            name: ctx.binary.clone(),
            language: "make".into(),
        }
    } else if ctx.cargo_lambda || is_custom_runtime {
        Code::Binary {
            dir: base.join(&code_dir),
            name: ctx.binary.clone(),
            language: "rust".into(),
        }
    } else {
        Code::Module {
            module: handler_module,
            export,
        }
    };
    Some(Function {
        name: id.to_string(),
        code,
        handler,
        runtime,
        environment,
        events: events(r, props),
        managed_policies: Vec::new(),
        destinations: destinations(r, props, resources),
        implicit: Vec::new(),
        declared: Vec::new(),
        deployed_name,
        logical_id: id.to_string(),
        location: loc,
    })
}

/// A function whose code is a container image (`PackageType: Image`): built from
/// `Metadata.DockerContext` with `Metadata.Dockerfile` (relative to the context) when the template
/// says how, started by `ImageConfig.Command` when it overrides the image's `CMD`. Its handler,
/// as reported, is that command (empty when the Dockerfile's applies).
fn image_function(
    r: &Resolver<'_>,
    id: &str,
    props: &Node,
    loc: Location,
    ctx: &Ctx<'_>,
    context: &Option<PathBuf>,
    dockerfile: &Option<PathBuf>,
) -> Function {
    let cmd: Vec<String> = props
        .path("ImageConfig.Command")
        .map(|c| {
            r.deref(c)
                .items()
                .iter()
                .filter_map(|i| i.scalar_text())
                .collect()
        })
        .unwrap_or_default();
    let environment = slz_project::Environment::over(
        ctx.shared_env,
        props
            .path("Environment.Variables")
            .map(|vars| variables(r, vars))
            .unwrap_or_default(),
    );
    let deployed_name = match props.get("FunctionName") {
        Some(n) => r.template(n),
        None => Template(vec![Part::Ref(id.to_string())]),
    };
    // Diagnostics about the function point at its `PackageType`.
    let loc = match props.get("PackageType") {
        Some(p) => Location::new(loc.file.clone(), p.line, p.column),
        None => loc,
    };
    Function {
        name: id.to_string(),
        code: Code::Image {
            context: context.as_ref().map(|c| ctx.base.join(c)),
            dockerfile: dockerfile.clone(),
            cmd: cmd.clone(),
        },
        handler: cmd.first().cloned().unwrap_or_default(),
        runtime: None,
        environment,
        events: events(r, props),
        managed_policies: Vec::new(),
        destinations: destinations(r, props, ctx.resources),
        implicit: Vec::new(),
        declared: Vec::new(),
        deployed_name,
        logical_id: id.to_string(),
        location: loc,
    }
}

/// Code written in the template (`InlineCode`, `Code.ZipFile`), as text with `Fn::Sub`'s
/// variables left as written and `Fn::Join`'s literal parts joined, in the language of
/// `runtime`. Its first line is the scalar's own (a block scalar's first content line), or the
/// line after a tag (`!Sub |`), whose content starts below it.
fn inline_code(node: &Node, runtime: Option<&str>, export: String, config: &Path) -> Code {
    let (text, line, column) = inline_text(node);
    let substituted = match &node.value {
        Value::Tagged(tag, _) => tag.trim_start_matches("Fn::") == "Sub",
        Value::Map(entries) => entries.first().is_some_and(|(k, _)| k == "Fn::Sub"),
        _ => false,
    };
    let runtime = runtime.unwrap_or_default();
    let language = if runtime.starts_with("python") {
        "python".to_string()
    } else if runtime.starts_with("nodejs") {
        "js".to_string()
    } else {
        runtime.to_string()
    };
    Code::Inline {
        language,
        text,
        at: Location::new(config, line, column),
        export,
        substituted,
    }
}

/// The text of an inline code node, and the line and column its first line starts at.
fn inline_text(node: &Node) -> (String, u32, u32) {
    match &node.value {
        Value::Str(s) => (s.clone(), node.line, node.column),
        // `!Sub |`: the tag's position is the key's line; the block starts on the next one, at
        // a column the tag does not tell (1: columns are not moved).
        Value::Tagged(tag, inner) => {
            let (text, ..) = intrinsic_text(tag.trim_start_matches("Fn::"), inner);
            let block = tag.trim_start_matches("Fn::") == "Sub" && inner.as_str().is_some();
            let next = u32::from(block && text.contains('\n'));
            (text, node.line + next, 1)
        }
        Value::Map(entries) => match entries.as_slice() {
            [(key, v)] => intrinsic_text(key.trim_start_matches("Fn::"), v),
            _ => (String::new(), node.line, node.column),
        },
        _ => (String::new(), node.line, node.column),
    }
}

/// `Fn::Sub`'s text (alone or first of `[text, {variables}]`) or `Fn::Join`'s literal parts
/// joined by its separator (`[separator, [parts]]`; other parts are left out).
fn intrinsic_text(name: &str, args: &Node) -> (String, u32, u32) {
    match (name, &args.value) {
        ("Sub", Value::Seq(items)) => items
            .first()
            .map_or((String::new(), args.line, args.column), inline_text),
        ("Sub", _) => inline_text(args),
        ("Join", Value::Seq(items)) => {
            let sep = items.first().and_then(|s| s.as_str()).unwrap_or_default();
            let parts: Vec<String> = items
                .get(1)
                .map(|p| p.items().iter().map(|i| inline_text(i).0).collect())
                .unwrap_or_default();
            (parts.join(sep), args.line, 1)
        }
        _ => (String::new(), args.line, args.column),
    }
}

/// The permissions the template gives the function: `Policies` (managed policies, inline policy
/// documents, SAM policy templates) and, with `Role`, that role's inline and attached policies.
fn declared(r: &Resolver<'_>, props: &Node, resources: &Node, f: &mut Function) {
    if let Some(policies) = props.get("Policies").map(|p| r.deref(p)) {
        let list = match &policies.value {
            Value::Seq(items) => items.clone(),
            _ => vec![policies.into_owned()],
        };
        for p in list {
            policy(r, &r.deref(&p), resources, f);
        }
    }
    if let Some(role) = props.get("Role") {
        let mut grants = slz_project::roles::RoleGrants::default();
        slz_project::roles::attach_role(r, resources, role, &mut grants);
        grants.add_to(f);
    } else {
        f.declared.extend(destination_statements(r, props));
    }
}

/// The statements SAM adds to the role it generates for each `EventInvokeConfig` destination
/// with a `Type` ("SAM will add any necessary permissions to the auto-generated IAM Role
/// associated with this function to access the resource referenced in this property":
/// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-onfailure.html,
/// and the same for `OnSuccess`). Framework statements: the template does not list them. Only for
/// a generated role; a function with `Role` gets nothing added.
fn destination_statements(r: &Resolver<'_>, props: &Node) -> Vec<DeclaredStatement> {
    let Some(cfg) = props.path("EventInvokeConfig.DestinationConfig") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (_, d) in r.deref(cfg).entries() {
        let d = r.deref(d);
        let events = &slz_catalog::catalog().events;
        let Some(action) = d
            .get("Type")
            .and_then(|k| k.as_str())
            .and_then(|t| events.destination_by_sam_type(t))
            .and_then(|kind| events.destination(kind))
            .map(|dest| dest.action.as_str())
        else {
            continue;
        };
        // Without `Destination`, SAM creates the queue or topic and grants on it; nothing in
        // the code delivers there (the Lambda service does, with the role), so nothing is needed.
        let Some(target) = d.get("Destination") else {
            continue;
        };
        out.push(DeclaredStatement {
            effect: "Allow".into(),
            actions: vec![action.into()],
            resources: vec![r.template(target)],
            line: target.line,
            action_line: target.line,
            resource_line: target.line,
            implicit: true,
            ..DeclaredStatement::default()
        });
    }
    out
}

/// Permissions from connectors: the function's own `Connectors` attribute and the
/// `AWS::Serverless::Connector` resources whose source it is (`standalone`).
fn connectors(
    r: &Resolver<'_>,
    resource: &Node,
    standalone: &[&Node],
    resources: &Node,
    f: &mut Function,
) {
    let mut found: Vec<(Node, Node)> = Vec::new(); // (destination, permissions)
    for (_, c) in resource
        .get("Connectors")
        .map(|c| r.deref(c))
        .unwrap_or_default()
        .entries()
    {
        if let (Some(d), Some(p)) = (
            c.path("Properties.Destination"),
            c.path("Properties.Permissions"),
        ) {
            found.push((d.clone(), p.clone()));
        }
    }
    for res in standalone {
        if let (Some(d), Some(p)) = (
            res.path("Properties.Destination"),
            res.path("Properties.Permissions"),
        ) {
            found.push((d.clone(), p.clone()));
        }
    }
    for (dest, perms) in found {
        let Some(dest_id) = dest.get("Id").and_then(|d| d.as_str()) else {
            continue;
        };
        let dest_type = resources
            .path(&format!("{dest_id}.Type"))
            .and_then(|t| t.as_str())
            .unwrap_or_default();
        let table = slz_catalog::catalog().sam_connectors.get(dest_type);
        for p in r.deref(&perms).items() {
            let Some(st) = p.as_str().and_then(|p| table.and_then(|t| t.get(p))) else {
                continue;
            };
            let resources = st
                .resources
                .iter()
                .map(|t| {
                    let mut out = Template::default();
                    let (head, tail) = t.split_once('}').unwrap_or((t, ""));
                    out.push(if head.ends_with("${Arn") {
                        Part::GetAtt(dest_id.to_string(), "Arn".into())
                    } else {
                        Part::Ref(dest_id.to_string())
                    });
                    out.push(Part::Lit(tail.to_string()));
                    out
                })
                .collect();
            f.declared.push(slz_project::DeclaredStatement {
                effect: "Allow".into(),
                actions: st.actions.clone(),
                resources,
                line: p.line,
                bundle: Some(format!("connector {}", p.as_str().unwrap_or_default())),
                ..Default::default()
            });
        }
    }
}

/// One entry of `Policies`.
fn policy(r: &Resolver<'_>, p: &Node, resources: &Node, f: &mut Function) {
    match &p.value {
        Value::Str(name) => f.managed_policies.push(name.clone()),
        Value::Map(entries) => {
            if let Some(st) = p.get("Statement") {
                f.declared.extend(slz_project::declared_statements(r, st));
                return;
            }
            let Some((name, params)) = entries.first() else {
                return;
            };
            match slz_catalog::catalog().sam_policy_templates.get(name) {
                Some(t) => {
                    for st in &t.statements {
                        let resources = st
                            .resources
                            .iter()
                            .map(|arn| sam_arn(r, arn, params))
                            .collect();
                        f.declared.push(slz_project::DeclaredStatement {
                            effect: "Allow".into(),
                            actions: st.actions.clone(),
                            resources,
                            conditional: st.conditional,
                            line: p.line,
                            bundle: Some(name.clone()),
                            ..Default::default()
                        });
                    }
                }
                None => f
                    .managed_policies
                    .push(format!("{name} (SAM policy template not in rules/)")),
            }
        }
        _ => {
            let mut grants = slz_project::roles::RoleGrants::default();
            slz_project::roles::managed_policy(r, resources, p, &mut grants);
            grants.add_to(f);
        }
    }
}

/// A SAM policy template's ARN with its parameters filled.
fn sam_arn(r: &Resolver<'_>, arn: &str, params: &Node) -> Template {
    Template::substitute(arn, |name| {
        if name.starts_with("AWS::") {
            return Template(vec![Part::Pseudo(name.to_string())]);
        }
        match params.get(name) {
            Some(v) => r.template(v),
            None => Template::unknown(format!("{name} not given")),
        }
    })
}

fn events(r: &Resolver<'_>, props: &Node) -> Vec<Event> {
    let mut out = Vec::new();
    let list = props.get("Events").map(|e| r.deref(e));
    for (name, ev) in list.as_ref().map(|l| l.entries()).unwrap_or_default() {
        let kind = ev
            .get("Type")
            .and_then(|t| t.scalar_text())
            .unwrap_or_default();
        let empty = Node {
            value: Value::Map(Vec::new()),
            line: ev.line,
            column: ev.column,
        };
        let p = ev
            .get("Properties")
            .map_or(std::borrow::Cow::Owned(empty), |p| r.deref(p));
        let props_node = ev.get("Properties");
        let mut e = Event {
            kind: kind.clone(),
            line: ev.line,
            body: props_node.map(|pn| slz_project::EventBody {
                key_line: pn.line.saturating_sub(1),
                key_column: ev.column,
                map_line: Some(pn.line),
                map_column: Some(pn.column),
            }),
            ..Event::default()
        };
        match kind.as_str() {
            "Api" | "HttpApi" => {
                let method = p
                    .get("Method")
                    .and_then(|m| m.scalar_text())
                    .unwrap_or_else(|| "ANY".into())
                    .to_uppercase();
                let path = p
                    .get("Path")
                    .and_then(|m| m.scalar_text())
                    .unwrap_or_else(|| "/".into());
                e.description = format!("{kind} {method} {path}");
                let a = p.get("Auth");
                let authorizer = a
                    .and_then(|a| a.get("Authorizer"))
                    .and_then(|x| x.scalar_text());
                let api_key = a
                    .and_then(|a| a.get("ApiKeyRequired"))
                    .is_some_and(|k| k.value == Value::Bool(true));
                e.auth = Some(match authorizer.as_deref() {
                    Some("AWS_IAM") => "aws_iam".to_string(),
                    Some("NONE") | None if !api_key => "none".to_string(),
                    Some(x) => format!("custom:{x}"),
                    None => "api_key".to_string(),
                });
                e.method = Some(method);
                e.path = Some(path);
            }
            "SQS" => e.source = p.get("Queue").map(|q| r.template(q)),
            "SNS" => e.source = p.get("Topic").map(|q| r.template(q)),
            "S3" => e.source = p.get("Bucket").map(|q| r.template(q)),
            "DynamoDB" | "Kinesis" => e.source = p.get("Stream").map(|q| r.template(q)),
            "EventBridgeRule" | "CloudWatchEvent" => {
                e.source = Some(
                    p.get("EventBusName")
                        .map(|b| r.template(b))
                        .unwrap_or_else(|| Template::lit("default")),
                );
                e.pattern_sources = slz_project::pattern_values(r, &p, "Pattern.source");
                e.pattern_detail_types = slz_project::pattern_values(r, &p, "Pattern.detail-type");
            }
            _ => {}
        }
        if e.description.is_empty() {
            e.description = match &e.source {
                Some(t) => format!("{} {t}", kind.to_lowercase()),
                None => format!("{} {name}", kind.to_lowercase()),
            };
        }
        out.push(e);
    }
    out
}

fn destinations(
    r: &Resolver<'_>,
    props: &Node,
    resources: &BTreeMap<String, Resource>,
) -> Vec<Destination> {
    let mut out = Vec::new();
    let Some(cfg) = props.path("EventInvokeConfig.DestinationConfig") else {
        return out;
    };
    for (_, d) in cfg.entries() {
        let Some(target) = d.get("Destination") else {
            continue;
        };
        let t = r.template(target);
        let events = &slz_catalog::catalog().events;
        let kind = d
            .get("Type")
            .and_then(|k| k.as_str())
            .and_then(|ty| events.destination_by_sam_type(ty))
            .or_else(|| {
                t.0.iter()
                    .find_map(|p| match p {
                        Part::Ref(id) | Part::GetAtt(id, _) => {
                            resources.get(id).map(|r| r.resource_type.as_str())
                        }
                        _ => None,
                    })
                    .and_then(|ty| events.destination_by_resource_type(ty))
            })
            .unwrap_or(&events.default_destination);
        out.push(Destination {
            kind: kind.to_string(),
            target: t,
            line: target.line,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = r#"
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: dev
Globals:
  Function:
    Runtime: python3.12
    Environment:
      Variables:
        TABLE: !Ref Table
        STAGE: !Ref Stage
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub 'orders-${Stage}'
  PutFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ../backends/put/
      Handler: app.handler
      Environment:
        Variables:
          EXTRA: x
      Events:
        Api:
          Type: Api
          Properties:
            Path: /orders
            Method: post
  NodeFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: src/handlers/get.handler
  Broken:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: x/
"#;

    #[test]
    fn reads_sam_functions_with_globals() {
        let p = read(TEMPLATE, Path::new("infra/template.yaml"));
        assert_eq!(p.framework, Framework::Sam);
        let put = &p.functions[0];
        assert_eq!(put.name, "PutFunction");
        assert!(
            matches!(&put.code, Code::Module { module, .. } if module == Path::new("infra/../backends/put/app"))
        );
        assert_eq!(
            put.environment.get("TABLE").unwrap().to_string(),
            "${Table}"
        );
        assert_eq!(
            put.environment.get("STAGE").unwrap().to_string(),
            "${Stage}"
        );
        assert_eq!(put.environment.get("EXTRA").unwrap().to_string(), "x");
        assert_eq!(put.events[0].description, "Api POST /orders");
        assert_eq!(put.events[0].auth.as_deref(), Some("none"));
        assert_eq!(put.deployed_name.to_string(), "${PutFunction}");
        assert_eq!(
            p.resources["Table"]
                .physical_name
                .as_ref()
                .unwrap()
                .to_string(),
            "orders-${Stage}"
        );
        let node = &p.functions[1];
        assert_eq!(node.runtime.as_deref(), Some("nodejs20.x"));
        assert!(
            matches!(&node.code, Code::Module { module, .. } if module == Path::new("infra/src/handlers/get"))
        );
        let codes: Vec<&str> = p.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            ["invalid-config", "invalid-config"],
            "{:?}",
            p.diagnostics
        );
    }

    #[test]
    fn images_and_inline_code_take_nothing_from_globals_code() {
        let t = r#"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    CodeUri: src/
    Handler: app.handler
    Runtime: python3.12
    Environment:
      Variables:
        STAGE: dev
Resources:
  Img:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
      ImageConfig:
        Command: [pkg.app.main]
    Metadata:
      DockerContext: ./images/app
      Dockerfile: build/Dockerfile
  Inline:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.main
      InlineCode: |
        def main(event, context):
            return 1
  Zip:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Code:
        ZipFile: !Join ["\n", ["exports.handler = async () => 1;", "exports.x = 2;"]]
"#;
        let p = read(t, Path::new("infra/template.yaml"));
        assert_eq!(p.functions.len(), 3, "{:?}", p.diagnostics);
        let codes: Vec<&Code> = p.functions.iter().map(|f| &f.code).collect();
        assert_eq!(
            codes[0],
            &Code::Image {
                context: Some(PathBuf::from("infra/./images/app")),
                dockerfile: Some(PathBuf::from("build/Dockerfile")),
                cmd: vec!["pkg.app.main".into()],
            }
        );
        assert_eq!(p.functions[0].runtime, None);
        assert_eq!(p.functions[0].handler, "pkg.app.main");
        assert_eq!(
            p.functions[0].environment.get("STAGE").unwrap().to_string(),
            "dev"
        );
        assert_eq!(
            codes[1],
            &Code::Inline {
                language: "python".into(),
                text: "def main(event, context):\n    return 1\n".into(),
                at: Location::new("infra/template.yaml", 26, 9),
                export: "main".into(),
                substituted: false,
            }
        );
        let Code::Inline { language, text, .. } = codes[2] else {
            panic!("{:?}", codes[2]);
        };
        assert_eq!(language, "js");
        assert_eq!(text, "exports.handler = async () => 1;\nexports.x = 2;");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    }

    #[test]
    fn declared_policies_expand() {
        let t = r#"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Policies:
      - AWSLambdaBasicExecutionRole
Resources:
  T:
    Type: AWS::DynamoDB::Table
  F:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Policies:
        - DynamoDBReadPolicy:
            TableName: !Ref T
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: !GetAtt Q.Arn
  G:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Role: !GetAtt R.Arn
  R:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [s3:GetObject]
                Resource: '*'
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      Roles: [!Ref R]
      PolicyDocument:
        Statement:
          Effect: Allow
          Action: sns:Publish
          Resource: '*'
"#;
        let p = read(t, Path::new("template.yaml"));
        let f = &p.functions[0];
        assert_eq!(f.managed_policies, ["AWSLambdaBasicExecutionRole"]);
        assert!(f.declared[0]
            .actions
            .contains(&"dynamodb:Query".to_string()));
        assert_eq!(
            f.declared[0].resources[0].to_string(),
            "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${T}"
        );
        assert_eq!(f.declared[1].actions, ["sqs:SendMessage"]);
        let g = &p.functions[1];
        assert_eq!(
            g.managed_policies,
            [
                "AWSLambdaBasicExecutionRole",
                "arn:aws:iam::aws:policy/ReadOnlyAccess"
            ]
        );
        let actions: Vec<&str> = g
            .declared
            .iter()
            .flat_map(|d| d.actions.iter().map(String::as_str))
            .collect();
        assert_eq!(actions, ["s3:GetObject", "sns:Publish"]);
    }

    #[test]
    fn connectors_grant_their_permissions() {
        let t = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Queue:
    Type: AWS::SQS::Queue
  F:
    Type: AWS::Serverless::Function
    Connectors:
      ToTable:
        Properties:
          Destination: {Id: Table}
          Permissions: [Read]
    Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: src/}
  Conn:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: F}
      Destination: {Id: Queue}
      Permissions: [Write]
"#;
        let p = read(t, Path::new("template.yaml"));
        let f = &p.functions[0];
        assert!(f.declared[0]
            .actions
            .contains(&"dynamodb:Query".to_string()));
        assert_eq!(
            f.declared[0].resources[1].to_string(),
            "${Table.Arn}/index/*"
        );
        assert!(f.declared[1]
            .actions
            .contains(&"sqs:SendMessage".to_string()));
    }
}

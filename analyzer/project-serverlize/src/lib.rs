//! Serverlize-style projects: `.serverlize.config.ts` at the root and one function per folder,
//! `functions/<Name>/index.ts`, configured by an exported `config` object or a `@Function({...})`
//! class decorator (`type`, `path`, `method`, `auth`, `environment`; `function` itself is a
//! reserved word and cannot name a decorator).
//!
//! The framework never shipped a deployment mapping; this reader defines one (documented in the
//! README):
//! - auth values: `aws.iam` -> `aws_iam`, `aws.apiKey` -> `api_key`, `aws.cognitoUserPools` ->
//!   `cognito`, `none`, any other name -> `custom:<name>`; a function's `auth` overrides the global
//!   `lambda.http.auth`;
//! - every key of `.env` is a SecureString parameter `/<service>/${sls:stage}/<KEY>` that the
//!   middy `ssm` middleware fetches for every function (`ssm:GetParameters`), decrypted with the key
//!   `kms.keyArn` of the config when it names a customer-managed key (`kms:Decrypt`).

pub mod reader;

use slz_core::diagnostics::{Diagnostic, Location};
use slz_core::ir::Expr;
use slz_core::ir::ModuleIr;
use slz_core::value::{Part, Template};
use slz_project::Code;
use slz_project::{Event, Framework, Function, Project};
use std::path::{Path, PathBuf};

/// A function folder's entry file and its text.
pub struct FunctionSource {
    pub name: String,
    pub path: PathBuf,
    pub text: String,
}

/// A field of a static object expression.
fn field<'e>(e: &'e Expr, name: &str) -> Option<&'e Expr> {
    match e {
        Expr::Object(fields) => fields.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v),
        _ => None,
    }
}

fn text(e: Option<&Expr>) -> Option<String> {
    match e? {
        Expr::Str(s) | Expr::Num(s) => Some(s.clone()),
        Expr::Bool { value, .. } => Some(value.to_string()),
        _ => None,
    }
}

/// The framework's auth value in this tool's vocabulary.
pub fn auth_value(v: &str) -> String {
    match v {
        "aws.iam" | "iam" => "aws_iam".into(),
        "aws.apiKey" | "apiKey" => "api_key".into(),
        "aws.cognitoUserPools" | "cognito" => "cognito".into(),
        "none" | "" => "none".into(),
        other => format!("custom:{}", other.trim_start_matches("custom:")),
    }
}

/// How a TypeScript file becomes IR: the JS front-end's lowering, passed in by the caller (a
/// project reader depends on no language front-end).
pub type Lower<'l> = &'l dyn Fn(&Path, &str) -> ModuleIr;

/// Reads the project from the config text, the function folders and the `.env` text, lowering the
/// TypeScript with `lower_file`.
pub fn read(
    config_text: &str,
    config: &Path,
    functions: &[FunctionSource],
    dotenv: Option<&str>,
    lower_file: Lower<'_>,
) -> Project {
    let mut project = Project::new(Framework::Serverlize, config);
    let cfg_ir = lower_file(config, config_text);
    project
        .diagnostics
        .extend(cfg_ir.diagnostics.iter().cloned());
    let cfg = cfg_ir
        .exports
        .get("default")
        .or_else(|| cfg_ir.exports.get("config"))
        .cloned()
        .unwrap_or(Expr::Null);
    let root = config.parent().unwrap_or(Path::new("")).to_path_buf();
    let service = text(field(&cfg, "name")).unwrap_or_else(|| {
        root.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "service".into())
    });
    project.service = service.clone();
    let global_auth = text(
        field(&cfg, "lambda")
            .and_then(|l| field(l, "http"))
            .and_then(|h| field(h, "auth")),
    );
    let kms_key = text(field(&cfg, "kms").and_then(|k| field(k, "keyArn")));
    // `.env` keys with their lines.
    let secrets: Vec<(String, u32)> = dotenv
        .map(|t| {
            t.lines()
                .enumerate()
                .map(|(i, l)| (i, l.trim()))
                .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
                .filter_map(|(i, l)| {
                    let (k, _) = l.split_once('=')?;
                    Some((
                        k.trim().trim_start_matches("export ").to_string(),
                        u32::try_from(i + 1).unwrap_or(1),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let dotenv_path = root.join(".env");
    for src in functions {
        let ir = lower_file(&src.path, &src.text);
        project.diagnostics.extend(ir.diagnostics.iter().cloned());
        let conf = ir
            .exports
            .get("config")
            .or_else(|| ir.exports.get("@Function"))
            .cloned();
        let Some(conf) = conf else {
            project.diagnostics.push(Diagnostic::new(
                "invalid-config",
                Location::new(&src.path, 1, 1),
                format!(
                    "function `{}` has no exported `config` or `@Function({{...}})` decorator",
                    src.name
                ),
            ));
            continue;
        };
        let mut environment = slz_project::Variables::new();
        if let Some(Expr::Object(env)) = field(&conf, "environment") {
            for (k, v) in env {
                environment.insert(
                    k.clone(),
                    text(Some(v))
                        .map(Template::lit)
                        .unwrap_or_else(|| Template::unknown("a computed value")),
                );
            }
        }
        for (key, _) in &secrets {
            environment
                .entry(key.clone())
                .or_insert_with(|| Template::unknown(format!("{key} is a secret from .env")));
        }
        let mut events = Vec::new();
        if text(field(&conf, "type")).as_deref().unwrap_or("http") == "http" {
            let method = text(field(&conf, "method"))
                .unwrap_or_else(|| "get".into())
                .to_uppercase();
            let path = text(field(&conf, "path")).unwrap_or_else(|| format!("/{}", src.name));
            let auth = text(field(&conf, "auth"))
                .or_else(|| global_auth.clone())
                .unwrap_or_else(|| "none".into());
            events.push(Event {
                kind: "http".into(),
                description: format!("http {method} {path}"),
                auth: Some(auth_value(&auth)),
                method: Some(method),
                path: Some(path),
                line: 1,
                ..Event::default()
            });
        }
        let module = src.path.with_extension("");
        let export = if ir.exports.contains_key("handler") {
            "handler"
        } else {
            "default"
        };
        let mut deployed = Template::lit(format!("{service}-"));
        deployed.push(Part::DeployVar("sls:stage".into()));
        deployed.push(Part::Lit(format!("-{}", src.name)));
        let mut f = Function {
            name: src.name.clone(),
            handler: format!("{}.{export}", module.display()),
            runtime: Some("nodejs".into()),
            code: Code::Module {
                module,
                export: export.into(),
            },
            environment: environment.into(),
            events,
            managed_policies: Vec::new(),
            destinations: Vec::new(),
            implicit: Vec::new(),
            declared: Vec::new(),
            deployed_name: deployed,
            logical_id: src.name.clone(),
            location: Location::new(&src.path, 1, 1),
        };
        // The middy ssm middleware unwraps every .env secret before the handler runs.
        for (k, line) in &secrets {
            let mut arn = Template::lit("arn:aws:ssm:");
            arn.push(Part::Pseudo("AWS::Region".into()));
            arn.push(Part::Lit(":".into()));
            arn.push(Part::Pseudo("AWS::AccountId".into()));
            arn.push(Part::Lit(format!(":parameter/{service}/")));
            arn.push(Part::DeployVar("sls:stage".into()));
            arn.push(Part::Lit(format!("/{k}")));
            f.implicit.push(slz_project::ImplicitGrant {
                action: "ssm:GetParameters".into(),
                resource: arn,
                reason: format!(".env secret {k}, unwrapped by the middy ssm middleware"),
                location: Location::new(&dotenv_path, *line, 1),
            });
        }
        if let (Some(key), false) = (&kms_key, secrets.is_empty()) {
            f.implicit.push(slz_project::ImplicitGrant {
                action: "kms:Decrypt".into(),
                resource: Template::lit(key.clone()),
                reason: "the customer-managed key that encrypts the .env secrets".into(),
                location: Location::new(config, 1, 1),
            });
        }
        project.functions.push(f);
    }
    project
}

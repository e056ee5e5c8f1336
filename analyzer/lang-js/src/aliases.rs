//! Module specifiers that name files of the project without being relative, as TypeScript and
//! Node.js resolve them: `compilerOptions.paths` and `baseUrl` of the nearest `tsconfig.json` or
//! `jsconfig.json` (with the configs it `extends` inside the project), and the `imports` field
//! (`#x`) of the nearest `package.json`. Also where compiled output came from: a handler naming
//! `outDir` (`dist/handlers/x`) maps back to `rootDir` (`src/handlers/x`).
//!
//! The settings files are JSON with comments and trailing commas (as TypeScript reads them),
//! parsed once per run through the module cache.

use serde_json::Value;
use slz_core::fs::normalize;
use slz_lang::frontend::Files;
use std::path::{Path, PathBuf};

/// Most `extends` followed from one config.
const MAX_EXTENDS: usize = 8;

/// What a TypeScript or JavaScript project config says about where modules are.
#[derive(Debug, Default)]
pub struct TsConfig {
    /// Its folder.
    dir: PathBuf,
    base_url: Option<PathBuf>,
    /// `paths` patterns (`@lib/*`) and their targets, relative to `base_url` or, without one, to
    /// the folder of the config that declares them.
    paths: Vec<(String, Vec<String>)>,
    paths_base: PathBuf,
    out_dir: Option<PathBuf>,
    root_dir: Option<PathBuf>,
}

/// The files a non-relative specifier may name, in the order TypeScript and Node.js try them
/// (each a path without its extension probed, or a file).
pub fn candidates(files: Files<'_>, from: &Path, spec: &str) -> Vec<PathBuf> {
    let dir = from.parent().unwrap_or(Path::new(""));
    if spec.starts_with('#') {
        return package_imports(files, dir, spec);
    }
    let mut out = Vec::new();
    // A package of the project's npm, yarn or pnpm workspace, imported by its name.
    out.extend(workspace_package(files, dir, spec));
    let Some(config) = nearest_tsconfig(files, dir) else {
        return out;
    };
    for (pattern, targets) in &config.paths {
        let Some(star) = matches(pattern, spec) else {
            continue;
        };
        for t in targets {
            let target = t.replacen('*', star, 1);
            out.extend(normalize(&config.paths_base.join(target)));
        }
    }
    if let Some(base) = &config.base_url {
        out.extend(normalize(&base.join(spec)));
    }
    out
}

/// The sources a compiled module (`dist/handlers/x`, without extension) was built from:
/// `rootDir` (else the config's folder, then `src`) in place of `outDir`, for each config above it.
pub fn sources_of_output(files: Files<'_>, module: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in module.ancestors().skip(1) {
        let Some(config) = tsconfig_in(files, dir) else {
            continue;
        };
        let Some(out_dir) = &config.out_dir else {
            continue;
        };
        let Ok(rest) = module.strip_prefix(out_dir) else {
            continue;
        };
        match &config.root_dir {
            Some(root) => out.push(root.join(rest)),
            None => {
                out.push(config.dir.join(rest));
                out.push(config.dir.join("src").join(rest));
            }
        }
    }
    out.into_iter().filter_map(|p| normalize(&p)).collect()
}

/// The packages of a workspace: each member folder by its package name.
#[derive(Debug, Default)]
struct Workspace {
    members: Vec<(String, PathBuf)>,
}

/// Most member folders listed for one workspace.
const MAX_MEMBERS: usize = 1_000;

/// The files `spec` names when its first segments are the name of a package of the nearest
/// workspace above `dir` (`@acme/shared`, `@acme/shared/db`): the subpath inside the package, or
/// the package's entry (`source`, `main`, `module`, else `src/index` and `index`; compiled output
/// is looked for as the source beside it).
fn workspace_package(files: Files<'_>, dir: &Path, spec: &str) -> Vec<PathBuf> {
    let Some(ws) = dir.ancestors().find_map(|d| workspace_in(files, d)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, member) in &ws.members {
        let rest = match spec.strip_prefix(name.as_str()) {
            Some("") => None,
            Some(r) if r.starts_with('/') => Some(&r[1..]),
            _ => continue,
        };
        match rest {
            Some(sub) => out.extend(normalize(&member.join(sub))),
            None => {
                let pkg = files
                    .fs
                    .read(&member.join("package.json"))
                    .ok()
                    .and_then(|t| parse_jsonc(&t));
                for key in ["source", "main", "module"] {
                    if let Some(entry) = pkg
                        .as_ref()
                        .and_then(|p| p.get(key))
                        .and_then(Value::as_str)
                    {
                        if let Some(p) = normalize(&member.join(entry)) {
                            let stem = p.with_extension("");
                            out.extend(sources_of_output(files, &stem));
                            out.push(p);
                        }
                    }
                }
                out.push(member.join("src/index"));
                out.push(member.join("index"));
            }
        }
    }
    out
}

/// The workspace whose root is `dir`: `workspaces` of its package.json (a list, or
/// `{packages: [...]}`), or `packages:` of its pnpm-workspace.yaml; members given as folders or
/// `folder/*`.
fn workspace_in(files: Files<'_>, dir: &Path) -> Option<std::sync::Arc<Workspace>> {
    let package = dir.join("package.json");
    let pnpm = dir.join("pnpm-workspace.yaml");
    if !files.fs.is_file(&package) && !files.fs.is_file(&pnpm) {
        return None;
    }
    // Read once per folder, an empty workspace included; keyed apart from the package.json
    // itself, which `imports` reads as JSON.
    let key = dir.join("package.json#workspaces");
    let ws = files.cache.setting(&key, || {
        Some(Workspace {
            members: members(files, dir, &workspace_globs(files, &package, &pnpm)),
        })
    })?;
    (!ws.members.is_empty()).then_some(ws)
}

/// The member globs of a workspace root.
fn workspace_globs(files: Files<'_>, package: &Path, pnpm: &Path) -> Vec<String> {
    if let Ok(text) = files.fs.read(pnpm) {
        return text
            .lines()
            .map(str::trim)
            .filter_map(|l| l.strip_prefix("- "))
            .map(|g| g.trim().trim_matches(|c| c == '\'' || c == '"').to_string())
            .collect();
    }
    let Some(json) = files.fs.read(package).ok().and_then(|t| parse_jsonc(&t)) else {
        return Vec::new();
    };
    let Some(list) = json.get("workspaces") else {
        return Vec::new();
    };
    list.get("packages")
        .unwrap_or(list)
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// The member folders `globs` name under `dir`, by package name, the longest names first
/// (`@acme/shared-db` before `@acme/shared`).
fn members(files: Files<'_>, dir: &Path, globs: &[String]) -> Vec<(String, PathBuf)> {
    let mut members = Vec::new();
    for glob in globs {
        let folders: Vec<PathBuf> = match glob.strip_suffix("/*") {
            Some(parent) => match normalize(&dir.join(parent)) {
                Some(parent) => files
                    .fs
                    .list_dir(&parent)
                    .map(|l| l.folders().map(|f| parent.join(f)).collect())
                    .unwrap_or_default(),
                None => Vec::new(),
            },
            None if !glob.contains('*') => normalize(&dir.join(glob)).into_iter().collect(),
            None => Vec::new(),
        };
        for folder in folders.into_iter().take(MAX_MEMBERS) {
            let name = files
                .fs
                .read(&folder.join("package.json"))
                .ok()
                .and_then(|t| parse_jsonc(&t))
                .and_then(|p| p.get("name").and_then(Value::as_str).map(str::to_string));
            if let Some(name) = name {
                members.push((name, folder));
            }
        }
    }
    members.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    members
}

/// What `*` stands for when `spec` matches `pattern` (`""` for an exact match).
fn matches<'s>(pattern: &str, spec: &'s str) -> Option<&'s str> {
    match pattern.split_once('*') {
        None => (pattern == spec).then_some(""),
        Some((prefix, suffix)) => {
            let rest = spec.strip_prefix(prefix)?;
            rest.strip_suffix(suffix)
                .filter(|_| rest.len() >= suffix.len())
        }
    }
}

/// The nearest `tsconfig.json` or `jsconfig.json` in `dir` or above it.
fn nearest_tsconfig(files: Files<'_>, dir: &Path) -> Option<std::sync::Arc<TsConfig>> {
    dir.ancestors().find_map(|d| tsconfig_in(files, d))
}

/// The `tsconfig.json` (else `jsconfig.json`) of folder `dir`.
fn tsconfig_in(files: Files<'_>, dir: &Path) -> Option<std::sync::Arc<TsConfig>> {
    ["tsconfig.json", "jsconfig.json"].iter().find_map(|name| {
        let path = dir.join(name);
        if !files.fs.is_file(&path) {
            return None;
        }
        files
            .cache
            .setting(&path, || Some(read_tsconfig(files, &path, 0)))
    })
}

/// A config and the configs it extends (inside the project), the nearer settings winning.
fn read_tsconfig(files: Files<'_>, path: &Path, depth: usize) -> TsConfig {
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut config = TsConfig {
        dir: dir.clone(),
        paths_base: dir.clone(),
        ..TsConfig::default()
    };
    let Some(json) = files.fs.read(path).ok().and_then(|t| parse_jsonc(&t)) else {
        return config;
    };
    if let Some(parent) = json.get("extends").and_then(Value::as_str) {
        if depth < MAX_EXTENDS && parent.starts_with('.') {
            // `./tsconfig.base` names `./tsconfig.base.json`, as TypeScript reads it.
            let parent = if parent.ends_with(".json") {
                dir.join(parent)
            } else {
                dir.join(format!("{parent}.json"))
            };
            if let Some(parent) = normalize(&parent) {
                let base = read_tsconfig(files, &parent, depth + 1);
                config.base_url = base.base_url;
                config.paths = base.paths;
                config.paths_base = base.paths_base;
                config.out_dir = base.out_dir;
                config.root_dir = base.root_dir;
            }
        }
    }
    let Some(options) = json.get("compilerOptions") else {
        return config;
    };
    let at = |key: &str| {
        options
            .get(key)
            .and_then(Value::as_str)
            .and_then(|p| normalize(&dir.join(p)))
    };
    if let Some(base) = at("baseUrl") {
        config.paths_base = base.clone();
        config.base_url = Some(base);
    }
    if let Some(paths) = options.get("paths").and_then(Value::as_object) {
        config.paths = paths
            .iter()
            .map(|(pattern, targets)| {
                let targets = targets
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect();
                (pattern.clone(), targets)
            })
            .collect();
        if config.base_url.is_none() {
            config.paths_base = dir.clone();
        }
    }
    if let Some(out) = at("outDir") {
        config.out_dir = Some(out);
    }
    if let Some(root) = at("rootDir") {
        config.root_dir = Some(root);
    }
    config
}

/// `#x` through the `imports` of the nearest `package.json` in `dir` or above it: the target
/// for the exact name or a `#x/*` pattern, a string or the first string of a conditions object.
fn package_imports(files: Files<'_>, dir: &Path, spec: &str) -> Vec<PathBuf> {
    let Some((pkg_dir, imports)) = dir.ancestors().find_map(|d| {
        let path = d.join("package.json");
        if !files.fs.is_file(&path) {
            return None;
        }
        let json = files.cache.setting(&path, || {
            files.fs.read(&path).ok().and_then(|t| parse_jsonc(&t))
        })?;
        Some((d.to_path_buf(), json.get("imports")?.clone()))
    }) else {
        return Vec::new();
    };
    let Some(map) = imports.as_object() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (pattern, target) in map {
        let Some(star) = matches(pattern, spec) else {
            continue;
        };
        if let Some(t) = first_target(target) {
            out.extend(normalize(&pkg_dir.join(t.replacen('*', star, 1))));
        }
    }
    out
}

/// A target string, or the first string of a conditions object (`node`, `import`, `require`,
/// `default`, in the order written).
fn first_target(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Object(conditions) => conditions.values().find_map(first_target),
        _ => None,
    }
}

/// JSON with `//` and `/* */` comments and trailing commas, as TypeScript reads its configs.
fn parse_jsonc(text: &str) -> Option<Value> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            _ => out.push(c),
        }
    }
    // Trailing commas: a comma whose next non-space character closes the object or array.
    let bytes: Vec<char> = out.chars().collect();
    let mut cleaned = String::with_capacity(out.len());
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            cleaned.push(c);
            if c == '\\' {
                if let Some(n) = bytes.get(i + 1) {
                    cleaned.push(*n);
                    i += 1;
                }
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            cleaned.push(c);
        } else if c == ',' {
            let next = bytes[i + 1..].iter().find(|c| !c.is_whitespace());
            if !matches!(next, Some('}') | Some(']')) {
                cleaned.push(c);
            }
        } else {
            cleaned.push(c);
        }
        i += 1;
    }
    serde_json::from_str(&cleaned).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use slz_core::cache::ModuleCache;
    use slz_core::fs::MemFs;

    #[test]
    fn comments_and_trailing_commas() {
        let v = parse_jsonc(
            "{\n // a comment\n \"a\": \"x // not a comment\", /* block */ \"b\": [1, 2,],\n}",
        )
        .unwrap();
        assert_eq!(v["a"], "x // not a comment");
        assert_eq!(v["b"], serde_json::json!([1, 2]));
    }

    #[test]
    fn patterns() {
        assert_eq!(matches("@lib/*", "@lib/db/x"), Some("db/x"));
        assert_eq!(matches("@config", "@config"), Some(""));
        assert_eq!(matches("@lib/*", "lodash"), None);
        assert_eq!(matches("*.js", "a.js"), Some("a"));
    }

    #[test]
    fn paths_base_url_extends_imports_and_out_dir() {
        let fs = MemFs::new([
            ("svc/tsconfig.base.json", "{\"compilerOptions\": {\"outDir\": \"dist\", \"rootDir\": \"src\"}}"),
            (
                "svc/tsconfig.json",
                "{ \"extends\": \"./tsconfig.base\", // comment\n \"compilerOptions\": { \"baseUrl\": \".\", \"paths\": { \"@libs/*\": [\"src/libs/*\"], }, }, }",
            ),
            ("svc/package.json", "{\"imports\": {\"#db\": {\"node\": \"./src/db.js\"}, \"#util/*\": \"./src/util/*.js\"}}"),
            ("svc/src/handler.ts", ""),
        ]);
        let cache = ModuleCache::default();
        let files = Files {
            fs: &fs,
            cache: &cache,
        };
        let from = Path::new("svc/src/handler.ts");
        assert_eq!(
            candidates(files, from, "@libs/dynamo"),
            vec![
                PathBuf::from("svc/src/libs/dynamo"),
                PathBuf::from("svc/@libs/dynamo")
            ]
        );
        assert_eq!(
            candidates(files, from, "#db"),
            vec![PathBuf::from("svc/src/db.js")]
        );
        assert_eq!(
            candidates(files, from, "#util/time"),
            vec![PathBuf::from("svc/src/util/time.js")]
        );
        assert_eq!(
            sources_of_output(files, Path::new("svc/dist/handlers/get")),
            vec![PathBuf::from("svc/src/handlers/get")]
        );
    }

    #[test]
    fn pnpm_workspace_packages_by_name_longest_first() {
        let fs = MemFs::new([
            ("pnpm-workspace.yaml", "packages:\n  - 'libs/*'\n"),
            ("libs/shared/package.json", "{\"name\": \"@acme/shared\"}"),
            (
                "libs/shared-db/package.json",
                "{\"name\": \"@acme/shared-db\", \"main\": \"lib/db.js\"}",
            ),
            ("svc/handler.js", ""),
        ]);
        let cache = ModuleCache::default();
        let files = Files {
            fs: &fs,
            cache: &cache,
        };
        let from = Path::new("svc/handler.js");
        assert_eq!(
            candidates(files, from, "@acme/shared-db"),
            vec![
                PathBuf::from("libs/shared-db/lib/db.js"),
                PathBuf::from("libs/shared-db/src/index"),
                PathBuf::from("libs/shared-db/index"),
            ]
        );
        assert_eq!(
            candidates(files, from, "@acme/shared/x"),
            vec![PathBuf::from("libs/shared/x")]
        );
        assert!(candidates(files, from, "@aws-sdk/client-s3").is_empty());
    }
}

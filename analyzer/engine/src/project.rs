//! The project formats, as the engine and its embedders reach them: the model and the shared
//! readers of `slz-project`, one module per format, and the registry of formats ([`reader`] is the
//! trait each implements).

pub use slz_project::*;
pub use slz_project_cargo_lambda as cargo;
pub use slz_project_sam as sam;
pub use slz_project_serverless as serverless;

/// Serverlize projects, read with the JS front-end's lowering.
pub mod serverlize {
    use slz_project::Project;
    pub use slz_project_serverlize::FunctionSource;
    use std::path::Path;

    /// Reads the project from the config text, the function folders and the `.env` text.
    pub fn read(
        config_text: &str,
        config: &Path,
        functions: &[FunctionSource],
        dotenv: Option<&str>,
    ) -> Project {
        slz_project_serverlize::read(
            config_text,
            config,
            functions,
            dotenv,
            &slz_lang_js::lower::lower_file,
        )
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use slz_core::dir::MAX_DIR_ENTRIES;
        use slz_core::fs::MemFs;

        const CONFIG: &str = "export default { name: 'app' };\n";
        const HANDLER: &str =
            "export const config = { path: '/x' };\nexport const handler = async () => 1;\n";

        #[test]
        fn function_folders_come_from_the_listing_in_order() {
            let fs = MemFs::new([
                ("app/.serverlize.config.ts", CONFIG),
                ("app/functions/Zeta/index.js", HANDLER),
                ("app/functions/Alpha/index.ts", HANDLER),
                ("app/functions/Empty/readme.md", "nothing here"),
                ("app/functions/notes.txt", "a file, not a function"),
            ]);
            let p = super::super::read(Path::new("app/.serverlize.config.ts"), CONFIG, &fs);
            let names: Vec<&str> = p.functions.iter().map(|f| f.name.as_str()).collect();
            assert_eq!(names, ["Alpha", "Zeta"]);
            assert_eq!(
                p.functions[1].location.file,
                Path::new("app/functions/Zeta/index.js")
            );
            assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        }

        #[test]
        fn a_functions_folder_over_the_limit_is_read_in_part_and_says_so() {
            let mut files: Vec<(String, String)> = (0..=MAX_DIR_ENTRIES)
                .map(|i| (format!("functions/F{i:06}/readme.md"), String::new()))
                .collect();
            // Sorts last: past the limit, so not read.
            files.push(("functions/Zz/index.ts".into(), HANDLER.into()));
            files.push(("functions/A/index.ts".into(), HANDLER.into()));
            let fs = MemFs::new(files);
            let p = super::super::read(Path::new(".serverlize.config.ts"), CONFIG, &fs);
            let names: Vec<&str> = p.functions.iter().map(|f| f.name.as_str()).collect();
            assert_eq!(names, ["A"]);
            let d = p
                .diagnostics
                .iter()
                .find(|d| d.code == "too-many-entries")
                .expect("a too-many-entries diagnostic");
            assert!(d.message.contains("the 3 past the first"), "{}", d.message);
            assert_eq!(d.location.file, Path::new(".serverlize.config.ts"));
        }
    }
}

/// The project formats, in the order a folder's config names are looked for and a parsed YAML
/// config is offered to them: the one place that lists them.
static READERS: LazyLock<[Box<dyn ProjectReader>; 5]> = LazyLock::new(|| {
    [
        Box::new(slz_project_serverless::reader::Serverless),
        Box::new(slz_project_sam::reader::Template {
            framework: Framework::Sam,
        }),
        Box::new(slz_project_sam::reader::Template {
            framework: Framework::Cloudformation,
        }),
        Box::new(slz_project_serverlize::reader::Serverlize {
            lower: slz_lang_js::lower::lower_file,
        }),
        Box::new(slz_project_cargo_lambda::reader::CargoLambda),
    ]
});

/// Every project format.
pub fn readers() -> impl Iterator<Item = &'static dyn ProjectReader> {
    READERS.iter().map(|r| r.as_ref())
}

/// The reader of `framework`.
pub fn reader(framework: Framework) -> &'static dyn ProjectReader {
    readers()
        .find(|r| r.framework() == framework)
        .unwrap_or(READERS[0].as_ref())
}

/// Config file names looked for, in order, when a folder is given without a config.
pub fn config_names() -> Vec<&'static str> {
    readers()
        .flat_map(|r| r.config_names().iter().copied())
        .collect()
}

/// Reads the project whose config is `config` (relative to the project root), with text
/// `source`: by the format that claims the file, else as a YAML or JSON config parsed once and
/// read by the first format that recognises it.
pub fn read(config: &Path, source: &str, fs: &dyn SourceFs) -> Project {
    let program = config
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "ts" | "js" | "mts" | "mjs" | "cts" | "cjs"));
    match readers().find(|r| r.reads_file(config)) {
        Some(reader) => shrunk(reader.read(config, source, fs)),
        None if program => {
            let mut project = Project::new(Framework::Serverless, config);
            project.diagnostics.push(slz_core::diagnostics::Diagnostic::new(
                "unsupported-config",
                slz_core::diagnostics::Location::new(config, 1, 1),
                format!(
                    "{} is a program the Serverless Framework runs to get its configuration; slz-iam does not evaluate it yet (a serverless.yml, serverless.json or template is read)",
                    config.display()
                ),
            ));
            project
        }
        None => read_yaml_with(source, config, fs),
    }
}

/// `project` with the spare capacity of its functions' lists given back: it is held for the
/// whole run.
fn shrunk(mut project: Project) -> Project {
    for f in &mut project.functions {
        f.shrink();
    }
    project
}

/// Reads a YAML or JSON config, parsed once: a CloudFormation/SAM template when it has
/// `Resources` and no `service`/`functions`, else a serverless.yml. A config that does not parse
/// gives an empty serverless project with its `config-parse-error`.
/// Files it includes are not read: [`read`] reads them.
pub fn read_yaml_config(source: &str, config: &Path) -> Project {
    read_yaml_with(source, config, &slz_core::fs::MemFs::default())
}

/// [`read_yaml_config`], with the files the config includes read through `fs`.
fn read_yaml_with(source: &str, config: &Path, fs: &dyn SourceFs) -> Project {
    let mut project = Project::new(Framework::Serverless, config);
    shrunk(match project.parse_yaml(source) {
        Some(root) => match readers().find(|r| r.detects(&root)) {
            Some(reader) => reader.read_tree(project, &root, fs),
            None => project,
        },
        None => project,
    })
}

use reader::ProjectReader;
use slz_core::fs::SourceFs;
use std::path::Path;
use std::sync::LazyLock;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_templates_and_detection() {
        let json = r#"{"Resources": {"F": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "index.handler", "Runtime": "nodejs20.x", "Code": "src"}}}}"#;
        let sls = read_yaml_config("service: x\nfunctions: {}\n", Path::new("s.yml"));
        assert_eq!(sls.framework, Framework::Serverless);
        let p = read_yaml_config(json, Path::new("stack.json"));
        assert_eq!(p.framework, Framework::Cloudformation);
        assert_eq!(
            p.functions[0].code,
            Code::Module {
                module: "src/index".into(),
                export: "handler".into()
            }
        );
    }

    fn codes(source: &str, config: &str) -> Vec<(&'static str, u32)> {
        let project = read_yaml_config(source, Path::new(config));
        project
            .diagnostics
            .iter()
            .map(|d| (d.code, d.location.line))
            .collect()
    }

    #[test]
    fn a_repeated_key_is_read_as_each_framework_reads_it() {
        let sls = "service: s\nprovider:\n  name: aws\nfunctions:\n  a:\n    handler: a.handler\n    handler: b.handler\n";
        // js-yaml (Serverless Framework) refuses it; `JSON.parse` keeps the last one.
        assert_eq!(codes(sls, "serverless.yml"), [("config-parse-error", 7)]);
        let json = r#"{"service": "s", "functions": {"a": {"handler": "a.h", "handler": "b.h"}}}"#;
        assert_eq!(codes(json, "serverless.json"), [("duplicate-key", 1)]);
        let project = read_yaml_config(json, Path::new("serverless.json"));
        assert_eq!(project.functions[0].handler, "b.h");
        // SAM CLI and CloudFormation keep the last one.
        let sam = "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.h\n      CodeUri: src/\n      Handler: b.h\n";
        assert_eq!(codes(sam, "template.yaml"), [("duplicate-key", 7)]);
        let project = read_yaml_config(sam, Path::new("template.yaml"));
        assert_eq!(project.functions[0].handler, "b.h");
    }

    #[test]
    fn a_provider_other_than_aws_is_unsupported() {
        let azure =
            "service: s\nprovider:\n  name: azure\nfunctions:\n  a:\n    handler: a.handler\n";
        let project = read_yaml_config(azure, Path::new("serverless.yml"));
        assert!(project.functions.is_empty());
        assert_eq!(
            codes(azure, "serverless.yml"),
            [("unsupported-provider", 3)]
        );
        assert_eq!(
            codes("service: s\nprovider: google\n", "serverless.yml"),
            [("unsupported-provider", 2)]
        );
        // AWS in any case, or a name only known at deploy time, is read.
        for provider in ["AWS", "${opt:provider, 'aws'}"] {
            let config = format!("service: s\nprovider:\n  name: {provider}\nfunctions:\n  a:\n    handler: a.handler\n");
            let project = read_yaml_config(&config, Path::new("serverless.yml"));
            assert_eq!(project.functions.len(), 1, "{provider}");
        }
    }

    #[test]
    fn a_config_that_is_a_program_is_unsupported_not_misparsed() {
        let fs = slz_core::fs::MemFs::default();
        let p = read(
            Path::new("serverless.ts"),
            "export default { service: 'x' };",
            &fs,
        );
        let codes: Vec<&str> = p.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["unsupported-config"]);
        // A Serverlize config is a program too, read by its own format.
        let p = read(
            Path::new(".serverlize.config.ts"),
            "export default { name: 'x' };",
            &fs,
        );
        assert_eq!(p.framework, Framework::Serverlize);
    }
}

//! The project formats, as the engine and its embedders reach them: the model and the shared
//! readers of `slz-project`, one module per format, and the reading of a YAML or JSON config.

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

    /// Reads the project at config `config`: `functions/` next to it listed, and the function
    /// files and `.env` read, through `fs`.
    pub fn read_from(config_text: &str, config: &Path, fs: &dyn slz_core::fs::SourceFs) -> Project {
        slz_project_serverlize::read_from(config_text, config, fs, &slz_lang_js::lower::lower_file)
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
            let p = read_from(CONFIG, Path::new("app/.serverlize.config.ts"), &fs);
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
            let p = read_from(CONFIG, Path::new(".serverlize.config.ts"), &fs);
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

/// Reads a YAML or JSON config, parsed once: a CloudFormation/SAM template when it has
/// `Resources` and no `service`/`functions`, else a serverless.yml. A config that does not parse
/// gives an empty serverless project with its `config-parse-error`.
pub fn read_yaml_config(source: &str, config: &Path) -> Project {
    let mut project = Project::new(Framework::Serverless, config);
    let mut project = match project.parse_yaml(source) {
        Some(root) if sam::is_template(&root) => sam::from_tree(project, &root),
        Some(root) => serverless::from_tree(project, &root),
        None => project,
    };
    for f in &mut project.functions {
        f.shrink();
    }
    project
}

use std::path::Path;

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
}

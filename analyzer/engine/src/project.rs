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

//! serverless.yml as a [`ProjectReader`]: the format of any YAML or JSON config that is not a
//! template.

use slz_core::fs::SourceFs;
use slz_project::includes::Includes;
use slz_project::reader::{ConfigDialect, ProjectReader};
use slz_project::yaml::Node;
use slz_project::{Framework, Project};
use std::path::Path;

pub struct Serverless;

impl ProjectReader for Serverless {
    fn framework(&self) -> Framework {
        Framework::Serverless
    }

    fn config_names(&self) -> &'static [&'static str] {
        &[
            "serverless.yml",
            "serverless.yaml",
            "serverless.json",
            "serverless.ts",
            "serverless.js",
        ]
    }

    /// Any parsed config but a template (`Resources` with neither `service` nor `functions`).
    fn detects(&self, root: &Node) -> bool {
        root.get("Resources").is_none()
            || root.get("functions").is_some()
            || root.get("service").is_some()
    }

    /// With the files the config includes (`${file(...)}`), read through `fs`.
    fn read_tree(&self, project: Project, root: &Node, fs: &dyn SourceFs) -> Project {
        let includes = Includes::load(root, &project.config, fs);
        crate::from_tree_with(project, root, &includes)
    }

    fn resolves_plain_variables(&self) -> bool {
        true
    }

    fn shares_a_default_role(&self) -> bool {
        true
    }

    fn dialect(&self) -> Option<ConfigDialect> {
        Some(ConfigDialect::Serverless)
    }

    /// The config, `.env`, and any YAML, JSON or other data file it may include with
    /// `${file(...)}`.
    fn reshapes(&self, changed: &Path) -> bool {
        let name = changed.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ext = changed.extension().and_then(|e| e.to_str()).unwrap_or("");
        name == ".env"
            || self.config_names().contains(&name)
            || matches!(ext, "yml" | "yaml" | "json")
    }
}

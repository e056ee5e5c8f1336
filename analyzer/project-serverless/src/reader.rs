//! serverless.yml as a [`ProjectReader`]: the format of any YAML or JSON config that is not a
//! template.

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
        &["serverless.yml", "serverless.yaml"]
    }

    /// Any parsed config but a template (`Resources` with neither `service` nor `functions`).
    fn detects(&self, root: &Node) -> bool {
        root.get("Resources").is_none()
            || root.get("functions").is_some()
            || root.get("service").is_some()
    }

    fn read_tree(&self, project: Project, root: &Node) -> Project {
        crate::from_tree(project, root)
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

    /// The config, and the files its `${file(...)}` variables include.
    fn reshapes(&self, changed: &Path) -> bool {
        let name = changed.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name == ".env" || self.config_names().contains(&name)
    }
}

//! SAM and CloudFormation templates as [`ProjectReader`]s: one format each (a template with the
//! `AWS::Serverless` transform is SAM), read by the same reader.

use slz_core::fs::SourceFs;
use slz_project::reader::{ConfigDialect, ProjectReader};
use slz_project::yaml::Node;
use slz_project::{Framework, Project};
use std::path::Path;

/// Templates of `framework` (`Sam` or `Cloudformation`).
pub struct Template {
    pub framework: Framework,
}

impl ProjectReader for Template {
    fn framework(&self) -> Framework {
        self.framework
    }

    fn config_names(&self) -> &'static [&'static str] {
        match self.framework {
            Framework::Sam => &["template.yaml", "template.yml", "template.json"],
            _ => &[],
        }
    }

    fn detects(&self, root: &Node) -> bool {
        crate::is_template(root)
    }

    /// Decides between SAM and CloudFormation by the template's `Transform`; local nested
    /// stacks are read through `fs`.
    fn read_tree(&self, project: Project, root: &Node, fs: &dyn SourceFs) -> Project {
        let mut project = crate::from_tree(project, root);
        crate::nested::read(&mut project, root, fs);
        project
    }

    fn dialect(&self) -> Option<ConfigDialect> {
        Some(ConfigDialect::Template)
    }

    fn reshapes(&self, changed: &Path) -> bool {
        let name = changed.file_name().and_then(|n| n.to_str()).unwrap_or("");
        Template {
            framework: Framework::Sam,
        }
        .config_names()
        .contains(&name)
    }
}

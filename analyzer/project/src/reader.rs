//! The [`ProjectReader`] trait: everything the engine, the editor and the CLI ask of a project
//! format. A new format is a crate implementing it plus one line in the engine's registry; nothing
//! else matches on a [`Framework`].

use crate::yaml::Node;
use crate::{Framework, Project};
use slz_core::fs::SourceFs;
use std::path::Path;

/// How a config that the tool may edit lays out roles and resources.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigDialect {
    /// serverless.yml: `provider.iam`, per-function `iamRoleStatements`, template resources under
    /// `resources.Resources`.
    Serverless,
    /// A SAM or CloudFormation template: `Policies` / `AWS::IAM::Role` resources under
    /// `Resources`.
    Template,
}

impl ConfigDialect {
    /// Where the config's template resources are.
    pub fn resources_path(self) -> &'static str {
        match self {
            ConfigDialect::Serverless => "resources.Resources",
            ConfigDialect::Template => "Resources",
        }
    }
}

/// A project format.
pub trait ProjectReader: Send + Sync {
    /// The format, as the report names it.
    fn framework(&self) -> Framework;

    /// Config file names of this format, in the order a folder is searched for one.
    fn config_names(&self) -> &'static [&'static str];

    /// Whether `config` (a path relative to the project root) is read by this format's reader
    /// rather than as a YAML or JSON config whose content decides its format.
    fn reads_file(&self, _config: &Path) -> bool {
        false
    }

    /// Reads the project whose config is `config`, with text `source`; other files the model
    /// needs come through `fs`. Never fails: what cannot be read is a diagnostic in the project.
    /// A YAML or JSON format reads the parsed tree ([`ProjectReader::read_tree`]).
    fn read(&self, config: &Path, source: &str, fs: &dyn SourceFs) -> Project {
        let mut project = Project::new(self.framework(), config);
        match project.parse_yaml(source) {
            Some(root) => self.read_tree(project, &root, fs),
            None => project,
        }
    }

    /// For a YAML or JSON format: whether a parsed config is of this format.
    fn detects(&self, _root: &Node) -> bool {
        false
    }

    /// For a YAML or JSON format: the project from the parsed config, into `project` (which holds
    /// the config's path and the diagnostics of parsing it); files the config includes come
    /// through `fs`.
    fn read_tree(&self, project: Project, _root: &Node, _fs: &dyn SourceFs) -> Project {
        project
    }

    /// Whether plain strings in its policies may hold deploy-time variables (`${aws:region}`),
    /// resolved by the framework; otherwise an ARN with variables needs `Fn::Sub`.
    fn resolves_plain_variables(&self) -> bool {
        false
    }

    /// Whether its config declares the functions' roles (a crate without deployment config
    /// declares none, so no grant can be found missing from one).
    fn declares_roles(&self) -> bool {
        true
    }

    /// Whether all functions without a role of their own share one role of the config (the
    /// serverless.yml provider role).
    fn shares_a_default_role(&self) -> bool {
        false
    }

    /// The layout of its config for edits; None when the tool does not write into it.
    fn dialect(&self) -> Option<ConfigDialect> {
        None
    }

    /// Whether a change to `changed` (relative to the config's folder) may change the project
    /// model, not only a function's code: the config itself, files it includes, `.env`.
    fn reshapes(&self, changed: &Path) -> bool {
        changed.file_name().is_some_and(|n| n == ".env")
    }
}

//! The one registry of output formats: each command's `--format` names, in the order `--help`
//! lists them, and the [`Emitter`] behind each.

use super::{diff, findings, graph, json, sam, yaml, Emitter};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

/// The commands that print a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Generate,
    Check,
    Graph,
}

/// A `--format` value of a command.
pub struct Format {
    pub command: Command,
    pub name: &'static str,
    /// Shown by `--help` next to the name.
    pub help: Option<&'static str>,
    pub emitter: &'static dyn Emitter,
}

pub static FORMATS: &[Format] = &[
    Format {
        command: Command::Generate,
        name: "yaml",
        help: Some("serverless.yml `functions.<fn>.iam.role.statements` blocks"),
        emitter: &yaml::Yaml,
    },
    Format {
        command: Command::Generate,
        name: "json",
        help: Some("The machine-readable contract"),
        emitter: &json::Json,
    },
    Format {
        command: Command::Generate,
        name: "sam",
        help: Some("SAM `Policies:` blocks per function"),
        emitter: &sam::Sam,
    },
    Format {
        command: Command::Generate,
        name: "diff",
        help: Some("A unified diff of the config applying the recommended endpoint auth"),
        emitter: &diff::Diff,
    },
    Format {
        command: Command::Check,
        name: "text",
        help: None,
        emitter: &findings::text::Text,
    },
    Format {
        command: Command::Check,
        name: "json",
        help: None,
        emitter: &findings::json::Json,
    },
    Format {
        command: Command::Check,
        name: "sarif",
        help: None,
        emitter: &findings::sarif::Sarif,
    },
    Format {
        command: Command::Check,
        name: "github",
        help: None,
        emitter: &findings::github::Github,
    },
    Format {
        command: Command::Graph,
        name: "dot",
        help: None,
        emitter: &graph::dot::Dot,
    },
    Format {
        command: Command::Graph,
        name: "mermaid",
        help: None,
        emitter: &graph::mermaid::Mermaid,
    },
    Format {
        command: Command::Graph,
        name: "json",
        help: None,
        emitter: &graph::json::Json,
    },
];

/// The format `name` of `command`.
pub fn lookup(command: Command, name: &str) -> Option<&'static Format> {
    FORMATS
        .iter()
        .find(|f| f.command == command && f.name == name)
}

/// The `--format` argument of `command`: one of its names, as its [`Format`].
pub fn parser(command: Command) -> impl TypedValueParser<Value = &'static Format> {
    let values = FORMATS
        .iter()
        .filter(move |f| f.command == command)
        .map(|f| {
            let v = PossibleValue::new(f.name);
            match f.help {
                Some(h) => v.help(h),
                None => v,
            }
        });
    PossibleValuesParser::new(values).try_map(move |name: String| {
        lookup(command, &name).ok_or_else(|| format!("no format {name}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_command() {
        for (i, f) in FORMATS.iter().enumerate() {
            assert!(
                !FORMATS[..i]
                    .iter()
                    .any(|g| g.command == f.command && g.name == f.name),
                "{} is registered twice for {:?}",
                f.name,
                f.command
            );
            assert!(std::ptr::eq(lookup(f.command, f.name).unwrap(), f));
        }
        assert!(lookup(Command::Graph, "sarif").is_none());
    }
}

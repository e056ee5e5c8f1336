//! The `slz-iam` command line: configuration discovery, disk access, subcommands and emitters
//! around the analyzer library. The binary (`main.rs`) only parses arguments.

pub mod commands;
pub mod emit;
pub mod fs;
pub mod gate;
pub mod lsp;
pub mod project;
pub mod write;

/// Output formats of `generate`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    /// serverless.yml `functions.<fn>.iam.role.statements` blocks.
    Yaml,
    /// The machine-readable contract.
    Json,
    /// SAM `Policies:` blocks per function.
    Sam,
    /// A unified diff of the config applying the recommended endpoint auth.
    Diff,
}

/// Output formats of `graph`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Json,
}

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Sarif,
    Github,
}

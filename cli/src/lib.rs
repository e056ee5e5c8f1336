//! The `slz-iam` command line: configuration discovery, disk access, subcommands and emitters
//! around the analyzer library. The binary (`main.rs`) only parses arguments.

pub mod commands;
pub mod emit;
pub mod fs;
pub mod gate;
pub mod lsp;
pub mod project;
pub mod write;

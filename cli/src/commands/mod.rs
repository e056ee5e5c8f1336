//! The subcommands. Each returns the exit status, or the one-line reason the input is unusable.

pub mod check;
pub mod explain;
pub mod generate;
pub mod graph;

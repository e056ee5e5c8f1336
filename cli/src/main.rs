//! `slz-iam`: least-privilege IAM policies for serverless functions, found by static analysis.
//!
//! Exit status: 0 clean, 1 diagnostics at error level, 2 unusable input (no config found,
//! unreadable file, bad arguments).

use clap::{Parser, Subcommand};
use slz_iam::commands;
use slz_iam::emit::formats::{parser, Command as Cmd, Format};
use std::path::PathBuf;
use std::process::ExitCode;

/// Stack of each analysis thread.
const ANALYSIS_STACK: usize = 256 << 20;

/// The analysis allocates many small, short-lived values (IR nodes, abstract values, strings) from
/// several threads; mimalloc's per-thread heaps make that markedly cheaper than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "slz-iam",
    version,
    about = "Least-privilege IAM for serverless functions, by static analysis"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse a project and print each function's least-privilege policy.
    Generate {
        /// The project folder (default: the current folder).
        dir: Option<PathBuf>,
        /// The config file (serverless.yml); found in DIR when not given.
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long, default_value = "yaml", value_parser = parser(Cmd::Generate))]
        format: &'static Format,
        /// Apply the recommended changes to the config file (atomically, keeping comments).
        #[arg(long)]
        write: bool,
    },
    /// Compare each function's declared role with what its code needs (the pre-deploy gate).
    Check {
        dir: Option<PathBuf>,
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long, default_value = "text", value_parser = parser(Cmd::Check))]
        format: &'static Format,
        /// Finding codes and/or severities (error, warning) that make the run fail.
        #[arg(
            long,
            default_value = "missing-permission,dangerous-permission,not-analysed"
        )]
        fail_on: String,
    },
    /// Print the graph of calls between the project's functions.
    Graph {
        dir: Option<PathBuf>,
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long, default_value = "dot", value_parser = parser(Cmd::Graph))]
        format: &'static Format,
    },
    /// Run the language server on stdin/stdout (diagnostics, hovers and fixes in the editor).
    Lsp,
    /// Show what the catalog says about a service or an operation, and where each rule comes from;
    /// or, with --codes, document every diagnostic code.
    Explain {
        #[arg(long, required_unless_present_any = ["codes", "coverage"])]
        service: Option<String>,
        /// An operation, in any SDK spelling (GetObject, getObject, get_object).
        operation: Option<String>,
        #[arg(long)]
        codes: bool,
        /// Print catalog coverage: services, operations, curated and bound operations.
        #[arg(long)]
        coverage: bool,
    },
}

fn main() -> ExitCode {
    // The parsers and the analysis recurse once per level of nesting: the command and the
    // analysis threads run on large stacks (address space, committed only as used), so that deep
    // but legitimate code never exhausts them. Deeper input is refused before parsing.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(ANALYSIS_STACK)
        .build_global();
    std::thread::Builder::new()
        .stack_size(ANALYSIS_STACK)
        .spawn(run)
        .ok()
        .and_then(|t| t.join().ok())
        .unwrap_or(ExitCode::from(2))
}

fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate {
            dir,
            config,
            format,
            write,
        } => commands::generate::run(dir, config, format, write),
        Command::Graph {
            dir,
            config,
            format,
        } => commands::graph::run(dir, config, format),
        Command::Check {
            dir,
            config,
            format,
            fail_on,
        } => commands::check::run(dir, config, format, &fail_on),
        Command::Lsp => slz_iam::lsp::run(),
        Command::Explain {
            service,
            operation,
            codes,
            coverage,
        } => commands::explain::run(service, operation, codes, coverage),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(reason) => {
            // The reason may quote names from the repository: shown with controls escaped.
            eprintln!("slz-iam: {}", slz_iam::emit::escape::terminal(&reason));
            ExitCode::from(2)
        }
    }
}

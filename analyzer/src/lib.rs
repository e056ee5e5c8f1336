//! slz-analyzer: from a serverless project's configuration and handler code to per-function
//! least-privilege IAM policies.
//!
//! The library does no IO of its own and never fails: files come through an
//! [`analyze::SourceFs`], and bad code, unknown calls and dynamic names become diagnostics in the
//! [`report::Report`].

pub mod analyze;
pub mod cache;
pub mod catalog;
pub mod check;
pub mod compute;
pub mod diagnostics;
pub mod dir;
pub mod edit;
pub mod edit_verify;
pub mod graph;
pub mod guard;
pub mod interp;
pub mod ir;
pub mod lang;
pub mod limits;
pub mod number;
pub mod policy;
pub mod project;
pub mod report;
pub mod resolve;
pub mod synth;
pub mod value;

pub use analyze::{analyze, FsError, MemFs, SourceFs};
pub use dir::{DirEntry, DirListing, EntryKind};
pub use report::Report;

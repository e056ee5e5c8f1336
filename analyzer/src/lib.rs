//! slz-analyzer: from a serverless project's configuration and handler code to per-function
//! least-privilege IAM policies.
//!
//! The library does no IO of its own and never fails: files come through a [`SourceFs`], and bad
//! code, unknown calls and dynamic names become diagnostics in the [`Report`].

pub mod catalog;
pub mod diagnostics;
pub mod project;
pub mod value;
pub mod ir;
pub mod lang;

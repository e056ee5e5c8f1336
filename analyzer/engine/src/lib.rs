//! slz-analyzer, the engine: from a serverless project's configuration and handler code to
//! per-function least-privilege IAM policies.
//!
//! It evaluates the IR the language front-ends lower code to ([`interp`]), resolves each SDK
//! call's resources ([`resolve`]), synthesises policies ([`synth`]), links functions ([`graph`])
//! and computes `check` findings ([`check`]) and config edits ([`edit`]). It sees the front-ends
//! only through `slz-lang` and the project formats only through `slz-project`, through the
//! registries in [`frontends`] and [`projects`].
//!
//! The library does no IO of its own and never fails: files come through a [`SourceFs`], and bad
//! code, unknown calls and dynamic names become diagnostics in the [`report::Report`].

pub mod analyze;
pub mod check;
pub mod compute;
pub mod dockerfile;
pub mod edit;
pub mod edit_verify;
pub mod frontends;
pub mod graph;
pub mod guard;
pub mod image;
pub mod interp;
pub mod makefile;
pub mod overlay;
pub mod policy;
pub mod project;
pub mod report;
pub mod resolve;
pub mod synth;

pub use slz_catalog as catalog;
pub use slz_core::{cache, diagnostics, dir, fs, ir, limits, number, value};

/// The language front-ends, as the engine and its embedders reach them.
pub mod lang {
    pub use slz_lang::*;
    pub use slz_lang_js as js;
    pub use slz_lang_python as python;
    pub use slz_lang_rust as rust;
}

pub use analyze::analyze;
pub use report::Report;
pub use slz_core::dir::{DirEntry, DirListing, EntryKind};
pub use slz_core::fs::{FsError, MemFs, SourceFs};

//! Output formats, one file each. Every emitter renders the same [`slz_analyzer::Report`].

pub mod escape;
pub mod findings;
pub mod graph;
pub mod json;
pub mod sam;
pub mod text;
pub mod udiff;
pub mod yaml;

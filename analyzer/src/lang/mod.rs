//! Language front-ends. Each lowers source files to the language-neutral [`crate::ir`] and supplies
//! an SDK model that the evaluator consults; none knows about IAM.

pub mod fmt;
pub mod js;
pub mod library;
pub mod python;
pub mod rust;

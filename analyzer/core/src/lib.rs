//! slz-core: the vocabulary every other crate shares: diagnostics, templates of text with
//! unknown parts, numbers, the language-neutral IR, input limits, the file system seam and the
//! memoised lowering of modules. It knows no language, no project format and no AWS service.

pub mod cache;
pub mod cargo;
pub mod code;
pub mod diagnostics;
pub mod dir;
pub mod fs;
pub mod ir;
pub mod limits;
pub mod number;
pub mod value;

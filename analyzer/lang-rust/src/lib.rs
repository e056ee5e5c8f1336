//! The Rust front-end: [`lower`] turns a file into IR with syn; [`sdk`] knows aws-sdk-rust clients
//! and fluent builders.

pub mod frontend;
pub mod lower;
pub mod manifest;
pub mod sdk;

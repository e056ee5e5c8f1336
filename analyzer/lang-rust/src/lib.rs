//! The Rust front-end: [`lower`] turns a file into IR with syn; [`sdk`] knows aws-sdk-rust clients
//! and fluent builders.

pub mod lower;
pub mod sdk;

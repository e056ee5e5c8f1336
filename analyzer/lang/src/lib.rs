//! The front-end API: what every language front-end shares and implements. The abstract values
//! and SDK vocabulary the evaluator and the SDK models exchange ([`sdk`]), library functions that
//! call AWS for the caller ([`library`]), formatting helpers shared by lowerings ([`fmt`]),
//! SDK naming ([`naming`]) and the [`frontend::Frontend`] trait each language implements. None of it knows about IAM or about project formats.

pub mod fmt;
pub mod frontend;
pub mod library;
pub mod naming;
pub mod sdk;

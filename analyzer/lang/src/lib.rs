//! The front-end API: what every language front-end shares and implements. The abstract values
//! and SDK vocabulary the evaluator and the SDK models exchange ([`sdk`]), the opaque flavours
//! each front-end names its kinds of SDK values with ([`flavour`]), the helpers every SDK model
//! shares ([`model`]), library functions that call AWS for the caller ([`library`]), formatting
//! helpers shared by lowerings ([`fmt`]), SDK naming ([`naming`]) and the
//! [`frontend::Frontend`] trait each language implements. None of it knows about IAM, about
//! project formats or about any one language.

pub mod flavour;
pub mod fmt;
pub mod frontend;
pub mod library;
pub mod memo;
pub mod model;
pub mod naming;
pub mod sdk;

//! The JavaScript/TypeScript front-end: [`lower`] turns a file into IR with oxc; [`sdk`] knows the
//! shapes of the AWS SDK for JavaScript (v2 and v3) and turns evaluated calls into SDK calls, with
//! the naming of `rules/sdk/js.toml` ([`rules`]);
//! `unresolved` reports v3 calls it cannot attribute to a client known to the catalog.

pub mod aliases;
pub mod frontend;
pub mod lower;
pub mod rules;
pub mod sdk;
mod unresolved;

//! The Python front-end: [`lower`] turns a file into IR with ruff_python_parser; [`sdk`] knows
//! boto3 (clients, resources, helpers) and turns evaluated calls into SDK calls, with the naming
//! of `rules/sdk/python.toml` ([`rules`]).

pub mod frontend;
pub mod lower;
pub mod rules;
pub mod sdk;

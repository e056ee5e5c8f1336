//! The vocabulary between the evaluator and the front-ends' SDK models: the abstract values code
//! evaluates to ([`Val`]), SDK clients and requests ([`SdkVal`]), the operations a call performs
//! ([`SdkOp`], [`Classified`]) and the [`SdkModel`] each language implements. The kinds of
//! clients and SDK objects are [`Flavour`]s each front-end defines for itself.

use slz_core::diagnostics::Location;
use slz_core::ir::FuncId;
use slz_core::number::Number;
use slz_core::value::{Part, Template};
use std::collections::BTreeSet;

pub use crate::flavour::{Flavour, HandleKind};

/// A module of one function's program, by the order it was loaded in.
pub type ModId = usize;

/// SDK values. Their flavours and handle kinds belong to the front-end whose model made them:
/// nothing else reads them.
#[derive(Clone, Debug, PartialEq)]
pub enum SdkVal {
    Client {
        service: String,
        /// How it was made; decides how its methods map to operations.
        flavour: Flavour,
        /// Built with explicit credentials (keys, a credentials provider, a session made with
        /// keys): its calls do not run as the function's role.
        other_credentials: bool,
    },
    /// A method read off a client, not yet called.
    Method {
        service: String,
        flavour: Flavour,
        name: String,
        other_credentials: bool,
    },
    /// A request object (`new PutObjectCommand(input)`).
    Command {
        service: String,
        operation: String,
        input: Box<Val>,
    },
    /// A language-specific SDK object (a boto3 `Table`, a paginator, a batch writer), with the
    /// values it was made with.
    Handle {
        service: String,
        /// What it is, in its front-end's own flavours.
        kind: HandleKind,
        data: Box<Val>,
        /// Made from a client (or config) with explicit credentials, as for `Client`.
        other_credentials: bool,
    },
    /// A method read off a handle.
    HandleMethod {
        service: String,
        kind: HandleKind,
        data: Box<Val>,
        name: String,
        other_credentials: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Text(Template),
    /// A number, known or computed at run time.
    Num(Number),
    /// A boolean, with the text its language converts it to.
    Bool {
        value: bool,
        text: String,
    },
    /// The language's null (`None`, `null`, `undefined`), with the text it converts to. Not a
    /// value for `||`, `??`, `or` and alternatives: those take another one when there is.
    Nil(String),
    Object(Vec<(String, Val)>),
    Array(Vec<Val>),
    /// An export of an installed package (`aws-sdk` -> `S3`), or a global (`<global>`).
    Package {
        name: String,
        path: Vec<String>,
    },
    Module(ModId),
    Func(ModId, FuncId),
    Sdk(SdkVal),
    Either(Vec<Val>),
    Unknown(String),
}

/// Most parts a value may have (64 bytes of text count as one): values built from copies of
/// copies (a helper that returns `[x, x]` or `x + x`, applied to its own result) grow
/// exponentially; none that names a resource is this large.
pub const MAX_VALUE_PARTS: usize = 4_096;

impl Val {
    pub fn text(s: &str) -> Val {
        Val::Text(Template::lit(s))
    }

    /// How many parts the value has, counting no further than `limit`.
    pub fn size_up_to(&self, limit: usize) -> usize {
        let mut count = 0;
        let mut stack = vec![self];
        while let Some(v) = stack.pop() {
            count += match v {
                // Long text counts too: a string doubled again and again is as costly.
                Val::Text(t) => {
                    t.0.iter()
                        .map(|p| match p {
                            Part::Lit(s) => 1 + s.len() / 64,
                            _ => 1,
                        })
                        .sum::<usize>()
                        .max(1)
                }
                _ => 1,
            };
            if count >= limit {
                return limit;
            }
            match v {
                Val::Object(fields) => stack.extend(fields.iter().map(|(_, f)| f)),
                Val::Array(items) | Val::Either(items) => stack.extend(items),
                _ => {}
            }
        }
        count
    }

    /// The value, or an unknown one when it has more than [`MAX_VALUE_PARTS`] parts.
    pub fn bounded(self) -> Val {
        if self.size_up_to(MAX_VALUE_PARTS + 1) > MAX_VALUE_PARTS {
            Val::Unknown(too_large())
        } else {
            self
        }
    }

    /// The value as text, when it is (unknown parts keep their reason).
    pub fn as_template(&self) -> Template {
        match self {
            Val::Text(t) => t.clone(),
            Val::Num(n) => n.template(),
            Val::Bool { text, .. } => Template::lit(text),
            Val::Nil(text) => Template::unknown(format!("`{text}`")),
            Val::Either(alts) if alts.len() == 1 => alts[0].as_template(),
            Val::Either(_) => Template::unknown("one of several values"),
            Val::Unknown(why) => Template::unknown(why.clone()),
            _ => Template::unknown("not a string"),
        }
    }

    pub fn field(&self, name: &str) -> Option<&Val> {
        match self {
            Val::Object(fields) => fields.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Every function value inside (objects, arrays and alternatives included).
    pub fn funcs(&self, out: &mut BTreeSet<(ModId, FuncId)>) {
        match self {
            Val::Func(m, f) => {
                out.insert((*m, *f));
            }
            Val::Object(fields) => fields.iter().for_each(|(_, v)| v.funcs(out)),
            Val::Array(items) | Val::Either(items) => items.iter().for_each(|v| v.funcs(out)),
            Val::Sdk(SdkVal::Command { input, .. }) => input.funcs(out),
            _ => {}
        }
    }
}

/// One AWS SDK operation a call performs.
#[derive(Clone, Debug, PartialEq)]
pub struct SdkOp {
    pub service: String,
    pub operation: String,
    pub input: Val,
    /// How the call was written, for explanations (`s3.getSignedUrl('putObject')`).
    pub via: String,
    /// The client was built with explicit credentials: the call runs as someone else.
    pub other_credentials: bool,
    /// The SDK makes this call only when another one fails (an upload helper aborting a
    /// multipart upload).
    pub failure_path: bool,
}

pub enum Classified {
    Op(SdkOp),
    Diag {
        code: &'static str,
        message: String,
    },
    /// An HTTP request (axios, fetch, requests, reqwest...): where to, and whether it sends an
    /// `x-api-key` header.
    Http {
        method: String,
        url: Val,
        api_key: bool,
    },
    /// A call that signs requests with SigV4 (`aws4.sign`): HTTP requests made by the same
    /// function are signed.
    Signer,
}

/// An HTTP request found in reachable code.
#[derive(Clone, Debug)]
pub struct HttpCall {
    pub method: String,
    pub url: Template,
    pub signed: bool,
    pub api_key: bool,
    pub location: Location,
}

/// What a language knows about its AWS SDK.
pub trait SdkModel {
    fn construct(&self, callee: &Val, args: &[Val]) -> Option<Val>;
    fn call(&self, callee: &Val, args: &[Val]) -> Option<Val>;
    fn member(&self, object: &Val, prop: &str) -> Option<Val>;
    fn classify(&self, callee: &Val, args: &[Val], is_new: bool) -> Vec<Classified>;
    /// The operations a call of `method` on `receiver`, a value not resolved to a client, would
    /// make if it were one (JS `x.send(new GetObjectCommand())`). Reported, never granted.
    fn unresolved_call(&self, _method: &str, _receiver: &Val, _args: &[Val]) -> Vec<UnresolvedOp> {
        Vec::new()
    }
}

/// Why a value past [`MAX_VALUE_PARTS`] is unknown.
pub fn too_large() -> String {
    format!("a value too large to follow (over {MAX_VALUE_PARTS} parts)")
}

/// A short description of a value for diagnostics.
pub fn describe(v: &Val) -> String {
    match v {
        Val::Text(t) => format!("`{t}`"),
        Val::Num(n) => match (n.digits(), n) {
            (Some(d), _) => format!("`{d}`"),
            (None, Number::Unknown(why)) => why.clone(),
            (None, _) => "a number".into(),
        },
        Val::Package { name, path } => {
            if path.is_empty() {
                format!("`{name}`")
            } else {
                format!("`{}`", path.join("."))
            }
        }
        Val::Sdk(SdkVal::Client { service, .. }) => format!("a {service} client"),
        Val::Sdk(SdkVal::Method { service, name, .. }) => format!("{service}.{name}"),
        Val::Sdk(SdkVal::Command { operation, .. }) => format!("a {operation} command"),
        Val::Sdk(SdkVal::Handle { service, kind, .. }) => format!("a {service} {kind}"),
        Val::Sdk(SdkVal::HandleMethod {
            service,
            kind,
            name,
            ..
        }) => format!("{service} {kind}.{name}"),
        Val::Bool { text, .. } | Val::Nil(text) => format!("`{text}`"),
        Val::Func(..) => "a function".into(),
        Val::Module(_) => "a module".into(),
        Val::Object(_) => "an object".into(),
        Val::Array(_) => "an array".into(),
        Val::Either(_) => "one of several values".into(),
        Val::Unknown(why) => why.clone(),
    }
}

/// A relative import: JS `./x`, `../x`; Python `.x`, `..x`.
pub fn is_relative(spec: &str) -> bool {
    spec.starts_with('.')
}

/// An operation a call on an unresolved value would make if the value were a client.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnresolvedOp {
    pub service: String,
    pub operation: String,
    /// Says what was called on what (`send(GetObjectCommand)` on a function parameter).
    pub message: String,
}

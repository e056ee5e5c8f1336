//! HTTP clients and SigV4 request signers (`rules/sdk/http.toml`): which library functions send
//! an HTTP request and how they take its method, URL and options, and which sign requests.
//! The front-ends' shared library model (`lang/library.rs`) asks it about package calls.

use serde::Deserialize;
use std::collections::BTreeMap;

/// How a client function takes its request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestShape {
    /// `f(config)` or `f(url, options)`: the method is the `method` option (GET when absent).
    Config,
    /// `f(url, options)`: the method is the function's name.
    Url,
    /// `f(url, body, options)`: the method is the function's name.
    UrlBody,
    /// `f(method, url, options)`.
    MethodUrl,
}

/// Where a client's request options are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Options {
    /// A positional argument (which one the shape says).
    Positional,
    /// Python keyword arguments (they travel as a trailing object).
    Keywords,
}

/// A package whose functions send HTTP requests.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpClient {
    /// The library's API reference.
    pub doc: String,
    pub options: Options,
    /// Function name (`""`: the package called itself) -> how it takes the request.
    pub functions: BTreeMap<String, RequestShape>,
}

/// A package whose functions sign requests with SigV4.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    pub doc: String,
    pub functions: Vec<String>,
}

/// Every known HTTP client and request signer, by package.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpLibraries {
    pub clients: BTreeMap<String, HttpClient>,
    pub signers: BTreeMap<String, Signer>,
}

/// A call recognised as an HTTP request: how it takes the request, and where its options are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestCall {
    pub shape: RequestShape,
    pub options: Options,
}

impl HttpLibraries {
    /// The request a call of `package` sends, when it is a client's. `function` is the called
    /// name when the call is `package.function(...)`, else `""` (the package itself, or a longer
    /// path); `last` is the last name of the path (`""` for the package itself), whose shape a
    /// longer path takes when the package has a function of that name.
    pub fn request(&self, package: &str, function: &str, last: &str) -> Option<RequestCall> {
        let client = self.clients.get(package)?;
        let shape = *client.functions.get(function)?;
        Some(RequestCall {
            shape: client.functions.get(last).copied().unwrap_or(shape),
            options: client.options,
        })
    }

    /// Whether `package.function` signs requests.
    pub fn is_signer(&self, package: &str, function: &str) -> bool {
        self.signers
            .get(package)
            .is_some_and(|s| s.functions.iter().any(|f| f == function))
    }

    /// Whether a value of `package` whose path ends with `last` comes from a signer: the package
    /// is a signer's, or `last` is a signer function of any package.
    pub fn is_signer_value(&self, package: &str, last: Option<&str>) -> bool {
        self.signers
            .iter()
            .any(|(p, s)| p == package || last.is_some_and(|l| s.functions.iter().any(|f| f == l)))
    }
}

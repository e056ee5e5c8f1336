//! Diagnostics: every code the analyzer can report, its default severity and its documentation.
//!
//! Codes are kebab-case and defined once, here; `slz-iam explain --codes` and the README's table are
//! generated from [`CODES`].

use serde::Serialize;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

/// One diagnostic code: its name, default severity and a one-paragraph explanation.
pub struct CodeDoc {
    pub code: &'static str,
    pub severity: Severity,
    pub doc: &'static str,
}

/// Every diagnostic code. Keep sorted by code.
pub const CODES: &[CodeDoc] = &[
    CodeDoc {
        code: "assumed-credentials",
        severity: Severity::Info,
        doc: "An AWS call made through a client built with explicit credentials (JS `credentials` / `accessKeyId`, boto3 `aws_access_key_id` / `aws_session_token` or a `Session` made with them, for clients and resources alike, Rust a config whose loader or builder got `credentials_provider(...)`), typically from `sts:AssumeRole`. It runs as whoever those credentials belong to, so the function's policy gets no permission for it; the role it assumes must grant it.",
    },
    CodeDoc {
        code: "authorizer-always-allows",
        severity: Severity::Warning,
        doc: "A custom (Lambda) authorizer returns only `Allow` policies: every request that reaches it is let in. It must validate the token and return `Deny` (or throw `Unauthorized`) otherwise.",
    },
    CodeDoc {
        code: "authorizer-effect-from-input",
        severity: Severity::Warning,
        doc: "A custom authorizer's policy `Effect` is taken from the request without validation, so a caller can choose to be allowed.",
    },
    CodeDoc {
        code: "authorizer-policy-too-broad",
        severity: Severity::Warning,
        doc: "A custom authorizer returns a policy on `*`: it allows every API and method in the account, not just this API. Scope it to the API (`arn:aws:execute-api:region:account:api-id/stage/*/*`).",
    },
    CodeDoc {
        code: "authorizer-policy-too-narrow",
        severity: Severity::Warning,
        doc: "A custom authorizer with result caching returns a policy on exactly the `methodArn` of the first request; API Gateway reuses the cached policy for every method, so the caller's other calls are denied. Return a policy for the API's methods, or disable caching.",
    },
    CodeDoc {
        code: "config-parse-error",
        severity: Severity::Error,
        doc: "The project configuration (serverless.yml or template) is not valid YAML/JSON. Nothing it declares can be analysed.",
    },
    CodeDoc {
        code: "config-part-omitted",
        severity: Severity::Warning,
        doc: "A part of the project configuration that the analysis does not read (under `custom`, for example) is left out: it nests deeper than 256 levels, or its aliases copy more than 64 MiB. Variables that name it are unresolved. The same in a section the analysis reads (functions, provider, resources) is a `config-parse-error`.",
    },
    CodeDoc {
        code: "duplicate-key",
        severity: Severity::Warning,
        doc: "A map of a template (or of a config written in JSON) gives the same key twice. The last one is read, as SAM CLI, CloudFormation and `JSON.parse` read it, and the earlier value is ignored; remove the one that is not meant. A serverless.yml that repeats a key is refused instead (`config-parse-error`), as the Serverless Framework refuses it. `generate --write` does not edit a config that repeats a key.",
    },
    CodeDoc {
        code: "dynamic-client",
        severity: Severity::Warning,
        doc: "An AWS SDK client whose service cannot be determined statically (for example built from a variable), or an SDK command sent through a value not resolved to a client (a parameter, an import the analysis does not follow). Calls on it are not attributed to a service or granted; review them by hand.",
    },
    CodeDoc {
        code: "file-too-complex",
        severity: Severity::Warning,
        doc: "A source file's calls are too large to analyse in full (a chain of thousands of calls, values built from copies of copies): the calls past the line named are not analysed, and their permissions are not in the policy. No hand-written handler comes near this.",
    },
    CodeDoc {
        code: "file-too-large",
        severity: Severity::Warning,
        doc: "A source file is larger than the analysis limit and was skipped; permissions its code needs are not in the policy.",
    },
    CodeDoc {
        code: "image-without-source",
        severity: Severity::Warning,
        doc: "A function's code is a container image whose source the analysis cannot find: the image is prebuilt (the config names no build context, no `Metadata.DockerContext`), its Dockerfile cannot be read, no `CMD` or `ImageConfig.Command` names the handler, or the Dockerfile copies no source file of the handler's module into the folder the runtime loads it from (`WORKDIR`, else `LAMBDA_TASK_ROOT`). The function gets no generated policy.",
    },
    CodeDoc {
        code: "internal-error",
        severity: Severity::Error,
        doc: "The analyzer failed on this function (a bug in slz-iam, please report it with the file). The function's policy is missing; the rest of the project was analysed.",
    },
    CodeDoc {
        code: "invalid-config",
        severity: Severity::Warning,
        doc: "A value in the configuration has an unexpected shape (for example a function without a handler); the entry is skipped.",
    },
    CodeDoc {
        code: "malformed-resource",
        severity: Severity::Warning,
        doc: "A resource the analysis built still holds a format placeholder (`%s`, `%d`, `{}`, `{0}`, `{name}`) or has an ARN inside another ARN (`arn:aws:s3:::arn:aws:...`, a `Ref` that returns an ARN placed after `arn:`): as written it would match nothing and the call would be denied. It is widened to the narrowest pattern sure to match (the placeholder becomes `*`; an inner ARN replaces the outer one, its resource part `*` when it is literal text). Check how the code builds the name.",
    },
    CodeDoc {
        code: "missing-handler",
        severity: Severity::Error,
        doc: "The handler of a function names a source file that does not exist (no .js/.mjs/.cjs/.ts/.mts/.cts/.py file matches), so its permissions cannot be derived.",
    },
    CodeDoc {
        code: "missing-module",
        severity: Severity::Warning,
        doc: "A relative import names a file that does not exist in the project; code behind it is not analysed.",
    },
    CodeDoc {
        code: "nesting-too-deep",
        severity: Severity::Warning,
        doc: "A source file nests deeper than any hand-written handler does: brackets over 500 levels, or a run of over 100,000 tokens with no `,` or `;` (a chain of `!`, `?:` or `if` nests without brackets). It is not parsed, so hostile input cannot exhaust the stack; its calls are not analysed.",
    },
    CodeDoc {
        code: "no-functions",
        severity: Severity::Warning,
        doc: "The config declares no functions (none under `functions:`, no `AWS::Serverless::Function` or `AWS::Lambda::Function` resource, no binary in the crate): there is nothing to analyse. Check that the right file was picked (`--config`).",
    },
    CodeDoc {
        code: "non-utf8-file",
        severity: Severity::Warning,
        doc: "A source file is not valid UTF-8 (binary or another encoding) and was skipped.",
    },
    CodeDoc {
        code: "opaque-macro",
        severity: Severity::Info,
        doc: "A Rust macro call whose arguments are not expressions the front-end can read (a DSL). AWS calls inside it are not seen; check it by hand.",
    },
    CodeDoc {
        code: "passrole-any-role",
        severity: Severity::Warning,
        doc: "The generated policy grants `iam:PassRole` on every role (`role/*`) because the code does not show which roles it passes (ECS `RunTask` passes the task definition's task and execution roles). That lets the code hand any role of the account to a service: privilege escalation, which `check` reports as `dangerous-permission`. Replace `*` with the roles it passes.",
    },
    CodeDoc {
        code: "path-outside-project",
        severity: Severity::Error,
        doc: "A handler, `CodeUri` or `${file(...)}` names a path outside the project folder (through `..` or an absolute path). The tool never reads outside the project: that code or value is not analysed. Run it from the folder that contains everything the functions use.",
    },
    CodeDoc {
        code: "syntax-error",
        severity: Severity::Error,
        doc: "A handler source file does not parse. The SDK calls it makes are unknown, so the function's policy may be incomplete; the other functions are still analysed.",
    },
    CodeDoc {
        code: "too-many-entries",
        severity: Severity::Warning,
        doc: "A folder the project's layout is read from (a Serverlize project's `functions`) holds more than 65,536 entries: only the first 65,536 by name are read, and the functions of the others are not analysed.",
    },
    CodeDoc {
        code: "unknown-client",
        severity: Severity::Warning,
        doc: "A class of an AWS SDK for JavaScript v3 package (`@aws-sdk/client-*`) that the catalog does not know as a client (a service newer than the catalog, or a class name it does not list) is used as one. No permission is granted for its calls; grant them by hand or update slz-iam.",
    },
    CodeDoc {
        code: "unknown-operation",
        severity: Severity::Warning,
        doc: "A method called on an AWS SDK client is not an operation of that service in the catalog (a typo, a newer SDK, or a non-AWS method). No permission is granted for it.",
    },
    CodeDoc {
        code: "unmapped-operation",
        severity: Severity::Warning,
        doc: "An SDK operation has no IAM action in the catalog (no action of the same name and no curated override). No permission is granted for it; add one by hand if the call needs it.",
    },
    CodeDoc {
        code: "unresolved-resource",
        severity: Severity::Warning,
        doc: "A resource name in an SDK call could not be resolved statically (built at run time, from an unknown variable, or an env var the config does not set). The permission is widened to the narrowest pattern the known parts allow, up to `*`.",
    },
    CodeDoc {
        code: "unresolved-variable",
        severity: Severity::Warning,
        doc: "A Serverless variable (`${...}`) in the configuration could not be resolved (unknown source, missing key, or a cycle). It is kept as written in the output.",
    },
    CodeDoc {
        code: "unsigned-call",
        severity: Severity::Warning,
        doc: "A function calls an endpoint of the project that requires AWS_IAM authorization without signing the request (SigV4): the call is denied at run time. Sign it (aws4, @aws-sdk/signature-v4, requests-aws4auth).",
    },
    CodeDoc {
        code: "unsupported-config",
        severity: Severity::Error,
        doc: "The config is a program (`serverless.ts`, `serverless.js`): the Serverless Framework runs it to get the configuration, which slz-iam does not evaluate yet. Nothing is analysed; the commands stop there, as for a config that does not parse. A serverless.yml, serverless.json or template is read.",
    },
    CodeDoc {
        code: "unsupported-provider",
        severity: Severity::Error,
        doc: "A serverless.yml names a provider other than AWS (`provider.name: azure`, `google`, `knative`, ...). slz-iam generates IAM policies for AWS Lambda functions only, so none of its functions is analysed; the commands stop there, as for a config that does not parse.",
    },
    CodeDoc {
        code: "unsupported-runtime",
        severity: Severity::Info,
        doc: "A function's runtime or handler language is not analysed yet; it gets no generated policy.",
    },
];

/// Codes saying that some of a function's code was not read (no handler file, a language not
/// analysed, a file that does not parse or is refused by a limit, a local module that is missing,
/// an internal error): the function's analysis is incomplete, so its generated policy may lack
/// what the code needs. `check` reports such a function as `not-analysed` instead of trusting its
/// policy, and `generate --write` leaves its config alone. Keep sorted.
pub const INCOMPLETE_ANALYSIS: &[&str] = &[
    "file-too-complex",
    "file-too-large",
    "image-without-source",
    "internal-error",
    "missing-handler",
    "missing-module",
    "nesting-too-deep",
    "non-utf8-file",
    "path-outside-project",
    "syntax-error",
    "unsupported-runtime",
];

/// Whether a diagnostic with this code means the code it is about was not read whole.
pub fn makes_analysis_incomplete(code: &str) -> bool {
    INCOMPLETE_ANALYSIS.binary_search(&code).is_ok()
}

/// Looks up the documentation of a code.
pub fn code_doc(code: &str) -> Option<&'static CodeDoc> {
    CODES.iter().find(|c| c.code == code)
}

/// A position in a file: 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
}

impl Location {
    pub fn new(file: impl Into<PathBuf>, line: u32, column: u32) -> Self {
        Location {
            file: file.into(),
            line,
            column,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    pub location: Location,
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    ///
    /// # Panics
    /// Only on a code missing from [`CODES`], which the tests rule out.
    pub fn new(code: &'static str, location: Location, message: impl Into<String>) -> Self {
        let severity = code_doc(code)
            .map(|c| c.severity)
            .unwrap_or_else(|| unreachable_code(code));
        Diagnostic {
            location,
            code,
            severity,
            message: message.into(),
        }
    }
}

impl Diagnostic {
    /// A source file that does not parse; its calls are unknown.
    pub fn syntax_error(path: &std::path::Path, line: u32, column: u32, message: &str) -> Self {
        Diagnostic::new(
            "syntax-error",
            Location::new(path, line, column),
            format!(
                "{} does not parse: {message}; its AWS calls are not analysed",
                path.display()
            ),
        )
    }
}

fn unreachable_code(code: &str) -> Severity {
    debug_assert!(false, "diagnostic code {code} is not documented in CODES");
    Severity::Warning
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_unique_and_kebab_case() {
        for pair in CODES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for c in CODES {
            assert!(
                c.code
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
                "{}",
                c.code
            );
            assert!(!c.doc.is_empty());
        }
    }

    #[test]
    fn incomplete_analysis_codes_are_documented_and_sorted() {
        for pair in INCOMPLETE_ANALYSIS.windows(2) {
            assert!(pair[0] < pair[1], "{} before {}", pair[0], pair[1]);
        }
        for code in INCOMPLETE_ANALYSIS {
            assert!(code_doc(code).is_some(), "{code} is not in CODES");
            assert!(makes_analysis_incomplete(code));
        }
        assert!(!makes_analysis_incomplete("unresolved-resource"));
    }
}

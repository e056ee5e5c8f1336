//! What every front-end's SDK model shares when it judges a call: the operation it makes, the
//! operations of an SDK helper, the diagnostics for names that are no operation, credentials
//! carried over to operations, and a call of one of several callees.

use crate::sdk::{Classified, SdkModel, SdkOp, Val};
use slz_catalog::model::HelperSpec;

impl SdkOp {
    /// `operation` of `service` with its request `input`, written as `via`, made with the
    /// function's own credentials and not only on failure.
    pub fn new(service: &str, operation: &str, input: Val, via: String) -> SdkOp {
        SdkOp {
            service: service.to_string(),
            operation: operation.to_string(),
            input,
            via,
            other_credentials: false,
            failure_path: false,
        }
    }
}

/// A call that makes one operation (see [`SdkOp::new`]).
pub fn op(service: &str, operation: &str, input: Val, via: String) -> Classified {
    Classified::Op(SdkOp::new(service, operation, input, via))
}

/// The operations an SDK helper stands for (`s3.upload`, `upload_file`), each with the same
/// input, those made only when another fails marked so.
pub fn helper_ops(helper: &HelperSpec, input: &Val, via: &str) -> Vec<Classified> {
    helper
        .operations
        .iter()
        .map(|o| {
            let mut made = SdkOp::new(&helper.service, o, input.clone(), via.to_string());
            made.failure_path = helper.failure_path.contains(o);
            Classified::Op(made)
        })
        .collect()
}

/// Why a method called on a `service` client grants nothing: `name` is no operation of it.
pub fn unknown_operation_message(service: &str, name: &str) -> String {
    format!(
        "`{name}` is not an operation of {service} in the catalog; no permission granted for it"
    )
}

/// An `unknown-operation` diagnostic for method `name` of a `service` client.
pub fn unknown_operation(service: &str, name: &str) -> Classified {
    Classified::Diag {
        code: "unknown-operation",
        message: unknown_operation_message(service, name),
    }
}

/// An `unknown-operation` diagnostic for a presigned URL (`via`) whose operation is not a
/// known name.
pub fn unknown_presigned_operation(via: &str) -> Classified {
    Classified::Diag {
        code: "unknown-operation",
        message: format!("{via} signs an operation that is not known statically"),
    }
}

/// The operations, marked as made with other credentials than the function's role when
/// `other` is.
pub fn with_other_credentials(mut out: Vec<Classified>, other: bool) -> Vec<Classified> {
    if other {
        for c in &mut out {
            if let Classified::Op(op) = c {
                op.other_credentials = true;
            }
        }
    }
    out
}

/// A call of one of several callees: what `model` makes of each, in order. None when `callee`
/// is a single value.
pub fn classify_each<M: SdkModel + ?Sized>(
    model: &M,
    callee: &Val,
    args: &[Val],
    is_new: bool,
) -> Option<Vec<Classified>> {
    match callee {
        Val::Either(alts) => Some(
            alts.iter()
                .flat_map(|a| model.classify(a, args, is_new))
                .collect(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(out: &[Classified]) -> Vec<(String, bool, bool)> {
        out.iter()
            .filter_map(|c| match c {
                Classified::Op(o) => {
                    Some((o.operation.clone(), o.other_credentials, o.failure_path))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn helpers_mark_failure_path_operations() {
        let helper = HelperSpec {
            service: "s3".into(),
            operations: vec!["PutObject".into(), "AbortMultipartUpload".into()],
            params: Vec::new(),
            doc: String::new(),
            failure_path: vec!["AbortMultipartUpload".into()],
        };
        let out = helper_ops(&helper, &Val::text("in"), "s3.upload");
        assert_eq!(
            ops(&out),
            [
                ("PutObject".to_string(), false, false),
                ("AbortMultipartUpload".to_string(), false, true)
            ]
        );
        let Classified::Op(first) = &out[0] else {
            panic!("an operation");
        };
        assert_eq!(
            (first.service.as_str(), first.via.as_str(), &first.input),
            ("s3", "s3.upload", &Val::text("in"))
        );
        let marked = with_other_credentials(out, true);
        assert!(ops(&marked).iter().all(|(_, other, _)| *other));
    }

    #[test]
    fn unknown_operations_name_the_method_and_the_service() {
        let Classified::Diag { code, message } = unknown_operation("s3", "getThing") else {
            panic!("a diagnostic");
        };
        assert_eq!(code, "unknown-operation");
        assert_eq!(
            message,
            "`getThing` is not an operation of s3 in the catalog; no permission granted for it"
        );
        let Classified::Diag { message, .. } = unknown_presigned_operation("s3.getSignedUrl")
        else {
            panic!("a diagnostic");
        };
        assert_eq!(
            message,
            "s3.getSignedUrl signs an operation that is not known statically"
        );
    }

    /// A model that makes one operation named after each text callee.
    struct Echo;

    impl SdkModel for Echo {
        fn construct(&self, _: &Val, _: &[Val]) -> Option<Val> {
            None
        }
        fn call(&self, _: &Val, _: &[Val]) -> Option<Val> {
            None
        }
        fn member(&self, _: &Val, _: &str) -> Option<Val> {
            None
        }
        fn classify(&self, callee: &Val, args: &[Val], is_new: bool) -> Vec<Classified> {
            if let Some(out) = classify_each(self, callee, args, is_new) {
                return out;
            }
            match callee.as_template().as_literal() {
                Some(name) if !is_new => vec![op("s3", &name, args[0].clone(), name.clone())],
                _ => Vec::new(),
            }
        }
    }

    #[test]
    fn alternatives_are_each_classified_with_the_call_arguments() {
        let callee = Val::Either(vec![
            Val::text("GetObject"),
            Val::Either(vec![Val::text("PutObject")]),
            Val::Unknown("x".into()),
        ]);
        let args = [Val::text("input")];
        let out = Echo.classify(&callee, &args, false);
        assert_eq!(
            ops(&out),
            [
                ("GetObject".to_string(), false, false),
                ("PutObject".to_string(), false, false)
            ]
        );
        assert!(out
            .iter()
            .all(|c| matches!(c, Classified::Op(o) if o.input == Val::text("input"))));
        assert!(Echo.classify(&callee, &args, true).is_empty());
        assert_eq!(
            classify_each(&Echo, &Val::text("GetObject"), &args, false).map(|v| v.len()),
            None
        );
    }
}

//! SDK operations sent through a value that is not resolved to a client
//! (`x.send(new GetObjectCommand())` where `x` is a parameter, an unknown import or a field of
//! nothing known). The front-end's SDK model says which operations such a call carries; each one
//! becomes a `dynamic-client` diagnostic at the call, so the operation is never dropped silently.
//!
//! Two cases are left to other analyses. A function analysed without its arguments (reached by
//! reference) and also with the arguments of a call gets its diagnostics from the latter, as its
//! operations do: `helper(client, cmd)` resolves `client` there. And when the call is reached by
//! name into a method of the project (a wrapper class with a `send` method), that method's
//! analysis grants the operation, and the diagnostic is only kept if no grant of the same
//! operation was found.

use super::{ModId, SdkOp, UnresolvedOp};
use crate::diagnostics::{Diagnostic, Location};
use crate::ir::FuncId;
use std::collections::BTreeSet;

/// One call of a method on an unresolved value.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Call {
    pub location: Location,
    pub method: String,
    /// The function the call is in, and whether it was analysed with a call's arguments.
    pub func: (ModId, FuncId),
    pub with_args: bool,
}

/// Unresolved operations collected while a function's code is walked.
#[derive(Default)]
pub struct Pending {
    calls: BTreeSet<(Call, UnresolvedOp)>,
}

impl Pending {
    /// Records the operations `ops` of a call.
    pub fn add(&mut self, call: &Call, ops: Vec<UnresolvedOp>) {
        for op in ops {
            self.calls.insert((call.clone(), op));
        }
    }

    /// The diagnostics to report: every recorded operation, except those of an analysis without
    /// arguments of a function also analysed with them (`with_args`), and those whose call was
    /// reached into a project method of the same name (`defined`) and whose operation was
    /// granted (`found`).
    pub fn finish<'a>(
        self,
        with_args: impl Fn((ModId, FuncId)) -> bool,
        defined: &BTreeSet<String>,
        found: impl Iterator<Item = &'a SdkOp> + Clone,
    ) -> Vec<Diagnostic> {
        self.calls
            .into_iter()
            .filter(|(call, _)| call.with_args || !with_args(call.func))
            .filter(|(call, op)| {
                !defined.contains(&call.method)
                    || !found
                        .clone()
                        .any(|f| f.service == op.service && f.operation == op.operation)
            })
            .map(|(call, op)| Diagnostic::new("dynamic-client", call.location, op.message))
            .collect()
    }
}

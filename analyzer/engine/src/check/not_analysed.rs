//! `not-analysed`: a function whose code was not read whole (the gaps of its
//! [`FunctionReport`](crate::report::FunctionReport)) cannot be judged. The gate says so, as an
//! error naming each reason at its file and line, instead of passing code it never read; the
//! statements such a function holds are not reported as excess (see `grants` in `check.rs`).

use super::{finding, Finding};
use crate::report::Report;

/// One `not-analysed` finding per function with gaps, at the first reason.
pub(super) fn findings(report: &Report, out: &mut Vec<Finding>) {
    for fr in &report.functions {
        let Some(first) = fr.gaps.first() else {
            continue;
        };
        let reasons: Vec<String> = fr
            .gaps
            .iter()
            .map(|d| {
                format!(
                    "{} at {}:{} ({})",
                    d.code,
                    d.location.file.to_string_lossy().replace('\\', "/"),
                    d.location.line,
                    d.message
                )
            })
            .collect();
        out.push(finding(
            "not-analysed",
            first.location.clone(),
            Some(&fr.name),
            format!(
                "function `{}` was not analysed whole, so what its code needs is unknown and its role is not judged: {}",
                fr.name,
                reasons.join("; ")
            ),
        ));
    }
}

/// Names of the functions whose analysis is incomplete.
pub(super) fn unanalysed(report: &Report) -> std::collections::HashSet<&str> {
    report
        .functions
        .iter()
        .filter(|r| !r.analysed())
        .map(|r| r.name.as_str())
        .collect()
}

//! `--format json`: the version-1 contract (see the README), pretty-printed, stable key order.

use slz_analyzer::Report;

pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&report.json_view()).unwrap_or_default();
    s.push('\n');
    s
}

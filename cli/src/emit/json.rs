//! `--format json`: the version-1 contract (see the README), pretty-printed, stable key order.

use slz_analyzer::Report;

pub fn render(report: &Report) -> String {
    report.to_json_text()
}

//! `--format json`: the version-1 contract (see the README), pretty-printed, stable key order.

use slz_analyzer::Report;

/// Writes the contract to `out` as it is produced, without holding all of it in memory first.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    report.write_json(out)
}

//! The gate every config write passes, shared by `generate --write` / `--format diff` and the
//! language server's code actions: only functions whose code was read whole are written, the
//! edits are computed for them, and the edited text, read back by the project's own reader over
//! the caller's files (the disk, or the editor's buffers over it), must pass
//! [`slz_analyzer::edit_verify::verify`]. Nothing here touches the disk: [`crate::write`] writes
//! what the CLI plans, and the language server hands its edits to the editor.

use crate::project::read_project;
use slz_analyzer::edit::{self, TextEdit};
use slz_analyzer::edit_verify::{already_granted, verify, Candidate};
use slz_analyzer::project::Project;
use slz_analyzer::report::FunctionReport;
use slz_analyzer::synth::Permission;
use slz_analyzer::{Report, SourceFs};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::Path;

/// A config to edit, as it was read and analysed.
pub struct Config<'a> {
    /// The project folder.
    pub root: &'a Path,
    /// The project read from `source` (`project.config` is the config's path inside `root`).
    pub project: &'a Project,
    /// The config text the edits apply to.
    pub source: &'a str,
    /// The analysis of the project's functions.
    pub report: &'a Report,
    /// The files the reader may need besides the config (`.env`, Serverlize function files).
    pub fs: &'a dyn SourceFs,
}

/// What a write would do.
pub struct Plan {
    /// The config text after the edits (the same text when nothing changes).
    pub text: String,
    /// The edits that give `text`.
    pub edits: Vec<TextEdit>,
    /// Functions of the config left as they are, each with the reason: their analysis is
    /// incomplete, so their generated policy may lack what the code needs.
    pub skipped: Vec<(String, String)>,
    /// Where grants went and why, and what the edits left alone (a role outside the file, an
    /// alias), one line each.
    pub notes: Vec<String>,
    /// Functions whose code needs a grant the edits do not write (a note says why).
    pub unwritten: Vec<String>,
}

/// Why a function's analysis is incomplete, as one line: the first gap, and how many more.
fn gap_reason(f: &FunctionReport) -> String {
    let Some(d) = f.gaps.first() else {
        return String::new();
    };
    let more = match f.gaps.len() - 1 {
        0 => String::new(),
        n => format!(" (and {n} more)"),
    };
    format!(
        "its analysis is incomplete: {} at {}:{}: {}{more}",
        d.code,
        d.location.file.display(),
        d.location.line,
        d.message
    )
}

impl Config<'_> {
    /// Functions of the config whose analysis is incomplete, each with the reason.
    pub fn skipped(&self) -> Vec<(String, String)> {
        let in_config = |name: &str| {
            self.project
                .functions
                .iter()
                .any(|f| f.name == name && f.location.file == self.project.config)
        };
        self.report
            .functions
            .iter()
            .filter(|f| !f.analysed() && in_config(&f.name))
            .map(|f| (f.name.clone(), gap_reason(f)))
            .collect()
    }

    /// Why `function` may not be written (its analysis is incomplete), when it may not.
    pub fn incomplete(&self, function: &str) -> Option<String> {
        self.report
            .functions
            .iter()
            .find(|f| f.name == function && !f.analysed())
            .map(|f| format!("`{function}`: {}", gap_reason(f)))
    }

    /// The report the edits are computed from: without the functions in `names` (their
    /// statements and their endpoints' auth).
    fn writable(&self, names: &BTreeSet<String>) -> Cow<'_, Report> {
        let full = self.report;
        if names.is_empty() {
            return Cow::Borrowed(full);
        }
        Cow::Owned(Report {
            framework: full.framework,
            config: full.config.clone(),
            functions: full
                .functions
                .iter()
                .filter(|f| !names.contains(&f.name))
                .cloned()
                .collect(),
            edges: Vec::new(),
            auth: full
                .auth
                .iter()
                .filter(|a| !names.contains(&a.function))
                .cloned()
                .collect(),
            diagnostics: Vec::new(),
        })
    }

    /// The text `edits` give, once it passes the gate: read back by the project's reader, it
    /// keeps every comment and line outside the edits, leaves the functions in `skipped` alone,
    /// and gives every function it touches each permission `required` lists for it.
    fn verified(
        &self,
        edits: &[TextEdit],
        required: &Report,
        skipped: &BTreeSet<String>,
    ) -> Result<String, String> {
        let text = edit::apply(self.source, edits);
        if text == self.source {
            return Ok(text);
        }
        let after = read_project(&self.project.config, &text, self.fs);
        let json = self
            .project
            .config
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        verify(&Candidate {
            old: self.source,
            new: &text,
            edits,
            before: self.project,
            after: &after,
            report: required,
            skipped,
            json,
        })?;
        Ok(text)
    }

    /// The names of the functions left alone, and the report of the others.
    fn split(&self) -> (Vec<(String, String)>, BTreeSet<String>, Cow<'_, Report>) {
        let skipped = self.skipped();
        let names: BTreeSet<String> = skipped.iter().map(|(n, _)| n.clone()).collect();
        let report = self.writable(&names);
        (skipped, names, report)
    }

    /// The plan `edits_for` makes from the report of the functions that may be written, once
    /// its text passes the gate.
    fn planned(&self, edits_for: impl FnOnce(&Report) -> edit::Plan) -> Result<Plan, String> {
        let (skipped, names, report) = self.split();
        let edit::Plan {
            edits,
            notes,
            unwritten,
        } = edits_for(&report);
        let text = self.verified(&edits, &report, &names)?;
        Ok(Plan {
            text,
            edits,
            skipped,
            notes,
            unwritten,
        })
    }
}

/// Every function's generated statements and the recommended endpoint auth (`generate --write`),
/// for the functions whose analysis is complete, verified; Err with the reason (one line) when the
/// edited text fails the gate, and nothing may be written or shown.
pub fn write_all(cfg: &Config) -> Result<Plan, String> {
    cfg.planned(|report| edit::config_edits(cfg.project, cfg.source, report))
}

/// The generated statements of the roles `function` uses (the editor's "write the policy"),
/// verified as [`write_all`] is; Err when `function`'s analysis is incomplete or the edit fails
/// the gate.
pub fn write_policy(cfg: &Config, function: &str) -> Result<Plan, String> {
    if let Some(reason) = cfg.incomplete(function) {
        return Err(reason);
    }
    cfg.planned(|report| edit::policy_plan(cfg.project, cfg.source, report, Some(function)))
}

/// One grant for `function` (the editor's quick fix): the edit that adds `permission` to its role
/// where `--write` would put it, and a note when that is the shared provider role. The edit must
/// give `function` the permission and take nothing any function's role allowed before; Err when
/// `function`'s analysis is incomplete, the edit touches a function whose analysis is, or it fails
/// the gate.
pub fn grant(
    cfg: &Config,
    function: &str,
    permission: &Permission,
) -> Result<(TextEdit, Option<String>), String> {
    if let Some(reason) = cfg.incomplete(function) {
        return Err(reason);
    }
    let (_, names, report) = cfg.split();
    let resource = cfg.report.render_resource(&permission.resource);
    let (e, note) = edit::grant(
        cfg.project,
        cfg.source,
        function,
        &permission.action,
        &resource,
    )?;
    let mut required = already_granted(cfg.project, &report);
    if let Some(f) = required.functions.iter_mut().find(|f| f.name == function) {
        f.permissions.push(permission.clone());
    }
    cfg.verified(std::slice::from_ref(&e), &required, &names)?;
    Ok((e, note))
}

/// The edit that narrows the wildcard action `pattern` on config line `line` to `replacement`
/// (the editor's quick fix for `wildcard-action`): None when the line does not hold it; Err when
/// the edit would take from a function something its code needs, touch a function whose analysis
/// is incomplete, or fail the gate otherwise.
pub fn narrow(
    cfg: &Config,
    line: u32,
    pattern: &str,
    replacement: &[String],
) -> Result<Option<TextEdit>, String> {
    let Some(e) = edit::narrow_action(cfg.source, line, pattern, replacement) else {
        return Ok(None);
    };
    let (_, names, report) = cfg.split();
    let required = already_granted(cfg.project, &report);
    cfg.verified(std::slice::from_ref(&e), &required, &names)?;
    Ok(Some(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use slz_analyzer::MemFs;

    const HANDLER: &str = "const { DynamoDB } = require('aws-sdk');
const db = new DynamoDB.DocumentClient();
exports.main = async (e) => {
  await db.put({ TableName: 'orders', Item: e }).promise();
  return db.get({ TableName: 'orders', Key: {} }).promise();
};
";
    const CONFIG: &str = "service: shop
frameworkVersion: '4'
provider:
  name: aws
functions:
  # reads and writes orders
  orders:
    handler: src/orders.main
    iam:
      role:
        statements:
          - Effect: Allow
            Action: 'dynamodb:*'
            Resource: '*'
";

    fn with_config<T>(config: &str, run: impl FnOnce(&Config) -> T) -> T {
        let fs = MemFs::new([("serverless.yml", config), ("src/orders.js", HANDLER)]);
        let project = slz_analyzer::project::read_yaml_config(config, Path::new("serverless.yml"));
        let report = slz_analyzer::analyze(&project, &fs);
        run(&Config {
            root: Path::new("."),
            project: &project,
            source: config,
            report: &report,
            fs: &fs,
        })
    }

    fn permission(cfg: &Config, action: &str) -> Permission {
        cfg.report.functions[0]
            .permissions
            .iter()
            .find(|p| p.action == action)
            .cloned()
            .unwrap_or_else(|| panic!("{action} in {:?}", cfg.report.functions[0].permissions))
    }

    #[test]
    fn a_narrowing_that_takes_a_needed_action_away_is_refused() {
        with_config(CONFIG, |cfg| {
            let only_get = vec!["dynamodb:GetItem".to_string()];
            let err = narrow(cfg, 13, "dynamodb:*", &only_get).unwrap_err();
            assert!(
                err.contains("the role of `orders` still does not grant dynamodb:PutItem"),
                "{err}"
            );
            let both = vec![
                "dynamodb:GetItem".to_string(),
                "dynamodb:PutItem".to_string(),
            ];
            let e = narrow(cfg, 13, "dynamodb:*", &both).unwrap().unwrap();
            assert_eq!(
                e.lines,
                vec!["            Action: [dynamodb:GetItem, dynamodb:PutItem]"]
            );
            // A line that does not hold the pattern: no edit, no error.
            assert_eq!(narrow(cfg, 12, "dynamodb:*", &both), Ok(None));
        });
    }

    #[test]
    fn one_grant_passes_while_another_need_is_still_open() {
        // The role grants nothing: a grant of PutItem alone must pass although GetItem is still
        // missing, and must land what it is for.
        let config = CONFIG.replace("'dynamodb:*'", "s3:GetObject");
        with_config(&config, |cfg| {
            let put = permission(cfg, "dynamodb:PutItem");
            let (e, note) = grant(cfg, "orders", &put).unwrap();
            assert_eq!(note, None);
            assert!(
                e.lines.iter().any(|l| l.contains("dynamodb:PutItem")),
                "{e:?}"
            );
            // The whole policy, by contrast, writes both.
            let plan = write_policy(cfg, "orders").unwrap();
            assert!(
                plan.text.contains("dynamodb:GetItem") && plan.text.contains("dynamodb:PutItem")
            );
        });
    }
}

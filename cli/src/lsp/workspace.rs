//! The language server's view of one project: open buffers over the disk (a buffer wins over its
//! file), the project model, each function's analysis (kept until a file it read changes), the
//! report and the `check` findings, and what they mean for each file: diagnostics, hovers and
//! code actions.

use super::convert::{range_at, text_edit, uri_of};
use crate::fs::DiskFs;
use crate::gate;
use crate::project::{read_project, CONFIG_NAMES};
use lsp_types::{
    CodeAction, CodeActionKind, Diagnostic, DiagnosticSeverity, NumberOrString, WorkspaceEdit,
};
use rayon::prelude::*;
use slz_analyzer::analyze::{analyze_function, assemble, FunctionAnalysis};
use slz_analyzer::cache::ModuleCache;
use slz_analyzer::check::{
    findings, read_settings, CheckConfig, Finding, SettingsError, SETTINGS_FILE as CONFIG_FILE,
};
use slz_analyzer::diagnostics::{Location, Severity};
use slz_analyzer::ir::LineIndex;
use slz_analyzer::project::Project;
use slz_analyzer::{DirEntry, DirListing, EntryKind, FsError, Report, SourceFs};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The project as last analysed.
struct State {
    config: PathBuf,
    source: String,
    project: Project,
    analyses: Vec<FunctionAnalysis>,
    report: Report,
    findings: Vec<Finding>,
}

pub struct Workspace {
    /// The project folder, absolute.
    pub root: PathBuf,
    disk: Option<DiskFs>,
    /// Open buffers, by path relative to the root.
    open: HashMap<PathBuf, String>,
    cache: ModuleCache,
    state: Option<State>,
    /// Why the project could not be read (no config file); shown once, not as a crash.
    pub error: Option<String>,
}

/// Open buffers over the disk.
struct Overlay<'w> {
    open: &'w HashMap<PathBuf, String>,
    disk: Option<&'w DiskFs>,
}

impl SourceFs for Overlay<'_> {
    fn read(&self, path: &Path) -> Result<String, FsError> {
        match self.open.get(path) {
            Some(text) => Ok(text.clone()),
            None => self.disk.ok_or(FsError::NotFound)?.read(path),
        }
    }

    fn is_file(&self, path: &Path) -> bool {
        self.open.contains_key(path) || self.disk.is_some_and(|d| d.is_file(path))
    }

    /// The disk's entries and the open buffers' (a buffer not saved yet, and the folders on its
    /// way, are listed too).
    fn list_dir(&self, path: &Path) -> Result<DirListing, FsError> {
        let dir = slz_analyzer::analyze::normalize(path).ok_or(FsError::Outside)?;
        let disk = match self.disk {
            Some(disk) => disk.list_dir(&dir),
            None => Err(FsError::NotFound),
        };
        let mut found = disk.is_ok();
        let mut entries = match disk {
            Ok(listing) => listing.entries,
            Err(FsError::NotFound) => Vec::new(),
            Err(e) => return Err(e),
        };
        for open in self.open.keys() {
            let Some(rest) = slz_analyzer::analyze::normalize(open)
                .and_then(|p| p.strip_prefix(&dir).ok().map(Path::to_path_buf))
            else {
                continue;
            };
            let mut parts = rest.components();
            let Some(name) = parts.next() else {
                continue;
            };
            let kind = match parts.next() {
                Some(_) => EntryKind::Folder,
                None => EntryKind::File,
            };
            found = true;
            entries.push(DirEntry::new(name.as_os_str().to_string_lossy(), kind));
        }
        if !found {
            return Err(FsError::NotFound);
        }
        Ok(DirListing::new(entries))
    }
}

fn lsp_severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

impl Workspace {
    pub fn new(root: &Path) -> Workspace {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut ws = Workspace {
            disk: DiskFs::new(&root).ok(),
            root,
            open: HashMap::new(),
            cache: ModuleCache::default(),
            state: None,
            error: None,
        };
        ws.reload();
        ws
    }

    fn fs(&self) -> Overlay<'_> {
        Overlay {
            open: &self.open,
            disk: self.disk.as_ref(),
        }
    }

    /// The path of `abs` relative to the root, when it is inside.
    pub fn relative(&self, abs: &Path) -> Option<PathBuf> {
        let canonical = abs.canonicalize().ok();
        let abs = canonical.as_deref().unwrap_or(abs);
        abs.strip_prefix(&self.root).ok().map(Path::to_path_buf)
    }

    pub fn text(&self, rel: &Path) -> Option<String> {
        self.fs().read(rel).ok()
    }

    /// A buffer was opened or edited (`Some`) or closed (`None`: the disk is the truth again).
    pub fn set_buffer(&mut self, rel: &Path, text: Option<String>) {
        match text {
            Some(t) => {
                self.open.insert(rel.to_path_buf(), t);
            }
            None => {
                self.open.remove(rel);
            }
        }
        self.changed(rel);
    }

    /// A file changed on disk; `created_or_deleted` when imports may now resolve differently.
    pub fn disk_changed(&mut self, rel: &Path, created_or_deleted: bool) {
        if created_or_deleted {
            self.cache.clear();
            if let Some(disk) = &self.disk {
                disk.forget();
            }
            self.reload();
        } else if !self.open.contains_key(rel) {
            self.changed(rel);
        }
    }

    /// Recomputes what depends on `rel`: the whole project when it shapes the project model,
    /// else only the functions whose analysis read it.
    fn changed(&mut self, rel: &Path) {
        self.cache.invalidate(rel);
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let shapes_model = match &self.state {
            None => true,
            Some(s) => {
                rel == s.config
                    || CONFIG_NAMES.contains(&name.as_str())
                    || slz_analyzer::project::reader(s.project.framework).reshapes(
                        rel.strip_prefix(s.config.parent().unwrap_or(Path::new("")))
                            .unwrap_or(rel),
                    )
            }
        };
        if shapes_model {
            self.reload();
            return;
        }
        if rel == Path::new(CONFIG_FILE) {
            self.recheck();
            return;
        }
        let Some(mut state) = self.state.take() else {
            return;
        };
        let fs = self.fs();
        for (i, f) in state.project.functions.iter().enumerate() {
            let a = &state.analyses[i];
            if a.files.contains(rel) || a.report.source.is_none() {
                state.analyses[i] = analyze_function(&state.project, f, &fs, &self.cache);
            }
        }
        state.report = assemble(&state.project, &state.analyses);
        self.state = Some(state);
        self.recheck();
    }

    /// Reads the config and analyses every function.
    fn reload(&mut self) {
        let fs = self.fs();
        let Some(config) = CONFIG_NAMES
            .iter()
            .map(PathBuf::from)
            .find(|p| fs.is_file(p))
        else {
            self.state = None;
            self.error = Some(format!(
                "no serverless.yml, template.yaml, .serverlize.config.ts or Cargo.toml in {}",
                self.root.display()
            ));
            return;
        };
        // The config has its own size limit: a large project's serverless.yml outgrows the
        // source-file cap.
        let source = match (self.open.get(&config), &self.disk) {
            (Some(text), _) => Ok(text.clone()),
            (None, Some(disk)) => disk.read_up_to(&config, crate::project::MAX_CONFIG_BYTES),
            (None, None) => Err(FsError::NotFound),
        };
        let source = match source {
            Ok(text) => text,
            Err(e) => {
                self.state = None;
                self.error = Some(format!("cannot read {}: {e}", config.display()));
                return;
            }
        };
        let project = read_project(&config, &source, &fs);
        let analyses: Vec<FunctionAnalysis> = project
            .functions
            .par_iter()
            .map(|f| analyze_function(&project, f, &fs, &self.cache))
            .collect();
        let report = assemble(&project, &analyses);
        self.error = None;
        self.state = Some(State {
            config,
            source,
            project,
            analyses,
            report,
            findings: Vec::new(),
        });
        self.recheck();
    }

    /// The `check` findings, after `slz-iam.toml` and inline suppressions (read from buffers).
    fn recheck(&mut self) {
        let fs = self.fs();
        // A settings file that cannot be read (a symlink out of the project, not a regular file,
        // too large) is not used, and says so.
        let (cfg, problem) = match read_settings(&fs, Path::new(CONFIG_FILE)) {
            Ok(cfg) => (cfg, None),
            Err(SettingsError::Invalid(e)) => (CheckConfig::default(), Some(e)),
            Err(SettingsError::Read(e)) => (
                CheckConfig::default(),
                Some(format!("{CONFIG_FILE}: {e}; not used")),
            ),
        };
        let Some(state) = &self.state else {
            return;
        };
        let mut findings = findings(&state.project, &state.report, &cfg, &fs);
        if let Some(message) = problem {
            findings.push(Finding {
                location: Location::new(CONFIG_FILE, 1, 1),
                code: "invalid-config",
                severity: Severity::Error,
                function: None,
                message,
                action: None,
                resource: None,
                replacement: Vec::new(),
            });
        }
        if let Some(state) = &mut self.state {
            state.findings = findings;
        }
    }

    /// Every file's diagnostics: the analysis' own (unresolved resources as hints) and the
    /// findings. Each file is read and indexed by line once.
    pub fn diagnostics(&self) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
        let mut out: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        let Some(state) = &self.state else {
            return out;
        };
        let mut texts: HashMap<PathBuf, (String, LineIndex)> = HashMap::new();
        let mut push = |at: &Location, severity: DiagnosticSeverity, code: &str, message: &str| {
            let (text, lines) = texts.entry(at.file.clone()).or_insert_with(|| {
                let text = self.text(&at.file).unwrap_or_default();
                let lines = LineIndex::new(&text);
                (text, lines)
            });
            let content = lines.line_text(text, at.line);
            out.entry(at.file.clone()).or_default().push(Diagnostic {
                range: range_at(content, at.line, at.column),
                severity: Some(severity),
                code: Some(NumberOrString::String(code.to_string())),
                source: Some("slz-iam".into()),
                message: message.to_string(),
                ..Diagnostic::default()
            });
        };
        for d in &state.report.diagnostics {
            let severity = if d.code == "unresolved-resource" {
                DiagnosticSeverity::HINT
            } else {
                lsp_severity(d.severity)
            };
            push(&d.location, severity, d.code, &d.message);
        }
        for f in &state.findings {
            push(&f.location, lsp_severity(f.severity), f.code, &f.message);
        }
        out
    }

    /// What the SDK calls on line `line` (0-based) of `rel` need, and which functions reach them.
    pub fn hover(&self, rel: &Path, line: u32) -> Option<String> {
        let state = self.state.as_ref()?;
        let mut needs: BTreeMap<(String, String), (Vec<String>, Vec<String>)> = BTreeMap::new();
        for f in &state.report.functions {
            for p in &f.permissions {
                if p.sources
                    .iter()
                    .any(|s| s.file == rel && s.line == line + 1)
                {
                    let resource = state.report.render_resource(&p.resource);
                    let resource = resource
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| resource.to_string());
                    let e = needs.entry((p.action.clone(), resource)).or_default();
                    e.0.push(f.name.clone());
                    e.1.extend(p.reasons.iter().cloned());
                }
            }
        }
        if needs.is_empty() {
            return None;
        }
        let mut out = String::from("**IAM** (slz-iam): this call needs\n\n");
        for ((action, resource), (mut functions, mut reasons)) in needs {
            functions.sort();
            functions.dedup();
            reasons.sort();
            reasons.dedup();
            out.push_str(&format!(
                "- `{action}` on `{resource}` ({}), for {}\n",
                reasons.join(", "),
                functions
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Some(out)
    }

    /// Fixes for the findings on lines `first..=last` (0-based) of `rel`. Every one edits the
    /// config and passes the same gate as `generate --write` ([`crate::gate`], the edited text read
    /// back over the open buffers); one that does not is shown disabled, with the reason.
    pub fn code_actions(&self, rel: &Path, first: u32, last: u32) -> Vec<CodeAction> {
        let Some(state) = &self.state else {
            return Vec::new();
        };
        let Some(config_uri) = uri_of(&self.root.join(&state.config)) else {
            return Vec::new();
        };
        let fs = self.fs();
        let cfg = gate::Config {
            root: &self.root,
            project: &state.project,
            source: &state.source,
            report: &state.report,
            fs: &fs,
        };
        let edit = |edits: &[slz_analyzer::edit::TextEdit]| WorkspaceEdit {
            changes: Some(HashMap::from([(
                config_uri.clone(),
                edits.iter().map(|e| text_edit(&state.source, e)).collect(),
            )])),
            ..WorkspaceEdit::default()
        };
        let quickfix = |title: String,
                        result: Result<Vec<slz_analyzer::edit::TextEdit>, String>,
                        preferred: bool| {
            match result {
                Ok(edits) => CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    edit: Some(edit(&edits)),
                    is_preferred: Some(preferred),
                    ..CodeAction::default()
                },
                Err(reason) => CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    disabled: Some(lsp_types::CodeActionDisabled { reason }),
                    ..CodeAction::default()
                },
            }
        };
        let config = state.config.display();
        let mut out = Vec::new();
        let here = state.findings.iter().filter(|f| {
            f.location.file == rel && (first + 1..=last + 1).contains(&f.location.line)
        });
        for f in here {
            match f.code {
                "missing-permission" => {
                    let (Some(function), Some(action)) = (&f.function, &f.action) else {
                        continue;
                    };
                    let Some(fr) = state.report.functions.iter().find(|r| &r.name == function)
                    else {
                        continue;
                    };
                    let Some(p) = fr.permissions.iter().find(|p| {
                        &p.action == action
                            && p.sources
                                .iter()
                                .any(|s| s.file == rel && s.line == f.location.line)
                    }) else {
                        continue;
                    };
                    // The same placement `--write` uses: the function's own role where the
                    // framework gives it one (a new one keeps what the function inherited), else
                    // the shared role, said in the title; a refusal shows why.
                    out.push(match gate::grant(&cfg, function, p) {
                        Ok((e, note)) => quickfix(
                            match note {
                                None => format!("Grant {action} to `{function}` in {config}"),
                                Some(_) => format!(
                                    "Grant {action} to the shared provider role (used by `{function}`) in {config}"
                                ),
                            },
                            Ok(vec![e]),
                            true,
                        ),
                        Err(reason) => quickfix(
                            format!("Grant {action} to `{function}`"),
                            Err(reason),
                            false,
                        ),
                    });
                    let title =
                        format!("Write the least-privilege policy of `{function}` into {config}");
                    match gate::write_policy(&cfg, function) {
                        Ok(plan) if !plan.edits.is_empty() => {
                            out.push(quickfix(title, Ok(plan.edits), false))
                        }
                        // Nothing written for it: why, when a note says.
                        Ok(plan) if plan.unwritten.contains(function) => {
                            out.push(quickfix(title, Err(plan.notes.join("; ")), false))
                        }
                        Ok(_) => {}
                        Err(reason) => out.push(quickfix(title, Err(reason), false)),
                    }
                }
                "wildcard-action" => {
                    let Some(pattern) = &f.action else {
                        continue;
                    };
                    let title = format!("Narrow {pattern} to {}", f.replacement.join(", "));
                    match gate::narrow(&cfg, f.location.line, pattern, &f.replacement) {
                        Ok(Some(e)) => out.push(quickfix(title, Ok(vec![e]), true)),
                        Ok(None) => {}
                        Err(reason) => out.push(quickfix(title, Err(reason), false)),
                    }
                }
                _ => {}
            }
        }
        out
    }
}

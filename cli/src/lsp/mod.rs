//! `slz-iam lsp`: a language server over stdio. It keeps the project in memory
//! ([`workspace::Workspace`]), re-analyses only the functions a changed file reaches, and
//! publishes diagnostics at the SDK call and at the config line, hovers with what a call needs,
//! and code actions that edit the config (add a statement, write a function's policy, narrow a
//! wildcard).

mod convert;
pub mod transport;
pub mod workspace;

use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Request as _};
use lsp_types::{
    CodeActionOrCommand, CodeActionProviderCapability, FileChangeType, Hover, HoverContents,
    HoverProviderCapability, InitializeParams, MarkupContent, MarkupKind, MessageType,
    PublishDiagnosticsParams, ServerCapabilities, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind,
};
use std::collections::BTreeMap;
use std::path::PathBuf;
use workspace::Workspace;

/// Runs the server on stdin/stdout until the client shuts it down. The status is 1 when the
/// server stops without a `shutdown` request first (an `exit` alone, or the input ending), as
/// the protocol asks.
pub fn run() -> Result<u8, String> {
    let (connection, writer) = transport::stdio();
    let clean = serve(&connection)?;
    // The writer thread ends once every sender is gone.
    drop(connection);
    writer
        .join()
        .map_err(|_| "the writer thread failed".to_string())?;
    Ok(if clean { 0 } else { 1 })
}

/// The root folder the client opened: the first workspace folder, else the root URI, else the
/// current folder.
fn root_of(params: &InitializeParams) -> PathBuf {
    let folder = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| f.uri.clone());
    #[allow(deprecated)]
    let uri = folder.or_else(|| params.root_uri.clone());
    uri.as_ref()
        .and_then(convert::path_of)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Serves one client on `connection`; true when it ends by `shutdown` then `exit`.
pub fn serve(connection: &Connection) -> Result<bool, String> {
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let caps = serde_json::to_value(capabilities).map_err(|e| e.to_string())?;
    let params = connection.initialize(caps).map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let mut server = Server {
        connection,
        workspace: Workspace::new(&root_of(&params)),
        published: BTreeMap::new(),
    };
    if let Some(e) = &server.workspace.error {
        server.notify::<ShowMessage>(ShowMessageParams {
            typ: MessageType::WARNING,
            message: format!("slz-iam: {e}"),
        });
    }
    server.publish();
    for message in &connection.receiver {
        match message {
            Message::Request(req) => {
                if connection
                    .handle_shutdown(&req)
                    .map_err(|e| e.to_string())?
                {
                    return Ok(true);
                }
                server.request(req);
            }
            Message::Notification(n) if n.method == "exit" => return Ok(false),
            Message::Notification(n) => server.notification(n),
            Message::Response(_) => {}
        }
    }
    Ok(false)
}

struct Server<'c> {
    connection: &'c Connection,
    workspace: Workspace,
    /// What the client shows for each file, so only changes are sent.
    published: BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>>,
}

impl Server<'_> {
    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        let _ = self
            .connection
            .sender
            .send(Message::Notification(Notification::new(
                N::METHOD.to_string(),
                params,
            )));
    }

    fn relative(&self, uri: &lsp_types::Uri) -> Option<PathBuf> {
        self.workspace.relative(&convert::path_of(uri)?)
    }

    /// Sends the diagnostics of every file whose list changed since the last time, and empty
    /// lists where they went away.
    fn publish(&mut self) {
        let now = self.workspace.diagnostics();
        for gone in self.published.keys().filter(|f| !now.contains_key(*f)) {
            if let Some(uri) = convert::uri_of(&self.workspace.root.join(gone)) {
                self.notify::<PublishDiagnostics>(PublishDiagnosticsParams::new(
                    uri,
                    Vec::new(),
                    None,
                ));
            }
        }
        for (file, diagnostics) in &now {
            if self.published.get(file) == Some(diagnostics) {
                continue;
            }
            if let Some(uri) = convert::uri_of(&self.workspace.root.join(file)) {
                self.notify::<PublishDiagnostics>(PublishDiagnosticsParams::new(
                    uri,
                    diagnostics.clone(),
                    None,
                ));
            }
        }
        self.published = now;
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                {
                    self.buffer(&p.text_document.uri, Some(p.text_document.text));
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = n.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) {
                    // Full sync: the last change is the whole text.
                    if let Some(change) = p.content_changes.into_iter().last() {
                        self.buffer(&p.text_document.uri, Some(change.text));
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    self.buffer(&p.text_document.uri, None);
                }
            }
            DidSaveTextDocument::METHOD => {}
            DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = n.extract::<lsp_types::DidChangeWatchedFilesParams>(
                    DidChangeWatchedFiles::METHOD,
                ) {
                    for change in p.changes {
                        if let Some(rel) = self.relative(&change.uri) {
                            let structural = change.typ != FileChangeType::CHANGED;
                            self.workspace.disk_changed(&rel, structural);
                        }
                    }
                    self.publish();
                }
            }
            _ => {}
        }
    }

    fn buffer(&mut self, uri: &lsp_types::Uri, text: Option<String>) {
        let Some(rel) = self.relative(uri) else {
            return;
        };
        self.workspace.set_buffer(&rel, text);
        self.publish();
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            HoverRequest::METHOD => req
                .extract::<lsp_types::HoverParams>(HoverRequest::METHOD)
                .ok()
                .map(|(_, p)| {
                    let pos = p.text_document_position_params;
                    let hover = self
                        .relative(&pos.text_document.uri)
                        .and_then(|rel| self.workspace.hover(&rel, pos.position.line))
                        .map(|value| Hover {
                            contents: HoverContents::Markup(MarkupContent {
                                kind: MarkupKind::Markdown,
                                value,
                            }),
                            range: None,
                        });
                    serde_json::to_value(hover).unwrap_or_default()
                }),
            CodeActionRequest::METHOD => req
                .extract::<lsp_types::CodeActionParams>(CodeActionRequest::METHOD)
                .ok()
                .map(|(_, p)| {
                    let actions: Vec<CodeActionOrCommand> = self
                        .relative(&p.text_document.uri)
                        .map(|rel| {
                            self.workspace
                                .code_actions(&rel, p.range.start.line, p.range.end.line)
                        })
                        .unwrap_or_default()
                        .into_iter()
                        .map(CodeActionOrCommand::CodeAction)
                        .collect();
                    serde_json::to_value(actions).unwrap_or_default()
                }),
            _ => {
                let _ = self
                    .connection
                    .sender
                    .send(Message::Response(Response::new_err(
                        id,
                        lsp_server::ErrorCode::MethodNotFound as i32,
                        format!("slz-iam does not handle {}", req.method),
                    )));
                return;
            }
        };
        let response = match result {
            Some(value) => Response::new_ok(id, value),
            None => Response::new_err(
                id,
                lsp_server::ErrorCode::InvalidParams as i32,
                "invalid parameters".into(),
            ),
        };
        let _ = self.connection.sender.send(Message::Response(response));
    }
}

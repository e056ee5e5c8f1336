// Starts `slz-iam lsp` for the workspace and connects it to the editor.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("slz-iam").get("path") || "slz-iam";
  const server = { command, args: ["lsp"] };
  const documentSelector = [
    "javascript",
    "typescript",
    "javascriptreact",
    "typescriptreact",
    "python",
    "rust",
    "yaml",
    "json",
  ].map((language) => ({ scheme: "file", language }));
  client = new LanguageClient("slz-iam", "slz-iam", server, {
    documentSelector,
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher(
        "**/*.{js,mjs,cjs,ts,mts,cts,py,rs,yml,yaml,json,toml,env}",
      ),
    },
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };

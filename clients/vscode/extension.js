// scriptlens for VS Code: starts `scriptlens lsp` for Fountain files. The server does the work;
// this only starts it and forwards the `scriptlens.*` settings.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function settings() {
  // A plain object: the WorkspaceConfiguration's own methods must not travel.
  return JSON.parse(JSON.stringify(vscode.workspace.getConfiguration("scriptlens")));
}

async function activate() {
  const [command, ...args] = vscode.workspace
    .getConfiguration("scriptlens")
    .get("server.command", ["scriptlens", "lsp"]);
  // TransportKind.stdio appends --stdio, which `scriptlens lsp` accepts.
  const serverOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "fountain" },
      { scheme: "untitled", language: "fountain" },
    ],
    initializationOptions: { scriptlens: settings() },
    // Sends workspace/didChangeConfiguration with {scriptlens: {...}} whenever they change.
    synchronize: { configurationSection: "scriptlens" },
  };
  client = new LanguageClient("scriptlens", "scriptlens", serverOptions, clientOptions);
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };

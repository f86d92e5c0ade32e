// scriptlens for VS Code: the `fountain` language, and a language client for `scriptlens lsp`
// with commands to import audience signals, explain a line, restart the server and show its
// output, and a status-bar item. Everything that needs no `vscode` lives in the pure modules
// (settings, serverCommand, status, protocol), which have unit tests of their own.
import * as cp from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  State,
  WorkDoneProgress,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";

import {
  CLIENT_COMMANDS,
  ProgressTracker,
  SERVER_COMMANDS,
  SIGNAL_FILE_FILTERS,
  describeError,
  explainArguments,
  explanationTitle,
  importArguments,
  isCancellation,
  offers,
  parseEpisode,
  parseExplainResult,
  parseImportResult,
  type ServerCommandName,
} from "./protocol";
import {
  INSTALL_COMMAND,
  SETTING,
  describe,
  findOnPath,
  isExecutableFile,
  resolveServerCommand,
  startFailureMessage,
  type ServerCommand,
} from "./serverCommand";
import { SECTION, needsRestart, serverSettings, type Properties } from "./settings";
import { parseStatus, statusView, type ServerState, type SignalsInfo } from "./status";

const EXPLANATION_SCHEME = "scriptlens-explanation";

/** A language client that writes its errors to the output channel only: the extension shows
 * its own notifications, one per failure, instead of the library's generic ones. */
class QuietLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown): void {
    super.error(message, data, false);
  }
}

/** Restarts after a crash, as the library would (at most 4 in 3 minutes), but leaves telling
 * the user to the manager. */
class CrashPolicy implements ErrorHandler {
  private readonly restarts: number[] = [];

  constructor(
    private readonly hasRun: () => boolean,
    private readonly onGiveUp: () => void,
  ) {}

  error(_error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    return { action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    if (!this.hasRun()) {
      // It never started: `start()` fails, and the manager says why.
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    const now = Date.now();
    this.restarts.push(now);
    while (this.restarts.length > 0 && now - ((this.restarts[0] ?? now)) > 3 * 60_000) {
      this.restarts.shift();
    }
    if (this.restarts.length <= 4) {
      return { action: CloseAction.Restart, handled: true };
    }
    this.onGiveUp();
    return { action: CloseAction.DoNotRestart, handled: true };
  }
}

class ServerManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private server: ServerCommand | undefined;
  private state: ServerState = "stopped";
  private signals: SignalsInfo;
  private problem: string | undefined;
  private generation = 0;
  private readonly status: vscode.StatusBarItem;
  private readonly disposables: { dispose(): unknown }[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
  ) {
    this.status = vscode.window.createStatusBarItem("scriptlens.status", vscode.StatusBarAlignment.Left, 10);
    this.status.name = "scriptlens";
    this.render();
    this.updateVisibility();
    this.disposables.push(
      this.status,
      vscode.window.onDidChangeActiveTextEditor(() => {
        this.updateVisibility();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (needsRestart((key) => event.affectsConfiguration(key))) {
          this.log(`${SETTING} changed: restarting the server`);
          void this.restart();
        }
      }),
    );
  }

  get running(): LanguageClient | undefined {
    return this.state === "running" ? this.client : undefined;
  }

  /** Starts the server; resolves once it runs or has failed (never rejects). */
  async start(): Promise<void> {
    const generation = ++this.generation;
    this.setState("starting");
    this.signals = undefined;
    const environment = {
      configured: vscode.workspace.getConfiguration(SECTION).get<unknown>("server.command"),
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      home: os.homedir(),
      findOnPath: (name: string) => findOnPath(name, process.env["PATH"], isExecutableFile),
      isExecutable: isExecutableFile,
    };
    let resolution = resolveServerCommand(environment);
    if (!resolution.ok) {
      // Only now ask the Python extension (activating it), as the last way to find the server.
      resolution = resolveServerCommand({ ...environment, python: await pythonInterpreter() });
    }
    if (generation !== this.generation) {
      return;
    }
    if (!resolution.ok) {
      this.fail(resolution.problem);
      return;
    }
    const server = resolution.server;
    this.server = server;
    let ran = false;
    this.log(`starting ${describe(server)} (from ${sourceName(server)})`);
    // Spawned here rather than by the client, to keep the end of its stderr for the message
    // when it exits before it runs (an ImportError says more than an exit code).
    const stderr = new StderrTail();
    const serverOptions: ServerOptions = () => {
      const child = cp.spawn(server.command, [...server.args], {
        cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir(),
        env: process.env,
        stdio: "pipe",
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr.add(chunk.toString("utf8"));
      });
      child.on("exit", (code, signal) => {
        stderr.exited(code, signal);
      });
      return new Promise<cp.ChildProcess>((resolve, reject) => {
        child.once("spawn", () => {
          resolve(child);
        });
        child.once("error", reject);
      });
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: "file", language: "fountain" },
        { scheme: "untitled", language: "fountain" },
      ],
      initializationOptions: this.settings(),
      // workspace/didChangeConfiguration with {"scriptlens": {...}} on every change, and
      // answers to workspace/configuration requests for the section.
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the push model is what the server reads
      synchronize: { configurationSection: SECTION },
      outputChannel: this.output,
      errorHandler: new CrashPolicy(() => ran, () => {
        if (generation === this.generation) {
          this.fail(`${describe(server)} stopped 5 times in 3 minutes`);
        }
      }),
      initializationFailedHandler: () => false,
      middleware: {
        workspace: {
          // The server asks for the section; answer with the same shape as the init options.
          configuration: (params, token, next) => {
            if (params.items.every((item) => item.section === SECTION)) {
              return params.items.map(() => this.settings()[SECTION]);
            }
            return next(params, token);
          },
        },
      },
    };
    const client = new QuietLanguageClient("scriptlens", "scriptlens", serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((event) => {
      if (generation !== this.generation) {
        return;
      }
      if (event.newState === State.Running) {
        ran = true;
        this.setState("running");
        void this.refreshStatus();
      } else if (event.newState === State.Stopped && this.state === "running") {
        this.setState("stopped");
      }
    });
    try {
      await client.start();
    } catch (error) {
      await stderr.settle();
      if (generation === this.generation) {
        this.fail(`\`${describe(server)}\` ${stderr.reason() ?? `failed: ${describeError(error)}`}`);
      }
      return;
    }
    if (generation !== this.generation) {
      return;
    }
    if (client.state === State.Running) {
      this.setState("running");
      await this.refreshStatus();
    } else {
      // The library resolves start() when the server exits during initialization.
      await stderr.settle();
      if (generation !== this.generation) {
        return;
      }
      this.fail(`\`${describe(server)}\` ${stderr.reason() ?? "stopped before it started"}`);
    }
  }

  async stop(): Promise<void> {
    this.generation++;
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      try {
        if (client.state !== State.Stopped) {
          await client.stop(3000);
        }
      } catch (error) {
        this.log(`stopping the server: ${describeError(error)}`);
      }
      try {
        await client.dispose(1000);
      } catch {
        // already stopped
      }
    }
    this.setState("stopped");
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Whether the running server offers a command; says why not to the user when it does not. */
  supports(command: ServerCommandName, what: string): LanguageClient | undefined {
    const client = this.running;
    if (client === undefined) {
      void vscode.window
        .showWarningMessage(`scriptlens: cannot ${what}: the language server is not running.`, "Restart server", "Show output")
        .then((choice) => { this.onChoice(choice); });
      return undefined;
    }
    if (!offers(client.initializeResult?.capabilities, command)) {
      void vscode.window.showWarningMessage(
        `scriptlens: cannot ${what}: this scriptlens server does not offer the ${command} command. ` +
          `Update scriptlens (\`${INSTALL_COMMAND} --upgrade\`).`,
      );
      return undefined;
    }
    return client;
  }

  async refreshStatus(): Promise<void> {
    const client = this.running;
    if (client === undefined) {
      return;
    }
    if (!offers(client.initializeResult?.capabilities, SERVER_COMMANDS.status)) {
      this.signals = "unsupported";
      this.render();
      return;
    }
    try {
      const result: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
        command: SERVER_COMMANDS.status,
        arguments: [],
      });
      const report = parseStatus(result);
      this.signals = report ?? { error: "the server's answer has an unexpected shape" };
      if (report === undefined) {
        this.log(`scriptlens.status answered ${JSON.stringify(result)}`);
      }
    } catch (error) {
      this.signals = { error: describeError(error) };
      this.log(`scriptlens.status failed: ${describeError(error)}`);
    }
    this.render();
  }

  settings(): ReturnType<typeof serverSettings> {
    const properties = (this.context.extension.packageJSON as {
      contributes: { configuration: { properties: Properties } };
    }).contributes.configuration.properties;
    const configuration = vscode.workspace.getConfiguration(SECTION);
    return serverSettings(properties, (key) => configuration.get(key));
  }

  log(message: string): void {
    this.output.appendLine(`[scriptlens ${new Date().toLocaleTimeString()}] ${message}`);
  }

  private fail(problem: string): void {
    this.problem = problem;
    this.setState("failed");
    this.log(`the server could not start: ${problem}`);
    void vscode.window
      .showErrorMessage(startFailureMessage(problem), "Open setting", "Show output")
      .then((choice) => { this.onChoice(choice); });
  }

  private onChoice(choice: string | undefined): void {
    if (choice === "Open setting") {
      void vscode.commands.executeCommand("workbench.action.openSettings", SETTING);
    } else if (choice === "Show output") {
      this.output.show(true);
    } else if (choice === "Restart server") {
      void this.restart();
    }
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.render();
  }

  private render(): void {
    const view = statusView(this.state, this.signals, this.server ? describe(this.server) : undefined);
    this.status.text = view.text;
    this.status.tooltip = view.tooltip;
    this.status.accessibilityInformation = { label: view.label, role: "button" };
    this.status.backgroundColor =
      view.severity === "error" ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
    this.status.command =
      this.state === "failed" ? "scriptlens.showStartFailure" : this.state === "stopped" ? CLIENT_COMMANDS.restart : CLIENT_COMMANDS.showOutput;
  }

  showStartFailure(): void {
    void vscode.window
      .showErrorMessage(startFailureMessage(this.problem ?? "see the output"), "Open setting", "Show output")
      .then((choice) => { this.onChoice(choice); });
  }

  private updateVisibility(): void {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined || editor.document.languageId === "fountain") {
      this.status.show();
    } else {
      this.status.hide();
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }
}

/** The last lines a server wrote to stderr, and how it exited. */
class StderrTail {
  private text = "";
  private exit: string | undefined;
  private onExit: (() => void) | undefined;
  private readonly exitedPromise = new Promise<void>((resolve) => {
    this.onExit = resolve;
  });

  /** Waits a little for the process to exit, so that its last words are in. */
  async settle(milliseconds = 1000): Promise<void> {
    await Promise.race([this.exitedPromise, new Promise((resolve) => setTimeout(resolve, milliseconds))]);
  }

  add(chunk: string): void {
    this.text = (this.text + chunk).slice(-4000);
  }

  exited(code: number | null, signal: string | null): void {
    this.exit = code !== null ? `exited with code ${code}` : `was killed by ${signal ?? "a signal"}`;
    this.onExit?.();
  }

  /** e.g. "exited with code 1: ModuleNotFoundError: No module named 'scriptlens'". */
  reason(): string | undefined {
    const last = this.text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== "")
      .pop();
    if (this.exit === undefined) {
      return last === undefined ? undefined : `failed: ${last}`;
    }
    return last === undefined ? this.exit : `${this.exit}: ${last}`;
  }
}

function sourceName(server: ServerCommand): string {
  switch (server.source) {
    case "setting":
      return SETTING;
    case "path":
      return "the PATH";
    case "python":
      return "the Python extension's interpreter";
  }
}

/** The Python extension's interpreter for the first workspace folder, if it is installed. */
async function pythonInterpreter(): Promise<string[] | undefined> {
  const extension = vscode.extensions.getExtension("ms-python.python");
  if (extension === undefined) {
    return undefined;
  }
  const lookup = async (): Promise<string[] | undefined> => {
    const api = (extension.isActive ? extension.exports : await extension.activate()) as PythonApi | undefined;
    const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
    const environments = api?.environments;
    if (environments?.getActiveEnvironmentPath && environments.resolveEnvironment) {
      const active = environments.getActiveEnvironmentPath(resource);
      const resolved = await environments.resolveEnvironment(active);
      const executable = resolved?.executable?.uri?.fsPath;
      if (executable) {
        return [executable];
      }
    }
    const details = api?.settings?.getExecutionDetails?.(resource);
    return details?.execCommand?.filter((part): part is string => typeof part === "string");
  };
  try {
    return await Promise.race([
      lookup(),
      new Promise<undefined>((resolve) => setTimeout(() => { resolve(undefined); }, 15_000)),
    ]);
  } catch {
    return undefined;
  }
}

interface PythonApi {
  environments?: {
    getActiveEnvironmentPath?(resource?: vscode.Uri): unknown;
    resolveEnvironment?(environment: unknown): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
  settings?: {
    getExecutionDetails?(resource?: vscode.Uri): { execCommand?: unknown[] | undefined };
  };
}

/** Holds each explanation's Markdown for the preview, under its own URI. */
class Explanations implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  put(title: string, markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: EXPLANATION_SCHEME, path: `/${title}.md` });
    this.texts.set(uri.toString(), markdown);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? "";
  }
}

async function importSignals(manager: ServerManager): Promise<void> {
  const client = manager.supports(SERVER_COMMANDS.importSignals, "import audience signals");
  if (client === undefined) {
    return;
  }
  const files = await vscode.window.showOpenDialog({
    canSelectMany: true,
    canSelectFiles: true,
    canSelectFolders: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { ...SIGNAL_FILE_FILTERS },
    openLabel: "Import",
    title: "scriptlens: import audience signals",
  });
  if (files === undefined || files.length === 0) {
    return;
  }
  const episodeText = await vscode.window.showInputBox({
    title: "scriptlens: import audience signals",
    prompt: "The episode these signals are about, for exports that do not say (leave empty if they do)",
    placeHolder: "e.g. 3",
    validateInput: (text) => (parseEpisode(text) === undefined ? "A whole number from 1, or empty" : undefined),
  });
  if (episodeText === undefined) {
    return;
  }
  const platformText = await vscode.window.showInputBox({
    title: "scriptlens: import audience signals",
    prompt: "The platform they come from, for exports that do not say (leave empty if they do)",
    placeHolder: "e.g. douyin, bilibili, youtube",
  });
  if (platformText === undefined) {
    return;
  }
  const args = importArguments(
    files.map((file) => file.fsPath),
    parseEpisode(episodeText) ?? null,
    platformText,
  );
  const names = files.map((file) => path.basename(file.fsPath)).join(", ");
  await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `scriptlens: importing ${names}`,
      cancellable: true,
    },
    async (progress, cancellation) => {
      const token = `scriptlens-import-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const tracker = new ProgressTracker();
      const listener = client.onProgress(WorkDoneProgress.type, token, (value) => {
        if (value.kind === "end") {
          return;
        }
        const increment = tracker.increment(value.percentage);
        progress.report({
          ...(value.message !== undefined ? { message: value.message } : {}),
          ...(increment !== undefined ? { increment } : {}),
        });
      });
      try {
        const result: unknown = await client.sendRequest(
          ExecuteCommandRequest.type,
          { command: SERVER_COMMANDS.importSignals, arguments: args, workDoneToken: token },
          cancellation,
        );
        const parsed = parseImportResult(result);
        if (parsed === undefined) {
          manager.log(`scriptlens.importSignals answered ${JSON.stringify(result)}`);
          void vscode.window.showWarningMessage("scriptlens: the import finished, but the server's answer has an unexpected shape (see the output).");
        } else {
          void vscode.window.showInformationMessage(`scriptlens: ${parsed.message}`);
        }
      } catch (error) {
        if (cancellation.isCancellationRequested || isCancellation(error)) {
          void vscode.window.showInformationMessage("scriptlens: import cancelled; the store is unchanged.");
        } else {
          manager.log(`scriptlens.importSignals failed: ${describeError(error)}`);
          void vscode.window.showErrorMessage(`scriptlens: the import failed: ${describeError(error)}`);
        }
      } finally {
        listener.dispose();
      }
    },
  );
  await manager.refreshStatus();
}

async function explainLine(manager: ServerManager, explanations: Explanations): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || editor.document.languageId !== "fountain") {
    void vscode.window.showInformationMessage("scriptlens: put the cursor on a line of a Fountain script first.");
    return;
  }
  const client = manager.supports(SERVER_COMMANDS.explainLine, "explain this line");
  if (client === undefined) {
    return;
  }
  const line = editor.selection.active.line;
  let result: unknown;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: "scriptlens: explaining the line" },
      () =>
        client.sendRequest(ExecuteCommandRequest.type, {
          command: SERVER_COMMANDS.explainLine,
          arguments: explainArguments(editor.document.uri.toString(), line),
        }),
    );
  } catch (error) {
    manager.log(`scriptlens.explainLine failed: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`scriptlens: could not explain line ${line + 1}: ${describeError(error)}`);
    return;
  }
  const parsed = parseExplainResult(result);
  if (parsed === undefined) {
    manager.log(`scriptlens.explainLine answered ${JSON.stringify(result)}`);
    void vscode.window.showErrorMessage("scriptlens: the server's explanation has an unexpected shape (see the output).");
    return;
  }
  const uri = explanations.put(explanationTitle(path.basename(editor.document.uri.path), line), parsed.markdown);
  try {
    await vscode.commands.executeCommand("markdown.showPreviewToSide", uri);
  } catch {
    // No Markdown preview (the built-in extension disabled): show the Markdown source instead.
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, "markdown");
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
  }
}

let manager: ServerManager | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel("scriptlens");
  const explanations = new Explanations();
  manager = new ServerManager(context, output);
  const current = manager;
  context.subscriptions.push(
    output,
    current,
    vscode.workspace.registerTextDocumentContentProvider(EXPLANATION_SCHEME, explanations),
    vscode.commands.registerCommand(CLIENT_COMMANDS.importSignals, () => importSignals(current)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.explainLine, () => explainLine(current, explanations)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.restart, () => current.restart()),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showOutput, () => {
      output.show(true);
    }),
    vscode.commands.registerCommand("scriptlens.showStartFailure", () => {
      current.showStartFailure();
    }),
  );
  // Not awaited: activation finishes at once, the status bar shows the server starting.
  void current.start();
}

export async function deactivate(): Promise<void> {
  if (manager !== undefined) {
    await manager.stop();
    manager = undefined;
  }
}

// The extension inside a real VS Code: code-server (VS Code 1.139 served to a browser), driven
// with Debian's Chromium through playwright-core. It installs the packed .vsix, opens a copy of
// the example series, and checks in the page what a writer would see: the extension activated
// and its server running, a continuity diagnostic, a hover with the server's content (a line's
// motivation when the server explains lines), the outline's scenes, the import command and
// "Explain this line". What VS Code should show is asked of the same server over stdio first
// (lspProbe), so the checks follow the server's wording.
//
// What it needs, each from an environment variable or its default:
//   SCRIPTLENS_E2E_NODE         node 24, for code-server      node_modules/.e2e/node/bin/node
//   SCRIPTLENS_E2E_CODE_SERVER  code-server's entry script    node_modules/.e2e/code-server/node_modules/code-server/out/node/entry.js
//   SCRIPTLENS_E2E_CHROMIUM     the browser                   /usr/bin/chromium
//   SCRIPTLENS_E2E_SERVER       `scriptlens` to test          <repository>/.venv/bin/scriptlens
//   SCRIPTLENS_E2E_VSIX         the packed extension          scriptlens.vsix
// `bash ci.sh` installs them. Without them the test is skipped, except in CI (CI=true), where it
// fails. Screenshots and logs go to test-output/.
import * as assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";

import { LspProbe, flatten, hoverText, type SymbolNode } from "./lspProbe";
import { readmeCommands } from "./readme";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const REPO = path.resolve(ROOT, "..", "..");
const TOOLS = path.join(ROOT, "node_modules", ".e2e");
const OUTPUT = path.join(ROOT, "test-output");
const EXAMPLE = path.join(REPO, "examples", "micro-drama");
const EPISODE = "ep05.fountain";
const CI = process.env["CI"] === "true";

const NEEDS = {
  node: process.env["SCRIPTLENS_E2E_NODE"] ?? path.join(TOOLS, "node", "bin", "node"),
  codeServer:
    process.env["SCRIPTLENS_E2E_CODE_SERVER"] ??
    path.join(TOOLS, "code-server", "node_modules", "code-server", "out", "node", "entry.js"),
  chromium: process.env["SCRIPTLENS_E2E_CHROMIUM"] ?? "/usr/bin/chromium",
  server: process.env["SCRIPTLENS_E2E_SERVER"] ?? path.join(REPO, ".venv", "bin", "scriptlens"),
  vsix: process.env["SCRIPTLENS_E2E_VSIX"] ?? path.join(ROOT, "scriptlens.vsix"),
  example: EXAMPLE,
};
const MISSING = Object.entries(NEEDS)
  .filter(([, file]) => !fs.existsSync(file))
  .map(([what, file]) => `${what} (${file})`);
const SKIP = MISSING.length > 0 && !CI ? `missing: ${MISSING.join(", ")} (bash ci.sh installs them)` : false;

const SERVER_COMMANDS = { importSignals: "scriptlens.importSignals", explainLine: "scriptlens.explainLine", status: "scriptlens.status" };

function log(message: string): void {
  process.stdout.write(`# e2e ${((Date.now() - started) / 1000).toFixed(1)}s: ${message}\n`);
}
const started = Date.now();

/** Everything the steps share. */
interface World {
  temp: string;
  workspace: string;
  codeServer: ChildProcess;
  browser: Browser;
  page: Page;
  probe: LspProbe;
  commands: string[];
  episodeUri: string;
  episodeText: string;
  settingsFile: string;
  cueLine: number;
  steps: string[];
}

let world: World | undefined;

/** A step: on failure, a screenshot named after it goes to test-output/ before the error. */
function step(name: string, timeout: number, body: () => Promise<void>): void {
  it(name, { timeout }, async () => {
    try {
      await body();
    } catch (error) {
      if (world !== undefined) {
        await shot(world.page, `failed-${name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}`).catch(() => undefined);
      }
      throw error;
    }
  });
}
const cleanups: (() => Promise<void> | void)[] = [];

let setupError: Error | undefined;

function need(): World {
  if (setupError !== undefined) {
    throw new Error(`the setup failed: ${setupError.message}`, { cause: setupError });
  }
  assert.ok(world !== undefined, "the setup did not run");
  return world;
}

describe("scriptlens in a real VS Code (code-server)", { skip: SKIP, timeout: 20 * 60_000 }, () => {
  before(async () => {
    // A failure here is kept and reported by every step (node's reporter hides a hook's error).
    try {
      assert.deepEqual(MISSING, [], `the end-to-end test needs: ${MISSING.join(", ")}`);
      fs.rmSync(OUTPUT, { recursive: true, force: true });
      fs.mkdirSync(OUTPUT, { recursive: true });
      world = await setUp();
    } catch (error) {
      setupError = error instanceof Error ? error : new Error(String(error));
    }
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log(`cleanup: ${String(error)}`);
      }
    }
  });

  step("activates the extension and starts the server", 180_000, async () => {
    const { page } = need();
    const status = page.locator('[id$="scriptlens.status"]');
    await status.first().waitFor({ state: "attached", timeout: 90_000 });
    await waitForLabel(page, /^scriptlens: running/, 120_000);
    await shot(page, "01-activated");
  });

  step("shows a continuity diagnostic from the server", 180_000, async () => {
    const { page, probe, episodeUri } = need();
    const diagnostics = await probe.diagnosticsFor(episodeUri);
    assert.ok(diagnostics.length > 0, `the server published no diagnostics for ${EPISODE}`);
    const expected = wordsOf(diagnostics[0]?.message ?? "");
    log(`expecting the diagnostic ${String(expected)}`);
    await page.locator(".monaco-editor [class*='squiggly-']").first().waitFor({ state: "attached", timeout: 90_000 });
    await runCommand(page, "View: Toggle Problems", "Problems");
    await page.locator(".markers-panel, .markers-panel-container").filter({ hasText: expected }).first().waitFor({ timeout: 60_000 });
    await shot(page, "02-diagnostics");
    await runCommand(page, "View: Toggle Problems", "Problems");
  });

  step("lists the scenes in the outline", 180_000, async () => {
    const w = need();
    const { page, probe, episodeUri } = w;
    const symbols = (await probe.request("textDocument/documentSymbol", { textDocument: { uri: episodeUri } })) as SymbolNode[];
    const scenes = flatten(symbols ?? []).filter((symbol) => symbol.kind === 24 /* Event */).map((symbol) => symbol.name);
    assert.ok(scenes.length > 0, "the server's outline has no scenes");
    await runCommand(page, "Explorer: Focus on Outline View", "Outline");
    // the file tree above it collapsed, so that every row of the outline is drawn
    const folders = page.locator(".pane-header").filter({ has: page.locator(".title", { hasText: path.basename(w.workspace) }) }).first();
    const expanded = (await folders.getAttribute("aria-expanded")) === "true";
    if (expanded) {
      await folders.click();
    }
    for (const scene of scenes) {
      await page.locator(".monaco-list-row").filter({ hasText: scene }).first().waitFor({ timeout: 60_000 });
    }
    log(`the outline lists ${scenes.length} scenes`);
    await shot(page, "03-outline");
    if (expanded) {
      await folders.click();
    }
    await focusEditor(page);
  });

  step("imports audience signals with progress and updates the status bar", 300_000, async () => {
    const { page, workspace, commands } = need();
    if (!commands.includes(SERVER_COMMANDS.importSignals)) {
      log("the server does not offer scriptlens.importSignals: checking the extension says so");
      await runCommand(page, "scriptlens: Import audience signals");
      await toast(page, "does not offer the scriptlens.importSignals command");
      await shot(page, "04-import-unsupported");
      await dismissToasts(page);
      return;
    }
    const file = path.join(workspace, "exports", "comments.csv");
    await runCommand(page, "scriptlens: Import audience signals");
    // code-server's own file dialog: a quick input holding a path, which it fills with its
    // starting folder once that is read; the file's path goes in after that.
    const input = quickInput(page);
    await input.waitFor({ timeout: 30_000 });
    const episodePrompt = page.locator(".quick-input-widget").filter({ hasText: "episode" });
    for (let attempt = 1; ; attempt++) {
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && (await input.inputValue()) === "") {
        await sleep(200);
      }
      await sleep(500);
      await input.fill(file);
      await sleep(500);
      if ((await input.inputValue()) !== file) {
        continue;
      }
      await page.keyboard.press("Enter");
      try {
        await episodePrompt.waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt >= 3) {
          throw error;
        }
        log(`the file dialog did not take ${file}; again`);
      }
    }
    await page.keyboard.press("Enter");
    await page.locator(".quick-input-widget").filter({ hasText: "platform" }).waitFor({ timeout: 30_000 });
    await page.keyboard.press("Enter");
    // the server's own message, whatever its wording, or the failure
    const done = page
      .locator(".notifications-toasts .notification-list-item")
      .filter({ hasText: /^\s*scriptlens: (?!importing)/ })
      .first();
    await done.waitFor({ timeout: 180_000 });
    const message = (await done.innerText()).trim();
    log(`the import says: ${message.split("\n")[0] ?? ""}`);
    assert.doesNotMatch(message, /import failed|unexpected shape|cannot import/, message);
    if (commands.includes(SERVER_COMMANDS.status)) {
      await waitForLabel(page, /^scriptlens: running, [1-9][\d,]* signals?$/, 60_000);
    }
    await shot(page, "04-import");
    await dismissToasts(page);
  });

  step("hovers with the server's content: a line's motivation when the server explains lines", 600_000, async () => {
    const w = need();
    const { page, probe, commands } = w;
    let target: { file: string; uri: string; line: number; character: number; expected: RegExp };
    if (commands.includes(SERVER_COMMANDS.explainLine)) {
      target = await motivatedLine(w);
      // The quick start wrote to the store from other processes: start the editor's server
      // afresh, as a writer would after importing from a terminal, so it reads the store anew.
      await focusEditor(page);
      await restartServer(page);
    } else {
      log("the server does not offer scriptlens.explainLine: hovering a cue");
      const character = 1;
      const hover = await probe.request("textDocument/hover", {
        textDocument: { uri: w.episodeUri },
        position: { line: w.cueLine, character },
      });
      const text = hoverText(hover);
      assert.notEqual(text.trim(), "", `the server has no hover on ${EPISODE}:${w.cueLine + 1}`);
      target = { file: EPISODE, uri: w.episodeUri, line: w.cueLine, character, expected: snippet(text) };
    }
    log(`hovering ${target.file}:${target.line + 1}, expecting ${String(target.expected)}`);
    await openFile(page, target.file);
    await goTo(page, target.line, target.character);
    await runCommand(page, "Show or Focus Hover");
    await page.locator(".monaco-hover").filter({ hasText: target.expected }).first().waitFor({ state: "visible", timeout: 60_000 });
    await shot(page, "05-hover");
    await page.keyboard.press("Escape");
    w.steps.push(`${target.file}:${target.line + 1}`);
  });

  step("explains this line beside the script", 300_000, async () => {
    const w = need();
    const { page, commands } = w;
    if (!commands.includes(SERVER_COMMANDS.explainLine)) {
      log("the server does not offer scriptlens.explainLine: checking the extension says so");
      await focusEditor(page);
      await runCommand(page, "scriptlens: Explain this line");
      await toast(page, "does not offer the scriptlens.explainLine command");
      await shot(page, "06-explain-unsupported");
      await dismissToasts(page);
      return;
    }
    const [file, lineText] = (w.steps[w.steps.length - 1] ?? `${EPISODE}:${w.cueLine + 1}`).split(":");
    const line = Number(lineText) - 1;
    const uri = pathToFileURL(path.join(w.workspace, file ?? EPISODE)).href;
    w.probe.open(uri, fs.readFileSync(path.join(w.workspace, file ?? EPISODE), "utf8"));
    const answer = (await w.probe.request("workspace/executeCommand", {
      command: SERVER_COMMANDS.explainLine,
      arguments: [{ uri, line }],
    })) as { markdown?: string };
    assert.equal(typeof answer?.markdown, "string", "scriptlens.explainLine answered without markdown");
    const expected = snippet(answer.markdown ?? "");
    log(`explaining ${file ?? EPISODE}:${line + 1}, expecting ${String(expected)}`);
    await openFile(page, file ?? EPISODE);
    await goTo(page, line, 0);
    await runCommand(page, "scriptlens: Explain this line");
    await page.locator(".tab").filter({ hasText: "explained" }).first().waitFor({ timeout: 60_000 });
    await waitForFrameText(page, expected, 60_000);
    await shot(page, "06-explain");
  });

  step("restarts the server and shows its output", 180_000, async () => {
    const { page } = need();
    await dismissToasts(page);
    await focusEditor(page);
    await restartServer(page);
    await runCommand(page, "scriptlens: Show server output");
    // the Output panel, showing the extension's channel
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLSelectElement>(".part.panel select")].some(
          (select) => select.options[select.selectedIndex]?.text === "scriptlens",
        ),
      undefined,
      { timeout: 60_000 },
    );
    await shot(page, "07-output");
    await runCommand(page, "View: Hide Panel", "Hide Panel");
  });

  step("says how to install the server when it cannot start, and restarts it when the setting changes", 180_000, async () => {
    const { page, workspace, temp } = need();
    await dismissToasts(page);
    // a workspace setting, as a writer would set it for one series
    fs.mkdirSync(path.join(workspace, ".vscode"), { recursive: true });
    fs.writeFileSync(
      path.join(workspace, ".vscode", "settings.json"),
      JSON.stringify({ "scriptlens.server.command": [path.join(temp, "no-such-scriptlens"), "lsp"] }, null, 2),
    );
    await waitForLabel(page, /^scriptlens: not running/, 90_000);
    const notification = page
      .locator(".notifications-toasts .notification-list-item")
      .filter({ hasText: "could not start" })
      .filter({ hasText: "pip install scriptlens" })
      .first();
    await notification.waitFor({ timeout: 60_000 });
    await shot(page, "08-cannot-start");
    await notification.getByRole("button", { name: "Open setting" }).click();
    await page.locator(".settings-editor").filter({ hasText: "Server: Command" }).first().waitFor({ timeout: 60_000 });
    await shot(page, "09-setting");
  });
});

async function setUp(): Promise<World> {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "scriptlens-e2e-"));
  cleanups.push(() => {
    if (process.env["SCRIPTLENS_E2E_KEEP"]) {
      log(`kept ${temp}`);
    } else {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  });
  const workspace = path.join(temp, "micro-drama");
  fs.cpSync(EXAMPLE, workspace, { recursive: true });
  fs.rmSync(path.join(workspace, ".scriptlens"), { recursive: true, force: true });
  const userData = path.join(temp, "user-data");
  const extensions = path.join(temp, "extensions");
  fs.mkdirSync(path.join(userData, "User"), { recursive: true });
  fs.writeFileSync(
    path.join(userData, "User", "settings.json"),
    JSON.stringify(
      {
        "security.workspace.trust.enabled": false,
        "scriptlens.server.command": [NEEDS.server, "lsp"],
        "workbench.startupEditor": "none",
        "workbench.colorTheme": "Default Dark Modern",
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "workbench.tips.enabled": false,
        "workbench.enableExperiments": false,
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "extensions.autoUpdate": false,
        "extensions.autoCheckUpdates": false,
        "extensions.ignoreRecommendations": true,
        "chat.disableAIFeatures": true,
        "outline.collapseItems": "alwaysExpand",
        "editor.minimap.enabled": false,
        "editor.hover.delay": 200,
        "git.openRepositoryInParentFolders": "never",
      },
      null,
      2,
    ),
  );
  const env = {
    ...process.env,
    PATH: `${path.dirname(NEEDS.node)}${path.delimiter}${process.env["PATH"] ?? ""}`,
    XDG_CONFIG_HOME: path.join(temp, "xdg-config"),
    XDG_DATA_HOME: path.join(temp, "xdg-data"),
    XDG_CACHE_HOME: path.join(temp, "xdg-cache"),
  };
  const common = ["--user-data-dir", userData, "--extensions-dir", extensions];

  log(`installing ${NEEDS.vsix}`);
  const install = spawnSync(NEEDS.node, [NEEDS.codeServer, ...common, "--install-extension", NEEDS.vsix], {
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  fs.writeFileSync(path.join(OUTPUT, "install-extension.log"), `${install.stdout}\n${install.stderr}`);
  assert.equal(install.status, 0, `code-server --install-extension failed: ${install.stderr}`);
  assert.match(install.stdout, /successfully installed/, install.stdout);

  const port = await freePort();
  const serverLog = fs.openSync(path.join(OUTPUT, "code-server.log"), "w");
  log(`starting code-server on 127.0.0.1:${port}`);
  const codeServer = spawn(
    NEEDS.node,
    [
      NEEDS.codeServer,
      ...common,
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--auth",
      "none",
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      workspace,
    ],
    { env, detached: true, stdio: ["ignore", serverLog, serverLog] },
  );
  const group = codeServer.pid;
  assert.ok(group !== undefined, "code-server did not start");
  // code-server leaves helper processes behind: stop its whole process group.
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-group, signal);
    } catch {
      // already gone
    }
  };
  process.on("exit", () => {
    killGroup("SIGKILL");
  });
  cleanups.push(async () => {
    killGroup("SIGTERM");
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && groupAlive(group)) {
      await sleep(200);
    }
    killGroup("SIGKILL");
    fs.closeSync(serverLog);
  });
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 90_000);

  log("asking the server under test what VS Code should show");
  const folderUri = pathToFileURL(workspace).href;
  const probe = await LspProbe.start(NEEDS.server, ["lsp"], workspace, folderUri);
  cleanups.push(() => probe.stop());
  const commands = probe.commands;
  log(`the server offers: ${commands.join(", ") || "no commands"}`);
  const episodePath = path.join(workspace, EPISODE);
  const episodeUri = pathToFileURL(episodePath).href;
  const episodeText = fs.readFileSync(episodePath, "utf8");
  probe.open(episodeUri, episodeText);
  const cueLine = episodeText.split(/\r?\n/).findIndex((line) => line.trim() === "MR. LEE");
  assert.ok(cueLine >= 0, `${EPISODE} has no MR. LEE cue`);

  log("starting Chromium");
  const browser = await chromium.launch({
    executablePath: NEEDS.chromium,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(60_000);
  const consoleLog = fs.createWriteStream(path.join(OUTPUT, "browser-console.log"));
  page.on("console", (message) => consoleLog.write(`${message.type()}: ${message.text()}\n`));
  cleanups.push(() => new Promise<void>((resolve) => consoleLog.end(resolve)));
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 120_000 });
  log("the workbench is up");
  await openFile(page, EPISODE);
  const settingsFile = path.join(userData, "User", "settings.json");
  return { temp, workspace, codeServer, browser, page, probe, commands, episodeUri, episodeText, settingsFile, cueLine, steps: [] };
}

/** The first line of the example series that the server says audience signals motivated, after
 * the rest of the exports went into the store and any dated history was replayed. */
async function motivatedLine(w: World): Promise<{ file: string; uri: string; line: number; character: number; expected: RegExp }> {
  prepareProvenance(w.workspace);
  const probe = await LspProbe.start(NEEDS.server, ["lsp"], w.workspace, pathToFileURL(w.workspace).href);
  cleanups.push(() => probe.stop());
  const files = fs.readdirSync(w.workspace).filter((f) => f.endsWith(".fountain")).sort();
  let asked = 0;
  for (const file of files) {
    const uri = pathToFileURL(path.join(w.workspace, file)).href;
    const lines = fs.readFileSync(path.join(w.workspace, file), "utf8").split(/\r?\n/);
    probe.open(uri, lines.join("\n"));
    for (const [line, text] of lines.entries()) {
      if (text.trim() === "" || asked > 1500) {
        continue;
      }
      asked++;
      const answer = (await probe.request("workspace/executeCommand", {
        command: SERVER_COMMANDS.explainLine,
        arguments: [{ uri, line }],
      })) as { explanation?: { motivations?: { theme?: { label?: string }; quotes?: string[] }[] } };
      const motivation = answer?.explanation?.motivations?.[0];
      const expected = motivation?.theme?.label ?? motivation?.quotes?.[0];
      if (expected !== undefined && expected.trim() !== "") {
        return { file, uri, line, character: Math.max(0, text.search(/\S/)), expected: snippet(expected) };
      }
    }
  }
  throw new Error(`the server offers scriptlens.explainLine, but none of ${asked} lines of the example series has a motivation`);
}

/** What a new user does to a fresh copy of the example: the README's quick-start command, from
 * its `cd examples/micro-drama` on, run in the copy (a command that fails is logged: the search
 * for a motivated line that follows says whether anything was missing). Without such a command
 * in the README: every export into the store, then the dated history if the example has one. */
function prepareProvenance(workspace: string): void {
  const run = (args: string[]): void => {
    const result = spawnSync(NEEDS.server, args, { cwd: workspace, encoding: "utf8", timeout: 300_000 });
    const last = `${result.stdout}${result.stderr}`.trim().split("\n").pop() ?? "";
    log(`scriptlens ${args.join(" ")}: exit ${String(result.status)}: ${last}`);
  };
  const quickStart = readmeCommands(fs.readFileSync(path.join(REPO, "README.md"), "utf8"));
  if (quickStart.length > 0) {
    log(`running the README's quick start in the copy (${quickStart.length} scriptlens commands)`);
    quickStart.forEach(run);
    return;
  }
  const exports = path.join(workspace, "exports");
  for (const name of fs.existsSync(exports) ? fs.readdirSync(exports).sort() : []) {
    const file = path.join("exports", name);
    if (/metrics/i.test(name)) {
      run(["signals", "import-metrics", file]);
    } else if (name !== "comments.csv") {
      const episode = /ep(\d+)/i.exec(name)?.[1];
      run(["signals", "import", file, ...(episode ? ["--episode", String(Number(episode))] : [])]);
    }
  }
  if (fs.existsSync(path.join(workspace, "history"))) {
    run(["history", "replay"]);
  }
}

// ---- page helpers --------------------------------------------------------------------------

function quickInput(page: Page) {
  return page.locator(".quick-input-widget .quick-input-box input").first();
}

async function runCommand(page: Page, title: string, expect?: string): Promise<void> {
  await page.keyboard.press("F1");
  const input = quickInput(page);
  await input.waitFor({ state: "visible", timeout: 30_000 });
  await input.fill(`>${title}`);
  await page.locator(".quick-input-list .monaco-list-row.focused").filter({ hasText: expect ?? title }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press("Enter");
  await page.waitForTimeout(300);
}

/** Opens a file of the workspace with Quick Open, as a writer would (Ctrl+P). */
async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press("Escape");
  await page.keyboard.press("Control+P");
  const input = quickInput(page);
  await input.waitFor({ state: "visible", timeout: 30_000 });
  await input.fill(name);
  await page.locator(".quick-input-list .monaco-list-row.focused").filter({ hasText: name }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press("Enter");
  await page.locator(`.monaco-editor[data-uri$="/${name}"] .view-lines`).first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(300);
}

async function focusEditor(page: Page): Promise<void> {
  await page.keyboard.press("Escape");
  await runCommand(page, "View: Focus Active Editor Group", "Focus Active Editor Group");
}

/** Puts the cursor at a 0-based line and column. */
async function goTo(page: Page, line: number, character: number): Promise<void> {
  await page.keyboard.press("Control+G");
  const input = quickInput(page);
  await input.waitFor({ state: "visible", timeout: 30_000 });
  await input.fill(`:${line + 1}:${character + 1}`);
  await page.keyboard.press("Enter");
  await page.waitForTimeout(300);
}

/** "scriptlens: Restart server", then the status bar through starting to running. */
async function restartServer(page: Page): Promise<void> {
  await runCommand(page, "scriptlens: Restart server");
  await waitForLabel(page, /^scriptlens: (starting|stopped)/, 30_000, 50);
  await waitForLabel(page, /^scriptlens: running/, 120_000);
}

async function waitForLabel(page: Page, pattern: RegExp, timeout: number, every = 500): Promise<void> {
  const status = page.locator('[id$="scriptlens.status"]').first();
  const deadline = Date.now() + timeout;
  let label = "";
  while (Date.now() < deadline) {
    label = (await status.getAttribute("aria-label").catch(() => null)) ?? "";
    if (pattern.test(label)) {
      log(`status: ${label}`);
      return;
    }
    await sleep(every);
  }
  await shot(page, "status-timeout");
  assert.fail(`the status bar says "${label}", not ${String(pattern)}`);
}

async function toast(page: Page, text: string, timeout = 60_000): Promise<void> {
  await page.locator(".notifications-toasts .notification-list-item, .notification-toast").filter({ hasText: text }).first().waitFor({ timeout });
}

async function dismissToasts(page: Page): Promise<void> {
  await runCommand(page, "Notifications: Clear All Notifications", "Clear All Notifications").catch(() => undefined);
}

async function waitForFrameText(page: Page, text: RegExp, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const body = await frame.locator("body").innerText({ timeout: 1000 }).catch(() => "");
      if (text.test(body)) {
        return;
      }
    }
    await sleep(500);
  }
  await shot(page, "frame-timeout");
  assert.fail(`no frame of the page shows ${String(text)}`);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(OUTPUT, `${name}.png`) });
}

// ---- small helpers -------------------------------------------------------------------------

/** What VS Code's rendering of a server's Markdown must contain: the first words of its first
 * line of three words or more (else of its first line), in order, with anything that is not a
 * letter or a digit between them, so that markup, punctuation and line breaks do not matter. */
function snippet(markdown: string): RegExp {
  const lines = markdown.split(/\r?\n/).filter((line) => wordList(line).length > 0);
  return wordsOf(lines.find((line) => wordList(line).length >= 3) ?? lines[0] ?? "");
}

function wordList(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

function wordsOf(text: string, count = 6): RegExp {
  const words = wordList(text).slice(0, count);
  assert.ok(words.length > 0, `nothing to look for in ${JSON.stringify(text)}`);
  return new RegExp(words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[^\\p{L}\\p{N}]+"), "u");
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === "object" && address !== null ? address.port : 0);
      });
    });
  });
}

async function waitForHttp(url: string, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const request = http.get(url, (response) => {
        response.resume();
        resolve((response.statusCode ?? 500) < 500);
      });
      request.on("error", () => {
        resolve(false);
      });
      request.setTimeout(2000, () => {
        request.destroy();
        resolve(false);
      });
    });
    if (ok) {
      return;
    }
    await sleep(500);
  }
  assert.fail(`code-server did not answer at ${url} in ${timeout} ms (see test-output/code-server.log)`);
}

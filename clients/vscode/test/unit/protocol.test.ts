import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import {
  CLIENT_COMMANDS,
  ProgressTracker,
  SERVER_COMMANDS,
  describeError,
  explainArguments,
  explanationTitle,
  importArguments,
  isCancellation,
  offers,
  parseEpisode,
  parseExplainResult,
  parseImportResult,
} from "../../src/protocol";

const MANIFEST = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
  activationEvents: string[];
  contributes: { commands: { command: string }[] };
};

describe("commands", () => {
  it("never reuse a server command's name", () => {
    const server = new Set<string>(Object.values(SERVER_COMMANDS));
    for (const command of Object.values(CLIENT_COMMANDS)) {
      assert.equal(server.has(command), false, command);
    }
  });

  it("are contributed, and activate the extension with the fountain language only", () => {
    const contributed = MANIFEST.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(CLIENT_COMMANDS).sort());
    assert.deepEqual(
      [...MANIFEST.activationEvents].sort(),
      ["onLanguage:fountain", ...contributed.map((c) => `onCommand:${c}`)].sort(),
    );
  });

  it("check what the server offers", () => {
    const capabilities = { executeCommandProvider: { commands: ["scriptlens.importSignals", "scriptlens.status"] } };
    assert.equal(offers(capabilities, SERVER_COMMANDS.importSignals), true);
    assert.equal(offers(capabilities, SERVER_COMMANDS.explainLine), false);
    assert.equal(offers({}, SERVER_COMMANDS.status), false);
    assert.equal(offers(undefined, SERVER_COMMANDS.status), false);
  });
});

describe("import", () => {
  it("sends absolute paths, the episode and the platform", () => {
    assert.deepEqual(importArguments(["/s/exports/a.csv"], 3, " douyin "), [{ paths: ["/s/exports/a.csv"], episode: 3, platform: "douyin" }]);
    assert.deepEqual(importArguments(["/a.xml", "/b.csv"], null, ""), [{ paths: ["/a.xml", "/b.csv"], episode: null, platform: null }]);
  });

  it("reads the episode typed in", () => {
    assert.equal(parseEpisode(""), null);
    assert.equal(parseEpisode("  "), null);
    assert.equal(parseEpisode(" 12 "), 12);
    for (const text of ["0", "-1", "3.5", "three", "1e3"]) {
      assert.equal(parseEpisode(text), undefined, text);
    }
  });

  it("reads the result", () => {
    assert.deepEqual(parseImportResult({ added: 136, message: "imported 136" }), { added: 136, message: "imported 136" });
    assert.equal(parseImportResult({ added: "136", message: "x" }), undefined);
    assert.equal(parseImportResult(null), undefined);
  });

  it("reports progress as increments", () => {
    const tracker = new ProgressTracker();
    assert.equal(tracker.increment(undefined), undefined);
    assert.equal(tracker.increment(10), 10);
    assert.equal(tracker.increment(10), undefined);
    assert.equal(tracker.increment(55), 45);
    assert.equal(tracker.increment(150), 45);
    assert.equal(tracker.increment(99), undefined);
  });
});

describe("explain", () => {
  it("sends the URI and the 0-based line", () => {
    assert.deepEqual(explainArguments("file:///s/ep05.fountain", 25), [{ uri: "file:///s/ep05.fountain", line: 25 }]);
  });

  it("reads the result and titles it with the 1-based line", () => {
    assert.deepEqual(parseExplainResult({ markdown: "# Line 26", explanation: { motivations: [] } }), {
      markdown: "# Line 26",
      explanation: { motivations: [] },
    });
    assert.equal(parseExplainResult({ explanation: {} }), undefined);
    assert.equal(explanationTitle("ep05.fountain", 25), "ep05.fountain:26 explained");
  });
});

describe("errors", () => {
  it("tell cancellation apart", () => {
    assert.equal(isCancellation({ code: -32800, message: "cancelled" }), true);
    assert.equal(isCancellation({ code: -32603 }), false);
    assert.equal(isCancellation(undefined), false);
  });

  it("use the server's message", () => {
    assert.equal(describeError({ code: -32603, message: " exports/x.csv:3: bad date " }), "exports/x.csv:3: bad date");
    assert.equal(describeError("boom"), "boom");
    assert.equal(describeError({}), "unknown error");
  });
});

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parseStatus, plural, statusView } from "../../src/status";

describe("status report", () => {
  it("reads the scriptlens.status contract", () => {
    assert.deepEqual(parseStatus({ signals: 196, themes: 42, store: ".scriptlens/signals.db" }), {
      signals: 196,
      themes: 42,
      store: ".scriptlens/signals.db",
    });
    assert.deepEqual(parseStatus({ signals: 0, themes: 0, store: null }), { signals: 0, themes: 0, store: null });
  });

  it("rejects other shapes", () => {
    for (const value of [null, 3, "x", {}, { signals: -1, themes: 0, store: null }, { signals: 1.5, themes: 0, store: null }, { signals: 1, themes: 0, store: 7 }]) {
      assert.equal(parseStatus(value), undefined, JSON.stringify(value));
    }
  });
});

describe("status text", () => {
  it("shows the signal count while running", () => {
    const view = statusView("running", { signals: 1234, themes: 42, store: ".scriptlens/signals.db" });
    assert.equal(view.text, "$(check) scriptlens $(comment-discussion) 1,234 signals");
    assert.match(view.tooltip, /1,234 signals and 42 themes in \.scriptlens\/signals\.db/);
    assert.equal(view.label, "scriptlens: running, 1,234 signals");
  });

  it("says one signal, and that there is no store yet", () => {
    assert.equal(statusView("running", { signals: 1, themes: 1, store: "s.db" }).text, "$(check) scriptlens $(comment-discussion) 1 signal");
    assert.match(statusView("running", { signals: 0, themes: 0, store: null }).tooltip, /No signal store yet/);
  });

  it("shows the state alone when the server cannot report signals", () => {
    assert.equal(statusView("running", "unsupported").text, "$(check) scriptlens");
    assert.match(statusView("running", "unsupported").tooltip, /does not report audience signals/);
    assert.match(statusView("running", { error: "locked" }).tooltip, /locked/);
  });

  it("shows starting, stopped and failed", () => {
    assert.equal(statusView("starting", undefined, "scriptlens lsp").text, "$(sync~spin) scriptlens");
    assert.match(statusView("starting", undefined, "scriptlens lsp").tooltip, /Server: scriptlens lsp/);
    assert.equal(statusView("stopped", undefined).severity, "warning");
    const failed = statusView("failed", { signals: 3, themes: 1, store: "x" });
    assert.equal(failed.text, "$(error) scriptlens");
    assert.equal(failed.severity, "error");
  });

  it("pluralises", () => {
    assert.equal(plural(0, "theme"), "0 themes");
    assert.equal(plural(1, "theme"), "1 theme");
    assert.equal(plural(12000, "signal"), "12,000 signals");
  });
});

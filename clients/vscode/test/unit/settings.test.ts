import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { CLIENT_ONLY, needsRestart, serverSettingKeys, serverSettings, type Properties } from "../../src/settings";

const MANIFEST = path.resolve(__dirname, "..", "..", "..", "package.json");
const properties = (
  JSON.parse(fs.readFileSync(MANIFEST, "utf8")) as { contributes: { configuration: { properties: Properties } } }
).contributes.configuration.properties;

// A manifest of its own, so that these tests do not change when a setting is added to the
// extension's; the real manifest is checked for what must always hold.
const SAMPLE: Properties = {
  "scriptlens.server.command": { default: [] },
  "scriptlens.baseline": { default: "auto" },
  "scriptlens.diagnostics.enabled": { default: true },
  "scriptlens.diagnostics.debounceMs": { default: 250 },
  "scriptlens.inlayHints.screenTime": { default: true },
};

describe("server settings", () => {
  it("are the manifest's scriptlens.* keys without the client's own", () => {
    assert.deepEqual(serverSettingKeys(SAMPLE), [
      "baseline",
      "diagnostics.debounceMs",
      "diagnostics.enabled",
      "inlayHints.screenTime",
    ]);
  });

  it("in the extension's manifest, include the server's and not the client's own", () => {
    const keys = serverSettingKeys(properties);
    for (const key of ["baseline", "diagnostics.enabled", "diagnostics.debounceMs", "inlayHints.screenTime"]) {
      assert.ok(keys.includes(key), key);
    }
    for (const key of CLIENT_ONLY) {
      assert.ok(key in properties, `${key} is contributed`);
      assert.ok(!keys.includes(key.slice("scriptlens.".length)), key);
    }
    for (const [key, schema] of Object.entries(properties)) {
      assert.ok("default" in schema, `${key} has a default`);
    }
  });

  it("nest under scriptlens with the manifest's defaults", () => {
    assert.deepEqual(serverSettings(SAMPLE, () => undefined), {
      scriptlens: {
        baseline: "auto",
        diagnostics: { debounceMs: 250, enabled: true },
        inlayHints: { screenTime: true },
      },
    });
  });

  it("carry the user's values as plain JSON", () => {
    const values: Record<string, unknown> = { baseline: "git", "diagnostics.debounceMs": 0, "inlayHints.screenTime": false };
    const settings = serverSettings(SAMPLE, (key) => values[key]);
    assert.deepEqual(settings.scriptlens, {
      baseline: "git",
      diagnostics: { debounceMs: 0, enabled: true },
      inlayHints: { screenTime: false },
    });
    assert.equal(JSON.stringify(JSON.parse(JSON.stringify(settings))), JSON.stringify(settings));
  });

  it("never send the server command", () => {
    const settings = serverSettings(properties, (key) => (key === "server.command" ? ["x"] : undefined));
    assert.equal("server" in settings.scriptlens, false);
  });

  it("follow a setting added to the manifest", () => {
    const more: Properties = { ...SAMPLE, "scriptlens.codeLens.enabled": { default: true } };
    assert.deepEqual((serverSettings(more, () => undefined).scriptlens)["codeLens"], { enabled: true });
  });

  it("restart the server only when its command changes", () => {
    assert.equal(needsRestart((key) => key === "scriptlens.server.command"), true);
    assert.equal(needsRestart((key) => key === "scriptlens.baseline"), false);
  });
});

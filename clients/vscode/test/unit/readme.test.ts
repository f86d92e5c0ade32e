import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { readmeCommands } from "../e2e/readme";

describe("the README's quick start, for the end-to-end test", () => {
  it("is the scriptlens commands after the cd into the example", () => {
    const readme = [
      "# x",
      "## Quick start",
      "```bash",
      'python -m pip install . && cd examples/micro-drama && scriptlens parse ep01.fountain && scriptlens signals import exports/a.csv --map "text=content" && scriptlens explain ep04.fountain:10',
      "```",
      "## Usage",
      "```bash",
      "cd examples/micro-drama && scriptlens check",
      "```",
    ].join("\n");
    assert.deepEqual(readmeCommands(readme), [
      ["parse", "ep01.fountain"],
      ["signals", "import", "exports/a.csv", "--map", "text=content"],
      ["explain", "ep04.fountain:10"],
    ]);
  });

  it("is found in the repository's README", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "..", "..", "README.md"), "utf8");
    assert.ok(readmeCommands(readme).length > 0);
  });

  it("is empty without one", () => {
    assert.deepEqual(readmeCommands("## Quick start\nNothing to run.\n"), []);
  });
});

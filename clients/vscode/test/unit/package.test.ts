// What the .vsix holds: `vsce ls` lists exactly the bundle, the grammar, the language
// configuration, README, LICENSE, the icon and the manifest. (`npm test` builds the bundle first.)
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

const ROOT = path.resolve(__dirname, "..", "..", "..");

describe("the package", () => {
  it("holds only what the extension needs", () => {
    assert.ok(fs.existsSync(path.join(ROOT, "dist", "extension.js")), "build the bundle first (npm run build)");
    const vsce = path.join(ROOT, "node_modules", "@vscode", "vsce", "vsce");
    const result = spawnSync(process.execPath, [vsce, "ls", "--no-dependencies"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    const files = result.stdout
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== "")
      .sort();
    assert.deepEqual(files, [
      "LICENSE",
      "README.md",
      "dist/extension.js",
      "icon.png",
      "language-configuration.json",
      "package.json",
      "syntaxes/fountain.tmLanguage.json",
    ]);
  });

  it("declares what the marketplace page needs", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
    assert.equal(manifest["license"], "MIT");
    assert.equal(manifest["icon"], "icon.png");
    assert.match(JSON.stringify(manifest["repository"]), /github\.com\/scriptlens\/scriptlens/);
    assert.equal(manifest["main"], "./dist/extension.js");
    assert.ok(fs.statSync(path.join(ROOT, "icon.png")).size > 0);
  });

  it("links the README to absolute addresses, which work on the marketplace page", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? "");
    assert.ok(targets.length > 0);
    for (const target of targets) {
      assert.match(target, /^https:\/\//, `relative link ${target}`);
    }
  });
});

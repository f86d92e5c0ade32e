import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";

import {
  expand,
  findOnPath,
  isExecutableFile,
  resolveServerCommand,
  startFailureMessage,
  type Environment,
} from "../../src/serverCommand";

function environment(overrides: Partial<Environment>): Environment {
  return {
    configured: [],
    workspaceFolder: "/work/series",
    home: "/home/writer",
    findOnPath: () => undefined,
    isExecutable: () => false,
    python: undefined,
    ...overrides,
  };
}

describe("server command", () => {
  it("comes from scriptlens.server.command first", () => {
    const resolution = resolveServerCommand(
      environment({
        configured: ["${workspaceFolder}/.venv/bin/scriptlens", "lsp", "--log-level", "debug"],
        isExecutable: (file) => file === "/work/series/.venv/bin/scriptlens",
        findOnPath: () => "/usr/bin/scriptlens",
      }),
    );
    assert.deepEqual(resolution, {
      ok: true,
      server: { command: "/work/series/.venv/bin/scriptlens", args: ["lsp", "--log-level", "debug"], source: "setting" },
    });
  });

  it("looks a bare configured program up on the PATH, and expands ~", () => {
    const onPath = resolveServerCommand(
      environment({ configured: ["scriptlens", "lsp"], findOnPath: (name) => `/opt/bin/${name}` }),
    );
    assert.deepEqual(onPath, { ok: true, server: { command: "/opt/bin/scriptlens", args: ["lsp"], source: "setting" } });
    const home = resolveServerCommand(
      environment({ configured: ["~/venv/bin/scriptlens", "lsp"], isExecutable: (file) => file === "/home/writer/venv/bin/scriptlens" }),
    );
    assert.equal(home.ok && home.server.command, "/home/writer/venv/bin/scriptlens");
  });

  it("resolves a relative configured path against the workspace folder", () => {
    const resolution = resolveServerCommand(
      environment({ configured: [".venv/bin/scriptlens", "lsp"], isExecutable: (file) => file === "/work/series/.venv/bin/scriptlens" }),
    );
    assert.equal(resolution.ok && resolution.server.command, "/work/series/.venv/bin/scriptlens");
  });

  it("says so when the configured program does not exist", () => {
    const resolution = resolveServerCommand(environment({ configured: ["/nowhere/scriptlens", "lsp"], findOnPath: () => "/usr/bin/scriptlens" }));
    assert.deepEqual(resolution, { ok: false, problem: "scriptlens.server.command names `/nowhere/scriptlens`, which was not found" });
  });

  it("rejects a setting that is not a list of strings", () => {
    for (const configured of ["scriptlens lsp", [1, 2], [""]]) {
      const resolution = resolveServerCommand(environment({ configured }));
      assert.equal(resolution.ok, false, JSON.stringify(configured));
    }
  });

  it("is scriptlens lsp from the PATH when the setting is empty", () => {
    for (const configured of [[], undefined, null]) {
      const resolution = resolveServerCommand(
        environment({ configured, findOnPath: (name) => (name === "scriptlens" ? "/usr/local/bin/scriptlens" : undefined), python: ["/usr/bin/python3"] }),
      );
      assert.deepEqual(resolution, { ok: true, server: { command: "/usr/local/bin/scriptlens", args: ["lsp"], source: "path" } });
    }
  });

  it("is python -m scriptlens lsp with the Python extension's interpreter next", () => {
    const resolution = resolveServerCommand(environment({ python: ["/home/writer/.venv/bin/python"] }));
    assert.deepEqual(resolution, {
      ok: true,
      server: { command: "/home/writer/.venv/bin/python", args: ["-m", "scriptlens", "lsp"], source: "python" },
    });
    const conda = resolveServerCommand(environment({ python: ["conda", "run", "-n", "films", "python"] }));
    assert.deepEqual(conda.ok && conda.server.args, ["run", "-n", "films", "python", "-m", "scriptlens", "lsp"]);
  });

  it("fails with a reason when nothing is found", () => {
    const resolution = resolveServerCommand(environment({}));
    assert.equal(resolution.ok, false);
    assert.match(!resolution.ok ? resolution.problem : "", /not on the PATH/);
  });
});

describe("the failure notification", () => {
  it("names the problem, both install commands and the setting", () => {
    const message = startFailureMessage("`scriptlens` is not on the PATH");
    assert.match(message, /`scriptlens` is not on the PATH/);
    assert.match(message, /`pip install scriptlens`/);
    assert.match(message, /`python -m pip install \.`/);
    assert.match(message, /scriptlens\.server\.command/);
  });
});

describe("PATH lookup", () => {
  it("finds the first executable of the name", () => {
    const executables = new Set(["/b/scriptlens", "/c/scriptlens"]);
    assert.equal(findOnPath("scriptlens", "/a::/b:/c", (f) => executables.has(f), "linux"), "/b/scriptlens");
    assert.equal(findOnPath("scriptlens", "", () => true, "linux"), undefined);
    assert.equal(findOnPath("scriptlens", undefined, () => true, "linux"), undefined);
  });

  it("tries PATHEXT on Windows", () => {
    const found = findOnPath("scriptlens", "C:\\a;C:\\Py\\Scripts", (f) => f === "C:\\Py\\Scripts\\scriptlens.EXE", "win32", ".COM;.EXE");
    assert.equal(found, "C:\\Py\\Scripts\\scriptlens.EXE");
  });

  it("checks real files for the executable bit", () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scriptlens-path-"));
    const program = path.join(directory, "scriptlens");
    fs.writeFileSync(program, "#!/bin/sh\n");
    fs.chmodSync(program, 0o644);
    assert.equal(isExecutableFile(program), process.platform === "win32");
    fs.chmodSync(program, 0o755);
    assert.equal(isExecutableFile(program), true);
    assert.equal(isExecutableFile(directory), false);
    assert.equal(isExecutableFile(path.join(directory, "missing")), false);
    fs.rmSync(directory, { recursive: true });
  });

  it("expands ${userHome} and ${env:NAME}", () => {
    process.env["SCRIPTLENS_TEST_DIR"] = "/srv";
    assert.equal(expand("${env:SCRIPTLENS_TEST_DIR}/bin/${userHome}", { home: "/h", workspaceFolder: undefined }), "/srv/bin//h");
    delete process.env["SCRIPTLENS_TEST_DIR"];
  });
});

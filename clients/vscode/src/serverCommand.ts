// Which command starts the language server, and what to tell the user when none can.
// Pure apart from `fs`/`path`: no `vscode` import, so node's test runner can load it.
import * as fs from "node:fs";
import * as path from "node:path";

export type CommandSource = "setting" | "path" | "python";

export interface ServerCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly source: CommandSource;
}

export type Resolution =
  | { readonly ok: true; readonly server: ServerCommand }
  | { readonly ok: false; readonly problem: string };

export interface Environment {
  /** `scriptlens.server.command` as configured: a list of strings, or empty for automatic. */
  readonly configured: unknown;
  /** The first workspace folder, for `${workspaceFolder}` and relative paths. */
  readonly workspaceFolder?: string | undefined;
  readonly home: string;
  /** Finds a program on the `PATH`, as a shell would. */
  readonly findOnPath: (name: string) => string | undefined;
  /** Whether a path names an executable file. */
  readonly isExecutable: (file: string) => boolean;
  /** The Python extension's interpreter for the workspace (its `execCommand`), if installed. */
  readonly python?: readonly string[] | undefined;
}

export const SETTING = "scriptlens.server.command";
export const INSTALL_COMMAND = "pip install scriptlens";
export const INSTALL_FROM_CLONE = "python -m pip install .";

/** `scriptlens.server.command`, else `scriptlens lsp` from the PATH, else `python -m scriptlens
 * lsp` with the Python extension's interpreter. */
export function resolveServerCommand(env: Environment): Resolution {
  const configured = env.configured;
  if (configured !== undefined && configured !== null && !isEmptyList(configured)) {
    if (!Array.isArray(configured) || !configured.every((part) => typeof part === "string")) {
      return { ok: false, problem: `${SETTING} must be a list of strings, e.g. ["scriptlens", "lsp"]` };
    }
    const [program, ...args] = configured.map((part) => expand(part, env));
    if (program === undefined || program.trim() === "") {
      return { ok: false, problem: `${SETTING} starts with an empty program name` };
    }
    const found = locate(program, env);
    if (found === undefined) {
      return { ok: false, problem: `${SETTING} names \`${program}\`, which was not found` };
    }
    return { ok: true, server: { command: found, args, source: "setting" } };
  }
  const onPath = env.findOnPath("scriptlens");
  if (onPath !== undefined) {
    return { ok: true, server: { command: onPath, args: ["lsp"], source: "path" } };
  }
  const python = env.python?.filter((part) => part !== "");
  if (python !== undefined && python.length > 0) {
    const [interpreter, ...rest] = python as [string, ...string[]];
    return {
      ok: true,
      server: {
        command: interpreter,
        args: [...rest, "-m", "scriptlens", "lsp"],
        source: "python",
      },
    };
  }
  return {
    ok: false,
    problem: "`scriptlens` is not on the PATH and no Python interpreter was found (the Python extension is not installed)",
  };
}

function isEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

/** `~` and `${workspaceFolder}`, `${userHome}` and `${env:NAME}`, as VS Code users expect. */
export function expand(part: string, env: Pick<Environment, "home" | "workspaceFolder">): string {
  let value = part;
  if (value === "~" || value.startsWith("~/")) {
    value = env.home + value.slice(1);
  }
  value = value.replace(/\$\{userHome\}/g, env.home);
  if (env.workspaceFolder !== undefined) {
    value = value.replace(/\$\{workspaceFolder\}/g, env.workspaceFolder);
  }
  return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => process.env[name] ?? "");
}

/** A program named with a path is taken as is (relative to the workspace folder), a bare name is
 * looked up on the PATH. */
function locate(program: string, env: Environment): string | undefined {
  if (program.includes("/") || program.includes("\\")) {
    const absolute = path.isAbsolute(program)
      ? program
      : path.resolve(env.workspaceFolder ?? process.cwd(), program);
    return env.isExecutable(absolute) ? absolute : undefined;
  }
  return env.findOnPath(program);
}

/** A program on the PATH: the first directory holding an executable of that name (on Windows,
 * with one of the PATHEXT extensions). */
export function findOnPath(
  name: string,
  pathVariable: string | undefined,
  isExecutable: (file: string) => boolean,
  platform: NodeJS.Platform = process.platform,
  pathExt: string | undefined = process.env["PATHEXT"],
): string | undefined {
  if (!pathVariable) {
    return undefined;
  }
  const windows = platform === "win32";
  const extensions = windows ? ["", ...(pathExt ?? ".COM;.EXE;.BAT;.CMD").split(";")] : [""];
  const join = (directory: string, file: string): string =>
    windows ? path.win32.join(directory, file) : path.posix.join(directory, file);
  for (const directory of pathVariable.split(windows ? ";" : ":")) {
    if (directory === "") {
      continue;
    }
    for (const extension of extensions) {
      const candidate = join(directory, name + extension);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

export function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, process.platform === "win32" ? fs.constants.F_OK : fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function describe(server: ServerCommand): string {
  return [server.command, ...server.args].map(quote).join(" ");
}

function quote(part: string): string {
  return /^[\w@%+=:,./-]+$/.test(part) ? part : `'${part.replace(/'/g, "'\\''")}'`;
}

/** The one notification shown when the server cannot start. */
export function startFailureMessage(problem: string): string {
  return (
    `scriptlens: the language server could not start: ${problem}. ` +
    `Install it with \`${INSTALL_COMMAND}\` (or \`${INSTALL_FROM_CLONE}\` in a clone of the ` +
    `scriptlens repository), or set ${SETTING} to the command that starts it.`
  );
}

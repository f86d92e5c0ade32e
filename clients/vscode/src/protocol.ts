// The server's `workspace/executeCommand` commands as the extension calls them: names, argument
// shapes and result checks. Pure: no `vscode` import, so node's test runner can load it.

export const SERVER_COMMANDS = {
  importSignals: "scriptlens.importSignals",
  explainLine: "scriptlens.explainLine",
  status: "scriptlens.status",
} as const;

export type ServerCommandName = (typeof SERVER_COMMANDS)[keyof typeof SERVER_COMMANDS];

/** The extension's own VS Code commands. They must not reuse the server's names: the language
 * client registers a VS Code command for each command the server offers. */
export const CLIENT_COMMANDS = {
  importSignals: "scriptlens.importSignalsFromFiles",
  explainLine: "scriptlens.explainThisLine",
  restart: "scriptlens.restartServer",
  showOutput: "scriptlens.showServerOutput",
} as const;

export interface ImportArguments {
  readonly paths: string[];
  readonly episode: number | null;
  readonly platform: string | null;
}

export interface ImportResult {
  readonly added: number;
  readonly message: string;
}

export interface ExplainArguments {
  readonly uri: string;
  /** 0-based, as in LSP. */
  readonly line: number;
}

export interface ExplainResult {
  readonly markdown: string;
  readonly explanation: unknown;
}

/** Whether the server's `initialize` result lists a command in `executeCommandProvider`. */
export function offers(capabilities: unknown, command: ServerCommandName): boolean {
  if (typeof capabilities !== "object" || capabilities === null) {
    return false;
  }
  const provider = (capabilities as { executeCommandProvider?: unknown }).executeCommandProvider;
  if (typeof provider !== "object" || provider === null) {
    return false;
  }
  const commands = (provider as { commands?: unknown }).commands;
  return Array.isArray(commands) && commands.includes(command);
}

export function importArguments(
  paths: readonly string[],
  episode: number | null,
  platform: string | null,
): [ImportArguments] {
  const trimmed = platform?.trim();
  return [{ paths: [...paths], episode, platform: trimmed ? trimmed : null }];
}

export function explainArguments(uri: string, line: number): [ExplainArguments] {
  return [{ uri, line }];
}

/** The episode typed in the import dialog: empty for none, else a whole number from 1. */
export function parseEpisode(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === "") {
    return null;
  }
  if (!/^\d+$/.test(trimmed)) {
    return undefined;
  }
  const value = Number(trimmed);
  return value >= 1 && Number.isSafeInteger(value) ? value : undefined;
}

export function parseImportResult(value: unknown): ImportResult | undefined {
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  const { added, message } = value as Record<string, unknown>;
  if (typeof added !== "number" || !Number.isInteger(added) || typeof message !== "string") {
    return undefined;
  }
  return { added, message };
}

export function parseExplainResult(value: unknown): ExplainResult | undefined {
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  const { markdown, explanation } = value as Record<string, unknown>;
  if (typeof markdown !== "string") {
    return undefined;
  }
  return { markdown, explanation };
}

/** JSON-RPC's "request cancelled" and LSP's "server cancelled". */
const CANCELLED = new Set([-32800, -32802]);

export function isCancellation(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    CANCELLED.has((error as { code?: unknown }).code as number)
  );
}

/** One sentence for a failed request: the server's own message when it sent one. */
export function describeError(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === "string" && message.trim() !== "") {
      return message.trim();
    }
  }
  if (typeof error === "string" && error.trim() !== "") {
    return error.trim();
  }
  return "unknown error";
}

/** The title of the explanation's tab, e.g. `ep05.fountain:26 explained` (line 1-based). */
export function explanationTitle(fileName: string, line: number): string {
  return `${fileName}:${line + 1} explained`;
}

/** The file filter of the import dialog: the formats `scriptlens signals import` reads. */
export const SIGNAL_FILE_FILTERS: Readonly<Record<string, string[]>> = {
  "Audience exports": ["csv", "jsonl", "json", "xml"],
  "All files": ["*"],
};

/** Progress reports as VS Code's progress API wants them: an increment since the last report. */
export class ProgressTracker {
  private last = 0;

  increment(percentage: number | undefined): number | undefined {
    if (percentage === undefined || !Number.isFinite(percentage)) {
      return undefined;
    }
    const clamped = Math.min(100, Math.max(0, percentage));
    const step = clamped - this.last;
    if (step <= 0) {
      return undefined;
    }
    this.last = clamped;
    return step;
  }
}

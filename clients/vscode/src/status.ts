// The status-bar item's text and tooltip, from the server's state and its `scriptlens.status`
// report. Pure: no `vscode` import, so node's test runner can load it.

export type ServerState = "starting" | "running" | "stopped" | "failed";

export interface StatusReport {
  readonly signals: number;
  readonly themes: number;
  readonly store: string | null;
}

/** What the status bar knows about the workspace's signals: a report, "unsupported" when the
 * server offers no `scriptlens.status` command, "error" with a reason when it failed, or
 * undefined while it is being asked. */
export type SignalsInfo = StatusReport | "unsupported" | { readonly error: string } | undefined;

export interface StatusView {
  readonly text: string;
  readonly tooltip: string;
  /** For screen readers. */
  readonly label: string;
  readonly severity: "normal" | "warning" | "error";
}

/** A `scriptlens.status` result, or undefined when it does not have the contract's shape:
 * `{"signals": int, "themes": int, "store": str|null}`. */
export function parseStatus(value: unknown): StatusReport | undefined {
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  const { signals, themes, store } = value as Record<string, unknown>;
  if (!isCount(signals) || !isCount(themes)) {
    return undefined;
  }
  if (store !== null && store !== undefined && typeof store !== "string") {
    return undefined;
  }
  return { signals, themes, store: store ?? null };
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? singular : pluralForm}`;
}

export function statusView(state: ServerState, signals: SignalsInfo, command?: string): StatusView {
  const server = command ? `\n\nServer: ${command}` : "";
  switch (state) {
    case "starting":
      return {
        text: "$(sync~spin) scriptlens",
        tooltip: `scriptlens: starting the language server…${server}`,
        label: "scriptlens: starting",
        severity: "normal",
      };
    case "failed":
      return {
        text: "$(error) scriptlens",
        tooltip: "scriptlens: the language server is not running. Click for how to install it.",
        label: "scriptlens: not running",
        severity: "error",
      };
    case "stopped":
      return {
        text: "$(circle-slash) scriptlens",
        tooltip: "scriptlens: the language server is stopped. Click to restart it.",
        label: "scriptlens: stopped",
        severity: "warning",
      };
    case "running":
      break;
  }
  if (signals === undefined) {
    return {
      text: "$(check) scriptlens",
      tooltip: `scriptlens: running${server}`,
      label: "scriptlens: running",
      severity: "normal",
    };
  }
  if (signals === "unsupported") {
    return {
      text: "$(check) scriptlens",
      tooltip: `scriptlens: running. This server does not report audience signals (no scriptlens.status command).${server}`,
      label: "scriptlens: running",
      severity: "normal",
    };
  }
  if ("error" in signals) {
    return {
      text: "$(check) scriptlens",
      tooltip: `scriptlens: running. Could not read the signal store: ${signals.error}${server}`,
      label: "scriptlens: running",
      severity: "normal",
    };
  }
  const count = plural(signals.signals, "signal");
  const where =
    signals.store === null
      ? "No signal store yet: import audience signals to create one."
      : `${count} and ${plural(signals.themes, "theme")} in ${signals.store}`;
  return {
    text: `$(check) scriptlens $(comment-discussion) ${count}`,
    tooltip: `scriptlens: running\n\n${where}${server}`,
    label: `scriptlens: running, ${count}`,
    severity: "normal",
  };
}

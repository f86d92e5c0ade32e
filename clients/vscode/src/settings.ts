// The settings the server reads, as the object it expects in `initializationOptions` and
// `workspace/didChangeConfiguration`: `{"scriptlens": {"baseline": "auto", "diagnostics":
// {"enabled": true, ...}}}`. Which keys exist comes from the extension's own manifest
// (`contributes.configuration.properties`), so a setting added there is sent without code changes.
// Pure: no `vscode` import, so node's test runner can load it.

/** Settings the extension reads itself and never sends to the server. */
export const CLIENT_ONLY: ReadonlySet<string> = new Set(["scriptlens.server.command"]);

export const SECTION = "scriptlens";

export interface SettingSchema {
  readonly default?: unknown;
}

export type Properties = Readonly<Record<string, SettingSchema>>;

export interface ServerSettings {
  readonly [SECTION]: Record<string, unknown>;
}

/** The keys, relative to the `scriptlens` section, that the server reads:
 * `scriptlens.diagnostics.enabled` gives `diagnostics.enabled`. */
export function serverSettingKeys(properties: Properties): string[] {
  const prefix = `${SECTION}.`;
  return Object.keys(properties)
    .filter((key) => key.startsWith(prefix) && !CLIENT_ONLY.has(key))
    .map((key) => key.slice(prefix.length))
    .sort();
}

/** The object sent to the server. `get` reads one key of the `scriptlens` section (what
 * `WorkspaceConfiguration.get` does); a key it has no value for gets the manifest's default. */
export function serverSettings(
  properties: Properties,
  get: (key: string) => unknown,
): ServerSettings {
  const settings: Record<string, unknown> = {};
  for (const key of serverSettingKeys(properties)) {
    let value = get(key);
    if (value === undefined) {
      value = properties[`${SECTION}.${key}`]?.default;
    }
    if (value === undefined) {
      continue;
    }
    setPath(settings, key.split("."), plain(value));
  }
  return { [SECTION]: settings };
}

function setPath(into: Record<string, unknown>, path: string[], value: unknown): void {
  let table = into;
  for (const part of path.slice(0, -1)) {
    const next = table[part];
    if (typeof next === "object" && next !== null && !Array.isArray(next)) {
      table = next as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      table[part] = created;
      table = created;
    }
  }
  table[path[path.length - 1] ?? ""] = value;
}

/** A JSON copy: configuration values can be proxies that must not travel as they are. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** Whether a configuration change needs a new server process rather than a
 * `workspace/didChangeConfiguration`: only the command that starts it does. */
export function needsRestart(affects: (key: string) => boolean): boolean {
  return [...CLIENT_ONLY].some((key) => affects(key));
}

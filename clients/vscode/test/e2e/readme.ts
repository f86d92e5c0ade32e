// The README's quick start, as the end-to-end test replays it in its copy of the example.

/** The `scriptlens ...` commands of the README's quick start that follow its `cd` into the
 * example, each as its arguments. */
export function readmeCommands(readme: string): string[][] {
  const section = readme.split(/^## /m).find((part) => part.startsWith("Quick start")) ?? "";
  for (const block of section.matchAll(/```(?:bash|sh|console)?\n([\s\S]*?)```/g)) {
    const script = (block[1] ?? "").replace(/\\\n/g, " ");
    const at = script.indexOf("cd examples/micro-drama");
    if (at < 0) {
      continue;
    }
    return script
      .slice(at)
      .split(/&&|\n|;/)
      .map((command) => command.trim())
      .filter((command) => command.startsWith("scriptlens "))
      .map((command) => [...command.slice("scriptlens ".length).matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? ""));
  }
  return [];
}

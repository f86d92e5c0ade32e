// Tokenizes Fountain with the extension's TextMate grammar, through the engine VS Code itself
// uses (vscode-textmate with the Oniguruma regular expressions of vscode-oniguruma).
import * as fs from "node:fs";
import * as path from "node:path";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";

const ROOT = path.resolve(__dirname, "..", "..", "..");
export const GRAMMAR_PATH = path.join(ROOT, "syntaxes", "fountain.tmLanguage.json");

let grammar: Promise<textmate.IGrammar> | undefined;

function load(): Promise<textmate.IGrammar> {
  grammar ??= (async () => {
    const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
        createOnigString: (text: string) => new oniguruma.OnigString(text),
      }),
      loadGrammar: (scopeName: string) =>
        Promise.resolve(
          scopeName === "text.fountain"
            ? textmate.parseRawGrammar(fs.readFileSync(GRAMMAR_PATH, "utf8"), GRAMMAR_PATH)
            : null,
        ),
    });
    const loaded = await registry.loadGrammar("text.fountain");
    if (loaded === null) {
      throw new Error("the Fountain grammar did not load");
    }
    return loaded;
  })();
  return grammar;
}

export interface Token {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

export class Tokenized {
  constructor(
    readonly lines: readonly string[],
    readonly tokens: readonly Token[],
  ) {}

  /** The token covering a column (UTF-16) of a line. */
  at(line: number, column: number): Token {
    const token = this.tokens.find((t) => t.line === line && t.start <= column && column < t.end);
    if (token === undefined) {
      throw new Error(`no token at ${line}:${column} in ${JSON.stringify(this.lines[line])}`);
    }
    return token;
  }

  /** The scopes of the first token of the `occurrence`-th line holding `text`, at its first
   * character. */
  scopesOf(text: string, occurrence = 0): readonly string[] {
    let seen = 0;
    for (const [index, line] of this.lines.entries()) {
      const column = line.indexOf(text);
      if (column >= 0) {
        if (seen === occurrence) {
          return this.at(index, column).scopes;
        }
        seen++;
      }
    }
    throw new Error(`${JSON.stringify(text)} is not in the sample`);
  }

  /** Every scope of every token covering `text` on its line. */
  scopesAcross(text: string): readonly (readonly string[])[] {
    const index = this.lines.findIndex((line) => line.includes(text));
    if (index < 0) {
      throw new Error(`${JSON.stringify(text)} is not in the sample`);
    }
    const start = (this.lines[index] ?? "").indexOf(text);
    const end = start + text.length;
    return this.tokens.filter((t) => t.line === index && t.end > start && t.start < end).map((t) => t.scopes);
  }
}

export async function tokenize(text: string): Promise<Tokenized> {
  const loaded = await load();
  const lines = text.split(/\r?\n/);
  const tokens: Token[] = [];
  let state = textmate.INITIAL;
  for (const [index, line] of lines.entries()) {
    const result = loaded.tokenizeLine(line, state);
    for (const token of result.tokens) {
      tokens.push({
        line: index,
        start: token.startIndex,
        end: Math.min(token.endIndex, line.length),
        text: line.slice(token.startIndex, token.endIndex),
        scopes: token.scopes,
      });
    }
    state = result.ruleStack;
  }
  return new Tokenized(lines, tokens);
}

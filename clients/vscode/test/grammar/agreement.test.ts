// The TextMate grammar against the server's own parser: every element that `scriptlens.parse`
// finds in the tree-sitter grammar's corpus and in the example series must start where the
// TextMate grammar gives the scope of its type. The few places where a line-based grammar cannot
// follow Fountain (a cue needs a non-blank line after it) are listed, with the reason.
//
// Needs the scriptlens Python package: $SCRIPTLENS_PYTHON, else the repository's .venv. Skipped
// without it, except in CI (CI=true), where it fails instead.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { tokenize } from "./tokenize";

const REPO = path.resolve(__dirname, "..", "..", "..", "..", "..");
const CORPUS = path.join(REPO, "grammars", "tree-sitter-fountain", "test", "corpus");
const EXAMPLE = path.join(REPO, "examples", "micro-drama");

/** The scope (any one of them) that the start of an element of each type must carry. */
const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  title_page: ["meta.title-page.fountain"],
  scene_heading: ["meta.scene-heading.fountain"],
  action: ["meta.action.fountain"],
  character: ["meta.character-cue.fountain"],
  parenthetical: ["variable.parameter.parenthetical.fountain"],
  dialogue: ["string.unquoted.dialogue.fountain"],
  lyrics: ["punctuation.definition.lyrics.fountain", "string.unquoted.lyrics.fountain"],
  transition: ["meta.transition.fountain"],
  centered: ["meta.centered.fountain"],
  page_break: ["keyword.operator.page-break.fountain"],
  section: ["markup.heading.section.fountain"],
  synopsis: ["comment.line.synopsis.fountain"],
  note: ["comment.block.note.fountain"],
  boneyard: ["comment.block.boneyard.fountain"],
};

/** Corpus tests where the line-based grammar knowingly disagrees, and why. */
const KNOWN: Readonly<Record<string, string>> = {
  "Action: an all-caps line followed by a blank line": "a cue needs the next line, which TextMate cannot see",
  "Transition: must end in TO: with nothing after": "a cue needs the next line",
  "Character: needs a non-blank line after it": "a cue needs the next line",
  "Title Page: a boneyard line does not end the title page": "the title page ends at a blank line",
  "Boneyard: before a scene heading": "an element after a boneyard is read as part of its paragraph",
  "Emphasis: nested underline and bold": "an all-caps line alone is action: a cue needs the next line",
  "Scene Heading: needs a blank line after it": "a heading needs a blank line after it, which TextMate cannot see",
};

interface Sample {
  readonly name: string;
  readonly text: string;
}

function corpusSamples(): Sample[] {
  const samples: Sample[] = [];
  for (const file of fs.readdirSync(CORPUS).filter((f) => f.endsWith(".txt")).sort()) {
    const text = fs.readFileSync(path.join(CORPUS, file), "utf8");
    // tree-sitter's test format: a name between lines of `=`, the input, a line of `-`; the
    // lines may end in a suffix of their own (`===|||`) when the input holds such lines.
    const pattern = /^=+([^\s=]*)\r?\n(.+?)\r?\n=+\1\r?\n([\s\S]*?)\r?\n-{3,}\1\r?\n/gm;
    for (const match of text.matchAll(pattern)) {
      samples.push({ name: (match[2] ?? "").trim(), text: match[3] ?? "" });
    }
  }
  return samples;
}

function exampleSamples(): Sample[] {
  return fs
    .readdirSync(EXAMPLE)
    .filter((f) => f.endsWith(".fountain"))
    .sort()
    .map((f) => ({ name: `examples/micro-drama/${f}`, text: fs.readFileSync(path.join(EXAMPLE, f), "utf8") }));
}

function python(): string | undefined {
  const candidates = [process.env["SCRIPTLENS_PYTHON"], path.join(REPO, ".venv", "bin", "python")];
  return candidates.find((candidate) => candidate !== undefined && candidate !== "" && fs.existsSync(candidate));
}

const PARSE = `
import json, sys
from scriptlens import parse
out = []
for text in json.load(sys.stdin):
    out.append([[getattr(e.type, "value", e.type), e.range.start.line, e.range.start.character]
                for e in parse(text).elements])
json.dump(out, sys.stdout)
`;

type Parsed = [string, number, number][];

function parseAll(interpreter: string, texts: string[]): Parsed[] | string {
  const result = spawnSync(interpreter, ["-c", PARSE], { input: JSON.stringify(texts), encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.status !== 0) {
    return `${interpreter} could not parse with scriptlens: ${result.stderr || String(result.error)}`;
  }
  return JSON.parse(result.stdout) as Parsed[];
}

describe("the grammar agrees with the server's parser", () => {
  const interpreter = python();
  const strict = process.env["CI"] === "true";
  const missing = interpreter === undefined ? "no Python with scriptlens (set SCRIPTLENS_PYTHON or create the repository's .venv)" : undefined;

  it("on the corpus and the example series", { skip: missing !== undefined && !strict ? missing : false }, async () => {
    assert.equal(missing, undefined, missing);
    const samples = [...corpusSamples(), ...exampleSamples()];
    assert.ok(samples.length > 80, `only ${samples.length} samples found`);
    const parsed = parseAll(interpreter as string, samples.map((s) => s.text));
    if (typeof parsed === "string") {
      assert.fail(parsed);
    }
    const disagreements: string[] = [];
    const seen = new Set<string>();
    for (const [index, sample] of samples.entries()) {
      const tokens = await tokenize(sample.text);
      for (const [type, line, character] of parsed[index] ?? []) {
        seen.add(type);
        const expected = EXPECTED[type];
        if (expected === undefined) {
          disagreements.push(`${sample.name}: unknown element type ${type}`);
          continue;
        }
        const text = tokens.lines[line] ?? "";
        let column = character;
        while (column < text.length && /\s/.test(text[column] ?? "")) {
          column++;
        }
        const scopes = column < text.length ? tokens.at(line, column).scopes : [];
        if (!expected.some((scope) => scopes.includes(scope)) && !(sample.name in KNOWN)) {
          disagreements.push(`${sample.name}: ${type} at ${line}:${character} (${JSON.stringify(text)}) has ${scopes.join(" ")}`);
        }
      }
    }
    assert.deepEqual(
      disagreements,
      [],
      "the TextMate grammar (syntaxes/fountain.tmLanguage.json) reads these elements otherwise than the server: " +
        "fix it, or, where a line-based grammar cannot follow, list the corpus test in KNOWN with the reason",
    );
    assert.deepEqual([...seen].sort(), Object.keys(EXPECTED).sort(), "every element type is covered");
  });
});

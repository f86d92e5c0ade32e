// Scope assertions for every Fountain element type, through VS Code's own TextMate engine.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import { tokenize } from "./tokenize";

function has(scopes: readonly string[], scope: string): void {
  assert.ok(scopes.includes(scope), `expected ${scope} in ${scopes.join(" ")}`);
}

function lacks(scopes: readonly string[], scope: string): void {
  assert.ok(!scopes.includes(scope), `did not expect ${scope} in ${scopes.join(" ")}`);
}

const CUE = "entity.name.type.class.character.fountain";
const DIALOGUE = "string.unquoted.dialogue.fountain";
const ACTION = "meta.action.fountain";
const HEADING = "entity.name.function.scene-heading.fountain";

describe("title page", () => {
  const sample = [
    "Title: The Heiress Returns",
    "Credit: Written by",
    "Draft date: 2024-06-01",
    "Contact:",
    "    Mei Lan",
    "    mei@example.com",
    "",
    "INT. SU FAMILY MANSION - NIGHT",
  ].join("\n");

  it("scopes keys and values", async () => {
    const t = await tokenize(sample);
    has(t.scopesOf("Title"), "variable.other.property.title-page-key.fountain");
    has(t.scopesOf("Title"), "meta.title-page.fountain");
    has(t.scopesOf(":"), "punctuation.separator.key-value.fountain");
    has(t.scopesOf("The Heiress Returns"), "string.unquoted.title-page-value.fountain");
    has(t.scopesOf("Draft date"), "variable.other.property.title-page-key.fountain");
  });

  it("continues values on indented lines", async () => {
    const t = await tokenize(sample);
    has(t.scopesOf("mei@example.com"), "string.unquoted.title-page-value.fountain");
  });

  it("ends at the first blank line", async () => {
    const t = await tokenize(sample);
    lacks(t.scopesOf("INT. SU FAMILY"), "meta.title-page.fountain");
    has(t.scopesOf("INT. SU FAMILY"), HEADING);
  });

  it("is only the first paragraph of the document", async () => {
    const t = await tokenize("A house.\n\nTitle: Not a title page");
    lacks(t.scopesOf("Title"), "meta.title-page.fountain");
    has(t.scopesOf("Title"), ACTION);
  });

  it("is not FADE IN: alone", async () => {
    const t = await tokenize("FADE IN:\n\nINT. HOUSE - DAY");
    lacks(t.scopesOf("FADE"), "meta.title-page.fountain");
    lacks(t.scopesOf("FADE"), CUE);
  });
});

describe("scene heading", () => {
  for (const heading of [
    "INT. HOUSE - DAY",
    "EXT BRICK'S POOL - DAY",
    "EST. CITY SKYLINE - NIGHT",
    "INT./EXT. CAR - MOVING",
    "INT/EXT CAR - MOVING",
    "I/E CAR - MOVING",
    "int. bloom house kitchen - day",
  ]) {
    it(`recognises ${heading}`, async () => {
      const t = await tokenize(`Before.\n\n${heading}\n\nAfter.`);
      has(t.scopesOf(heading.slice(0, 3)), HEADING);
      has(t.scopesOf(heading.slice(0, 3)), "meta.scene-heading.fountain");
    });
  }

  it("is forced with a leading period, in any case", async () => {
    const t = await tokenize(".SNIPER SCOPE POV\n\n.inside the mind of bob");
    has(t.scopesOf("."), "punctuation.definition.scene-heading.fountain");
    has(t.scopesOf("SNIPER"), HEADING);
    has(t.scopesOf("inside the mind"), HEADING);
  });

  it("is not an ellipsis or a word that starts like a prefix", async () => {
    const t = await tokenize("...where the carnival is parked.\n\nINTERIOR DESIGN is a passion.");
    lacks(t.scopesOf("where"), HEADING);
    has(t.scopesOf("where"), ACTION);
    lacks(t.scopesOf("INTERIOR"), HEADING);
  });

  it("scopes a scene number at the end", async () => {
    const t = await tokenize("INT. HOUSE - DAY #1A#");
    has(t.scopesOf("1A"), "constant.numeric.scene-number.fountain");
    has(t.scopesOf("#1A#"), "punctuation.definition.scene-number.begin.fountain");
    const u = await tokenize("INT. ROOM #4# - DAY");
    lacks(u.scopesOf("4"), "constant.numeric.scene-number.fountain");
  });

  it("is action when forced with an exclamation mark", async () => {
    const t = await tokenize("!EXT. ACTION. FORCED.");
    has(t.scopesOf("!"), "punctuation.definition.action.fountain");
    has(t.scopesOf("EXT."), ACTION);
    lacks(t.scopesOf("EXT."), HEADING);
  });
});

describe("action", () => {
  it("is a paragraph that is no other element", async () => {
    const t = await tokenize("The General Lee flies through the air.\nIt lands.");
    has(t.scopesOf("General"), ACTION);
    has(t.scopesOf("It lands"), ACTION);
  });

  it("keeps an all-caps line that continues a paragraph", async () => {
    const t = await tokenize("He turns.\nBOB\nwaves back.");
    has(t.scopesOf("BOB"), ACTION);
    lacks(t.scopesOf("BOB"), CUE);
  });

  it("is forced with an exclamation mark", async () => {
    const t = await tokenize("!SCANNING THE AISLES...\nNothing.");
    has(t.scopesOf("!"), "punctuation.definition.action.fountain");
    lacks(t.scopesOf("SCANNING"), CUE);
  });

  it("holds lines with no letters, and all-caps text after a parenthetical", async () => {
    const t = await tokenize("1984\nA year.\n\nCYBER BOSS, 40 (or any age), an ageless,\nman.");
    lacks(t.scopesOf("1984"), CUE);
    lacks(t.scopesOf("CYBER"), CUE);
    has(t.scopesOf("CYBER"), ACTION);
  });

  it("holds lower-case Unicode letters", async () => {
    const t = await tokenize("Élodie\nlooks up.");
    lacks(t.scopesOf("Élodie"), CUE);
  });
});

describe("character cue", () => {
  it("is an all-caps line with dialogue under it", async () => {
    const t = await tokenize("STEEL\nThe man's a myth!");
    has(t.scopesOf("STEEL"), CUE);
    has(t.scopesOf("STEEL"), "meta.character-cue.fountain");
    has(t.scopesOf("STEEL"), "meta.dialogue.fountain");
  });

  it("allows digits and punctuation", async () => {
    const t = await tokenize("R2-D2\nBeep.");
    has(t.scopesOf("R2-D2"), CUE);
  });

  it("scopes extensions, in any case", async () => {
    const t = await tokenize("HANS (V.O.) (cont'd)\nYes.\n\nMOM (on the radio)\nNo.");
    has(t.scopesOf("HANS"), CUE);
    has(t.scopesOf("(V.O.)"), "storage.modifier.character-extension.fountain");
    has(t.scopesOf("(cont'd)"), "storage.modifier.character-extension.fountain");
    has(t.scopesOf("(on the radio)"), "storage.modifier.character-extension.fountain");
  });

  it("is forced with an at sign, for mixed case and caseless scripts", async () => {
    const t = await tokenize("@McCLANE\nYippee.\n\n@李雷\n你好。");
    has(t.scopesOf("@"), "punctuation.definition.character.fountain");
    has(t.scopesOf("McCLANE"), CUE);
    has(t.scopesOf("李雷"), CUE);
    has(t.scopesOf("你好"), DIALOGUE);
  });

  it("knows upper case in every cased script", async () => {
    const t = await tokenize("ÉLODIE\nOui.\n\nДМИТРИЙ\nДа.\n\nＭＲ．ＬＩ\nYes.");
    has(t.scopesOf("ÉLODIE"), CUE);
    has(t.scopesOf("ДМИТРИЙ"), CUE);
    has(t.scopesOf("ＭＲ．ＬＩ"), CUE);
  });

  it("may be indented", async () => {
    const t = await tokenize("    BOB\n    Hi.");
    has(t.scopesOf("BOB"), CUE);
  });

  it("scopes the dual-dialogue caret", async () => {
    const t = await tokenize("BRICK\nScrew retirement.\n\nSTEEL (O.S.) ^\nScrew retirement.");
    has(t.scopesOf("^"), "keyword.operator.dual-dialogue.fountain");
    has(t.scopesOf("STEEL"), CUE);
  });
});

describe("dialogue", () => {
  it("is the lines after a cue, until a blank line", async () => {
    const t = await tokenize("DAN\nThen let's retire them.\n_Permanently_.\n\nHe leaves.");
    has(t.scopesOf("Then let's"), DIALOGUE);
    has(t.scopesOf("Permanently"), DIALOGUE);
    lacks(t.scopesOf("He leaves"), DIALOGUE);
    has(t.scopesOf("He leaves"), ACTION);
  });

  it("goes on over a line of two spaces", async () => {
    const t = await tokenize("DEALER\nTen.\n  \nFour.\n\nGone.");
    has(t.scopesOf("Four"), DIALOGUE);
    lacks(t.scopesOf("Gone"), DIALOGUE);
  });
});

describe("parenthetical", () => {
  it("is a line in parentheses under a cue or between dialogue lines", async () => {
    const t = await tokenize("STEEL\n(starting the engine)\nSo much for retirement!\n(beat)\nGo.");
    has(t.scopesOf("(starting"), "variable.parameter.parenthetical.fountain");
    has(t.scopesOf("(beat)"), "variable.parameter.parenthetical.fountain");
    has(t.scopesOf("So much"), DIALOGUE);
  });

  it("is not a line that only starts with a parenthesis", async () => {
    const t = await tokenize("STEEL\n(beat) Go now.");
    lacks(t.scopesOf("(beat)"), "variable.parameter.parenthetical.fountain");
    has(t.scopesOf("(beat)"), DIALOGUE);
  });
});

describe("lyrics", () => {
  it("is a line starting with a tilde", async () => {
    const t = await tokenize("~Willy Wonka! Willy Wonka!\n~The amazing chocolatier!");
    has(t.scopesOf("~"), "punctuation.definition.lyrics.fountain");
    has(t.scopesOf("Willy"), "string.unquoted.lyrics.fountain");
    has(t.scopesOf("amazing"), "string.unquoted.lyrics.fountain");
  });

  it("is sung under a cue", async () => {
    const t = await tokenize("SINGER\n~Happy birthday to you");
    has(t.scopesOf("Happy"), "string.unquoted.lyrics.fountain");
  });
});

describe("transition", () => {
  it("is an all-caps line ending in TO:", async () => {
    const t = await tokenize("Bob leaves.\n\nCUT TO:\n\nINT. BEDROOM");
    has(t.scopesOf("CUT TO:"), "keyword.control.transition.fountain");
    lacks(t.scopesOf("CUT TO:"), CUE);
  });

  it("is forced with a greater-than sign", async () => {
    const t = await tokenize(">Burn to white.\n\n> FADE OUT.");
    has(t.scopesOf(">"), "punctuation.definition.transition.fountain");
    has(t.scopesOf("Burn"), "keyword.control.transition.fountain");
    has(t.scopesOf("FADE OUT"), "keyword.control.transition.fountain");
  });

  it("must be upper case", async () => {
    const t = await tokenize("A road.\n\nSmash cut to:\n\nA field.");
    lacks(t.scopesOf("Smash"), "keyword.control.transition.fountain");
  });
});

describe("centered", () => {
  it("is text between > and <", async () => {
    const t = await tokenize(">THE END<\n\n> THE END <");
    has(t.scopesOf("THE END"), "entity.name.function.preprocessor.centered.fountain");
    has(t.scopesOf(">"), "punctuation.definition.centered.begin.fountain");
    has(t.scopesOf("THE END", 1), "meta.centered.fountain");
    lacks(t.scopesOf("THE END"), "keyword.control.transition.fountain");
  });

  it("may hold emphasis", async () => {
    const t = await tokenize(">**THE END**<");
    has(t.scopesOf("THE END"), "markup.bold.fountain");
  });
});

describe("page break", () => {
  it("is a line of three or more equals signs", async () => {
    const t = await tokenize("One.\n\n===\n\nTwo.\n\n=====");
    has(t.scopesOf("==="), "keyword.operator.page-break.fountain");
    has(t.scopesOf("=====", 0), "keyword.operator.page-break.fountain");
  });
});

describe("section", () => {
  it("is a line starting with hashes, at any depth", async () => {
    const t = await tokenize("# ACT I\n\n## Sequence 1\n\n### Beat");
    has(t.scopesOf("#"), "punctuation.definition.heading.section.fountain");
    has(t.scopesOf("ACT I"), "entity.name.section.fountain");
    has(t.scopesOf("ACT I"), "markup.heading.section.fountain");
    has(t.scopesOf("Sequence"), "markup.heading.section.fountain");
    has(t.scopesOf("Beat"), "markup.heading.section.fountain");
  });
});

describe("synopsis", () => {
  it("is a line starting with one equals sign", async () => {
    const t = await tokenize("# ACT I\n\n= Set up the characters and the story.");
    has(t.scopesOf("="), "punctuation.definition.comment.synopsis.fountain");
    has(t.scopesOf("Set up"), "comment.line.synopsis.fountain");
  });
});

describe("note", () => {
  it("is a comment inline in action and in dialogue", async () => {
    const t = await tokenize("He dials [[was 555-1234]] and waits.\n\nBOB\nHi [[warmly]] there.");
    has(t.scopesOf("was 555"), "comment.block.note.fountain");
    has(t.scopesOf("[["), "punctuation.definition.comment.begin.fountain");
    has(t.scopesOf("and waits"), ACTION);
    lacks(t.scopesOf("and waits"), "comment.block.note.fountain");
    has(t.scopesOf("warmly"), "comment.block.note.fountain");
    has(t.scopesOf("there."), DIALOGUE);
  });

  it("stands alone and spans lines", async () => {
    const t = await tokenize("[[This whole paragraph is a note.]]\n\nHis hand is on the door. [[This is a note\nthat spans lines.]]\nHe opens it.");
    has(t.scopesOf("This whole"), "comment.block.note.fountain");
    has(t.scopesOf("that spans"), "comment.block.note.fountain");
    lacks(t.scopesOf("He opens"), "comment.block.note.fountain");
  });

  it("ends, unclosed, at a blank line", async () => {
    const t = await tokenize("[[Not a note\n\nAction.");
    lacks(t.scopesOf("Action."), "comment.block.note.fountain");
  });

  it("scopes the key of scriptlens notes", async () => {
    const t = await tokenize("Lin Yan walks out. [[exit: LIN YAN]]\n\n[[signal: s1f3, #twins]]");
    has(t.scopesOf("exit"), "keyword.other.note-key.fountain");
    has(t.scopesOf("LIN YAN]]"), "comment.block.note.fountain");
    has(t.scopesOf("signal"), "keyword.other.note-key.fountain");
  });
});

describe("boneyard", () => {
  it("is a comment inline", async () => {
    const t = await tokenize("He walks /* slowly */ away.");
    has(t.scopesOf("slowly"), "comment.block.boneyard.fountain");
    has(t.scopesOf("/*"), "punctuation.definition.comment.begin.fountain");
    lacks(t.scopesOf("away"), "comment.block.boneyard.fountain");
  });

  it("spans lines and blank lines, hiding what would be elements", async () => {
    const t = await tokenize("This is something.\n/*\n\nINT. HOUSE - DAY\n\nSTEEL\nHi.\n*/\nStill action.");
    has(t.scopesOf("INT. HOUSE"), "comment.block.boneyard.fountain");
    lacks(t.scopesOf("INT. HOUSE"), HEADING);
    has(t.scopesOf("STEEL"), "comment.block.boneyard.fountain");
    lacks(t.scopesOf("STEEL"), CUE);
    has(t.scopesOf("Still action"), ACTION);
    lacks(t.scopesOf("Still action"), "comment.block.boneyard.fountain");
  });
});

describe("emphasis", () => {
  it("scopes italic, bold, bold italic and underline", async () => {
    const t = await tokenize("This is *italic*, **bold**, ***both*** and _underlined_.");
    has(t.scopesOf("italic"), "markup.italic.fountain");
    has(t.scopesOf("bold"), "markup.bold.fountain");
    has(t.scopesOf("both"), "markup.bold.fountain");
    has(t.scopesOf("both"), "markup.italic.fountain");
    has(t.scopesOf("underlined"), "markup.underline.fountain");
  });

  it("nests underline and bold", async () => {
    const t = await tokenize("_**BRICK & STEEL**_ enter.");
    has(t.scopesOf("BRICK"), "markup.underline.fountain");
    has(t.scopesOf("BRICK"), "markup.bold.fountain");
  });

  it("leaves escaped and unmatched asterisks alone", async () => {
    const t = await tokenize("The code: **\\*9765\\***\nHe dialed *69 and hung up.\n5 * 3 * 2 is thirty.");
    has(t.scopesOf("\\*"), "constant.character.escape.fountain");
    has(t.scopesOf("9765"), "markup.bold.fountain");
    lacks(t.scopesOf("69 and"), "markup.italic.fountain");
    lacks(t.scopesOf("3 * 2"), "markup.italic.fountain");
  });

  it("does not span lines", async () => {
    const t = await tokenize("This *starts\nand ends* here.");
    lacks(t.scopesOf("starts"), "markup.italic.fountain");
  });
});

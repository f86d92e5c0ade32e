"""Semantic tokens from the model: one token per line of each element, UTF-16 columns, notes and
boneyards cut out of the elements around them, and LSP's relative encoding."""

from __future__ import annotations

from scriptlens import parse
from scriptlens.fountain.document import Document
from scriptlens.fountain.model import Position
from scriptlens.lsp.semantic_tokens import LEGEND, SemanticToken, encode, semantic_tokens

SCRIPT = """\
Title: Rooftop Hearts
Author: Zoë Ålund
Draft date:
    1 May 2024

# Act One

= Élodie comes home.

INT. CAFÉ 😀 - DAY

ÉLODIE, 20s, waits. [[is she 20?]]

ÉLODIE (V.O.) ^
(softly)
你好 😀, Li.
I kept [[or: held]] your seat.
/* An older beat,
cut for time. */

> CUT TO:

>THE END<

~La la 😀 la

===
"""


def _text_of(token: SemanticToken) -> str:
    line = SCRIPT.split("\n")[token.line].encode("utf-16-le")
    return line[2 * token.start : 2 * (token.start + token.length)].decode("utf-16-le")


def test_each_element_gets_its_tokens_one_per_line_in_utf16_columns():
    tokens = semantic_tokens(parse(SCRIPT), SCRIPT)
    assert [(*token, _text_of(token)) for token in tokens] == [
        (0, 0, 5, "property", (), "Title"),
        (0, 7, 14, "string", (), "Rooftop Hearts"),
        (1, 0, 6, "property", (), "Author"),
        (1, 8, 9, "string", (), "Zoë Ålund"),
        (2, 0, 10, "property", (), "Draft date"),
        (3, 4, 10, "string", (), "1 May 2024"),
        (5, 0, 9, "namespace", (), "# Act One"),
        (7, 0, 20, "comment", ("documentation",), "= Élodie comes home."),
        # the emoji is two UTF-16 units: 17 characters, 18 units
        (9, 0, 18, "function", (), "INT. CAFÉ 😀 - DAY"),
        (11, 0, 6, "class", ("declaration",), "ÉLODIE"),
        (11, 20, 14, "comment", (), "[[is she 20?]]"),
        (13, 0, 6, "class", (), "ÉLODIE"),
        (13, 7, 6, "modifier", (), "(V.O.)"),
        (13, 14, 1, "operator", (), "^"),
        (14, 0, 8, "parameter", (), "(softly)"),
        # a dialogue of two lines is two tokens; the note inside the second cuts it in three
        (15, 0, 10, "string", (), "你好 😀, Li."),
        (16, 0, 7, "string", (), "I kept "),
        (16, 7, 12, "comment", (), "[[or: held]]"),
        (16, 19, 11, "string", (), " your seat."),
        (17, 0, 17, "comment", (), "/* An older beat,"),
        (18, 0, 16, "comment", (), "cut for time. */"),
        (20, 0, 9, "keyword", (), "> CUT TO:"),
        (22, 0, 9, "macro", (), ">THE END<"),
        (24, 0, 12, "string", (), "~La la 😀 la"),
        (26, 0, 3, "operator", (), "==="),
    ]


def test_a_boneyard_inside_dialogue_hides_its_part_of_the_line():
    text = "LI\nYes /* or no */ sir.\n"
    tokens = semantic_tokens(parse(text), text)
    assert tokens == [
        SemanticToken(0, 0, 2, "class"),
        SemanticToken(1, 0, 4, "string"),
        SemanticToken(1, 4, 11, "comment"),
        SemanticToken(1, 15, 5, "string"),
    ]


def test_the_relative_encoding_follows_the_legend():
    tokens = [
        SemanticToken(2, 5, 3, "class", ("declaration",)),
        SemanticToken(2, 10, 4, "string"),
        SemanticToken(4, 1, 2, "comment", ("documentation",)),
    ]
    types, modifiers = LEGEND.token_types, LEGEND.token_modifiers
    declaration, documentation = (1 << modifiers.index(m) for m in ("declaration", "documentation"))
    assert encode(tokens) == [
        *(2, 5, 3, types.index("class"), declaration),
        *(0, 5, 4, types.index("string"), 0),
        *(2, 1, 2, types.index("comment"), documentation),
    ]


def test_tokens_of_an_edited_document_equal_a_fresh_parse() -> None:
    # each chunk's spans are kept in its memo and follow it when an edit above moves it
    rooms = (f"\nINT. ROOM {n} - DAY\n\nÉLODIE waits.\n\nLI\nHi.\n" for n in range(5))
    text = SCRIPT + "".join(rooms)
    document = Document(text)
    semantic_tokens(document.script, document.text)
    heading = document.text.split("\n").index("INT. ROOM 1 - DAY")
    for at, inserted in ((heading + 2, "x"), (heading, "\n\n"), (heading + 4, "ZOË\nHey.\n\n")):
        document.apply_change(Position(at, 0), Position(at, 0), inserted)
        edited = semantic_tokens(document.script, document.text)
        assert edited == semantic_tokens(parse(document.text), document.text)

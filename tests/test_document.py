"""Open documents: LSP content changes applied incrementally give what a fresh parse gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scriptlens import parse
from scriptlens.fountain.document import Document
from scriptlens.fountain.model import Position
from scriptlens.fountain.report import script_to_json

SEED = """\
Title: Twins
Episode: 2

INT. HOSPITAL - NIGHT

SU QING holds the envelope. 😀

MR. LI
(stunned)
Twins? A boy *and* a girl?

NURSE ^
Sign here, Mr. Li.

CUT TO:
"""

SNIPPETS = [
    "",
    "x",
    "\n",
    "\n\n",
    "É",
    "😀",
    "JOHN\n",
    "*",
    "_",
    "[[",
    "]]",
    "/*",
    "*/",
    "INT. ",
    "(",
    ")",
    "^",
    "  ",
]


def _utf16_length(line: str) -> int:
    return len(line.encode("utf-16-le")) // 2


@st.composite
def edits(draw):
    count = draw(st.integers(min_value=1, max_value=8))
    return [
        (
            draw(st.integers(min_value=0, max_value=1000)),
            draw(st.integers(min_value=0, max_value=1000)),
            draw(st.integers(min_value=0, max_value=3)),
            draw(st.integers(min_value=0, max_value=1000)),
            draw(st.sampled_from(SNIPPETS)),
        )
        for _ in range(count)
    ]


def _position(lines: list[str], line_seed: int, column_seed: int) -> tuple[int, Position]:
    line = line_seed % len(lines)
    units = _utf16_length(lines[line])
    # land on a code point boundary: count units of a prefix of whole characters
    prefix = lines[line][: column_seed % (len(lines[line]) + 1)]
    return line, Position(line, min(units, _utf16_length(prefix)))


@settings(max_examples=150, deadline=None)
@given(edits())
def test_incremental_edits_match_a_fresh_parse(changes):
    document = Document(SEED)
    for line_seed, column_seed, span, end_seed, inserted in changes:
        lines = document.text.split("\n")
        start_line, start = _position(lines, line_seed, column_seed)
        end_line = min(start_line + span // 2, len(lines) - 1)
        _, end = _position(lines, end_line, end_seed)
        if (end.line, end.character) < (start.line, start.character):
            start, end = end, start
        document.apply_change(start, end, inserted)

    fresh = parse(document.text)
    assert str(document.tree.root_node) == str(parse_tree_of(document.text))
    assert script_to_json(document.script, "f") == script_to_json(fresh, "f")


def parse_tree_of(text: str):
    return Document(text).tree.root_node


def test_positions_past_the_end_clamp_to_the_end():
    document = Document("INT. A - DAY\n")
    document.apply_change(Position(99, 0), Position(99, 0), "\nHello.\n")
    assert document.text == "INT. A - DAY\n\nHello.\n"


def test_replace_all_resets_the_model():
    document = Document(SEED)
    assert document.script.dialogue
    document.replace_all("INT. EMPTY - DAY\n")
    assert document.script.dialogue == []

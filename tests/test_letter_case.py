"""A cue is a line whose letters are all upper case, in every script that has case: the
scanner's tables (grammars/tree-sitter-fountain/src/letter_case.h) must agree with Python's
``str.isupper``/``str.islower``, which the model uses for introductions, letter by letter."""

from __future__ import annotations

import re
import runpy
import unicodedata
from pathlib import Path

import pytest

from scriptlens.fountain.parser import new_parser

GRAMMAR = Path(__file__).parents[1] / "grammars" / "tree-sitter-fountain"
HEADER = GRAMMAR / "src" / "letter_case.h"
BMP = range(0x80, 0x10000)

_TABLE_VERSION = re.search(r"from Unicode (\S+)", HEADER.read_text(encoding="utf-8"))
# Another Python may know another Unicode: letters added since would count as disagreements.
pytestmark = pytest.mark.skipif(
    _TABLE_VERSION is None or _TABLE_VERSION.group(1) != unicodedata.unidata_version,
    reason=f"letter_case.h is not from this Python's Unicode {unicodedata.unidata_version}",
)


def test_the_committed_table_is_what_the_script_writes() -> None:
    script = runpy.run_path(str(GRAMMAR / "script" / "generate_case_table.py"))
    assert HEADER.read_text(encoding="utf-8") == script["render"]()


def _first_lines_read_as_cues(first_lines: list[str]) -> list[bool]:
    """Whether each line, written above a line of dialogue, is read as a character cue."""
    source = "\n\n".join(f"{line}\nHello." for line in first_lines) + "\n"
    elements = [
        child
        for child in new_parser().parse(source.encode("utf-8")).root_node.children
        if child.type in ("dialogue_block", "action")
    ]
    assert len(elements) == len(first_lines)
    return [element.type == "dialogue_block" for element in elements]


def test_every_upper_case_letter_makes_a_cue() -> None:
    letters = [chr(code) for code in BMP if chr(code).isupper()]
    verdicts = _first_lines_read_as_cues(letters)
    missed = [f"U+{ord(c):04X}" for c, cue in zip(letters, verdicts, strict=True) if not cue]
    assert missed == []


def test_every_lower_case_letter_makes_action() -> None:
    letters = [chr(code) for code in BMP if chr(code).islower()]
    verdicts = _first_lines_read_as_cues([f"A{letter}" for letter in letters])
    missed = [f"U+{ord(c):04X}" for c, cue in zip(letters, verdicts, strict=True) if cue]
    assert missed == []


def test_caseless_letters_leave_the_line_a_cue() -> None:
    # a name mixing a cased and a caseless script, as in "LI 李": only the case of the first counts
    caseless = [
        chr(code)
        for code in BMP
        if chr(code).isalpha() and not chr(code).isupper() and not chr(code).islower()
    ]
    sample = caseless[::25]  # every script's blocks, without parsing 48,000 lines
    assert {unicodedata.name(c, "").split()[0] for c in sample} >= {"CJK", "HANGUL", "ARABIC"}
    verdicts = _first_lines_read_as_cues([f"A{letter}" for letter in sample])
    missed = [f"U+{ord(c):04X}" for c, cue in zip(sample, verdicts, strict=True) if not cue]
    assert missed == []

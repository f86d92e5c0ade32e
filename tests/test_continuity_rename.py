"""The pure functions behind rename and navigation: which names a rename touches and how it
spells them, what it refuses, and the ``[cast]`` strings of ``scriptlens.toml`` it rewrites."""

from __future__ import annotations

import pytest

from scriptlens.continuity.engine import Engine
from scriptlens.continuity.occurrences import introduction, name_at, occurrences
from scriptlens.continuity.rename import RenameError, rename_edits, toml_name_edits
from scriptlens.fountain.model import Position, Range

EPISODE = """\
INT. KITCHEN - DAY

GRANDMA SU, 70s, stirs a pot. Her grandson DOUDOU, 6, watches.

DOUDOU
Is it ready, Grandma Su?

GRANDMA SU
Patience, Doudou.

DOUDOU (CONT'D)
I have none.
"""


def _cast():
    engine = Engine()
    engine.set_files({"ep01.fountain": EPISODE})
    return engine.cast()


def _line_and_text(edit_range: Range, new_text: str) -> tuple[int, int, str]:
    return edit_range.start.line, edit_range.start.character, new_text


def test_occurrences_are_cues_and_mentions_in_action_and_dialogue_in_order():
    cast = _cast()
    found = [(o.range.start.line, o.kind, o.written) for o in occurrences(cast, "DOUDOU")]
    assert found == [
        (2, "mention", "DOUDOU"),
        (4, "cue", "DOUDOU"),
        (8, "mention", "Doudou"),
        (10, "cue", "DOUDOU"),
    ]
    where = Range(Position(2, 43), Position(2, 49))
    assert introduction(cast, "DOUDOU") == ("ep01.fountain", where)


def test_the_name_under_the_cursor_on_a_cue_extension_is_the_cue_name():
    found = name_at(_cast(), "ep01.fountain", Position(10, 12))  # inside "(CONT'D)"
    assert found is not None
    character, occurrence = found
    assert character == "DOUDOU"
    assert occurrence.range == Range(Position(10, 0), Position(10, 6))


def test_a_rename_spells_cues_in_capitals_and_mentions_as_written():
    cast = _cast()
    edits = rename_edits(cast, "DOUDOU", "DOUDOU", "tiantian")
    assert [_line_and_text(e.range, e.new_text) for e in edits] == [
        (2, 43, "TIANTIAN"),
        (4, 0, "TIANTIAN"),
        (8, 10, "Tiantian"),  # typed in lower case: each word capitalised
        (10, 0, "TIANTIAN"),
    ]
    typed = rename_edits(cast, "DOUDOU", "DOUDOU", "Tian-tian")
    assert typed[2].new_text == "Tian-tian"


@pytest.mark.parametrize(
    ("new", "reason"),
    [
        ("  ", "cannot be empty"),
        ("DOUDOU (V.O.)", "no brackets, parentheses"),
        ("123", "it needs a letter"),
        ("Grandma Su", "GRANDMA SU is another character"),
    ],
)
def test_a_rename_is_refused_with_the_reason(new: str, reason: str):
    with pytest.raises(RenameError, match=reason):
        rename_edits(_cast(), "DOUDOU", "DOUDOU", new)


def test_toml_names_are_rewritten_only_inside_the_cast_tables_and_outside_comments():
    text = (
        '[series]\nfiles = ["DOUDOU"]\n\n'
        "[cast.aliases]\n"
        '"DOUDOU" = [\'Dou Dou\', "LITTLE ONE"]  # "DOUDOU" in a comment\n'
        "[cast]\n"
        'distinct = [["doudou", "DUDU"]]\n'
    )
    found = [
        (where.start.line, where.start.character, where.end.character, literal)
        for where, literal in toml_name_edits(text, "DOUDOU", "TIANTIAN")
    ]
    assert found == [(4, 0, 8, '"TIANTIAN"'), (6, 13, 21, '"TIANTIAN"')]

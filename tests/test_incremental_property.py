"""After random edits, ``tree.edit`` plus an incremental reparse gives the tree a fresh parse gives:
the same S-expression and the same byte range for every node, named or not.

The external scanner looks ahead across lines (a cue needs the next line, a paragraph end eats
blank lines); tree-sitter must see that lookahead to know which old tokens an edit invalidates,
so edits are drawn near and across line breaks and Fountain markup on purpose.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tree_sitter import Node, Parser, Point, Tree

from scriptlens.fountain.parser import LANGUAGE

BASE = """Title: The Pier
Credit: Written by
Author: A. Writer
Contact:
    pier@example.com

# ACT ONE

= The pier at night.

EXT. PIER - NIGHT #1#

Waves. A lamp flickers. MARA (30s) waits, *soaked*.

MARA (V.O.)
(quietly)
He said he'd come.
{two_spaces}
He always says that.

ДМИТРИЙ ^
Он придёт. [[check accent]]

/* cut:
ÉLODIE
Non.
*/

~La la la

CUT TO:

INT. CAR - CONTINUOUS

> FADE OUT.

>**THE END**<

===
""".format(two_spaces="  ")  # a line of two spaces keeps the dialogue going

SNIPPETS = [
    "\n",
    "\n\n",
    "\r\n",
    "  \n",
    " ",
    "\t",
    "a",
    "Z",
    "É",
    "д",
    "漢",
    "😀",
    "\ufeff",
    "*",
    "**",
    "***",
    "_",
    "\\",
    "\\*",
    "[[",
    "]]",
    "/*",
    "*/",
    "#",
    "##",
    "#1#",
    "=",
    "===",
    ">",
    "<",
    "~",
    "!",
    "@",
    ".",
    "...",
    "^",
    "(",
    ")",
    "(V.O.)",
    ":",
    "Title: X\n",
    "INT. ",
    "EXT. HOUSE - DAY\n\n",
    "BOB\n",
    "\nBOB\nHi.\n",
    "CUT TO:",
    "\nCUT TO:\n\n",
    "[[note\nacross]]",
    "/* hidden\n\nlines */",
    "\n  \n",
    "**bold**",
    "_under_",
    "  ",
    "\n  ",
    "\tmore\n",
    "Key: v\n",
]


@st.composite
def edits(draw: st.DrawFn) -> list[tuple[float, int, str]]:
    """Up to four edits: where (a fraction of the text), how many characters go, what comes."""
    text = st.lists(st.sampled_from(SNIPPETS), max_size=3).map("".join) | st.text(max_size=4)
    one = st.tuples(st.floats(0, 1), st.integers(0, 12), text)
    return draw(st.lists(one, min_size=1, max_size=4))


def point_at(data: bytes, offset: int) -> Point:
    row = data.count(b"\n", 0, offset)
    return Point(row, offset - (data.rfind(b"\n", 0, offset) + 1))


def apply(tree: Tree, text: str, where: float, removed: int, inserted: str) -> str:
    start = round(where * len(text))
    end = min(len(text), start + removed)
    new_text = text[:start] + inserted + text[end:]
    old, new = text.encode(), new_text.encode()
    start_byte = len(text[:start].encode())
    old_end_byte = len(text[:end].encode())
    new_end_byte = start_byte + len(inserted.encode())
    tree.edit(
        start_byte=start_byte,
        old_end_byte=old_end_byte,
        new_end_byte=new_end_byte,
        start_point=point_at(old, start_byte),
        old_end_point=point_at(old, old_end_byte),
        new_end_point=point_at(new, new_end_byte),
    )
    return new_text


def shape(node: Node) -> list[tuple[str, int, int, bool]]:
    """Every node in document order with its byte range."""
    found = []
    cursor = node.walk()
    while True:
        current = cursor.node
        assert current is not None
        found.append((current.type, current.start_byte, current.end_byte, current.is_missing))
        if cursor.goto_first_child() or cursor.goto_next_sibling():
            continue
        while cursor.goto_parent():
            if cursor.goto_next_sibling():
                break
        else:
            return found


@settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(base=st.sampled_from([BASE, BASE.replace("\n", "\r\n"), BASE[200:700]]), steps=edits())
def test_incremental_reparse_equals_fresh_parse(
    base: str, steps: list[tuple[float, int, str]]
) -> None:
    parser = Parser(LANGUAGE)
    text = base
    tree = parser.parse(text.encode())
    for where, removed, inserted in steps:
        text = apply(tree, text, where, removed, inserted)
        tree = parser.parse(text.encode(), tree)
        fresh = Parser(LANGUAGE).parse(text.encode())
        assert str(tree.root_node) == str(fresh.root_node), text
        assert shape(tree.root_node) == shape(fresh.root_node), text


@pytest.mark.parametrize(
    ("where", "removed", "inserted"),
    [
        (0.0, 0, ""),  # a reparse that reuses the finished title fields
        (0.5, 0, "  more title\n"),  # a continuation after a field the old tree had finished
        (0.5, 0, "  \n"),  # a line of two spaces ends the title page, unlike in dialogue
        (0.5, 0, "Key: value\n"),
    ],
)
def test_title_page_edits(where: float, removed: int, inserted: str) -> None:
    title = "Title: Twins\nEpisode: 2\n  \nINT. HOSPITAL - NIGHT\n\nBOB\nHi.\n"
    parser = Parser(LANGUAGE)
    for base in (title, title.replace("  \n", "\n")):
        tree = parser.parse(base.encode())
        at = base.index("Episode") / len(base) if where else 0.0
        text = apply(tree, base, at, removed, inserted)
        text = apply(tree, text, 0.0, 0, "")
        new_tree = parser.parse(text.encode(), tree)
        fresh = Parser(LANGUAGE).parse(text.encode())
        assert shape(new_tree.root_node) == shape(fresh.root_node), text
        assert not fresh.root_node.has_error, text


def test_edit_inside_one_scene_reuses_the_others() -> None:
    scenes = "".join(f"INT. ROOM {n} - DAY\n\nBOB\nLine {n}.\n\n" for n in range(200))
    parser = Parser(LANGUAGE)
    tree = parser.parse(scenes.encode())
    text = apply(tree, scenes, 0.5, 0, "x")
    new_tree = parser.parse(text.encode(), tree)
    changed = list(tree.changed_ranges(new_tree))
    assert changed, "the edit must change something"
    assert all(r.end_byte - r.start_byte < 200 for r in changed), changed

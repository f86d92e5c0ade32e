"""UTF-16 columns (LSP) against Python string indexes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scriptlens.fountain import utf16


def test_astral_characters_take_two_units():
    line = "a😀b家"
    assert utf16.units(line) == 5
    assert [utf16.column(line, i) for i in range(len(line) + 1)] == [0, 1, 3, 4, 5]
    assert [utf16.index(line, c) for c in (0, 1, 3, 4, 5, 99)] == [0, 1, 2, 3, 4, 4]


@given(st.text())
def test_index_inverts_column(line: str):
    for position in range(len(line) + 1):
        assert utf16.index(line, utf16.column(line, position)) == position

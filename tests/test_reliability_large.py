"""Issue 12, item 6 below the server: pending changes merged into fewer (a burst of typing is
one edit), with the same text as applying them one by one; diagnostics capped per document
with a note of what was left out."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types

from scriptlens.continuity.diagnostics import Diagnostic
from scriptlens.fountain import utf16
from scriptlens.fountain.document import Document
from scriptlens.fountain.model import Position, Range
from scriptlens.lsp.diagnostics import MAX_PER_DOCUMENT, capped, for_document
from scriptlens.lsp.documents import apply_changes, coalesce

TEXT = "INT. ROOF - NIGHT\n\nSU QING\nNobody saw me.\n\nMR. LI\nCafé 😀 咖啡.\n"


def at(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def change(
    start: types.Position, end: types.Position, text: str
) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(
        range=types.Range(start=start, end=end), text=text
    )


def typing(line: int, column: int, text: str) -> list[types.TextDocumentContentChangePartial]:
    return [change(at(line, column + i), at(line, column + i), ch) for i, ch in enumerate(text)]


def test_a_burst_of_typing_is_one_change() -> None:
    assert coalesce(typing(3, 7, "really ")) == [change(at(3, 7), at(3, 7), "really ")]


def test_backspace_over_what_was_just_typed_is_merged() -> None:
    burst = [*typing(3, 0, "Nobdy"), change(at(3, 4), at(3, 5), ""), change(at(3, 3), at(3, 4), "")]
    assert coalesce(burst) == [change(at(3, 0), at(3, 0), "Nob")]


def test_changes_that_do_not_continue_each_other_stay_apart() -> None:
    apart = [
        change(at(3, 0), at(3, 0), "a"),
        change(at(5, 0), at(5, 0), "b"),  # another line
        change(at(5, 1), at(5, 1), "\n"),  # a newline
        change(at(6, 0), at(6, 2), "X"),  # a replacement of text that was there before
    ]
    assert coalesce(apart) == apart


def test_a_whole_text_replacement_drops_what_came_before_it() -> None:
    whole = types.TextDocumentContentChangeWholeDocument(text="FADE IN:\n")
    burst = [*typing(3, 0, "abc"), whole, *typing(0, 8, "!")]
    assert coalesce(burst) == [whole, change(at(0, 8), at(0, 8), "!")]


def _edit(text: str) -> st.SearchStrategy[types.TextDocumentContentChangeEvent]:
    """An edit at a random place of ``text`` (on character boundaries, as editors send them):
    typing, a backspace, a replacement, a newline."""
    lines = text.split("\n")

    def one(draw: st.DrawFn) -> types.TextDocumentContentChangeEvent:
        line = draw(st.integers(0, len(lines) - 1))
        here = lines[line]
        index = draw(st.integers(0, len(here)))
        column = utf16.column(here, index)
        kind = draw(st.sampled_from(["type", "type", "backspace", "replace"]))
        if kind == "type":
            return change(at(line, column), at(line, column), draw(st.sampled_from("ab \n咖😀")))
        if kind == "backspace" and index:
            return change(at(line, utf16.column(here, index - 1)), at(line, column), "")
        end = utf16.column(here, draw(st.integers(index, len(here))))
        return change(at(line, column), at(line, end), draw(st.sampled_from(["", "x", "YZ"])))

    return st.composite(one)()


@settings(max_examples=150, deadline=None)
@given(data=st.data(), count=st.integers(0, 60))
def test_coalesced_changes_make_the_same_text(data: st.DataObject, count: int) -> None:
    one_by_one = Document(TEXT)
    merged = Document(TEXT)
    changes: list[types.TextDocumentContentChangeEvent] = []
    for _ in range(count):  # each edit drawn against the text the earlier ones made
        edit = data.draw(_edit(one_by_one.text))
        apply_changes(one_by_one, [edit])
        changes.append(edit)
        # a typing run continuing the edit, as a keyboard makes them
        if "\n" not in edit.text and edit.range.start.line == edit.range.end.line:
            start = edit.range.start
            run = typing(start.line, start.character + utf16.units(edit.text), "ok")
            apply_changes(one_by_one, run)
            changes += run
    apply_changes(merged, coalesce(changes))
    assert merged.text == one_by_one.text
    assert len(coalesce(changes)) <= len(changes)


def finding(line: int, severity: str) -> Diagnostic:
    span = Range(Position(line, 0), Position(line, 4))
    return Diagnostic("ep01.fountain", span, severity, "unintroduced-speaker", f"line {line}")


def test_diagnostics_are_capped_most_severe_first_in_text_order() -> None:
    found = [finding(line, "hint") for line in range(MAX_PER_DOCUMENT + 200)]
    found[-1] = finding(len(found) - 1, "error")
    shown = capped(found)
    assert len(shown) == MAX_PER_DOCUMENT
    assert shown[-1].severity == "error"  # kept although it is last in the text
    lines = [d.range.start.line for d in shown]
    assert lines == sorted(lines)
    assert capped(found[:10]) == found[:10]


def test_a_capped_document_says_how_many_were_left_out() -> None:
    found = [finding(line, "warning") for line in range(MAX_PER_DOCUMENT + 200)]
    published = for_document(found, lambda key: f"file:///{key}")
    assert len(published) == MAX_PER_DOCUMENT + 1
    note = published[0]
    assert note.code == "more-diagnostics" and note.range.start.line == 0
    assert note.message.startswith("200 more diagnostic(s) in this file are not shown")
    assert f"(the {MAX_PER_DOCUMENT} most severe of 700 are)" in note.message
    few = for_document(found[:3], lambda key: f"file:///{key}")
    assert [d.code for d in few] == ["unintroduced-speaker"] * 3

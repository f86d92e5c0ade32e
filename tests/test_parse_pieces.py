"""``parse`` hands tree-sitter a long script in pieces; the outline read from the pieces' trees
equals the one read from a parse of the whole source: on every corpus file and on generated
scripts cut at every place a piece may start, and where a boneyard, a title-page key, a line
ending or a syntax error stands at a cut."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grammar_support import SHARED_CORPUS
from scriptlens.fountain.parser import Outline, _piece_starts, new_parser, read_outline
from scriptlens.fountain.text_reader import clean, decode
from test_lazy_model_property import ELEMENTS

CORPUS_FILES = sorted(SHARED_CORPUS.rglob("*.fountain")) if SHARED_CORPUS.is_dir() else []
EVERY_CUT = 1  # a piece as short as can be: every place a piece may start starts one


def whole_outline(source: bytes) -> Outline:
    outline = Outline(source)
    outline.read_tree(new_parser().parse(source).root_node)
    outline.marks.sort()
    return outline


def assert_same_outline(source: bytes) -> Outline:
    pieces = read_outline(source, EVERY_CUT)
    whole = whole_outline(source)
    assert pieces.spans() == whole.spans()
    assert pieces.marks == whole.marks
    return pieces


@pytest.mark.skipif(not CORPUS_FILES, reason=f"shared corpus not found at {SHARED_CORPUS}")
def test_corpus_files_read_in_pieces_equal_the_whole_parse() -> None:
    cut = 0
    for path in CORPUS_FILES:
        source = clean(decode(path.read_bytes()).text).encode("utf-8", "surrogatepass")
        cut += len(assert_same_outline(source).runs) > 1
    assert cut > len(CORPUS_FILES) // 2  # most files are read in several pieces


AT_A_CUT = st.sampled_from(
    [
        "/* hidden\n\nINT. HIDDEN - DAY\n\nBOB\nNo.\n\n*/",  # a boneyard across empty lines
        "/* never closed\n\nINT. ROOF - NIGHT",
        "/* closed */ /* open\n\nEXT. YARD - DAY\n\n*/",
        "Key: value",  # opens a title page at the start of a document
        "# Episode 3: The Ring",
        "\r\n\r\nINT. CAR - NIGHT\r\n\r\nBOB\r\nGo.",
        ">\\<",  # a syntax error
        "\x00 a NUL opens the line",
        "\ufeffBOM opens the line",
    ]
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    title=st.sampled_from(["", "Title: Twins\nEpisode: 4\n\n"]),
    elements=st.lists(ELEMENTS | AT_A_CUT, max_size=16),
    separator=st.sampled_from(["\n\n", "\n\n\n", "\n"]),
)
def test_generated_scripts_read_in_pieces_equal_the_whole_parse(
    title: str, elements: list[str], separator: str
) -> None:
    assert_same_outline((title + separator.join(elements) + "\n").encode())


SCENES = "".join(f"INT. ROOM {n} - DAY\n\nBOB\nLine {n}.\n\n" for n in range(6))


def test_a_piece_starts_on_a_line_after_an_empty_line_outside_any_boneyard() -> None:
    source = b"INT. A - DAY\n\n/* x\n\nINT. B - DAY\n\n*/\n\nINT. C - DAY\n\nKey: v\n\n# Ep: 2\n"
    starts = _piece_starts(source, EVERY_CUT)
    assert [source[start:].split(b"\n", 1)[0] for start in starts] == [
        b"INT. A - DAY",
        b"INT. C - DAY",
        b"# Ep: 2",
    ]
    assert_same_outline(source)


def test_no_piece_opens_with_what_the_grammar_skips() -> None:
    # after a boneyard alone a piece would still be at the start of a document: ``Key: v``
    # would open a title page there, while it is action after the title page before it
    source = "Title: T\n\n/* x */\nKey: v\n\n\ufeff/* y */\nKey: w\n".encode()
    assert _piece_starts(source, EVERY_CUT) == [0]
    assert_same_outline(source)


def test_a_syntax_error_in_a_piece_reads_the_whole_parse() -> None:
    clean_source = SCENES.encode()
    assert len(assert_same_outline(clean_source).runs) > 1
    with_error = (SCENES + ">\\<\n\n" + SCENES).encode()
    assert new_parser().parse(with_error).root_node.has_error
    assert len(assert_same_outline(with_error).runs) == 1  # one run: one query of one tree


def test_a_long_series_is_read_in_pieces_of_about_the_length_asked() -> None:
    source = (SCENES * 2000).encode()
    starts = _piece_starts(source, 1 << 15)
    lengths = [end - start for start, end in pairwise(starts)]
    # each piece ends at the first place one may start after 32 KB: a line or two further on
    assert len(lengths) >= 10 and all((1 << 15) < length < (1 << 15) + 40 for length in lengths)
    assert all(source[start - 2 : start] == b"\n\n" for start in starts[1:])
    assert len(assert_same_outline(source).runs) >= len(starts)

"""Any input parses without an exception, in time linear in its size.

Invalid UTF-8 is decoded with replacement characters and counted by the text reader;
NUL bytes, huge files, a huge single line, mixed line endings and long runs of unclosed markup
all give a tree. The time limits are loose enough for a slow CI machine and tight enough to catch
a scanner that rescans to the end of the input at every opener.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tree_sitter import Parser

from scriptlens import parse
from scriptlens.fountain.parser import LANGUAGE, parse_file
from scriptlens.fountain.text_reader import decode

SCENE = """INT. HOSPITAL CORRIDOR - NIGHT #{n}#

SU QING walks fast, *soaked*. A NURSE follows. [[check: rain continuity]]

NURSE (O.S.)
(calling)
Miss Su! Your **umbrella**!
{two_spaces}
Miss Su!

SU QING ^
Keep it.

/* cut for time:
She turns back.
*/

~Rain, rain

CUT TO:

"""


def scene(n: int) -> str:
    """One scene numbered ``n``; a line of two spaces keeps its dialogue going."""
    return SCENE.format(n=n, two_spaces="  ")


def timed_parse(data: bytes) -> float:
    start = time.perf_counter()
    tree = Parser(LANGUAGE).parse(data)
    elapsed = time.perf_counter() - start
    assert tree.root_node.end_byte == len(data)
    return elapsed


def test_invalid_utf8_is_replaced_and_counted(tmp_path: Path) -> None:
    data = b"INT. ROOM - DAY\n\nBOB\nCaf\xe9 \xff\xfe ok.\n"
    source = decode(data)
    assert source.invalid is not None and source.invalid.count == 3
    assert (source.invalid.first.line, source.invalid.first.character) == (3, 3)
    assert "\ufffd" in source.text
    path = tmp_path / "latin1.fountain"
    path.write_bytes(data)
    script = parse_file(path)
    assert [e.type for e in script.elements] == ["scene_heading", "character", "dialogue"]
    assert timed_parse(data) < 1


def test_valid_utf8_reports_no_decode_errors(tmp_path: Path) -> None:
    path = tmp_path / "ok.fountain"
    path.write_bytes("\ufeffÉLODIE\nBonjour.\n".encode())
    assert decode(path.read_bytes()).invalid is None
    script = parse_file(path)
    assert script.dialogue[0].speaker == "ÉLODIE"


def test_nul_bytes_are_text() -> None:
    data = b"Hello\x00there.\n\nBOB\x00\nHi\x00.\n\n\x00\x00\n"
    assert not Parser(LANGUAGE).parse(data).root_node.has_error
    script = parse(data.decode())
    assert [e.type for e in script.elements] == ["action", "character", "dialogue", "action"]


def test_mixed_line_endings_parse_like_lf() -> None:
    lf = scene(1)
    mixed = "".join(
        line + ("\r\n" if i % 3 == 0 else "\r\r\n" if i % 7 == 0 else "\n")
        for i, line in enumerate(lf.split("\n"))
    )
    tree = Parser(LANGUAGE).parse(mixed.encode())
    assert tree.root_node.end_byte == len(mixed.encode())
    crlf_and_lf = "".join(
        line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lf.split("\n"))
    )
    assert str(Parser(LANGUAGE).parse(crlf_and_lf.encode()).root_node) == str(
        Parser(LANGUAGE).parse(lf.encode() + b"\n").root_node
    )
    assert parse(mixed).scenes


def test_ten_megabyte_series_parses_in_time() -> None:
    scenes = []
    size = 0
    n = 0
    while size < 10_000_000:
        n += 1
        scenes.append(scene(n))
        size += len(scenes[-1])
    data = "".join(scenes).encode()
    assert timed_parse(data) < 10
    assert not Parser(LANGUAGE).parse(data).root_node.has_error


@pytest.mark.parametrize(
    "line",
    [
        b"word " * 200_000,
        b"*" * 1_000_000,
        b"*a " * 333_333,
        b"_" * 1_000_000,
        b"[[" * 500_000,
        b"a /* " * 200_000,
        b"(" * 1_000_000,
        b"\\" * 1_000_000,
        b"#" * 1_000_000,
        b">" * 1_000_000,
        "ДМИТРИЙ ".encode() * 70_000,
    ],
    ids=[
        "words",
        "asterisks",
        "spaced-asterisks",
        "underscores",
        "note-openers",
        "boneyard-openers",
        "parentheses",
        "backslashes",
        "hashes",
        "greater-than",
        "cyrillic",
    ],
)
def test_one_megabyte_single_line_parses_in_time(line: bytes) -> None:
    assert timed_parse(line) < 5


@pytest.mark.parametrize(
    "data",
    [
        b"[[x\n" * 250_000,
        b"/*\n" * 333_333,
        b"BOB\n" * 250_000,
        b"Title: x\n" * 100_000,
        b"Title:\n" + b"  x\n" * 250_000,
        b"\n" * 1_000_000,
        b"BOB\nhi\n" + b"  \n" * 330_000,
        b">a<\n" * 250_000,
        b"a\r" * 500_000,
    ],
    ids=[
        "note-lines",
        "boneyard-lines",
        "cue-lines",
        "title-lines",
        "title-continuations",
        "blank-lines",
        "two-space-lines",
        "centered-lines",
        "bare-cr",
    ],
)
def test_one_megabyte_of_repeated_lines_parses_in_time(data: bytes) -> None:
    assert timed_parse(data) < 5

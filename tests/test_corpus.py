"""Runs the grammar's tree-sitter corpus (``test/corpus/*.txt``) through py-tree-sitter.

``tree-sitter test`` needs the CLI, which CI does not have, so this reads the corpus format the
way the CLI does (headers of ``=``, a divider of ``-``, an optional suffix shared by both, one
trailing line break trimmed from each input) and compares S-expressions. It also checks that the
editor queries compile against the language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from tree_sitter import Language, Parser, Query

from scriptlens import _fountain

GRAMMAR = Path(__file__).resolve().parents[1] / "grammars" / "tree-sitter-fountain"
CORPUS = GRAMMAR / "test" / "corpus"
LANGUAGE = Language(_fountain.language())

HEADER = re.compile(
    rb"^(?P<equals>={3,})(?P<suffix1>[^=\r\n][^\r\n]*)?\r?\n"
    rb"(?P<name>(?:[^=\r\n][^\r\n]*\r?\n)+)"
    rb"={3,}(?P<suffix2>[^=\r\n][^\r\n]*)?\r?\n",
    re.MULTILINE,
)
DIVIDER = re.compile(rb"^-{3,}(?P<suffix>[^-\r\n][^\r\n]*)?\r?\n", re.MULTILINE)
COMMENT = re.compile(r"^\s*;.*$", re.MULTILINE)
FIELD = re.compile(r" \w+: \(")


@dataclass(frozen=True)
class CorpusTest:
    file: str
    name: str
    source: bytes
    expected: str


def normalize(sexp: str) -> str:
    sexp = COMMENT.sub("", sexp)
    return re.sub(r"\s+", " ", sexp.strip()).replace(" )", ")")


def read_corpus(path: Path) -> list[CorpusTest]:
    data = path.read_bytes()
    first = HEADER.search(data)
    suffix = first.group("suffix1") if first else None
    headers = [
        m
        for m in HEADER.finditer(data)
        if m.group("suffix1") == suffix and m.group("suffix2") == suffix
    ]
    tests = []
    for header, following in zip(headers, [*headers[1:], None], strict=True):
        body_end = following.start() if following else len(data)
        dividers = [
            m for m in DIVIDER.finditer(data, header.end(), body_end) if m.group("suffix") == suffix
        ]
        if not dividers:
            continue
        divider = max(dividers, key=lambda m: m.end() - m.start())
        source = data[header.end() : divider.start()]
        source = source[:-1]  # the line break before the divider belongs to the format
        source = source.removesuffix(b"\r")
        tests.append(
            CorpusTest(
                file=path.stem,
                name=header.group("name").decode().strip(),
                source=source,
                expected=normalize(data[divider.end() : body_end].decode()),
            )
        )
    return tests


def all_tests() -> list[CorpusTest]:
    return [test for path in sorted(CORPUS.glob("*.txt")) for test in read_corpus(path)]


TESTS = all_tests()


def sexp_of(source: bytes) -> str:
    return str(Parser(LANGUAGE).parse(source).root_node)


def test_corpus_covers_every_element_family() -> None:
    families = {
        "title_page",
        "scene_heading",
        "action",
        "character",
        "dialogue",
        "parenthetical",
        "lyrics",
        "transition",
        "centered",
        "page_break",
        "section",
        "synopsis",
        "note",
        "boneyard",
        "emphasis",
        "line_endings",
    }
    assert {test.file for test in TESTS} == families
    names = [f"{test.file}::{test.name}" for test in TESTS]
    assert len(names) == len(set(names)), "corpus test names must be unique"


@pytest.mark.parametrize("test", TESTS, ids=[f"{t.file}::{t.name}" for t in TESTS])
def test_corpus(test: CorpusTest) -> None:
    actual = normalize(sexp_of(test.source))
    if not FIELD.search(test.expected):
        actual = re.sub(r" \w+: ", " ", actual)
    assert actual == test.expected


@pytest.mark.parametrize("test", TESTS, ids=[f"{t.file}::{t.name}" for t in TESTS])
def test_crlf_and_bom_parse_like_lf(test: CorpusTest) -> None:
    lf = test.source.replace(b"\r\n", b"\n")
    expected = sexp_of(lf)
    assert sexp_of(lf.replace(b"\n", b"\r\n")) == expected
    assert sexp_of("\ufeff".encode() + lf) == expected


def test_runner_reads_the_corpus_format(tmp_path: Path) -> None:
    text = (
        b"==========\nA: first\n==========\nBOB\nHi.\n\n---\n\n(document)\n\n"
        b"==========\nA: second\n==========\nx\n-----\n; a comment\n(document\n  (action))\n"
    )
    path = tmp_path / "sample.txt"
    path.write_bytes(text)
    first, second = read_corpus(path)
    assert (first.name, first.source, first.expected) == ("A: first", b"BOB\nHi.\n", "(document)")
    assert (second.name, second.source) == ("A: second", b"x")
    assert second.expected == "(document (action))"


@pytest.mark.parametrize("name", ["highlights.scm", "folds.scm"])
def test_query_compiles(name: str) -> None:
    query = Query(LANGUAGE, (GRAMMAR / "queries" / name).read_text())
    assert query.pattern_count > 0


def test_folds_cover_scenes_and_sections() -> None:
    from tree_sitter import QueryCursor

    query = Query(LANGUAGE, (GRAMMAR / "queries" / "folds.scm").read_text())
    source = b"# ACT I\n\nINT. HOUSE - DAY\n\nA house.\n\nBOB\nHi.\n"
    tree = Parser(LANGUAGE).parse(source)
    folded = {
        node.type
        for nodes in QueryCursor(query).captures(tree.root_node).values()
        for node in nodes
    }
    assert {"section", "scene"} <= folded


def test_highlights_capture_every_element() -> None:
    from tree_sitter import QueryCursor

    query = Query(LANGUAGE, (GRAMMAR / "queries" / "highlights.scm").read_text())
    source = (
        b"Title: X\n\n# ACT\n\n= Synopsis\n\nINT. HOUSE - DAY #1#\n\n"
        b"A *b* **c** ***d*** _e_ \\*.\n\n"
        b"BOB (V.O.) ^\n(beat)\nHi [[note]] /* gone */.\n\n~La la\n\n>CENTER<\n\nCUT TO:\n\n===\n"
    )
    tree = Parser(LANGUAGE).parse(source)
    captured = {
        node.type
        for nodes in QueryCursor(query).captures(tree.root_node).values()
        for node in nodes
    }
    for node_type in [
        "title_key",
        "title_value",
        "section_heading",
        "synopsis",
        "scene_heading",
        "scene_number",
        "italic",
        "bold",
        "bold_italic",
        "underline",
        "escape",
        "character_name",
        "character_extension",
        "dual_dialogue_marker",
        "parenthetical",
        "dialogue",
        "note",
        "boneyard",
        "lyrics",
        "centered",
        "transition",
        "page_break",
    ]:
        assert node_type in captured, node_type

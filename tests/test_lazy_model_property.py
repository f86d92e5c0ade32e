"""The lazy model, made chunk by chunk on first use and reused across an open document's
versions, equals the eager model field by field: on every file of the shared corpus, on generated
scripts, and after random edits to an open document."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grammar_support import SHARED_CORPUS
from model_support import assert_same_model
from scriptlens import parse
from scriptlens.fountain.document import Document
from scriptlens.fountain.model import Position
from scriptlens.fountain.text_reader import clean, decode
from test_incremental_property import BASE, SNIPPETS

CORPUS_FILES = sorted(SHARED_CORPUS.rglob("*.fountain")) if SHARED_CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS_FILES, reason=f"shared corpus not found at {SHARED_CORPUS}")
@pytest.mark.parametrize(
    "path", CORPUS_FILES, ids=[str(p.relative_to(SHARED_CORPUS)) for p in CORPUS_FILES]
)
def test_corpus_file_models_equal(path: Path) -> None:
    text = decode(path.read_bytes()).text
    source = clean(text).encode("utf-8", "surrogatepass")
    # in one piece, as parse makes it, and scene by scene, as an open document's model is made
    assert_same_model(parse(text, str(path)), source, str(path))
    assert_same_model(Document(text, str(path)).script, source, str(path))


NAMES = ["BOB", "MARA", "ÉLODIE", "MR. LI", "@李雷", "DMITRI"]
ELEMENTS = st.one_of(
    st.sampled_from(
        [
            "INT. HOUSE - DAY",
            "EXT. ROOF - NIGHT #1A#",
            ".FLASHBACK",
            "INT./EXT. CAR - CONTINUOUS",
            "# Episode 2",
            "# 第3集",
            "## Act Two",
            "> FADE OUT.",
            "CUT TO:",
            ">THE END<",
            "~La la la",
            "= A synopsis.",
            "===",
            "[[return: BOB]]",
            "[[exit: MARA]] [[note]]",
            "/* cut:\nBOB\nNo.\n*/",
            "!FORCED ACTION with A YOUNG NURSE.",
            "  Indented action\n\tand a tab.",
        ]
    ),
    st.builds(
        "{} waits for {}. /* gone */ The {} DOOR opens. [[scriptlens: ignore x]]".format,
        st.sampled_from(NAMES),
        st.sampled_from(NAMES),
        st.sampled_from(["RED", "", "😀"]),
    ),
    st.builds(
        "{}{}{}\n{}{}".format,
        st.sampled_from(NAMES),
        st.sampled_from(["", " (V.O.)", " (CONT'D)"]),
        st.sampled_from(["", " ^"]),
        st.sampled_from(["", "(quietly)\n"]),
        st.sampled_from(["Hi.", "Sign it.\n  \nNow.", "你好 [[aside]]", "Wait /* x */ here."]),
    ),
)
SCRIPTS = st.builds(
    lambda title, elements, crlf: (title + "\n\n".join(elements) + "\n").replace(
        "\n", "\r\n" if crlf else "\n"
    ),
    st.sampled_from(["", "Title: Twins\nEpisode: 4\nAuthor: A\n\n"]),
    st.lists(ELEMENTS, max_size=14),
    st.booleans(),
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(text=SCRIPTS, path=st.sampled_from([None, "series/ep07.fountain"]))
def test_generated_script_models_equal(text: str, path: str | None) -> None:
    source = clean(text).encode("utf-8", "surrogatepass")
    assert_same_model(parse(text, path), source, path)
    assert_same_model(Document(text, path).script, source, path)


# Many scenes and episodes, so that an edit leaves most chunks to be reused.
LONG = BASE + "".join(
    f"{'# Episode ' + str(n // 4 + 1) + chr(10) * 2 if n % 4 == 0 else ''}"
    f"INT. ROOM {n} - DAY\n\nBOB enters. MARA {n} follows.\n\nBOB\nLine {n}.\n\n"
    for n in range(12)
)


@st.composite
def document_edits(draw: st.DrawFn) -> list[tuple[float, int, int, str]]:
    """Up to five edits: which line (a fraction of them), the column, how many characters go
    (across lines too), and what comes."""
    inserted = st.lists(st.sampled_from(SNIPPETS), max_size=3).map("".join) | st.text(max_size=4)
    one = st.tuples(st.floats(0, 1), st.integers(0, 8), st.integers(0, 30), inserted)
    return draw(st.lists(one, min_size=1, max_size=5))


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(base=st.sampled_from([LONG, LONG.replace("\n", "\r\n")]), steps=document_edits())
def test_edited_document_models_equal(base: str, steps: list[tuple[float, int, int, str]]) -> None:
    document = Document(base, "series/ep02.fountain")
    assert_same_model(document.script, document.source, document.path)
    for where, column, removed, inserted in steps:
        lines = document.text.split("\n")
        line = min(int(where * len(lines)), len(lines) - 1)
        start = min(column, len(lines[line]))
        text = document.text
        offset = sum(len(earlier) + 1 for earlier in lines[:line]) + start
        rest = text[offset : offset + removed]
        end = Position(
            line + rest.count("\n"),
            len(rest.rsplit("\n", 1)[-1]) + (start if "\n" not in rest else 0),
        )
        document.apply_change(Position(line, start), end, inserted)
        assert_same_model(document.script, document.source, document.path)


def test_an_edit_in_one_scene_reuses_the_others() -> None:
    document = Document(LONG)
    old = {id(element) for element in document.script.elements}  # made before the edit
    room = document.text.split("\n").index("INT. ROOM 5 - DAY")
    document.apply_change(Position(room + 2, 0), Position(room + 2, 0), "Slowly, ")
    after = document.script
    assert_same_model(after, document.source)
    remade = [element for element in after.elements if id(element) not in old]
    # the edited scene's heading, action, cue and line; every other element is the old object
    assert [element.type for element in remade] == [
        "scene_heading",
        "action",
        "character",
        "dialogue",
    ]
    assert remade[1].text.startswith("Slowly, BOB enters.")


def test_a_long_script_read_in_several_runs_equals_the_eager_model() -> None:
    text = "\n".join([LONG] * 60)  # over 100 KB: the tree is read by several queries
    script = parse(text, "series/ep02.fountain")
    assert len(script.builder.outline.runs) > 1  # type: ignore[attr-defined]
    assert_same_model(script, text.encode(), "series/ep02.fountain")

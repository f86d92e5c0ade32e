"""Issue 12, "Also": fuzzing with hypothesis. Random bytes and grammar-aware Fountain through the
parser, the model, the continuity engine and the signal importers: nothing raises but the
user's errors, every range stays inside its document, and an incrementally edited document
equals a fresh parse. The frame reader takes random streams.

CI runs a bounded budget; ``python bench/fuzz.py`` runs the same properties for longer
(``SCRIPTLENS_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scriptlens.continuity.diagnostics import Diagnostic
from scriptlens.continuity.engine import check_texts
from scriptlens.fountain import utf16
from scriptlens.fountain.document import Document
from scriptlens.fountain.model import Position, Range, Script
from scriptlens.fountain.parser import parse
from scriptlens.fountain.text_reader import decode
from scriptlens.lsp.framing import Body, FrameReader
from scriptlens.signals import ImportOptions, SignalsError, import_signals, open_store
from scriptlens.signals.rows import Defaults

EXAMPLES = int(os.environ.get("SCRIPTLENS_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces of Fountain, markup and the text around it, as writers and exports mix them.
PIECES = [
    "INT. OFFICE - DAY",
    "EXT. ROOF - NIGHT #12#",
    ".OPENING",
    "MR. LI",
    "SU QING (V.O.)",
    "SU QING (CONT'D)",
    "BRICK ^",
    "@McCLANE",
    "(quietly)",
    "You're late again.",
    "Nobody saw me.",
    "苏晴",
    "苏晴\n我来了。",
    "ÉLODIE",
    "Café 😀 咖啡",
    "CUT TO:",
    "> THE END <",
    ">FADE OUT.",
    "# Episode 2",
    "## Act One",
    "= A synopsis.",
    "[[note: keep]]",
    "[[signal: t0bf7ee12ecaf]]",
    "/* cut",
    "*/",
    "~La la la",
    "===",
    "Title: The Pier",
    "Episode: 3",
    "*bold* _under_ **strong**",
    "  ",
    "\t",
    "\r",
    "\ufeff",
    "\u202e",
    "\x00",
    "\x1b[31m",
    "",
]

fountain = st.lists(st.sampled_from(PIECES) | st.text(max_size=12), max_size=40).map("\n".join)
# Without carriage returns: an edit that ends between a CR and its LF leaves a lone CR that a
# fresh read turns into a line break (docs/reliability.md, "found").
without_cr = fountain.map(lambda text: text.replace("\r", ""))


def in_document(text: str, span: Range) -> bool:
    lines = text.split("\n")

    def inside(position: Position) -> bool:
        return 0 <= position.line < len(lines) and 0 <= position.character <= utf16.units(
            lines[position.line]
        )

    return (
        inside(span.start)
        and inside(span.end)
        and (span.start.line, span.start.character)
        <= (
            span.end.line,
            span.end.character,
        )
    )


def assert_model_inside(script: Script, text: str) -> None:
    for element in script.elements:
        assert in_document(text, element.range), element
    for scene in script.scenes:
        assert in_document(text, scene.range), scene
    for introduction in script.introductions:
        assert in_document(text, introduction.range), introduction
    for note in script.notes:
        assert in_document(text, note.range), note


@FUZZ
@given(data=st.binary(max_size=2_000))
def test_random_bytes_parse_into_a_model_inside_the_document(data: bytes) -> None:
    text = decode(data).text
    assert_model_inside(parse(text, path="fuzz.fountain"), text)


@FUZZ
@given(text=fountain)
def test_fountain_pieces_parse_into_a_model_inside_the_document(text: str) -> None:
    text = decode(text.encode("utf-8", "surrogatepass")).text
    assert_model_inside(parse(text, path="fuzz.fountain"), text)


@FUZZ
@given(
    text=without_cr,
    edits=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60), without_cr), max_size=5),
)
def test_an_edited_document_equals_a_fresh_parse(
    text: str, edits: list[tuple[int, int, str]]
) -> None:
    document = Document(decode(text.encode("utf-8", "surrogatepass")).text, "fuzz.fountain")
    for line, column, inserted in edits:
        lines = document.text.split("\n")
        line = min(line, len(lines) - 1)
        column = utf16.column(lines[line], min(column, len(lines[line])))
        # replace up to the start of the next line: edits across a line break on purpose
        end = Position(line + 1, 0) if line + 1 < len(lines) else Position(line, column)
        document.apply_change(Position(line, column), end, inserted)
    fresh = Document(document.text, "fuzz.fountain")
    assert str(document.tree.root_node) == str(fresh.tree.root_node)
    assert document.script.elements == fresh.script.elements
    assert_model_inside(document.script, document.text)


def assert_diagnostics_inside(
    found: list[Diagnostic], texts: dict[str, str], baseline: dict[str, str]
) -> None:
    """Diagnostics lie in the current texts; a related location may also point into the
    baseline's text of its file ("… was introduced here (baseline)")."""
    for diagnostic in found:
        assert in_document(texts[diagnostic.file], diagnostic.range), diagnostic
        for related in diagnostic.related:
            versions = (texts[related.file], baseline.get(related.file, ""))
            assert any(in_document(text, related.range) for text in versions), related


@FUZZ
@given(first=fountain, second=fountain, baseline=fountain)
@example(first="", second="INT. OFFICE - DAY", baseline="(quietly)\nINT. OFFICE - DAY")
def test_the_continuity_engine_never_raises_and_stays_inside(
    first: str, second: str, baseline: str
) -> None:
    texts = {
        "ep01.fountain": decode(first.encode("utf-8", "surrogatepass")).text,
        "ep02.fountain": decode(second.encode("utf-8", "surrogatepass")).text,
    }
    before = {**texts, "ep01.fountain": decode(baseline.encode("utf-8", "surrogatepass")).text}
    assert_diagnostics_inside(check_texts(texts, before), texts, before)


EXPORT_HEADS = [
    b"id,text,author,likes,episode,posted_at,video_time,kind\n",
    b'{"id": "1", "text": "hi", "episode": 1}\n',
    b'<?xml version="1.0"?><i><d p="1.5,1,25,16777215,1700000000,0,abc,1">',
    b'{"items": [{"snippet": {"topLevelComment": {"snippet": {"textOriginal": "x"}}}}]}',
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"",
]


@FUZZ
@given(
    head=st.sampled_from(EXPORT_HEADS),
    body=st.binary(max_size=600)
    | st.lists(
        st.sampled_from([b",", b"\n", b'"', b"1", b"lots", b"\xe4\xb8\x87", b"<d p=", b"{"])
    ).map(b"".join),
    skip_invalid=st.booleans(),
)
def test_importers_raise_only_the_users_errors(
    head: bytes, body: bytes, skip_invalid: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        export = root / "export.csv"
        export.write_bytes(head + body)
        options = ImportOptions(defaults=Defaults(episode=1), skip_invalid=skip_invalid)
        try:
            with open_store(root / ".scriptlens" / "signals.db", root / ".scriptlens") as store:
                import_signals(store, [export], options)
        except SignalsError:
            pass


@FUZZ
@given(
    messages=st.lists(st.binary(min_size=1, max_size=80), max_size=6),
    junk=st.lists(st.binary(max_size=40), max_size=6),
    cuts=st.lists(st.integers(1, 64), max_size=12),
)
def test_frames_survive_junk_between_them(
    messages: list[bytes], junk: list[bytes], cuts: list[int]
) -> None:
    """Junk between well-formed frames costs at most the frame right after it."""
    stream = b""
    for index, body in enumerate(messages):
        stream += junk[index] if index < len(junk) else b""
        stream += b"Content-Length: %d\r\n\r\n" % len(body) + body
    reader = FrameReader()
    events = []
    position = 0
    for cut in [*cuts, len(stream)]:
        events += reader.feed(stream[position : position + cut])
        position += cut
    events += reader.feed(stream[position:]) + reader.stalled()
    bodies = [event.data for event in events if isinstance(event, Body)]
    clean = [body for index, body in enumerate(messages) if not (index < len(junk) and junk[index])]
    for body in clean:
        if b"Content-Length:" not in body:
            assert body in bodies

"""Parsing Fountain: bytes to text, text to a tree-sitter tree, the tree to a ``Script``.

``parse`` keeps what the tree says in compact form (an ``Outline``: each model node's kind and
bytes, read from the trees of pieces of the source parsed one after the other) and the
``Script`` makes its elements, ranges, scenes and the rest from it the first time one of them is
asked for, all at once and then cached, so every caller sees the same complete model. It is made
scene by scene: a new version of an edited document reuses the scenes the edit did not touch
(``build_script``'s ``previous``).
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import accumulate, pairwise, repeat
from operator import add, attrgetter, itemgetter, neg
from pathlib import Path
from typing import Any

from tree_sitter import Language, Node, Parser, Point, Query, QueryCursor, Tree
from tree_sitter import Range as IncludedRange

from scriptlens import _fountain
from scriptlens.fountain import timing, utf16
from scriptlens.fountain.model import (
    Dialogue,
    Element,
    ElementType,
    Episode,
    Introduction,
    MovableFact,
    Note,
    Position,
    Range,
    Scene,
    Script,
    ScriptParts,
)
from scriptlens.fountain.text_reader import clean, read_source
from scriptlens.text_facts import cue_key

LANGUAGE = Language(_fountain.language())

_SCENE_NUMBER = re.compile(r"\s*#[^#\s]+#\s*$")
_SETTING = re.compile(r"^(INT\.?/EXT|EXT\.?/INT|I/E|INT|EXT|EST)[.\s]\s*", re.IGNORECASE)
_EPISODE_SECTION = re.compile(r"^\s*(?:episode|ep\.?)\s*(\d+)|第\s*(\d+)\s*[集话話]", re.IGNORECASE)
_NOTE = re.compile(r"\[\[.*?\]\]", re.DOTALL)
# "A YOUNG NURSE enters": the article introduces the character, it is not part of the name
_ARTICLE = re.compile(r"(?:A|AN|THE) (?=\S)")
_TWO_LETTERS = re.compile(r"[^\W\d_].*[^\W\d_]")
_FILE_NUMBER = re.compile(r"(\d+)(?!.*\d)")
_NOTE_KEY_VALUE = re.compile(r"^\s*([^\s:][^:\n]{0,40}?)\s*:\s*(.*?)\s*$", re.DOTALL)


def new_parser() -> Parser:
    return Parser(LANGUAGE)


def parse_file(path: Path | str) -> Script:
    """A script file's model, its bytes read by the one text reader."""
    return parse(read_source(Path(path)).text, str(path))


def parse(text: str, path: str | None = None) -> Script:
    """Parse Fountain ``text`` into a complete ``Script``."""
    source = clean(text).encode("utf-8", "surrogatepass")
    return Script(path, _Parts(read_outline(source), path, [], False))


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to an edited document: the bytes ``start..old_end`` became ``start..new_end``,
    and tree-sitter's ``changed`` byte ranges (in the new text) are where the tree's structure
    differs."""

    start: int
    old_end: int
    new_end: int
    changed: tuple[tuple[int, int], ...]


def build_script(
    tree: Tree,
    source: bytes,
    path: str | None = None,
    previous: Script | None = None,
    *,
    edited: bool = False,
    edits: tuple[Edit, ...] = (),
) -> Script:
    """The model of an already parsed ``tree`` over ``source``. An ``edited`` document's model
    (the language server's, over its incrementally updated tree) is made scene by scene, reusing
    the scenes of ``previous``, the model of the version before, that an edit left alone; when
    ``previous`` was made and one edit (of ``edits``) lies between them, only the nodes around
    the edit are read from the tree. Any other model is made in one piece, which is cheaper when
    nothing will be reused."""
    earlier = previous.builder if previous is not None else None
    if isinstance(earlier, _Parts) and len(edits) == 1:
        around = _around_edit(earlier, edits[0], tree, source)
        if around is not None:
            return Script(path, around)
    outline = Outline(source)
    with _collector_paused():  # a node object per capture, gone right after
        outline.read_tree(tree.root_node)
        outline.marks.sort()
    reusable = earlier.reusable() if isinstance(earlier, _Parts) else []
    return Script(path, _Parts(outline, path, reusable, edited))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The model is many small objects without cycles: letting the cyclic garbage collector
    rescan them while they are made costs a quarter of the time on a long series and finds
    nothing to collect."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def line_starts(lines: list[bytes], first: int = 0) -> list[int]:
    """The byte offset where each of ``lines``, a source split at ``\\n`` from byte ``first``
    on, starts."""
    return list(accumulate(map(add, map(len, lines), repeat(1)), initial=first))[:-1]


class Positions:
    """Converts byte offsets into LSP positions (0-based line, UTF-16 column).

    Byte offsets are cheap to read off a node, and byte and UTF-16 columns agree on every line
    without non-ASCII text, which is most lines: only those rows pay for a conversion. It knows
    the bytes ``start..end`` of ``source`` only, ``start`` being the start of line ``row``: a
    chunk of the model needs no more."""

    def __init__(self, source: bytes, start: int = 0, end: int | None = None, row: int = 0):
        self.source = source
        self.row = row
        window = source[start:end]
        lines = window.split(b"\n")
        self.line_starts = line_starts(lines, start)  # by row counted from ``row``
        self.wide_rows: frozenset[int] = frozenset()
        if not window.isascii():
            self.wide_rows = frozenset(row for row, line in enumerate(lines) if not line.isascii())

    def _utf16_column(self, row: int, offset: int) -> int:
        start = self.line_starts[row]
        return utf16.units(self.source[start:offset].decode("utf-8", "replace"))

    def at(self, offset: int) -> Position:
        return self.range(offset, offset).start

    def range(self, start: int, end: int) -> Range:
        """The range of the bytes ``start..end``."""
        starts = self.line_starts
        first = bisect_right(starts, start) - 1
        last = bisect_right(starts, end, first) - 1
        start_column = start - starts[first]
        end_column = end - starts[last]
        wide = self.wide_rows
        if wide:
            if start_column and first in wide:
                start_column = self._utf16_column(first, start)
            if end_column and last in wide:
                end_column = self._utf16_column(last, end)
        return Range(
            Position(first + self.row, start_column), Position(last + self.row, end_column)
        )


def _upper_class() -> str:
    """A regex character class of every upper-case letter in the Basic Multilingual Plane."""
    ranges: list[list[int]] = []
    for code in range(0x10000):
        if chr(code).isupper():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


_UPPER = _upper_class()
_CAPS_WORD = rf"[{_UPPER}][{_UPPER}\d'’.\-]*"
# A run of ALL-CAPS words, whole words only, with at least two capitals in it.
_CAPS_RUN = re.compile(
    rf"(?<![\w'’])"
    rf"{_CAPS_WORD}(?: {_CAPS_WORD})*(?![\w'’])"
)


def capitalised_names(text: str) -> Iterable[tuple[str, int, int]]:
    """Runs of ALL-CAPS words in action text, the screenplay convention for a character's first
    appearance: each name with its line within ``text`` and its start index on that line."""
    if "[[" in text:  # a name inside a note is no mention: blank the notes, keeping offsets
        text = _NOTE.sub(lambda note: re.sub(r"[^\n]", " ", note.group()), text)
    for offset, line in enumerate(text.split("\n")):
        for match in _CAPS_RUN.finditer(line):
            name = match.group().rstrip(".-")
            if name.endswith(("'S", "’S")):
                name = name[:-2]
            article = _ARTICLE.match(name)
            skipped = article.end() if article else 0
            name = name[skipped:]
            if _TWO_LETTERS.search(name):
                yield name, offset, match.start() + skipped


_MODEL_NODE_KINDS = (
    "title_page",
    "title_key",
    "title_value",
    "section_heading",
    "scene_heading",
    "action",
    "transition",
    "centered",
    "lyrics",
    "synopsis",
    "page_break",
    "dialogue_block",
    "character",
    "character_name",
    "character_extension",
    "dual_dialogue_marker",
    "parenthetical",
    "dialogue",
    "note",
    "boneyard",
)
# Scene and section nodes are no elements: they mark where the model's chunks may start.
_MODEL_NODES = Query(
    LANGUAGE,
    "[" + " ".join(f"({kind})" for kind in _MODEL_NODE_KINDS) + "] @node [(scene) (section)] @mark",
)


def _kind_id(kind: str) -> int:
    found = LANGUAGE.id_for_node_kind(kind, True)
    if found is None:
        raise RuntimeError(f"the Fountain grammar has no {kind} node")
    return found


_KIND = {kind: _kind_id(kind) for kind in _MODEL_NODE_KINDS}
TITLE_PAGE = _KIND["title_page"]
TITLE_KEY = _KIND["title_key"]
TITLE_VALUE = _KIND["title_value"]
SECTION_HEADING = _KIND["section_heading"]
SCENE_HEADING = _KIND["scene_heading"]
ACTION = _KIND["action"]
TRANSITION = _KIND["transition"]
CENTERED = _KIND["centered"]
LYRICS = _KIND["lyrics"]
SYNOPSIS = _KIND["synopsis"]
PAGE_BREAK = _KIND["page_break"]
DIALOGUE_BLOCK = _KIND["dialogue_block"]
CHARACTER = _KIND["character"]
CHARACTER_NAME = _KIND["character_name"]
CHARACTER_EXTENSION = _KIND["character_extension"]
DUAL_DIALOGUE_MARKER = _KIND["dual_dialogue_marker"]
PARENTHETICAL = _KIND["parenthetical"]
DIALOGUE = _KIND["dialogue"]
NOTE = _KIND["note"]
BONEYARD = _KIND["boneyard"]
_PARENTS = {TITLE_PAGE, ACTION, DIALOGUE_BLOCK, CHARACTER}
# the sort key's third part: a parent comes before a child with the very same bytes
_IS_CHILD = {kind: kind not in _PARENTS for kind in _KIND.values()}
_KIND_ID = attrgetter("kind_id")
_START = attrgetter("start_byte")
_END = attrgetter("end_byte")
_NEGATIVE_END = itemgetter(1)


# (start byte, minus end byte, is a child, kind id): sorting these gives document order
Span = tuple[int, int, bool, int]

# Bytes of top-level nodes one query reads: a large tree read in one go costs half as much
# again per byte, its nodes no longer staying in the processor's caches between the query and
# the reading of their spans.
_BATCH = 1 << 16


class Outline:
    """What the parse found, in compact form: each model node's kind id and its bytes, in three
    parallel lists, and where the scene and section nodes start. Queries read them off the tree
    in runs (``runs``: where each run ends in the lists), each run's nodes before the next's,
    though not in document order within a run: the model sorts them when it is made."""

    __slots__ = ("ends", "kinds", "marks", "runs", "source", "starts")

    def __init__(self, source: bytes):
        self.source = source
        self.kinds: list[int] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.marks: list[int] = []
        self.runs: list[int] = []

    def read(self, root: Node, start: int, end: int) -> None:
        """Adds the nodes that overlap the bytes ``start..end``, as one run."""
        cursor = QueryCursor(_MODEL_NODES)
        cursor.set_byte_range(start, end)
        captured = cursor.captures(root)
        nodes = captured.get("node", [])
        self.kinds += map(_KIND_ID, nodes)
        self.starts += map(_START, nodes)
        self.ends += map(_END, nodes)
        self.marks += map(_START, captured.get("mark", []))
        self.runs.append(len(self.kinds))

    def read_tree(self, root: Node) -> None:
        """Every node of the tree under ``root`` the model is built from, read by queries, never
        walking the tree node by node from Python: one query per run of top-level nodes about
        ``_BATCH`` bytes long (they never overlap, so no node is read twice). The marks are left
        for the caller to sort once every tree is read."""
        children = root.children
        first = 0
        while first < len(children):
            begin = children[first].start_byte
            last = first
            while last + 1 < len(children) and children[last + 1].end_byte - begin <= _BATCH:
                last += 1
            self.read(root, begin, children[last].end_byte)
            first = last + 1

    def spans(self) -> list[Span]:
        """The nodes in document order, a parent before a child with the very same bytes."""
        found: list[Span] = []
        begin = 0
        for end in self.runs:
            found += sorted(
                zip(
                    self.starts[begin:end],
                    map(neg, self.ends[begin:end]),
                    map(_IS_CHILD.__getitem__, self.kinds[begin:end]),
                    self.kinds[begin:end],
                    strict=False,  # four lists of one length
                )
            )
            begin = end
        return found


# Bytes of source ``parse`` hands tree-sitter at a time. Parsing a long script whole makes a
# tree many times the size of the processor's caches, and the parse and the reading of the tree
# both slow down per byte as it grows (a fifth between 200 KB and 10 MB); pieces this long are
# parsed, read and let go one after the other in memory that stays in the caches.
_PIECE = 1 << 15
# An empty line, then a line that opens a section, or that has no colon and opens with neither a
# boneyard nor a byte-order mark: see ``_piece_starts``.
_PIECE_START = re.compile(rb"\n\r?\n(?=#|(?!/|\xef\xbb\xbf)[^\s:][^:\n]*(?![^\n]))")


def _piece_starts(source: bytes, piece: int) -> list[int]:
    """Where ``source`` is cut into pieces of about ``piece`` bytes, each parsed into the very
    nodes a parse of the whole source has there. A piece starts after an empty line, where every
    element has ended and past which the scanner looks no further than the next line's first
    character (a note stops at an empty line); where no boneyard is open (the last ``/*``
    before it closes before it: one that reached past would be cut short); and on a line that
    reads the same at the start of a document: one that opens a section, or that has no colon
    and so cannot open a title page, and does not open with what the grammar skips (a boneyard,
    a byte-order mark), after which a title page could still open."""
    starts = [0]
    searched = 0  # the last ``/*`` before this byte closes before the last start found
    found = _PIECE_START.search(source, piece)
    while found is not None:
        start = found.end()
        opener = source.rfind(b"/*", searched, start)
        if opener == -1 or source.find(b"*/", opener + 2, start) != -1:
            starts.append(start)
            searched = start
            found = _PIECE_START.search(source, start + piece)
            continue
        closer = source.find(b"*/", opener + 2)
        if closer == -1:
            break
        searched = opener + 1
        found = _PIECE_START.search(source, closer + 2)
    return starts


def read_outline(source: bytes, piece: int = _PIECE) -> Outline:
    """The outline of ``source``, parsed piece by piece (``_piece_starts``): each piece's tree,
    over its bytes of the whole source (so its nodes' offsets are the source's), is read before
    the next piece is parsed. A syntax error in a piece sends the whole source to one parse, as
    tree-sitter's error recovery may look past where the piece ends."""
    outline = Outline(source)
    parser = new_parser()
    starts = _piece_starts(source, piece)
    with _collector_paused():  # a node object per capture, gone right after
        if len(starts) == 1:
            outline.read_tree(parser.parse(source).root_node)
        else:
            row = 0
            for start, end in pairwise([*starts, len(source)]):
                rows = source.count(b"\n", start, end)
                column = end - max(start, source.rfind(b"\n", start, end) + 1)
                at_end = Point(row + rows, column)
                parser.included_ranges = [IncludedRange(Point(row, 0), at_end, start, end)]
                root = parser.parse(source).root_node
                if root.has_error:
                    outline = Outline(source)
                    outline.read_tree(new_parser().parse(source).root_node)
                    break
                outline.read_tree(root)
                row += rows
        outline.marks.sort()
    return outline


# -- what an element's text says, shared by every builder ------------------------------------


def scene_heading_parts(
    raw: str,
) -> tuple[str, str | None, str, str | None, str | None]:
    """A scene heading's text (without the forcing ``.`` and the ``#1A#`` number), its setting,
    location, time of day and number."""
    number = None
    if raw.endswith("#") and (match := _SCENE_NUMBER.search(raw)):
        number = match.group().strip().strip("#")
        raw = raw[: match.start()].rstrip()
    text = raw[1:] if raw.startswith(".") and not raw.startswith("..") else raw
    setting_match = _SETTING.match(text)
    setting = None
    rest = text
    if setting_match:
        setting = setting_match.group(1).upper().replace("./", "/")
        rest = text[setting_match.end() :]
    location, _, time_of_day = rest.rpartition(" - ")
    if not location:
        location, time_of_day = rest, ""
    return text, setting, location.strip(), time_of_day.strip() or None, number


def note_key_value(body: str) -> tuple[str | None, str | None]:
    """A note's ``key: value``, when it reads so."""
    match = _NOTE_KEY_VALUE.match(body)
    return (match.group(1).strip(), match.group(2)) if match else (None, None)


def episode_section_number(level: int, title: str) -> int | None:
    """The episode a top-level section such as ``# Episode 4`` or ``# 第4集`` opens."""
    if level == 1 and (match := _EPISODE_SECTION.search(title)):
        return int(match.group(1) or match.group(2))
    return None


def file_episode_number(title_page: dict[str, str], path: str | None) -> int | None:
    """A file's episode: its title page's ``Episode:``, else the last number in its name."""
    declared = title_page.get("episode", "").strip()
    if declared.isdigit():
        return int(declared)
    if path:
        match = _FILE_NUMBER.search(Path(path).stem)
        if match:
            return int(match.group(1))
    return None


def simple_element(kind: int, raw: str) -> tuple[ElementType, str, float] | None:
    """The type, text and seconds of a one-node element without parts (``raw`` stripped)."""
    if kind == TRANSITION:
        return "transition", raw.removeprefix(">").strip(), 0.0
    if kind == CENTERED:
        return "centered", raw[1:-1].strip(), 0.0
    if kind == LYRICS:
        text = raw.removeprefix("~").strip()
        return "lyrics", text, timing.spoken_seconds(text)
    if kind == SYNOPSIS:
        return "synopsis", raw.removeprefix("=").strip(), 0.0
    if kind == PAGE_BREAK:
        return "page_break", raw, 0.0
    return None


# -- the model, one chunk at a time ----------------------------------------------------------


@dataclass(slots=True)
class _Context:
    """What a chunk's model depends on besides its own bytes and nodes."""

    row: int  # the line it starts on
    scenes_before: int
    section_title: str | None  # the section it stands in


@dataclass(slots=True)
class _Chunk:
    """The model of a run of elements that starts a line: the text before the first scene or
    section, a scene, or a section's heading and the elements under it before its first scene."""

    content: bytes
    spans: list[Span]  # its nodes, as they were when it was made or moved
    base: int  # the byte it started at then
    context: _Context
    elements: list[Element]
    scenes: list[Scene]  # one, but for chunks that could not be cut
    dialogue: list[Dialogue]
    notes: list[Note]
    title_page: dict[str, str]
    episode_sections: list[tuple[int, str, Position]]
    section_title: str | None  # the section the next chunk stands in
    introductions: list[Introduction]  # the first mention of each name in this chunk
    memo: dict[str, Any] = field(default_factory=dict)
    shape: list[Span] | None = None  # its nodes, bytes counted from its start, once asked for

    def has_nodes(self, spans: list[Span], base: int) -> bool:
        """Whether ``spans``, in a chunk starting at byte ``base``, are this chunk's nodes."""
        if len(spans) != len(self.spans):
            return False
        if base == self.base:
            return spans == self.spans
        if self.shape is None:
            self.shape = _shape(self.spans, self.base)
        return _shape(spans, base) == self.shape


def _shape(spans: list[Span], base: int) -> list[Span]:
    return [(start - base, end + base, child, kind) for start, end, child, kind in spans]


def _chunk_spans(
    spans: list[Span], source: bytes, marks: list[int], title_start: int | None, first: int = 0
) -> list[tuple[int, list[Span]]]:
    """The spans in document order cut into chunks, each with the byte it starts at. A chunk
    starts where a scene or section node (``marks``) starts with its heading, at the start of a
    line, after every node before it has ended, so that the streaming state never crosses a cut.
    The builder finishes only the last title page: when one (starting at ``title_start``)
    stands anywhere but in the first chunk, nothing is cut. The spans start at byte ``first``."""
    cuts, bases = [0], [first]
    for start in marks:
        at = bisect_left(spans, (start,))  # the first node starting there
        if at in (cuts[-1], len(spans)) or (start and source[start - 1] != 10):
            continue
        opening = spans[at]
        if opening[0] != start or opening[3] not in (SCENE_HEADING, SECTION_HEADING):
            continue
        if -min(map(_NEGATIVE_END, spans[cuts[-1] : at])) <= start:
            cuts.append(at)
            bases.append(start)
    if title_start is not None and len(bases) > 1 and title_start >= bases[1]:
        return [(first, spans)]
    cuts.append(len(spans))
    return [(base, spans[cuts[i] : cuts[i + 1]]) for i, base in enumerate(bases)]


class _Block:
    """A dialogue block while its nodes stream in."""

    def __init__(self, end: int):
        self.end = end
        self.cue: Element | None = None
        self.extensions: list[str] = []
        self.parentheticals: list[Element] = []
        self.lines: list[Element] = []
        self.run: tuple[int, int] | None = None  # bytes of consecutive dialogue lines


class _TitlePage:
    """The title page while its keys and values stream in."""

    def __init__(self, element: Element, start: int, end: int):
        self.element = element
        self.start = start
        self.end = end
        self.last = start  # the end of its last key or value
        self.key: str | None = None


class _ChunkBuilder:
    """Streams one chunk's nodes, in document order, parents before their children."""

    def __init__(self, source: bytes, positions: Positions, context: _Context):
        self.source = source
        self.positions = positions
        self.context = context
        self.elements: list[Element] = []
        self.scenes: list[Scene] = []
        self.dialogue: list[Dialogue] = []
        self.notes: list[Note] = []
        self.title_page: dict[str, str] = {}
        self.scene_index: int | None = None
        self.title: _TitlePage | None = None
        self.boneyard_spans: list[tuple[int, int]] = []
        # element index -> the action's text as in the file with its boneyards blanked
        self.action_sources: dict[int, str] = {}
        self.section_title = context.section_title
        self.episode_sections: list[tuple[int, str, Position]] = []
        # element index -> the action's bytes and the bytes of the notes inside it
        self.actions_with_notes: dict[int, tuple[int, int, list[tuple[int, int]]]] = {}

    def text(self, start: int, end: int) -> str:
        raw = self.source[start:end].decode("utf-8", "replace")
        return raw.replace("\r\n", "\n") if "\r" in raw else raw

    def hidden_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """The boneyards inside ``start..end``: Fountain ignores what they wrap."""
        spans = self.boneyard_spans
        inside = []
        # by index, not over a slice: a slice copies every later boneyard of the document
        for index in range(bisect_right(spans, (start, -1)), len(spans)):
            span = spans[index]
            if span[0] >= end:
                break
            if span[1] <= end:
                inside.append(span)
        return inside

    def content(self, start: int, end: int, hidden: list[tuple[int, int]]) -> str:
        """The text of ``start..end`` without the boneyards in it."""
        parts, cursor = [], start
        for hidden_start, hidden_end in hidden:
            parts.append(self.text(cursor, hidden_start))
            cursor = hidden_end
        parts.append(self.text(cursor, end))
        return "".join(parts)

    def add(
        self, type_: ElementType, start: int, end: int, text: str, seconds: float = 0.0
    ) -> Element:
        element = Element(type_, self.positions.range(start, end), text, self.scene_index, seconds)
        self.elements.append(element)
        return element

    def build(self, base: int, spans: list[Span], content: bytes) -> _Chunk:
        self.boneyard_spans = [(start, -end) for start, end, _, kind in spans if kind == BONEYARD]
        self.stream(spans)
        self.standalone_notes()
        if self.scenes:
            first = self.context.scenes_before
            for element in self.elements:
                if element.scene is not None:
                    self.scenes[element.scene - first].seconds += element.seconds
        return _Chunk(
            content=content,
            spans=spans,
            base=base,
            context=self.context,
            elements=self.elements,
            scenes=self.scenes,
            dialogue=self.dialogue,
            notes=self.notes,
            title_page=self.title_page,
            episode_sections=self.episode_sections,
            section_title=self.section_title,
            introductions=self.introductions(),
        )

    def stream(self, spans: list[Span]) -> None:
        block: _Block | None = None
        action: tuple[int, int, int] | None = None  # bytes and element index of the last action
        for start, negative_end, _child, kind in spans:
            end = -negative_end
            if block is not None and start >= block.end:
                self.close_block(block)
                block = None
            if kind == DIALOGUE and block is not None:
                block.run = (block.run[0], end) if block.run else (start, end)
                continue
            if block is not None and block.run and kind == PARENTHETICAL:
                self.close_run(block)
            if kind == ACTION:
                action = (start, end, len(self.elements))
                self.action(start, end)
            elif kind == DIALOGUE_BLOCK:
                block = _Block(end)
            elif kind == CHARACTER and block is not None:
                text = self.text(start, end).strip().removeprefix("@")
                block.cue = self.add("character", start, end, text)
            elif kind == CHARACTER_NAME and block is not None and block.cue:
                block.cue.name = cue_key(self.text(start, end).removeprefix("@").replace("^", " "))
            elif kind == CHARACTER_EXTENSION and block is not None:
                block.extensions.append(self.text(start, end)[1:-1].strip())
            elif kind == DUAL_DIALOGUE_MARKER and block is not None and block.cue:
                block.cue.dual = True
            elif kind == PARENTHETICAL and block is not None:
                block.parentheticals.append(
                    self.add("parenthetical", start, end, self.text(start, end).strip())
                )
            elif kind == SCENE_HEADING:
                self.open_scene(start, end)
            elif kind == SECTION_HEADING:
                self.section(start, end)
            elif kind == NOTE:
                self.note(start, end, action)
            elif kind == BONEYARD:
                body = self.text(start, end).strip()[2:-2].strip()
                self.elements.append(
                    Element("boneyard", self.positions.range(start, end), body, self.scene_index)
                )
            elif kind == TITLE_PAGE:
                self.title = _TitlePage(self.add("title_page", start, end, ""), start, end)
            elif kind in (TITLE_KEY, TITLE_VALUE):
                self.title_field(kind, start, end)
            elif simple := simple_element(kind, self.text(start, end).strip()):
                type_, text, seconds = simple
                self.add(type_, start, end, text, seconds)
        if block is not None:
            self.close_block(block)
        if self.title is not None:
            self.finish_title_page(self.title)
        self.close_scene()

    def title_field(self, kind: int, start: int, end: int) -> None:
        """A key or a value line of the title page (none count outside it, e.g. in an ERROR)."""
        title = self.title
        if title is None or not title.start <= start < title.end:
            return
        title.last = max(title.last, end)
        if kind == TITLE_KEY:
            title.key = self.text(start, end).strip().lower()
            self.title_page[title.key] = ""
        elif title.key is not None:
            value = self.text(start, end).strip()
            joined = self.title_page[title.key]
            self.title_page[title.key] = (
                f"{joined}\n{value}" if joined and value else joined or value
            )

    def finish_title_page(self, title: _TitlePage) -> None:
        """The title page element spans its fields, not the blank lines that close it."""
        element = title.element
        element.text = self.text(title.start, title.last).rstrip()
        element.range = Range(element.range.start, self.positions.at(title.last))

    # -- structure --------------------------------------------------------------------------

    def section(self, start: int, end: int) -> None:
        self.close_scene()
        raw = self.text(start, end).strip()
        level = len(raw) - len(raw.lstrip("#"))
        title = raw[level:].strip()
        element = self.add("section", start, end, title)
        element.level = level
        number = episode_section_number(level, title)
        if number is not None:
            self.episode_sections.append((number, title, element.range.start))
        self.section_title = title

    def open_scene(self, start: int, end: int) -> None:
        self.close_scene()
        text, setting, location, time_of_day, number = scene_heading_parts(
            self.text(start, end).strip()
        )
        index = self.context.scenes_before + len(self.scenes)
        self.scene_index = index
        heading = self.add("scene_heading", start, end, text)
        scene = Scene(
            index=index,
            heading=text,
            setting=setting,
            location=location,
            time_of_day=time_of_day,
            number=number,
            range=heading.range,
            heading_range=heading.range,
            section=self.section_title,
            episode=None,
        )
        self.scenes.append(scene)

    def close_scene(self) -> None:
        """A scene runs from its heading to the end of its last element."""
        if self.scene_index is not None:
            scene = self.scenes[-1]
            scene.range = Range(scene.heading_range.start, self.elements[-1].range.end)
        self.scene_index = None

    # -- elements ---------------------------------------------------------------------------

    def action(self, start: int, end: int) -> None:
        hidden = self.hidden_in(start, end) if self.boneyard_spans else []
        text = self.content(start, end, hidden) if hidden else self.text(start, end)
        element = self.add("action", start, end, text, timing.action_seconds(text))
        if hidden:
            blanked = bytearray(self.source[start:end])
            for hidden_start, hidden_end in hidden:
                span = slice(hidden_start - start, hidden_end - start)
                blanked[span] = bytes(b if b == 10 else 32 for b in blanked[span])
            self.action_sources[len(self.elements) - 1] = blanked.decode("utf-8", "replace")
        if text.startswith("!"):
            # the range starts after the `!` so that offsets into ``text`` stay columns
            element.text = text[1:]
            element.range = Range(self.positions.at(start + 1), element.range.end)

    def note(self, start: int, end: int, action: tuple[int, int, int] | None) -> None:
        body = self.text(start, end)[2:-2].strip()
        key, value = note_key_value(body)
        self.notes.append(
            Note(body, self.positions.range(start, end), key, value, self.scene_index)
        )
        if action is not None and action[0] <= start and end <= action[1]:
            action_start, action_end, index = action
            self.actions_with_notes.setdefault(index, (action_start, action_end, []))[2].append(
                (start, end)
            )

    def standalone_notes(self) -> None:
        """An action paragraph made only of notes is a note element."""
        for index, (start, end, notes) in self.actions_with_notes.items():
            outside = bytearray(self.source[start:end])
            for note_start, note_end in notes:
                outside[note_start - start : note_end - start] = b" " * (note_end - note_start)
            if not outside.strip():
                element = self.elements[index]
                element.type = "note"
                element.text = " ".join(self.text(s, e)[2:-2].strip() for s, e in notes)
                element.seconds = 0.0

    def close_block(self, block: _Block) -> None:
        if block.run:
            self.close_run(block)
        cue = block.cue
        if cue is None:
            return
        cue.extension = ", ".join(block.extensions) or None
        lines = block.lines
        if len(lines) == 1:  # the common case, without generator overhead
            text, seconds = lines[0].text, lines[0].seconds
        else:
            text = "\n".join(line.text for line in lines)
            seconds = sum(line.seconds for line in lines)
        self.dialogue.append(
            Dialogue(
                speaker=cue.name or "",
                cue=cue,
                parentheticals=block.parentheticals,
                lines=lines,
                text=text,
                extension=cue.extension,
                dual=cue.dual,
                range=Range(cue.range.start, self.elements[-1].range.end),
                scene=self.scene_index,
                seconds=seconds,
            )
        )

    def close_run(self, block: _Block) -> None:
        assert block.run is not None
        start, end = block.run
        hidden = self.hidden_in(start, end) if self.boneyard_spans else []
        raw = self.content(start, end, hidden) if hidden else self.text(start, end)
        # indentation is kept in action only; a line of two spaces stays an empty line
        text = "\n".join(line.strip() for line in raw.split("\n")) if "\n" in raw else raw.strip()
        block.lines.append(self.add("dialogue", start, end, text, timing.spoken_seconds(text)))
        block.run = None

    def introductions(self) -> list[Introduction]:
        """The first ALL-CAPS mention of each name in this chunk's action."""
        seen: set[str] = set()
        found: list[Introduction] = []
        for index, element in enumerate(self.elements):
            if element.type != "action":
                continue
            # a boneyard inside the action is blanked there, keeping the file's columns
            text = self.action_sources.get(index, element.text)
            for name, offset, index_on_line in capitalised_names(text):
                if name in seen:
                    continue
                seen.add(name)
                start = element.range.start
                line = text.split("\n", offset + 1)[offset]
                column = (start.character if offset == 0 else 0) + utf16.units(line[:index_on_line])
                where = Range(
                    Position(start.line + offset, column),
                    Position(start.line + offset, column + utf16.units(name)),
                )
                found.append(Introduction(name, where, element))
        return found


@dataclass(slots=True)
class _Around:
    """An edited version, seen from the one before: the chunks before and after the edit's
    reach, each with the byte it now starts at, and the nodes in between (from ``start``)."""

    before: list[tuple[int, _Chunk]]
    start: int
    after: list[tuple[int, _Chunk]]


class _Parts:
    """Makes a ``Script``'s parts from its ``Outline``, chunk by chunk, reusing the chunks of an
    earlier version whose bytes, nodes and context are the same. With ``around``, the outline
    holds only the nodes around an edit, and the chunks beyond them are the earlier version's."""

    def __init__(
        self,
        outline: Outline,
        path: str | None,
        reusable: list[_Chunk],
        cut: bool,
        around: _Around | None = None,
    ):
        self.outline = outline
        self.path = path
        self._reusable = reusable
        self._cut = cut
        self._around = around
        self._chunks: list[_Chunk] | None = None
        self._bases: list[int] = []  # where each chunk starts

    def reusable(self) -> list[_Chunk]:
        """What a later version may reuse: these chunks once made, else what these could have
        (an edited version never made still holds the earlier chunks beyond the edit's reach:
        typing on from a version nobody asked for reuses them rather than making every chunk)."""
        if self._chunks is not None:
            return self._chunks
        if self._around is None:
            return self._reusable
        before = [chunk for _, chunk in self._around.before]
        after = [chunk for _, chunk in self._around.after]
        return [*before, *self._reusable, *after]

    def build(self) -> ScriptParts:
        with _collector_paused():
            return self._build()

    def _build(self) -> ScriptParts:
        outline = self.outline
        source = outline.source
        spans = outline.spans()
        earlier: dict[bytes, list[_Chunk]] = {}
        for chunk in self._reusable:
            earlier.setdefault(chunk.content, []).append(chunk)
        self._reusable = []
        around, self._around = self._around, None  # the earlier chunks: held until made
        first = around.start if around is not None else 0
        cut = [(first, spans)]
        if self._cut:
            title_pages = outline.kinds.count(TITLE_PAGE)
            if title_pages == 1:
                title_start: int | None = outline.starts[outline.kinds.index(TITLE_PAGE)]
            else:  # more than one: at the end of the document, as far as cutting goes
                title_start = len(source) if title_pages else None
            cut = _chunk_spans(spans, source, outline.marks, title_start, first)
        pieces: list[tuple[int, list[Span], _Chunk | None]] = [
            (base, chunk_spans, None) for base, chunk_spans in cut
        ]
        if around is not None:
            pieces[:0] = [(base, chunk.spans, chunk) for base, chunk in around.before]
            pieces += [(base, chunk.spans, chunk) for base, chunk in around.after]
        chunks: list[_Chunk] = []
        elements: list[Element] = []
        scenes: list[Scene] = []
        dialogue: list[Dialogue] = []
        notes: list[Note] = []
        title_page: dict[str, str] = {}
        episode_sections: list[tuple[int, str, Position]] = []
        introductions: dict[str, Introduction] = {}
        section_title: str | None = None
        row = 0
        fresh: set[int] = set()  # ids of the scenes made now, which may still be set up
        for number, (base, chunk_spans, known) in enumerate(pieces):
            end = pieces[number + 1][0] if number + 1 < len(pieces) else len(source)
            content = source[base:end]
            context = _Context(row, len(scenes), section_title)
            row += content.count(b"\n")
            reused = None
            if known is None:
                reused = _reused(earlier.get(content), context, chunk_spans, base)
            elif known.context == context:  # beyond the edit's reach: the chunk itself
                reused = known
            elif known.context.section_title == context.section_title:
                reused = _moved(known, context, known.spans, known.base)
            else:  # its scenes now stand in another section
                shift = base - known.base
                chunk_spans = [(s + shift, e - shift, c, k) for s, e, c, k in known.spans]
            if reused is not None:
                chunk = reused
                if chunk.context is context:  # moved, so its scenes are new objects
                    fresh.update(map(id, chunk.scenes))
            else:
                positions = Positions(source, base, end, context.row)
                chunk = _ChunkBuilder(source, positions, context).build(base, chunk_spans, content)
                fresh.update(map(id, chunk.scenes))
            chunks.append(chunk)
            elements += chunk.elements
            scenes += chunk.scenes
            dialogue += chunk.dialogue
            notes += chunk.notes
            title_page.update(chunk.title_page)
            episode_sections += chunk.episode_sections
            section_title = chunk.section_title
            for introduction in chunk.introductions:
                introductions.setdefault(introduction.name, introduction)
        self._chunks = chunks
        self._bases = [base for base, _, _ in pieces]
        episodes = self._episodes(_end(source), episode_sections, title_page)
        starts = [episode.range.start.line for episode in episodes]
        for index, scene in enumerate(scenes):
            owner = episodes[max(0, bisect_right(starts, scene.range.start.line) - 1)]
            owner.scenes.append(scene.index)
            if scene.episode != owner.number:
                if id(scene) not in fresh:  # a reused scene belongs to the earlier model too
                    scenes[index] = scene = replace(scene, episode=owner.number)
                scene.episode = owner.number
        seconds = sum(element.seconds for element in elements)
        if len(episodes) == 1:  # the same additions in the same order as element by element
            episodes[0].seconds = seconds
        else:
            for element in elements:
                if element.seconds:
                    line = element.range.start.line
                    episodes[max(0, bisect_right(starts, line) - 1)].seconds += element.seconds
        return ScriptParts(
            title_page=title_page,
            elements=elements,
            scenes=scenes,
            dialogue=dialogue,
            notes=notes,
            introductions=list(introductions.values()),
            episodes=episodes,
            seconds=seconds,
            characters=list(dict.fromkeys(block.speaker for block in dialogue)),
            chunks=list(chunks),
        )

    def _episodes(
        self,
        end: Position,
        sections: list[tuple[int, str, Position]],
        title_page: dict[str, str],
    ) -> list[Episode]:
        if not sections:
            number = file_episode_number(title_page, self.path)
            return [Episode(number, title_page.get("title"), Range(Position(0, 0), end), [])]
        episodes = []
        for i, (number, title, section_start) in enumerate(sections):
            following = sections[i + 1 : i + 2]
            stop = following[0][2] if following else end
            episodes.append(Episode(number, title, Range(section_start, stop), []))
        return episodes


def _end(source: bytes) -> Position:
    """The position of the end of ``source``."""
    last_line = source[source.rfind(b"\n") + 1 :]
    return Position(source.count(b"\n"), utf16.units(last_line.decode("utf-8", "replace")))


def _around_edit(earlier: _Parts, edit: Edit, tree: Tree, source: bytes) -> _Parts | None:
    """The parts of the version after ``edit``, when the version before was made chunk by chunk:
    only the nodes of the chunks the edit (or a change of structure it caused) reaches, and one
    more on each side, are read from the tree; the others are the earlier chunks. ``None`` when
    the nodes read do not start and end on chunk boundaries (then the whole tree is read)."""
    chunks, bases = earlier._chunks, earlier._bases
    if chunks is None or not earlier._cut:
        return None
    delta = edit.new_end - edit.old_end

    def before_edit(offset: int) -> int:
        if offset <= edit.start:
            return offset
        return edit.old_end if offset <= edit.new_end else offset - delta

    low = min([edit.start, *(before_edit(start) for start, _ in edit.changed)])
    high = max([edit.old_end, *(before_edit(end) for _, end in edit.changed)])
    first = max(0, bisect_right(bases, low) - 2)
    last = min(len(chunks) - 1, bisect_right(bases, high))
    start = bases[first]
    end = (bases[last + 1] if last + 1 < len(chunks) else len(earlier.outline.source)) + delta
    outline = Outline(source)
    outline.read(tree.root_node, start, end)
    kinds, starts, ends = outline.kinds, outline.starts, outline.ends
    if not kinds or min(starts) < start or max(ends) > end or (start and TITLE_PAGE in kinds):
        return None
    marks = outline.marks = sorted(mark for mark in outline.marks if start <= mark < end)
    # the nodes read must open with the heading of a scene or section that starts there
    opening = min(
        zip(starts, map(neg, ends), map(_IS_CHILD.__getitem__, kinds), kinds, strict=False)
    )
    heading = opening[0] == start and opening[3] in (SCENE_HEADING, SECTION_HEADING)
    if start and not (heading and start in marks):
        return None
    around = _Around(
        [(bases[k], chunks[k]) for k in range(first)],
        start,
        [(bases[k] + delta, chunks[k]) for k in range(last + 1, len(chunks))],
    )
    return _Parts(outline, earlier.path, chunks[first : last + 1], True, around)


def _reused(
    candidates: list[_Chunk] | None, context: _Context, spans: list[Span], base: int
) -> _Chunk | None:
    """An earlier chunk with these bytes and nodes, whose model is this one's: as it was when the
    context is the same, else moved down or up by whole lines (an edit above added or removed
    lines or scenes)."""
    if not candidates:
        return None
    for chunk in candidates:
        if chunk.context == context and chunk.has_nodes(spans, base):
            return chunk
    for chunk in candidates:
        if chunk.context.section_title == context.section_title and chunk.has_nodes(spans, base):
            return _moved(chunk, context, spans, base)
    return None


def _moved(chunk: _Chunk, context: _Context, spans: list[Span], base: int) -> _Chunk:
    """``chunk`` in ``context``: its lines and scene indices shifted, nothing else changes."""
    rows = context.row - chunk.context.row
    scenes = context.scenes_before - chunk.context.scenes_before

    def scene_of(index: int | None) -> int | None:
        return None if index is None else index + scenes

    moved: dict[int, Element] = {}
    for e in chunk.elements:
        moved[id(e)] = Element(
            e.type,
            e.range.moved(rows),
            e.text,
            scene_of(e.scene),
            e.seconds,
            e.name,
            e.extension,
            e.dual,
            e.level,
        )
    return _Chunk(
        content=chunk.content,
        spans=spans,
        base=base,
        shape=chunk.shape,
        context=context,
        elements=list(moved.values()),
        scenes=[
            Scene(
                s.index + scenes,
                s.heading,
                s.setting,
                s.location,
                s.time_of_day,
                s.number,
                s.range.moved(rows),
                s.heading_range.moved(rows),
                s.section,
                s.episode,
                s.seconds,
            )
            for s in chunk.scenes
        ],
        dialogue=[
            Dialogue(
                d.speaker,
                moved[id(d.cue)],
                [moved[id(e)] for e in d.parentheticals],
                [moved[id(e)] for e in d.lines],
                d.text,
                d.extension,
                d.dual,
                d.range.moved(rows),
                scene_of(d.scene),
                d.seconds,
            )
            for d in chunk.dialogue
        ],
        notes=[
            Note(n.text, n.range.moved(rows), n.key, n.value, scene_of(n.scene))
            for n in chunk.notes
        ],
        title_page=chunk.title_page,
        episode_sections=[
            (number, title, Position(at.line + rows, at.character))
            for number, title, at in chunk.episode_sections
        ],
        section_title=chunk.section_title,
        introductions=[
            Introduction(i.name, i.range.moved(rows), moved[id(i.element)])
            for i in chunk.introductions
        ],
        memo={key: fact.moved(rows, scenes) for key, fact in _movable(chunk.memo)},
    )


def _movable(memo: dict[str, Any]) -> Iterator[tuple[str, MovableFact]]:
    """The memo entries that are a ``MovableFact``, known by their ``moved`` method (a runtime
    protocol check costs more than moving the fact)."""
    for key, fact in memo.items():
        if hasattr(fact, "moved"):
            yield key, fact

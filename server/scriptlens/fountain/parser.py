"""Parsing Fountain: bytes to text, text to a tree-sitter tree, the tree to a ``Script``.

``parse`` builds the whole model eagerly: what it returns is complete, so the CLI, the language
server and the benchmarks all measure and use the same thing.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import accumulate, repeat
from operator import add
from pathlib import Path

from tree_sitter import Language, Node, Parser, Query, QueryCursor, Tree

from scriptlens import _fountain
from scriptlens.fountain import timing, utf16
from scriptlens.fountain.model import (
    Dialogue,
    Element,
    ElementType,
    Episode,
    Introduction,
    Note,
    Position,
    Range,
    Scene,
    Script,
)
from scriptlens.fountain.text_reader import clean, read_source

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
    return build_script(new_parser().parse(source), source, path)


def build_script(tree: Tree, source: bytes, path: str | None = None) -> Script:
    """The model of an already parsed ``tree`` over ``source`` (the language server reuses its
    incrementally updated tree here)."""
    with _collector_paused():
        return _ScriptBuilder(source, path).build(tree.root_node)


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


class Positions:
    """Converts byte offsets into LSP positions (0-based line, UTF-16 column).

    Byte offsets are cheap to read off a node, and byte and UTF-16 columns agree on every line
    without non-ASCII text, which is most lines: only those rows pay for a conversion."""

    def __init__(self, source: bytes):
        self.source = source
        lines = source.split(b"\n")
        self.line_starts = list(accumulate(map(add, map(len, lines), repeat(1)), initial=0))
        self.wide_rows: frozenset[int] = frozenset()
        if not source.isascii():
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
        return Range(Position(first, start_column), Position(last, end_column))


def normalize_name(name: str) -> str:
    """A speaker's canonical name: upper case, single spaces, no dual-dialogue caret."""
    return " ".join(name.replace("^", " ").split()).upper()


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
_MODEL_NODES = Query(
    LANGUAGE, "[" + " ".join(f"({kind})" for kind in _MODEL_NODE_KINDS) + "] @node"
)

_KIND = {kind: LANGUAGE.id_for_node_kind(kind, True) for kind in _MODEL_NODE_KINDS}
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


def model_nodes(root: Node) -> list[Node]:
    """Every node the model is built from, collected by one query so that building the model
    never walks the tree node by node from Python."""
    return QueryCursor(_MODEL_NODES).captures(root).get("node", [])


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


class _ScriptBuilder:
    def __init__(self, source: bytes, path: str | None):
        self.source = source
        self.path = path
        self.positions = Positions(source)
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
        self.section_title: str | None = None
        self.episode_sections: list[tuple[int, str, Position]] = []
        # element index -> the action's bytes and the bytes of the notes inside it
        self.actions_with_notes: dict[int, tuple[int, int, list[tuple[int, int]]]] = {}

    def text(self, start: int, end: int) -> str:
        raw = self.source[start:end].decode("utf-8", "replace")
        return raw.replace("\r\n", "\n") if "\r" in raw else raw

    def hidden_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """The boneyards inside ``start..end``: Fountain ignores what they wrap."""
        spans = self.boneyard_spans
        first = bisect_right(spans, (start, -1))
        inside = []
        for span in spans[first:]:
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

    def build(self, root: Node) -> Script:
        nodes = model_nodes(root)
        # document order; a parent before its children, even one with the very same bytes
        spans = sorted(
            (n.start_byte, -n.end_byte, (kind := n.kind_id) not in _PARENTS, kind) for n in nodes
        )
        self.boneyard_spans = [(start, -end) for start, end, _, kind in spans if kind == BONEYARD]
        self.stream(spans)
        self.standalone_notes()
        introductions = self.introductions()
        episodes = self.episodes()
        self.assign_time(episodes)
        speakers = list(dict.fromkeys(block.speaker for block in self.dialogue))
        return Script(
            path=self.path,
            title_page=self.title_page,
            elements=self.elements,
            scenes=self.scenes,
            dialogue=self.dialogue,
            notes=self.notes,
            introductions=introductions,
            episodes=episodes,
            seconds=sum(e.seconds for e in self.elements),
            characters=speakers,
        )

    def stream(self, spans: list[tuple[int, int, bool, int]]) -> None:
        """Builds elements from the nodes in document order, parents before their children."""
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
                block.cue.name = normalize_name(self.text(start, end).removeprefix("@"))
            elif kind == CHARACTER_EXTENSION and block is not None:
                block.extensions.append(self.text(start, end)[1:-1].strip())
            elif kind == DUAL_DIALOGUE_MARKER and block is not None and block.cue:
                block.cue.dual = True
            elif kind == PARENTHETICAL and block is not None:
                block.parentheticals.append(
                    self.add("parenthetical", start, end, self.text(start, end).strip())
                )
            elif kind == SCENE_HEADING:
                self.scene(start, end)
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
            else:
                self.simple(kind, start, end)
        if block is not None:
            self.close_block(block)
        if self.title is not None:
            self.finish_title_page(self.title)
        self.close_scene()

    def simple(self, kind: int, start: int, end: int) -> None:
        raw = self.text(start, end).strip()
        if kind == TRANSITION:
            self.add("transition", start, end, raw.removeprefix(">").strip())
        elif kind == CENTERED:
            self.add("centered", start, end, raw[1:-1].strip())
        elif kind == LYRICS:
            text = raw.removeprefix("~").strip()
            self.add("lyrics", start, end, text, timing.spoken_seconds(text))
        elif kind == SYNOPSIS:
            self.add("synopsis", start, end, raw.removeprefix("=").strip())
        elif kind == PAGE_BREAK:
            self.add("page_break", start, end, raw)

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
        if level == 1 and (match := _EPISODE_SECTION.search(title)):
            number = int(match.group(1) or match.group(2))
            self.episode_sections.append((number, title, element.range.start))
        self.section_title = title

    def scene(self, start: int, end: int) -> None:
        self.close_scene()
        raw = self.text(start, end).strip()
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
        index = len(self.scenes)
        self.scene_index = index
        heading = self.add("scene_heading", start, end, text)
        self.scenes.append(
            Scene(
                index=index,
                heading=text,
                setting=setting,
                location=location.strip(),
                time_of_day=time_of_day.strip() or None,
                number=number,
                range=heading.range,
                heading_range=heading.range,
                section=self.section_title,
                episode=None,
            )
        )

    def close_scene(self) -> None:
        """A scene runs from its heading to the end of its last element."""
        if self.scene_index is not None:
            scene = self.scenes[self.scene_index]
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
        match = _NOTE_KEY_VALUE.match(body)
        key, value = (match.group(1).strip(), match.group(2)) if match else (None, None)
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

    # -- collected afterwards ---------------------------------------------------------------

    def introductions(self) -> list[Introduction]:
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

    def episodes(self) -> list[Episode]:
        end = self.positions.at(len(self.source))
        if self.episode_sections:
            episodes = []
            for i, (number, title, section_start) in enumerate(self.episode_sections):
                following = self.episode_sections[i + 1 : i + 2]
                stop = following[0][2] if following else end
                episodes.append(Episode(number, title, Range(section_start, stop), []))
        else:
            episodes = [
                Episode(
                    self.file_episode_number(),
                    self.title_page.get("title"),
                    Range(Position(0, 0), end),
                    [],
                )
            ]
        starts = [episode.range.start.line for episode in episodes]
        for scene in self.scenes:
            owner = episodes[max(0, bisect_right(starts, scene.range.start.line) - 1)]
            owner.scenes.append(scene.index)
            scene.episode = owner.number
        return episodes

    def file_episode_number(self) -> int | None:
        declared = self.title_page.get("episode", "").strip()
        if declared.isdigit():
            return int(declared)
        if self.path:
            match = _FILE_NUMBER.search(Path(self.path).stem)
            if match:
                return int(match.group(1))
        return None

    def assign_time(self, episodes: list[Episode]) -> None:
        """Adds each element's seconds to its scene and its episode."""
        starts = [episode.range.start.line for episode in episodes]
        scenes = self.scenes
        for element in self.elements:
            if element.scene is not None:
                scenes[element.scene].seconds += element.seconds
            if element.seconds:
                episode = episodes[max(0, bisect_right(starts, element.range.start.line) - 1)]
                episode.seconds += element.seconds

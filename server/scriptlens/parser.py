"""Parsing Fountain: bytes to text, text to a tree-sitter tree, the tree to a ``Script``.

``parse`` builds the whole model eagerly: what it returns is complete, so the CLI, the language
server and the benchmarks all measure and use the same thing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from pathlib import Path

from tree_sitter import Language, Node, Parser, Query, QueryCursor, Tree

from scriptlens import _fountain, timing
from scriptlens.model import (
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

LANGUAGE = Language(_fountain.language())

_INVALID_BYTE = re.compile("[\udc80-\udcff]")
_NEWLINE = re.compile(b"\n")
_NON_ASCII = re.compile(b"[\x80-\xff]+")
_SCENE_NUMBER = re.compile(r"\s*#[^#\s]+#\s*$")
_SETTING = re.compile(r"^(INT\.?/EXT|EXT\.?/INT|I/E|INT|EXT|EST)[.\s]\s*", re.IGNORECASE)
_EPISODE_SECTION = re.compile(r"^\s*(?:episode|ep\.?)\s*(\d+)|第\s*(\d+)\s*[集话話]", re.IGNORECASE)
_FILE_NUMBER = re.compile(r"(\d+)(?!.*\d)")
_NOTE_KEY_VALUE = re.compile(r"^\s*([^\s:][^:\n]{0,40}?)\s*:\s*(.*?)\s*$", re.DOTALL)
_EXTRA_NODES = Query(LANGUAGE, "(note) @note (boneyard) @boneyard")


def new_parser() -> Parser:
    return Parser(LANGUAGE)


def decode(data: bytes) -> tuple[str, int]:
    """The text of a file, BOM dropped, and how many invalid UTF-8 bytes became U+FFFD."""
    text = data.decode("utf-8", "surrogateescape")
    invalid = len(_INVALID_BYTE.findall(text)) if not data.isascii() else 0
    if invalid:
        text = _INVALID_BYTE.sub("\ufffd", text)
    return text.removeprefix("\ufeff"), invalid


def parse_file(path: Path) -> Script:
    text, invalid = decode(path.read_bytes())
    script = parse(text, str(path))
    script.decode_errors = invalid
    return script


def parse(text: str, path: str | None = None) -> Script:
    """Parse Fountain ``text`` into a complete ``Script``."""
    text = text.removeprefix("\ufeff")
    source = text.encode("utf-8", "surrogatepass")
    return build_script(new_parser().parse(source), source, path)


def build_script(tree: Tree, source: bytes, path: str | None = None) -> Script:
    """The model of an already parsed ``tree`` over ``source`` (the language server reuses its
    incrementally updated tree here)."""
    return _ScriptBuilder(source, path).build(tree.root_node)


class Positions:
    """Converts byte offsets into LSP positions (0-based line, UTF-16 column).

    Byte offsets are cheap to read off a node, and byte and UTF-16 columns agree on every line
    without non-ASCII text, which is most lines: only those rows pay for a conversion."""

    def __init__(self, source: bytes):
        self.source = source
        self.line_starts = [0, *(m.end() for m in _NEWLINE.finditer(source))]
        self.wide_rows: frozenset[int] = frozenset()
        if not source.isascii():
            self.wide_rows = frozenset(
                bisect_right(self.line_starts, m.start()) - 1 for m in _NON_ASCII.finditer(source)
            )

    def at(self, offset: int) -> Position:
        row = bisect_right(self.line_starts, offset) - 1
        start = self.line_starts[row]
        if row not in self.wide_rows:
            return Position(row, offset - start)
        prefix = self.source[start:offset]
        return Position(row, len(prefix.decode("utf-8", "replace").encode("utf-16-le")) // 2)

    def range(self, node: Node) -> Range:
        return Range(self.at(node.start_byte), self.at(node.end_byte))

    def span(self, first: Node, last: Node) -> Range:
        return Range(self.at(first.start_byte), self.at(last.end_byte))


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
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
    )


_UPPER = _upper_class()
_CAPS_WORD = rf"[{_UPPER}][{_UPPER}\d'’.\-]*"
# A run of ALL-CAPS words, whole words only, with at least two capitals in it.
_CAPS_RUN = re.compile(rf"(?<![\w'’])"
                       rf"{_CAPS_WORD}(?: {_CAPS_WORD})*(?![\w'’])")


def introductions_in(element: Element) -> Iterable[tuple[str, Range]]:
    """Runs of ALL-CAPS words in an action element, each with its range: character names by the
    screenplay convention of capitalising a character's first appearance."""
    start = element.range.start
    for offset, line in enumerate(element.text.split("\n")):
        for match in _CAPS_RUN.finditer(line):
            name = match.group().rstrip(".-")
            if name.endswith(("'S", "’S")):
                name = name[:-2]
            if sum(ch.isalpha() for ch in name) < 2:
                continue
            column = (start.character if offset == 0 else 0) + _utf16_len(line[: match.start()])
            end = column + _utf16_len(name)
            yield name, Range(Position(start.line + offset, column), Position(start.line + offset, end))


def _utf16_len(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


class _ScriptBuilder:
    def __init__(self, source: bytes, path: str | None):
        self.source = source
        self.path = path
        self.positions = Positions(source)
        self.elements: list[Element] = []
        self.scenes: list[Scene] = []
        self.dialogue: list[Dialogue] = []
        self.title_page: dict[str, str] = {}
        self.scene_index: int | None = None
        self.section_title: str | None = None
        self.episode_sections: list[tuple[int, str, Range]] = []
        self.scene_lines: list[int] = []

    def text(self, node: Node) -> str:
        raw = self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")
        return raw.replace("\r\n", "\n") if "\r" in raw else raw

    def add(self, type_: ElementType, node: Node, text: str, **extra: object) -> Element:
        element = Element(type_, self.positions.range(node), text, self.scene_index, **extra)  # type: ignore[arg-type]
        self.elements.append(element)
        return element

    def build(self, root: Node) -> Script:
        self.container(root)
        self.scene_lines = [scene.heading_range.start.line for scene in self.scenes]
        notes, boneyards = self.extras(root)
        if boneyards:
            self.elements.extend(boneyards)
            self.elements.sort(key=lambda e: (e.range.start.line, e.range.start.character))
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
            notes=notes,
            introductions=introductions,
            episodes=episodes,
            seconds=sum(e.seconds for e in self.elements),
            characters=speakers,
        )

    # -- structure --------------------------------------------------------------------------

    def container(self, node: Node) -> None:
        for child in node.named_children:
            kind = child.type
            if kind == "scene":
                self.scene(child)
            elif kind == "section":
                self.section(child)
            else:
                self.element(child)

    def section(self, node: Node) -> None:
        heading = node.named_children[0]
        marker = heading.named_children[0]
        title = self.text(heading)[marker.end_byte - heading.start_byte :].strip()
        level = marker.end_byte - marker.start_byte
        self.add("section", heading, title, level=level)
        if level == 1 and (match := _EPISODE_SECTION.search(title)):
            number = int(match.group(1) or match.group(2))
            self.episode_sections.append((number, title, self.positions.range(node)))
        self.section_title = title
        self.scene_index = None
        self.container_after(node, heading)

    def scene(self, node: Node) -> None:
        heading = node.named_children[0]
        raw = self.text(heading)
        last_child = heading.named_child(heading.named_child_count - 1) if heading.named_child_count else None
        number_node = last_child if last_child is not None and last_child.type == "scene_number" else None
        number = self.text(number_node).strip("#") if number_node is not None else None
        text = _SCENE_NUMBER.sub("", raw).strip() if number_node is not None else raw.strip()
        if text.startswith(".") and not text.startswith(".."):
            text = text[1:]
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
        heading_range = self.positions.range(heading)
        self.scenes.append(
            Scene(
                index=index,
                heading=text,
                setting=setting,
                location=location.strip(),
                time_of_day=time_of_day.strip() or None,
                number=number,
                range=heading_range,
                heading_range=heading_range,
                section=self.section_title,
                episode=None,
            )
        )
        self.add("scene_heading", heading, text)
        self.container_after(node, heading)
        last = self.elements[-1].range.end
        self.scenes[index].range = Range(heading_range.start, last)

    def container_after(self, node: Node, heading: Node) -> None:
        for child in node.named_children[1:]:
            kind = child.type
            if kind == "scene":
                self.scene(child)
            else:
                self.element(child)

    # -- elements ---------------------------------------------------------------------------

    def element(self, node: Node) -> None:
        kind = node.type
        if kind == "action":
            self.action(node)
        elif kind == "dialogue_block":
            self.dialogue_block(node)
        elif kind == "title_page":
            self.title(node)
        elif kind == "transition":
            self.add("transition", node, self.text(node).strip().removeprefix(">").strip())
        elif kind == "centered":
            self.add("centered", node, self.text(node).strip()[1:-1].strip())
        elif kind == "lyrics":
            text = self.text(node).strip().removeprefix("~").strip()
            self.add("lyrics", node, text, seconds=timing.spoken_seconds(text))
        elif kind == "synopsis":
            self.add("synopsis", node, self.text(node).strip().removeprefix("=").strip())
        elif kind == "page_break":
            self.add("page_break", node, self.text(node).strip())
        # notes and boneyard are collected with a query, wherever they stand

    def action(self, node: Node) -> None:
        text = self.text(node)
        children = node.named_children
        if children and all(c.type == "note" for c in children):
            outside = bytearray(self.source[node.start_byte : node.end_byte])
            for child in children:
                start, end = child.start_byte - node.start_byte, child.end_byte - node.start_byte
                outside[start:end] = b" " * (end - start)
            if not outside.strip():
                self.add("note", node, " ".join(self.text(c)[2:-2].strip() for c in children))
                return
        element = self.add("action", node, text, seconds=timing.action_seconds(text))
        if text.startswith("!"):
            # the range starts after the `!` so that offsets into ``text`` stay columns
            element.text = text[1:]
            start = element.range.start
            element.range = Range(Position(start.line, start.character + 1), element.range.end)

    def dialogue_block(self, node: Node) -> None:
        children = node.named_children
        cue = children[0]
        cue_text = self.text(cue).strip().removeprefix("@")
        parts = cue.named_children
        speaker = normalize_name(self.text(parts[0]).removeprefix("@"))
        extensions = [self.text(p)[1:-1].strip() for p in parts[1:] if p.type == "character_extension"]
        dual = parts[-1].type == "dual_dialogue_marker"
        extension = ", ".join(extensions) or None
        cue_element = Element(
            "character", self.positions.range(cue), cue_text, self.scene_index,
            name=speaker, extension=extension, dual=dual,
        )
        self.elements.append(cue_element)
        parentheticals: list[Element] = []
        lines: list[Element] = []
        run: list[Node] = []
        for child in children[1:]:
            if child.type == "dialogue":
                run.append(child)
                continue
            if run:
                lines.append(self.spoken(run))
                run = []
            parentheticals.append(self.add("parenthetical", child, self.text(child).strip()))
        if run:
            lines.append(self.spoken(run))
        last = self.elements[-1]  # the block's elements were appended in document order
        self.dialogue.append(
            Dialogue(
                speaker=speaker,
                cue=cue_element,
                parentheticals=parentheticals,
                lines=lines,
                text="\n".join(line.text for line in lines),
                extension=extension,
                dual=dual,
                range=Range(cue_element.range.start, last.range.end),
                scene=self.scene_index,
                seconds=sum(line.seconds for line in lines),
            )
        )

    def spoken(self, run: list[Node]) -> Element:
        first, last = run[0], run[-1]
        text = self.text_between(first, last)
        element = Element(
            "dialogue", self.positions.span(first, last), text, self.scene_index,
            seconds=timing.spoken_seconds(text),
        )
        self.elements.append(element)
        return element

    def text_between(self, first: Node, last: Node) -> str:
        raw = self.source[first.start_byte : last.end_byte].decode("utf-8", "replace")
        return raw.replace("\r\n", "\n") if "\r" in raw else raw

    def title(self, node: Node) -> None:
        for field in node.named_children:
            parts = field.named_children
            key = self.text(parts[0]).strip().lower()
            values = [self.text(p).strip() for p in parts[1:] if p.type == "title_value"]
            self.title_page[key] = "\n".join(v for v in values if v)
        fields = node.named_children
        title = Element("title_page", self.positions.span(fields[0], fields[-1]),
                        self.text_between(fields[0], fields[-1]), None)
        self.elements.append(title)

    # -- collected afterwards ---------------------------------------------------------------

    def extras(self, root: Node) -> tuple[list[Note], list[Element]]:
        captures = QueryCursor(_EXTRA_NODES).captures(root)
        notes = [self.note(node) for node in captures.get("note", [])]
        notes.sort(key=lambda n: (n.range.start.line, n.range.start.character))
        boneyards = [
            Element("boneyard", self.positions.range(node), self.text(node).strip()[2:-2].strip(),
                    self.scene_at(node))
            for node in captures.get("boneyard", [])
        ]
        return notes, boneyards

    def note(self, node: Node) -> Note:
        body = self.text(node)[2:-2].strip()
        match = _NOTE_KEY_VALUE.match(body)
        key, value = (match.group(1).strip(), match.group(2)) if match else (None, None)
        return Note(body, self.positions.range(node), key, value, self.scene_at(node))

    def scene_at(self, node: Node) -> int | None:
        """The scene whose heading comes last at or before ``node``."""
        index = bisect_right(self.scene_lines, node.start_point[0]) - 1
        return index if index >= 0 else None

    def introductions(self) -> list[Introduction]:
        seen: set[str] = set()
        found: list[Introduction] = []
        for element in self.elements:
            if element.type != "action":
                continue
            for name, name_range in introductions_in(element):
                if name not in seen:
                    seen.add(name)
                    found.append(Introduction(name, name_range, element))
        return found

    def episodes(self) -> list[Episode]:
        end = self.positions.at(len(self.source))
        if self.episode_sections:
            episodes = []
            for i, (number, title, section_range) in enumerate(self.episode_sections):
                stop = self.episode_sections[i + 1][2].start if i + 1 < len(self.episode_sections) else end
                episodes.append(Episode(number, title, Range(section_range.start, stop), []))
        else:
            episodes = [Episode(self.file_episode_number(), self.title_page.get("title"),
                                Range(Position(0, 0), end), [])]
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

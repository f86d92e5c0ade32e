"""The script model: what a Fountain file says, in LSP coordinates, with no LSP types.

Every range is 0-based lines and UTF-16 columns, end exclusive, as LSP wants it, so that the
language server can hand ranges to the editor untouched and the CLI prints ``line + 1``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

ElementType = Literal[
    "title_page",
    "scene_heading",
    "action",
    "character",
    "parenthetical",
    "dialogue",
    "lyrics",
    "transition",
    "centered",
    "page_break",
    "section",
    "synopsis",
    "note",
    "boneyard",
]


# Positions and ranges are values: never mutated, hashable and ordered. They are not frozen
# dataclasses because a frozen __init__ costs three times as much, and the parser makes
# thousands of them per script.
@dataclass(slots=True, order=True, unsafe_hash=True)
class Position:
    line: int
    character: int


@dataclass(slots=True, unsafe_hash=True)
class Range:
    start: Position
    end: Position

    def contains(self, position: Position) -> bool:
        start, end = self.start, self.end
        after_start = (position.line, position.character) >= (start.line, start.character)
        before_end = (position.line, position.character) < (end.line, end.character)
        return after_start and before_end

    @property
    def last_line(self) -> int:
        """The last line the range covers: one ending at column 0 stops on the line before."""
        end = self.end
        return end.line - 1 if end.character == 0 and end.line > self.start.line else end.line

    def moved(self, rows: int) -> Range:
        """The same columns, ``rows`` lines further down."""
        start, end = self.start, self.end
        return Range(
            Position(start.line + rows, start.character), Position(end.line + rows, end.character)
        )

    def to_json(self) -> dict[str, dict[str, int]]:
        return {
            "start": {"line": self.start.line, "character": self.start.character},
            "end": {"line": self.end.line, "character": self.end.character},
        }


@dataclass(slots=True)
class Element:
    """One Fountain element. ``text`` is its content without Fountain markup prefixes
    (``.``, ``!``, ``@``, ``~``, ``>``, ``#``, ``=``) and, for multi-line elements, its lines
    joined with ``\\n``."""

    type: ElementType
    range: Range
    text: str
    scene: int | None = None  # index into Script.scenes, None before the first scene
    seconds: float = 0.0  # estimated screen time, see scriptlens.fountain.timing
    # character cues only
    name: str | None = None
    extension: str | None = None
    dual: bool = False
    # sections only
    level: int | None = None


@dataclass(slots=True)
class Dialogue:
    """A dialogue block: one cue, its parentheticals and its lines."""

    speaker: str  # normalized: upper case, extension, CONT'D and ^ stripped
    cue: Element
    parentheticals: list[Element]
    lines: list[Element]
    text: str  # the spoken text, lines joined with "\n"
    extension: str | None
    dual: bool
    range: Range
    scene: int | None
    seconds: float


@dataclass(slots=True)
class Note:
    """A ``[[note]]``; ``key``/``value`` are set when it reads ``key: value``."""

    text: str
    range: Range
    key: str | None = None
    value: str | None = None
    scene: int | None = None


@dataclass(slots=True)
class Introduction:
    """The first ALL-CAPS mention of a character in action, the screenplay convention."""

    name: str
    range: Range  # the name itself inside the action element
    element: Element


@dataclass(slots=True)
class Scene:
    index: int
    heading: str
    setting: str | None  # INT, EXT, EST, INT/EXT, or None for a forced heading without one
    location: str
    time_of_day: str | None
    number: str | None  # the ``#1A#`` scene number, without the hashes
    range: Range  # from the heading to the end of the scene's last element
    heading_range: Range
    section: str | None  # the innermost enclosing section's title
    episode: int | None
    seconds: float = 0.0


@dataclass(slots=True)
class Episode:
    number: int | None
    title: str | None
    range: Range
    scenes: list[int]  # indices into Script.scenes
    seconds: float = 0.0


class MovableFact(Protocol):
    """Something derived from a chunk alone that can follow it when an edit above moves it by
    whole lines (and scenes), without being derived again."""

    def moved(self, rows: int, scenes: int) -> MovableFact: ...


class Chunk(Protocol):
    """A run of a script's elements that starts a line: the text before its first scene or
    section, a scene, or a section's heading with what stands under it before its first scene.
    An edited document's next version reuses the very chunk objects an edit did not touch."""

    elements: list[Element]
    scenes: list[Scene]
    dialogue: list[Dialogue]
    notes: list[Note]
    # What a reader derives from this chunk alone (its elements, their lines' text) is kept here
    # under the reader's own key, and lives as long as the chunk is reused; when an edit above
    # moves the chunk, a ``MovableFact`` follows it and anything else is dropped.
    memo: dict[str, Any]


@dataclass(slots=True)
class ScriptParts:
    """Everything a ``Script`` says, made at once from what the parse found."""

    title_page: dict[str, str]
    elements: list[Element]
    scenes: list[Scene]
    dialogue: list[Dialogue]
    notes: list[Note]
    introductions: list[Introduction]
    episodes: list[Episode]
    seconds: float
    characters: list[str]  # speakers in order of first cue
    chunks: list[Chunk] = field(compare=False)  # the same elements and blocks, chunk by chunk


class PartsBuilder(Protocol):
    def build(self) -> ScriptParts: ...


class Script:
    """A parsed script. The parse keeps what it found in compact form; the elements, scenes,
    dialogue blocks and the rest are made from it the first time one of them is asked for, so a
    caller that only needs the tree-level facts (or none at all yet) does not pay for them."""

    def __init__(self, path: str | None, builder: PartsBuilder):
        self.path = path
        self.builder = builder
        self._parts: ScriptParts | None = None
        self._line_index: tuple[list[Element], list[int], list[int]] | None = None

    @property
    def parts(self) -> ScriptParts:
        if self._parts is None:
            self._parts = self.builder.build()
        return self._parts

    @property
    def title_page(self) -> dict[str, str]:
        return self.parts.title_page

    @property
    def elements(self) -> list[Element]:
        return self.parts.elements

    @property
    def scenes(self) -> list[Scene]:
        return self.parts.scenes

    @property
    def dialogue(self) -> list[Dialogue]:
        return self.parts.dialogue

    @property
    def notes(self) -> list[Note]:
        return self.parts.notes

    @property
    def introductions(self) -> list[Introduction]:
        return self.parts.introductions

    @property
    def episodes(self) -> list[Episode]:
        return self.parts.episodes

    @property
    def seconds(self) -> float:
        return self.parts.seconds

    @property
    def characters(self) -> list[str]:
        return self.parts.characters

    @property
    def chunks(self) -> list[Chunk]:
        return self.parts.chunks

    def element_at_line(self, line: int) -> Element | None:
        """The innermost element covering ``line`` (0-based), or ``None`` on a line between
        elements: a binary search over the elements' first lines."""
        if self._line_index is None:
            # document order but for a boneyard inside a dialogue line, which is made first
            by_line = sorted(self.elements, key=lambda element: element.range.start.line)
            reach, furthest = [], -1
            for element in by_line:
                furthest = max(furthest, element.range.last_line)
                reach.append(furthest)
            first_lines = [element.range.start.line for element in by_line]
            self._line_index = (by_line, first_lines, reach)
        elements, first_lines, reach = self._line_index
        at = bisect_right(first_lines, line) - 1
        # the last element starting on or before the line that covers it is the innermost one;
        # ``reach`` says when no earlier element can cover it any more
        while at >= 0 and reach[at] >= line:
            if elements[at].range.last_line >= line:
                return elements[at]
            at -= 1
        return None

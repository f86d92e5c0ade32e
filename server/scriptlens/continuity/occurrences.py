"""Where a character's names stand in the series: the name under a position, every cue, mention
and ``[[exit:]]``/``[[return:]]`` note naming a character, and where the character is introduced.

Go to definition, references, document highlight and rename all read these, so that they agree
on what names a character.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from scriptlens.continuity.cast import Cast
from scriptlens.continuity.index import FileIndex, Mention
from scriptlens.continuity.names import loose_key
from scriptlens.fountain import utf16
from scriptlens.fountain.model import Position, Range

Kind = Literal["cue", "mention", "note"]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A character's name as written at ``range`` of ``file``."""

    file: str
    range: Range
    kind: Kind
    written: str  # the name as it stands in the text

    @property
    def key(self) -> str:
        return loose_key(self.written)


def _touches(where: Range, position: Position) -> bool:
    """Inside, or right at the end (the cursor after the last letter of a name)."""
    return where.contains(position) or where.end == position


def name_at(cast: Cast, file: str, position: Position) -> tuple[str, Occurrence] | None:
    """The character named at ``position`` of ``file`` and the name's occurrence: a cue, a
    mention or a marker note the cast resolves to one character."""
    index = cast.indexes.get(file)
    if index is None:
        return None
    for cue in index.cues:
        if _touches(cue.cue_range, position):
            character = cast.resolve(cue.name)
            found = _cue_occurrence(index, file, cue.range, cue.name)
            return (character, found) if character and found else None
    for occurrence in _notes(index, file):
        if _touches(occurrence.range, position):
            character = cast.resolve(occurrence.written)
            return (character, occurrence) if character else None
    for mention in index.mentions(cast.finder):
        if _touches(mention.range, position):
            character = cast.resolve(mention.key)
            if character:
                return character, _mention(index, file, mention)
    return None


def occurrences(cast: Cast, character: str, files: set[str] | None = None) -> list[Occurrence]:
    """Every cue, mention and marker note naming ``character``, in series order; only in
    ``files`` when given."""
    found: list[Occurrence] = []
    wanted = cast.series.files if files is None else [f for f in cast.series.files if f in files]
    for file in wanted:
        index = cast.indexes[file]
        for cue in index.cues:
            if cast.resolve(cue.name) == character:
                occurrence = _cue_occurrence(index, file, cue.range, cue.name)
                if occurrence is not None:
                    found.append(occurrence)
        found.extend(o for o in _notes(index, file) if cast.resolve(o.written) == character)
        found.extend(
            _mention(index, file, mention)
            for mention in index.mentions(cast.finder)
            if cast.resolve(mention.key) == character
        )
    found.sort(key=lambda o: cast.series.position(o.file, *_start(o.range)))
    return found


def introduction(cast: Cast, character: str) -> tuple[str, Range] | None:
    """Where the character is introduced (its first ALL-CAPS mention in action), or else its
    first cue: the place a reader meets it."""
    intros = cast.intros.get(character)
    if intros:
        return intros[0].file, intros[0].item.range
    if character in cast.speakers:
        first = cast.first_cue(character)
        return first.file, first.item.range
    return None


def _start(where: Range) -> tuple[int, int]:
    return where.start.line, where.start.character


def _mention(index: FileIndex, file: str, mention: Mention) -> Occurrence:
    return Occurrence(file, mention.range, "mention", index.text_at(mention.range))


def _cue_occurrence(index: FileIndex, file: str, where: Range, name: str) -> Occurrence | None:
    """The cue's name as written; ``None`` when the cue line does not spell it out (a cue the
    index could only locate as a whole), since editing it would also rewrite its extension."""
    written = index.text_at(where)
    if loose_key(written) != loose_key(name) or where.start.line != where.end.line:
        return None
    return Occurrence(file, where, "cue", written)


def _notes(index: FileIndex, file: str) -> Iterator[Occurrence]:
    """The names in ``[[exit: NAME]]`` and ``[[return: NAME]]`` notes."""
    for marker in index.markers:
        line_number = marker.range.start.line
        if marker.range.end.line != line_number:
            continue
        line = index.line(line_number)
        start = utf16.index(line, marker.range.start.character)
        end = utf16.index(line, marker.range.end.character)
        at = line.upper().find(marker.name, start, end) if len(line.upper()) == len(line) else -1
        if at < 0:
            continue
        first = utf16.column(line, at)
        last = first + utf16.units(marker.name)
        where = Range(Position(line_number, first), Position(line_number, last))
        yield Occurrence(file, where, "note", line[at : at + len(marker.name)])

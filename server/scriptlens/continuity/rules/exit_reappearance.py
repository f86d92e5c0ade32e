"""``exit-reappearance``: a character written out with ``[[exit: NAME]]`` speaks or is named in
action after that note, before any ``[[return: NAME]]``. Reported on each such cue or mention,
with the exit note as related location.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Any

from scriptlens.continuity.cast import Located
from scriptlens.continuity.config import RuleSettings, RuleSpec
from scriptlens.continuity.context import Context
from scriptlens.continuity.diagnostics import Finding, Related
from scriptlens.continuity.index import Marker
from scriptlens.continuity.rules.base import Rule

SPEC = RuleSpec(
    "exit-reappearance",
    "error",
    "a character speaks or is named in action after its [[exit: NAME]] note",
)


def markers(context: Context) -> dict[str, list[tuple[tuple[int, int, int], str, Marker]]]:
    """Per character, its exit and return notes in series order: (position, file, marker)."""
    cast = context.current.cast
    series = context.current.series
    found: dict[str, list[tuple[tuple[int, int, int], str, Marker]]] = {}
    for path in series.files:
        for marker in context.current.indexes[path].markers:
            character = cast.resolve(marker.name) or marker.name
            start = marker.range.start
            position = series.position(path, start.line, start.character)
            found.setdefault(character, []).append((position, path, marker))
    for notes in found.values():
        notes.sort(key=lambda note: note[0])
    return found


def run(context: Context, settings: RuleSettings) -> Iterator[Finding]:
    cast = context.current.cast
    by_character = markers(context)
    if not by_character:
        return
    seen: list[tuple[str, Located[Any], str]] = [
        (character, located, "speaks")
        for character in by_character
        for located in cast.cues.get(character, [])
    ]
    seen += [
        (character, located, "is named in action")
        for located, character in cast.mentions
        if character in by_character and not located.item.spoken
    ]
    for character, located, what in seen:
        notes = by_character[character]
        at = bisect.bisect_left([note[0] for note in notes], cast.position(located)) - 1
        if at < 0 or notes[at][2].kind != "exit":
            continue
        _, path, exit_note = notes[at]
        yield Finding(
            located.file,
            located.item.range,
            f"{character} {what} here after being written out, with no "
            f"[[return: {character}]] in between",
            (Related(path, exit_note.range, f"{character} exits here"),),
        )


RULE = Rule(SPEC, run)

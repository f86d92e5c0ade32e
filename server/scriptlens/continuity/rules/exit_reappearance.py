"""``exit-reappearance``: a character written out with ``[[exit: NAME]]`` speaks or is named in
action after that note, before any ``[[return: NAME]]``. Reported on each such cue or mention,
with the exit note as related location.
"""

from __future__ import annotations

from collections.abc import Iterator

from scriptlens.continuity.context import Context
from scriptlens.continuity.diagnostics import Finding, Related
from scriptlens.continuity.index import Cue, Marker, Mention
from scriptlens.continuity.rules.base import Rule, RuleSpec
from scriptlens.workspace.config import RuleSettings

SPEC = RuleSpec(
    "exit-reappearance",
    "error",
    "a character speaks or is named in action after its [[exit: NAME]] note",
)


Position3 = tuple[int, int, int]


def markers(context: Context) -> dict[str, list[tuple[Position3, str, Marker]]]:
    """Per character, its exit and return notes in series order: (position, file, marker)."""
    cast = context.current.cast
    series = context.current.series
    found: dict[str, list[tuple[Position3, str, Marker]]] = {}
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
    series = context.current.series
    for character, notes in markers(context).items():
        # The stretches where the character is written out: (from, to or None, exit note).
        windows: list[tuple[Position3, Position3 | None, str, Marker]] = []
        for position, path, marker in notes:
            if marker.kind == "exit" and (not windows or windows[-1][1] is not None):
                windows.append((position, None, path, marker))
            elif marker.kind == "return" and windows and windows[-1][1] is None:
                windows[-1] = (windows[-1][0], position, windows[-1][2], windows[-1][3])
        if not windows:
            continue
        spellings = cast.characters[character].spellings if character in cast.characters else {}
        last_rank = len(series.files) - 1
        for rank in sorted(
            {
                rank
                for start, end, _, _ in windows
                for rank in range(start[0], (end[0] if end else last_rank) + 1)
            }
        ):
            path = series.files[rank]
            index = context.current.indexes[path]
            seen: list[tuple[Cue | Mention, str]] = [
                (cue, "speaks") for name in spellings for cue in index.cues_by_name.get(name, ())
            ]
            seen += [
                (mention, "is named in action")
                for mention in index.mentions(cast.finder)
                if not mention.spoken and cast.resolve(mention.key) == character
            ]
            for item, what in seen:
                position = series.position(path, item.range.start.line, item.range.start.character)
                for start, end, exit_path, exit_note in windows:
                    if start < position and (end is None or position < end):
                        yield Finding(
                            path,
                            item.range,
                            f"{character} {what} here after being written out, with no "
                            f"[[return: {character}]] in between",
                            (Related(exit_path, exit_note.range, f"{character} exits here"),),
                        )
                        break


RULE = Rule(SPEC, run)

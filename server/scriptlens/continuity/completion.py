"""What a writer may be typing, and the names that can complete it: character cues (the scene's
speakers first, then the episode's, then the series'), scene-heading prefixes, known locations and
times of day, transitions, and the ids inside ``[[signal:`` / ``[[theme:`` notes (whose candidates
come from the signal store, not from here).

Columns are UTF-16 code units, as everywhere in the model.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from scriptlens.continuity.cast import Cast
from scriptlens.fountain import utf16
from scriptlens.fountain.model import Script
from scriptlens.text_facts import cue_key

Kind = Literal["cue", "location", "time", "signal", "theme"]

HEADING_PREFIXES = ("INT. ", "EXT. ", "INT./EXT. ", "I/E ", "EST. ")
TIMES_OF_DAY = ("DAY", "NIGHT", "MORNING", "EVENING", "CONTINUOUS", "LATER", "MOMENTS LATER")
TRANSITIONS = ("CUT TO:", "SMASH CUT TO:", "MATCH CUT TO:", "DISSOLVE TO:", "FADE OUT.", "FADE IN:")

_NOTE = re.compile(r"\[\[\s*(signal|theme)s?\s*:(?P<ids>[^\]]*)$", re.IGNORECASE)
_LAST_ID = re.compile(r"[^,，、\s]*$")
_HEADING = re.compile(r"^\s*(INT\.?/EXT|INT/EXT|I/E|INT|EXT|EST)[.\s]\s*", re.IGNORECASE)
_TIME_SEPARATOR = re.compile(r"\s+-(?:\s+|$)")
# What a cue can hold while it is typed: no lower case, no sentence punctuation.
_CUE_SO_FAR = re.compile(r"^\s*@?[^a-z!?,;:\"]*$")


@dataclass(frozen=True, slots=True)
class Context:
    """What the text before the cursor is: ``kind``, and the typed part the completion
    replaces (from column ``start`` to the cursor)."""

    kind: Kind
    start: int
    typed: str


def context_at(before: str, previous: str | None, invoked: bool) -> Context | None:
    """The completion context of a line whose text before the cursor is ``before``; ``previous``
    is the line above (``None`` on the first line). A cue can only follow a blank line and is
    typed in capitals; asked for explicitly (``invoked``), any first word there counts."""
    note = _NOTE.search(before)
    if note is not None:
        typed = _LAST_ID.search(before, note.start("ids"))
        assert typed is not None  # the pattern matches the empty string
        kind: Kind = "signal" if note.group(1).lower() == "signal" else "theme"
        return Context(kind, utf16.column(before, typed.start()), typed.group())
    heading = _HEADING.match(before)
    if heading is not None:
        rest = before[heading.end() :]
        separators = list(_TIME_SEPARATOR.finditer(rest))
        if separators:
            at = heading.end() + separators[-1].end()
            return Context("time", utf16.column(before, at), before[at:])
        return Context("location", utf16.column(before, heading.end()), rest)
    if previous is not None and previous.strip():
        return None
    if _CUE_SO_FAR.match(before) is None and not (invoked and " " not in before.strip()):
        return None
    indent = len(before) - len(before.lstrip())
    if before[indent:].startswith("@"):
        indent += 1
    return Context("cue", utf16.column(before, indent), before[indent:])


@dataclass(frozen=True, slots=True)
class Candidate:
    label: str  # what is inserted
    detail: str
    group: int  # lower sorts first
    also: tuple[str, ...] = ()  # other names that should find it (aliases)


def speakers(cast: Cast, file: str, line: int) -> list[Candidate]:
    """Every character with a cue, under its main name with its other names: the speakers of
    the scene at ``line`` first, latest first (but the one who spoke last at the end of them:
    a speaker rarely follows itself), then those of the same episode, then the series' by cues."""
    rank: dict[str, tuple[int, int]] = {}  # character -> (group, order within the group)
    index = cast.indexes.get(file)
    if index is not None:
        scene = _scene_at(index.script, line)
        episode = max(i for i, part in enumerate(index.episodes) if part.start_line <= line)
        before = [cue for cue in index.cues if cue.range.start.line < line]
        for distance, cue in enumerate(reversed(before)):
            character = cast.resolve(cue.name)
            if character is None or character in rank:
                continue
            if scene is not None and cue.scene == scene:
                rank[character] = (0, distance)
            elif cue.episode == episode:
                rank[character] = (1, distance)
        for cue in index.cues:
            character = cast.resolve(cue.name)
            if character is not None and cue.episode == episode:
                rank.setdefault(character, (1, len(before) + cue.position))
        last = cast.resolve(before[-1].name) if before else None
        if last is not None and rank.get(last, (1, 0))[0] == 0:
            rank[last] = (0, len(before))
    found = []
    for character in cast.speakers:
        cues = cast.cue_count(character)
        group, order = rank.get(character, (2, -cues))
        others = tuple(sorted(cast.characters[character].names - {character}))
        detail = f"{cues} cue{'s' if cues != 1 else ''}; speaks {_WHERE[group]}"
        if others:
            detail += "; also " + ", ".join(others)
        found.append(((group, order, character), Candidate(character, detail, group, others)))
    found.sort(key=lambda item: item[0])
    return [candidate for _, candidate in found]


_WHERE = ("in this scene", "in this episode", "in the series")


def _scene_at(script: Script, line: int) -> int | None:
    found = None
    for scene in script.scenes:
        if scene.heading_range.start.line > line:
            break
        found = scene.index
    return found


def locations(scripts: Iterable[Script]) -> list[Candidate]:
    """The series' scene locations, the most used first."""
    counts = Counter(cue_key(s.location) for script in scripts for s in script.scenes if s.location)
    return _by_use(counts, "scene", ())


def times_of_day(scripts: Iterable[Script]) -> list[Candidate]:
    """The times of day the series' headings use, the most used first, then the usual ones."""
    counts = Counter(
        cue_key(s.time_of_day) for script in scripts for s in script.scenes if s.time_of_day
    )
    return _by_use(counts, "scene", TIMES_OF_DAY)


def transitions(scripts: Iterable[Script]) -> list[Candidate]:
    counts = Counter(
        element.text.strip().upper()
        for script in scripts
        for element in script.elements
        if element.type == "transition" and element.text.strip()
    )
    return _by_use(counts, "transition", TRANSITIONS)


def heading_prefixes() -> list[Candidate]:
    return [Candidate(prefix, "scene heading", 1) for prefix in HEADING_PREFIXES]


def _by_use(counts: Mapping[str, int], noun: str, usual: Iterable[str]) -> list[Candidate]:
    found = [
        Candidate(name, f"{count} {noun}{'s' if count != 1 else ''} in the series", 0)
        for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    found += [Candidate(name, noun, 1) for name in usual if name not in counts]
    return found

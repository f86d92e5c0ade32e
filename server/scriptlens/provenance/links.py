"""Explicit links from notes: ``[[signal: ID, ID]]``, ``[[signal: #hashtag]]``,
``[[theme: THEME-ID]]``.

A note applies to the element it is inline with; a note standing alone on its line applies to
the element that follows it (a character cue standing for its whole dialogue block). This module
only reads the script; resolving the ids against the store is ``resolve``'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from scriptlens.fountain.model import Element, Range, Script
from scriptlens.provenance.audience import uid_range
from scriptlens.signals.normalize import normalize
from scriptlens.signals.privacy import Keyed
from scriptlens.signals.store import Store

LinkKind = Literal["signal", "theme"]
_KEYS: dict[str, LinkKind] = {
    "signal": "signal",
    "signals": "signal",
    "theme": "theme",
    "themes": "theme",
}
_SEPARATORS = re.compile(r"[,，、\s]+")
_NOTE = re.compile(r"\[\[.*?\]\]", re.DOTALL)


@dataclass(frozen=True)
class NoteLink:
    kind: LinkKind
    ids: tuple[str, ...]
    range: Range  # the note's, for diagnostics
    lines: tuple[int, ...]  # the lines of the element(s) it applies to


def without_notes(line: str) -> str:
    return _NOTE.sub("", line).strip()


def _lines_of(element: Element) -> range:
    return range(element.range.start.line, element.range.last_line + 1)


def note_links(script: Script, lines: list[str]) -> list[NoteLink]:
    """Every link note of the script and the lines it applies to."""
    by_line: dict[int, Element] = {}
    for element in script.elements:
        if element.type != "note":
            for number in _lines_of(element):
                by_line.setdefault(number, element)
    blocks = {block.cue.range.start.line: block for block in script.dialogue}
    links: list[NoteLink] = []
    for note in script.notes:
        kind = _KEYS.get((note.key or "").strip().lower())
        if kind is None or not note.value:
            continue
        ids = tuple(part for part in _SEPARATORS.split(note.value) if part)
        line = note.range.start.line
        if 0 <= line < len(lines) and without_notes(lines[line]):
            target = line  # inline: the element on this very line
        else:
            target = next(
                (n for n in range(note.range.end.line + 1, len(lines)) if without_notes(lines[n])),
                -1,
            )
        found = by_line.get(target)
        if found is None:
            covered: tuple[int, ...] = ()
        elif found.type == "character" and found.range.start.line in blocks:
            block = blocks[found.range.start.line]
            covered = tuple(range(block.range.start.line, block.range.last_line + 1))
        else:
            covered = tuple(_lines_of(found))
        links.append(NoteLink(kind, ids, note.range, covered))
    return links


@dataclass(frozen=True)
class Resolved:
    """What one cited id stands for: signals (by store id) and/or whole themes (by rank)."""

    signal_ids: tuple[int, ...] = ()
    theme_ranks: tuple[int, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.signal_ids or self.theme_ranks)


def resolve(
    store: Store, keyed: Keyed, platforms: list[str], kind: LinkKind, cited: str
) -> Resolved:
    """A cited id as the store knows it: a theme id, a hashtag, the signal id scriptlens shows,
    or a platform's own comment id (looked up through its keyed digest, never stored raw)."""
    conn = store.conn
    themes = tuple(r for (r,) in conn.execute("SELECT rank FROM themes WHERE id = ?", (cited,)))
    if themes:
        return Resolved(theme_ranks=themes)
    if cited.startswith("#"):
        tag = normalize(cited)
        ranks = tuple(
            rank
            for (rank,) in conn.execute(
                "SELECT rank FROM themes WHERE is_hashtag = 1 AND exemplars = ?", (tag,)
            )
        )
        if ranks or kind == "theme" or len(cited) < 3:
            return Resolved(theme_ranks=ranks)
        # A hashtag inside comments that are not only the tag.
        return Resolved(
            signal_ids=tuple(
                rowid
                for (rowid,) in conn.execute(
                    "SELECT rowid FROM signals_fts WHERE signals_fts MATCH ? LIMIT 200",
                    ('"' + cited.replace('"', '""') + '"',),
                )
            )
        )
    if kind == "theme":
        return Resolved()
    span = uid_range(cited)
    if span is not None:
        found = tuple(
            rowid
            for (rowid,) in conn.execute("SELECT id FROM signals WHERE uid BETWEEN ? AND ?", span)
        )
        if found:
            return Resolved(signal_ids=found)
    digests = [keyed.signal_uid(platform, cited) for platform in platforms]
    placeholders = ",".join("?" for _ in digests)
    return Resolved(
        signal_ids=tuple(
            rowid
            for (rowid,) in conn.execute(
                f"SELECT id FROM signals WHERE uid IN ({placeholders})", digests
            )
        )
        if digests
        else ()
    )

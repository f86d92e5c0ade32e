"""Completion (``textDocument/completion``): character names at a cue (the scene's speakers
first, then the episode's, then the series'; aliases find their character), scene-heading
prefixes and transitions there too, known locations after ``INT.``/``EXT.`` and times of day
after `` - ``, and inside ``[[theme:`` / ``[[signal:`` notes the store's themes (the episode's,
the largest, those matching the line) with their labels, and hashtags. What the writer may be
typing and the candidates are ``scriptlens.continuity.completion``'s; the store is read off the
event loop."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.continuity import completion
from scriptlens.continuity.completion import Candidate, Context
from scriptlens.fountain import utf16
from scriptlens.fountain.model import Script
from scriptlens.lsp.documents import OpenDocument

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer
    from scriptlens.signals import Store

_NOTES = re.compile(r"\[\[.*?(?:\]\]|$)")
TRIGGERS = [".", "-", ":", ",", "#", "@"]
THEMES_LISTED = 50  # the episode's and the series' largest themes offered in a note
CHARACTER, HEADING, TRANSITION = "0", "1", "2"  # sections of the list at a cue, in order
KINDS = {
    "cue": types.CompletionItemKind.Class,
    "location": types.CompletionItemKind.Value,
    "time": types.CompletionItemKind.EnumMember,
    "heading": types.CompletionItemKind.Keyword,
    "transition": types.CompletionItemKind.Keyword,
    "theme": types.CompletionItemKind.Reference,
}


def _items(
    candidates: list[Candidate], kind: str, section: str, context: Context, line: int, cursor: int
) -> list[types.CompletionItem]:
    where = types.Range(
        start=types.Position(line=line, character=context.start),
        end=types.Position(line=line, character=cursor),
    )
    return [
        types.CompletionItem(
            label=candidate.label,
            kind=KINDS[kind],
            detail=candidate.detail,
            sort_text=f"{section}{candidate.group}{number:05}",
            filter_text=" ".join((candidate.label, *candidate.also)) if candidate.also else None,
            text_edit=types.TextEdit(range=where, new_text=candidate.label),
        )
        for number, candidate in enumerate(candidates)
    ]


def _scripts(opened: OpenDocument) -> list[Script]:
    if opened.series is not None:
        return [index.script for index in opened.series.recent_cast().indexes.values()]
    return [opened.document.script]


def _episode_number(opened: OpenDocument, line: int) -> int | None:
    if opened.series is None or opened.key is None:
        return None
    cast = opened.series.recent_cast()
    index = cast.indexes.get(opened.key)
    if index is None:
        return None
    part = max(i for i, p in enumerate(index.episodes) if p.start_line <= line)
    slot = cast.series.slot_of.get((opened.key, part))
    return cast.series.slots[slot].number if slot is not None else None


def note_candidates(
    store: Store, kind: str, line_text: str, episode: int | None
) -> list[Candidate]:
    """Themes for a ``[[theme:`` note (or, in a ``[[signal:`` note, hashtags first), as
    candidates: those matching the line, then the episode's largest, then the series'."""
    from scriptlens.signals import list_themes, lookup  # on the store's thread, when first used

    matched = [(m.theme_id, m.label, m.signals) for m in lookup(store, line_text, limit=10)]
    themes = list_themes(store, episode, THEMES_LISTED) if episode is not None else []
    themes += list_themes(store, None, THEMES_LISTED)
    listed = [(t.id, t.label, t.signals) for t in themes]
    seen: set[str] = set()
    found: list[Candidate] = []
    hashtags = {t.id for t in themes if t.is_hashtag}
    for group, rows in ((0, matched), (1, listed)):
        for theme_id, label, signals in rows:
            if theme_id in seen:
                continue
            seen.add(theme_id)
            detail = f"{label} ({signals} signal{'s' if signals != 1 else ''})"
            if kind == "signal" and theme_id in hashtags:
                tag = label if label.startswith("#") else f"#{label}"
                found.append(Candidate(tag, detail, -1))
            found.append(Candidate(theme_id, detail, group, (label,)))
    found.sort(key=lambda candidate: candidate.group)
    return found


def _annotated_text(lines: list[str], number: int) -> str:
    """The text a note on line ``number`` annotates: its own line without notes, or, for a note
    standing alone, the next line with text."""
    for line in lines[number:]:
        text = _NOTES.sub(" ", line).strip()
        if text:
            return text
    return ""


async def complete(
    ls: ScriptlensServer, params: types.CompletionParams
) -> types.CompletionList | None:
    opened = ls.documents.get(params.text_document.uri)
    if opened is None:
        return None
    version = opened.version
    line_number, cursor = params.position.line, params.position.character
    lines = opened.document.text.split("\n")
    if line_number >= len(lines):
        return None
    line = lines[line_number].rstrip("\r")
    before = line[: utf16.index(line, cursor)]
    previous = lines[line_number - 1].rstrip("\r") if line_number > 0 else None
    invoked = (
        params.context is None
        or params.context.trigger_kind != types.CompletionTriggerKind.TriggerCharacter
    )
    context = completion.context_at(before, previous, invoked)
    if context is None:
        return None
    items: list[types.CompletionItem] = []
    if context.kind == "cue":
        if opened.series is not None and opened.key is not None:
            cast = opened.series.recent_cast()
            speakers = completion.speakers(cast, opened.key, line_number)
            items += _items(speakers, "cue", CHARACTER, context, line_number, cursor)
        scripts = _scripts(opened)
        headings = completion.heading_prefixes()
        items += _items(headings, "heading", HEADING, context, line_number, cursor)
        moves = completion.transitions(scripts)
        items += _items(moves, "transition", TRANSITION, context, line_number, cursor)
    elif context.kind in ("location", "time"):
        scripts = _scripts(opened)
        found = (
            completion.locations(scripts)
            if context.kind == "location"
            else completion.times_of_day(scripts)
        )
        items += _items(found, context.kind, CHARACTER, context, line_number, cursor)
    elif opened.series is not None:
        episode = _episode_number(opened, line_number)
        text = _annotated_text(lines, line_number)
        themes = await ls.store.read(
            opened.series.root, lambda store: note_candidates(store, context.kind, text, episode)
        )
        if opened.version != version or ls.documents.get(opened.uri) is not opened:
            return None  # the text moved on while the store was read
        items += _items(themes or [], "theme", CHARACTER, context, line_number, cursor)
    return types.CompletionList(is_incomplete=False, items=items)


def register(ls: ScriptlensServer) -> None:
    ls.feature(
        types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=TRIGGERS)
    )(complete)

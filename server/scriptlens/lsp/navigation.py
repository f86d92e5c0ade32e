"""Navigation between a character's names. ``textDocument/definition``: from a cue or a mention to
where the character is introduced (or first speaks). ``textDocument/references``: every cue,
mention and marker note naming the character, in every file of the series.
``textDocument/documentHighlight``: those of the open file, cues as writes, the rest as reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.continuity.cast import Cast
from scriptlens.continuity.occurrences import Occurrence, introduction, name_at, occurrences
from scriptlens.fountain.model import Range
from scriptlens.lsp.convert import lsp_range, model_position
from scriptlens.workspace.series import Series

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer


@dataclass(frozen=True)
class NameUnderCursor:
    """A character's name at a position of an open document of a series."""

    series: Series
    key: str  # the document's, in the series
    cast: Cast
    character: str
    occurrence: Occurrence
    uri_of: Callable[[str], str]

    def location(self, file: str, where: Range) -> types.Location:
        return types.Location(uri=self.uri_of(file), range=lsp_range(where))


def character_under(
    ls: ScriptlensServer, uri: str, position: types.Position, *, current: bool = False
) -> NameUnderCursor | None:
    """The character named at ``position`` and the name's occurrence; ``None`` off a name or
    outside a series. With ``current``, read from the cast as it is now, waiting for a check
    that holds the series (an edit must be made of the current text); else from its recent
    cast."""
    opened = ls.documents.get(uri)
    if opened is None or opened.series is None or opened.key is None:
        return None
    cast = opened.series.cast() if current else opened.series.recent_cast()
    found = name_at(cast, opened.key, model_position(position))
    if found is None:
        return None
    series = opened.series
    return NameUnderCursor(series, opened.key, cast, found[0], found[1], ls.uris(series))


def definition(ls: ScriptlensServer, params: types.DefinitionParams) -> types.Location | None:
    found = character_under(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    where = introduction(found.cast, found.character)
    return found.location(*where) if where is not None else None


def references(ls: ScriptlensServer, params: types.ReferenceParams) -> list[types.Location] | None:
    found = character_under(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    skipped = None
    if not params.context.include_declaration:
        skipped = introduction(found.cast, found.character)
    return [
        found.location(o.file, o.range)
        for o in occurrences(found.cast, found.character)
        if (o.file, o.range) != skipped
    ]


def document_highlight(
    ls: ScriptlensServer, params: types.DocumentHighlightParams
) -> list[types.DocumentHighlight] | None:
    found = character_under(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    write, read = types.DocumentHighlightKind.Write, types.DocumentHighlightKind.Read
    return [
        types.DocumentHighlight(range=lsp_range(o.range), kind=write if o.kind == "cue" else read)
        for o in occurrences(found.cast, found.character, {found.key})
    ]


def register(ls: ScriptlensServer) -> None:
    ls.feature(types.TEXT_DOCUMENT_DEFINITION)(definition)
    ls.feature(types.TEXT_DOCUMENT_REFERENCES)(references)
    ls.feature(types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)(document_highlight)

"""Navigation between a character's names. ``textDocument/definition``: from a cue or a mention to
where the character is introduced (or first speaks). ``textDocument/references``: every cue,
mention and marker note naming the character, in every file of the series.
``textDocument/documentHighlight``: those of the open file, cues as writes, the rest as reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.continuity.cast import Cast
from scriptlens.continuity.occurrences import Occurrence, introduction, name_at, occurrences
from scriptlens.lsp.convert import lsp_range, model_position
from scriptlens.lsp.documents import OpenDocument

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer


def character_under(
    ls: ScriptlensServer, uri: str, position: types.Position
) -> tuple[OpenDocument, Cast, str, Occurrence] | None:
    """The open document, the series' cast, and the character named at ``position`` with the
    name's occurrence; ``None`` off a name or outside the series."""
    opened = ls.documents.get(uri)
    if opened is None or opened.series is None or opened.key is None:
        return None
    cast = opened.series.cast()
    found = name_at(cast, opened.key, model_position(position))
    if found is None:
        return None
    return opened, cast, found[0], found[1]


def definition(ls: ScriptlensServer, params: types.DefinitionParams) -> types.Location | None:
    found = character_under(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    opened, cast, character, _ = found
    series = opened.series
    assert series is not None  # character_under found the document's series
    where = introduction(cast, character)
    if where is None:
        return None
    return types.Location(uri=ls.uris(series)(where[0]), range=lsp_range(where[1]))


def references(ls: ScriptlensServer, params: types.ReferenceParams) -> list[types.Location] | None:
    found = character_under(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    opened, cast, character, _ = found
    series = opened.series
    assert series is not None  # character_under found the document's series
    declaration = None if params.context.include_declaration else introduction(cast, character)
    return [
        types.Location(uri=ls.uris(series)(o.file), range=lsp_range(o.range))
        for o in occurrences(cast, character)
        if (o.file, o.range) != declaration
    ]


def document_highlight(
    ls: ScriptlensServer, params: types.DocumentHighlightParams
) -> list[types.DocumentHighlight] | None:
    found = character_under(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    opened, cast, character, _ = found
    series = opened.series
    assert series is not None  # character_under found the document's series
    assert opened.key is not None
    return [
        types.DocumentHighlight(
            range=lsp_range(o.range),
            kind=types.DocumentHighlightKind.Write
            if o.kind == "cue"
            else types.DocumentHighlightKind.Read,
        )
        for o in occurrences(cast, character, {opened.key})
    ]


def register(ls: ScriptlensServer) -> None:
    ls.feature(types.TEXT_DOCUMENT_DEFINITION)(definition)
    ls.feature(types.TEXT_DOCUMENT_REFERENCES)(references)
    ls.feature(types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)(document_highlight)

"""Symbols. ``textDocument/documentSymbol``: sections, the scenes under them and the dialogue
cues under those, nested as the script is. ``workspace/symbol``: the series' characters (where
each is introduced, or first speaks) and every scene of every file."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.continuity.cast import Cast
from scriptlens.fountain.model import Position, Range, Script
from scriptlens.lsp.convert import lsp_position, lsp_range
from scriptlens.lsp.screen_time import estimate

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer

SECTION_KIND = types.SymbolKind.Namespace
SCENE_KIND = types.SymbolKind.Event
CUE_KIND = types.SymbolKind.String
CHARACTER_KIND = types.SymbolKind.Object
PREVIEW_LENGTH = 40


@dataclass
class _Open:
    """A symbol still taking children; its range grows to cover the last one."""

    symbol: types.DocumentSymbol
    level: int  # section depth; scenes sit below every section


def _extend(opened: list[_Open], end: Position) -> None:
    for item in opened:
        item.symbol.range.end = lsp_position(end)


def _attach(
    roots: list[types.DocumentSymbol], opened: list[_Open], symbol: types.DocumentSymbol
) -> None:
    if opened:
        parent = opened[-1].symbol
        parent.children = [*(parent.children or []), symbol]
    else:
        roots.append(symbol)


def document_symbols(script: Script) -> list[types.DocumentSymbol]:
    roots: list[types.DocumentSymbol] = []
    opened: list[_Open] = []  # sections, then at most one scene
    scene_level = 1 << 16
    cues = {id(block.cue): block for block in script.dialogue}
    for element in script.elements:
        if element.type == "section":
            level = element.level or 1
            while opened and opened[-1].level >= level:
                opened.pop()
            symbol = _symbol(
                element.text or "#" * level, "section", SECTION_KIND, element.range, element.range
            )
            _attach(roots, opened, symbol)
            opened.append(_Open(symbol, level))
        elif element.type == "scene_heading" and element.scene is not None:
            while opened and opened[-1].level >= scene_level:
                opened.pop()
            scene = script.scenes[element.scene]
            symbol = _symbol(
                scene.heading, estimate(scene.seconds), SCENE_KIND, scene.range, scene.heading_range
            )
            _attach(roots, opened, symbol)
            opened.append(_Open(symbol, scene_level))
        elif element.type == "character" and id(element) in cues:
            block = cues[id(element)]
            symbol = _symbol(
                block.speaker or element.text,
                _preview(block.text),
                CUE_KIND,
                block.range,
                element.range,
            )
            _attach(roots, opened, symbol)
            _extend(opened, block.range.end)
            continue
        if element.type not in ("note", "boneyard"):
            _extend(opened, element.range.end)
    return roots


def _symbol(
    name: str, detail: str, kind: types.SymbolKind, whole: Range, selection: Range
) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=name.strip() or "(untitled)",
        detail=detail or None,
        kind=kind,
        range=lsp_range(whole),
        selection_range=lsp_range(selection),
    )


def _preview(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= PREVIEW_LENGTH else line[: PREVIEW_LENGTH - 1] + "…"


def matches(query: str, name: str) -> bool:
    """Fuzzy match as editors filter symbols: the query's letters appear in order, any case."""
    letters = iter(name.casefold())
    return all(char in letters for char in query.casefold() if not char.isspace())


def workspace_symbols(
    query: str,
    scripts: Mapping[str, tuple[str, Script]],
    cast: Cast | None,
    uri_of: Callable[[str], str],
) -> list[types.WorkspaceSymbol]:
    """``scripts``: URI -> (the name to show for the file, its model)."""
    found: list[types.WorkspaceSymbol] = []
    if cast is not None:
        found.extend(_characters(query, cast, uri_of))
    for uri, (name, script) in scripts.items():
        for scene in script.scenes:
            if matches(query, scene.heading):
                found.append(
                    types.WorkspaceSymbol(
                        name=scene.heading,
                        kind=SCENE_KIND,
                        location=types.Location(uri=uri, range=lsp_range(scene.heading_range)),
                        container_name=name,
                    )
                )
    return found


def _characters(
    query: str, cast: Cast, uri_of: Callable[[str], str]
) -> Iterable[types.WorkspaceSymbol]:
    for character in sorted(cast.speakers):
        if not matches(query, character):
            continue
        intros = cast.intros.get(character)
        first = intros[0] if intros else cast.first_cue(character)
        yield types.WorkspaceSymbol(
            name=character,
            kind=CHARACTER_KIND,
            location=types.Location(uri=uri_of(first.file), range=lsp_range(first.item.range)),
            container_name="character",
        )


def document_symbol(
    ls: ScriptlensServer, params: types.DocumentSymbolParams
) -> list[types.DocumentSymbol] | None:
    opened = ls.documents.get(params.text_document.uri)
    return document_symbols(opened.document.script) if opened else None


def workspace_symbol(
    ls: ScriptlensServer, params: types.WorkspaceSymbolParams
) -> list[types.WorkspaceSymbol]:
    found: list[types.WorkspaceSymbol] = []
    for series in ls.loaded_series():
        cast = series.recent_cast()
        scripts = {ls.uri_of(series, key): (key, i.script) for key, i in cast.indexes.items()}
        found += workspace_symbols(params.query, scripts, cast, ls.uris(series))
    outside = {  # open files outside every series: their scenes at least
        opened.uri: (opened.uri.rsplit("/", 1)[-1], opened.document.script)
        for opened in ls.documents
        if opened.key is None
    }
    return found + list(workspace_symbols(params.query, outside, None, str))


def register(ls: ScriptlensServer) -> None:
    ls.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)(document_symbol)
    ls.feature(types.WORKSPACE_SYMBOL)(workspace_symbol)

"""Symbols over stdio: the document outline (sections > scenes > cues) and workspace-wide
characters and scenes."""

from __future__ import annotations

from pathlib import Path

from lsp_support import open_file
from lsprotocol import types
from pytest_lsp import LanguageClient


def _outline(symbols: list[types.DocumentSymbol]) -> list[tuple]:
    return [(s.name, s.kind, _outline(s.children or [])) for s in symbols]


async def test_document_symbols_nest_cues_under_scenes_under_sections(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep01.fountain")
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert symbols is not None and all(isinstance(s, types.DocumentSymbol) for s in symbols)
    section, scene = types.SymbolKind.Namespace, types.SymbolKind.Event
    cue = types.SymbolKind.String
    assert _outline(symbols) == [  # type: ignore[arg-type]
        (
            "Act One",
            section,
            [
                (
                    "INT. OFFICE - DAY",
                    scene,
                    [
                        ("MR. LI", cue, []),
                        ("SU QING", cue, []),
                        ("MR. LI", cue, []),
                    ],
                ),
                ("EXT. ROOFTOP - NIGHT", scene, [("SU QING", cue, [])]),
            ],
        ),
    ]
    office = symbols[0].children[0]  # type: ignore[index, union-attr]
    assert office.selection_range == types.Range(
        start=types.Position(line=5, character=0), end=types.Position(line=5, character=17)
    )
    assert office.range.start.line == 5 and office.range.end.line == 19
    first_cue = office.children[0]  # type: ignore[index]
    assert first_cue.detail == "You're late again."

    # A symbol's range holds its children's.
    def span(r: types.Range) -> tuple[tuple[int, int], tuple[int, int]]:
        return (r.start.line, r.start.character), (r.end.line, r.end.character)

    for child in office.children or []:
        assert span(office.range)[0] <= span(child.range)[0]
        assert span(child.range)[1] <= span(office.range)[1]


async def test_workspace_symbols_find_characters_and_scenes_in_unopened_files(
    client: LanguageClient, workspace: Path
):
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="suqing"))
    assert found is not None
    # The client may read the answer as SymbolInformation: both have name, kind and location.
    [character] = found
    assert character.name == "SU QING"
    assert character.kind == types.SymbolKind.Object
    assert isinstance(character.location, types.Location)
    # Where she is introduced: her first ALL-CAPS mention in action.
    assert character.location.uri == (workspace / "ep01.fountain").as_uri()
    assert character.location.range.start == types.Position(line=7, character=36)

    scenes = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="office"))
    assert scenes is not None
    located = sorted(
        (Path(s.location.uri).name, s.name, s.kind)
        for s in scenes  # type: ignore[union-attr]
    )
    assert located == [
        ("ep01.fountain", "INT. OFFICE - DAY", types.SymbolKind.Event),
        ("ep02.fountain", "INT. OFFICE - MORNING", types.SymbolKind.Event),
    ]


async def test_an_empty_query_lists_every_character_and_scene(client: LanguageClient):
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query=""))
    assert found is not None
    names = {(s.name, s.kind) for s in found}
    assert ("MR. LI", types.SymbolKind.Object) in names
    assert ("MR LEE", types.SymbolKind.Object) in names
    assert len([kind for _, kind in names if kind == types.SymbolKind.Event]) == 3

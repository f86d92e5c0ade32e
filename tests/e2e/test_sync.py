"""Document sync over stdio: the server keeps each open file current from incremental changes
(UTF-16 columns, several changes per notification, whole-text replacements), and what it
answers after a run of edits equals what it answers for the same text opened fresh."""

from __future__ import annotations

from pathlib import Path

from lsp_support import EP01, SERVER, initialize_params, open_file
from lsprotocol import types
from pytest_lsp import LanguageClient

# Each edit: (start line, start UTF-16 column, end line, end UTF-16 column, new text).
Edit = tuple[int, int, int, int, str]
CAFE = "INT. CAFÉ 😀 咖啡馆 - NIGHT"
NIGHT = len(CAFE[: CAFE.index("NIGHT")].encode("utf-16-le")) // 2  # 19 code units, 18 chars

EDITS: list[list[Edit]] = [
    # A new scene with an astral-plane emoji (two UTF-16 units) and CJK in its heading.
    [(20, 0, 20, 0, f"\n{CAFE}\n\nÉLODIE waits.\n\nÉLODIE\nYou came.\n")],
    # Replace NIGHT after the emoji: columns count the emoji as two.
    [(21, NIGHT, 21, NIGHT + len("NIGHT"), "DAWN")],
    # Two changes in one notification, the second seeing the first's result.
    [(9, 0, 9, 6, "BOSS LI"), (10, 0, 10, 18, "Late. Again.")],
    # A deletion spanning lines: SU QING's first block goes.
    [(12, 0, 14, 0, "")],
    # A new section before everything, and a subsection typed one keystroke at a time.
    [(3, 0, 3, 0, "# Prologue\n\n")],
    *[[(5, i, 5, i, ch)] for i, ch in enumerate("## Part")],
    [(5, 7, 5, 7, "\n")],
    [(6, 0, 6, 0, "\n")],
]


def _index(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    offset = sum(len(part) + 1 for part in lines[:line])
    units = 0
    for index, char in enumerate(lines[line]):
        if units >= column:
            return offset + index
        units += 2 if ord(char) > 0xFFFF else 1
    return offset + len(lines[line])


def apply_locally(text: str, edits: list[Edit]) -> str:
    for start_line, start_column, end_line, end_column, new in edits:
        start, end = _index(text, start_line, start_column), _index(text, end_line, end_column)
        text = text[:start] + new + text[end:]
    return text


def _change(edit: Edit) -> types.TextDocumentContentChangePartial:
    start_line, start_column, end_line, end_column, text = edit
    return types.TextDocumentContentChangePartial(
        range=types.Range(
            start=types.Position(line=start_line, character=start_column),
            end=types.Position(line=end_line, character=end_column),
        ),
        text=text,
    )


async def _answers(client: LanguageClient, uri: str) -> tuple:
    document = types.TextDocumentIdentifier(uri=uri)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=document)
    )
    folds = await client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=document)
    )
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=document,
            range=types.Range(
                start=types.Position(line=0, character=0),
                end=types.Position(line=1000, character=0),
            ),
        )
    )
    return symbols, folds, hints


async def test_incremental_edits_answer_like_a_fresh_open(
    client: LanguageClient, workspace: Path, tmp_path: Path
):
    uri = open_file(client, workspace / "ep01.fountain")
    text = EP01
    for version, edits in enumerate(EDITS, start=2):
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[_change(edit) for edit in edits],
            )
        )
        text = apply_locally(text, edits)
    assert "INT. CAFÉ 😀 咖啡馆 - DAWN\n" in text and "## Part\n\n# Act One" in text
    edited = await _answers(client, uri)

    fresh = tmp_path / "fresh" / "ep01.fountain"
    fresh.parent.mkdir()
    fresh.write_text(text, encoding="utf-8")
    assert await _answers(client, open_file(client, fresh)) == edited

    symbols = edited[0]
    assert [c.name for c in symbols[0].children or []] == ["Part"]
    assert [s.name for s in symbols] == ["Prologue", "Act One"]
    scenes = [scene.name for scene in symbols[1].children or []]
    assert scenes == ["INT. OFFICE - DAY", "INT. CAFÉ 😀 咖啡馆 - DAWN", "EXT. ROOFTOP - NIGHT"]


async def test_a_whole_text_change_replaces_the_document(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "ep01.fountain")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangeWholeDocument(text="EXT. PIER - DAWN\n\nGulls.\n")
            ],
        )
    )
    symbols, _, _ = await _answers(client, uri)
    assert [s.name for s in symbols] == ["EXT. PIER - DAWN"]


async def test_server_speaks_utf16_even_when_the_client_prefers_utf8(workspace: Path):
    # A session of its own, to read the initialize result.
    other = await SERVER.start()
    try:
        params = initialize_params(workspace)
        assert params.capabilities.general and params.capabilities.general.position_encodings
        assert params.capabilities.general.position_encodings[0] == "utf-8"
        result = await other.initialize_session(params)
        assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf16
        sync = result.capabilities.text_document_sync
        assert isinstance(sync, types.TextDocumentSyncOptions)
        assert sync.change == types.TextDocumentSyncKind.Incremental
        await other.shutdown_session()
    finally:
        await other.stop()

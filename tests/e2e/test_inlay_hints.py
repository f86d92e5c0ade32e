"""Inlay hints over stdio: each scene's estimated screen time after its heading."""

from __future__ import annotations

import re
from pathlib import Path

from lsp_support import EP01, edit, open_file
from lsprotocol import types
from pytest_lsp import LanguageClient

from scriptlens import parse
from scriptlens.lsp.screen_time import estimate

WHOLE_FILE = types.Range(
    start=types.Position(line=0, character=0), end=types.Position(line=100, character=0)
)


async def _hints(client: LanguageClient, uri: str, visible: types.Range) -> list[types.InlayHint]:
    return (
        await client.text_document_inlay_hint_async(
            types.InlayHintParams(
                text_document=types.TextDocumentIdentifier(uri=uri), range=visible
            )
        )
        or []
    )


async def test_each_scene_heading_ends_with_its_screen_time(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep01.fountain")
    hints = await _hints(client, uri, WHOLE_FILE)
    scenes = parse(EP01).scenes
    assert [(h.position.line, h.position.character, h.label) for h in hints] == [
        (5, 17, estimate(scenes[0].seconds)),
        (21, 20, estimate(scenes[1].seconds)),
    ]
    assert all(re.fullmatch(r"≈ \d+:\d\d", str(h.label)) for h in hints)
    assert all(h.padding_left for h in hints)


async def test_only_headings_in_the_visible_range_get_hints(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep01.fountain")
    visible = types.Range(
        start=types.Position(line=18, character=0), end=types.Position(line=30, character=0)
    )
    hints = await _hints(client, uri, visible)
    assert [h.position.line for h in hints] == [21]


async def test_hints_follow_edits_and_can_be_turned_off(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "ep01.fountain")
    speech = "I waited on this roof for a long, long time. " * 6
    edit(client, uri, 2, (25, 0), (25, 0), f"SU QING\n{speech}\n\n")
    longer = await _hints(client, uri, WHOLE_FILE)
    assert [h.position.line for h in longer] == [5, 21]
    before = parse(EP01).scenes[1].seconds
    assert longer[1].label != estimate(before)

    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"scriptlens": {"inlayHints": {"screenTime": False}}}
        )
    )
    assert await _hints(client, uri, WHOLE_FILE) == []

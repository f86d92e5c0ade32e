"""Provenance inlay hints over stdio: at the end of each audience-driven line its main
motivation and confidence, beside the screen-time hints; switchable in the settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import open_file
from lsprotocol import types
from pytest_lsp import LanguageClient

from provenance_support import ANSWER_LINE, EP04_AFTER, LINKED_LINE, series

WHOLE_FILE = types.Range(
    start=types.Position(line=0, character=0), end=types.Position(line=100, character=0)
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return series(tmp_path / "series", "snapshots")


async def _hints(client: LanguageClient, uri: str, visible: types.Range) -> list[types.InlayHint]:
    found = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=types.TextDocumentIdentifier(uri=uri), range=visible)
    )
    return [hint for hint in found or [] if str(hint.label).startswith("←")]


async def test_audience_driven_lines_end_with_their_motivation(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep04.fountain")
    hints = await _hints(client, uri, WHOLE_FILE)
    lines = EP04_AFTER.split("\n")
    assert [(h.position.line, h.position.character) for h in hints] == [
        (ANSWER_LINE, len(lines[ANSWER_LINE])),
        (LINKED_LINE, len(lines[LINKED_LINE])),
    ]
    answer, linked = (str(h.label) for h in hints)
    assert answer.startswith("← Mr. Li should sign for his twin…") and answer.endswith("%")
    assert linked == "← #twins · linked"
    assert all(isinstance(h.tooltip, types.MarkupContent) for h in hints)


async def test_only_visible_lines_get_hints(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "ep04.fountain")
    visible = types.Range(
        start=types.Position(line=0, character=0),
        end=types.Position(line=ANSWER_LINE + 1, character=0),
    )
    assert [h.position.line for h in await _hints(client, uri, visible)] == [ANSWER_LINE]


async def test_the_setting_switches_them_off(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "ep04.fountain")
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"scriptlens": {"inlayHints": {"provenance": False}}}
        )
    )
    assert await _hints(client, uri, WHOLE_FILE) == []

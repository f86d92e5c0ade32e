"""Code lenses over stdio: above each scene heading, its estimated screen time and how many
speak in it; switched off by ``codeLens.enabled``, and the client told to refresh."""

from __future__ import annotations

from pathlib import Path

from lsp_support import EP01, open_file
from lsprotocol import types
from pytest_lsp import LanguageClient

from scriptlens import parse
from scriptlens.lsp.screen_time import estimate


async def _lenses(client: LanguageClient, uri: str) -> list[types.CodeLens] | None:
    found = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    return None if found is None else list(found)


async def test_a_lens_above_each_scene_with_its_screen_time(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep01.fountain")
    lenses = await _lenses(client, uri)
    office, rooftop = parse(EP01).scenes
    assert lenses is not None
    assert [
        (lens.range.start.line, lens.command.title if lens.command else None) for lens in lenses
    ] == [
        (5, f"{estimate(office.seconds)} screen time · 2 speaking"),
        (21, f"{estimate(rooftop.seconds)} screen time · 1 speaking"),
    ]
    assert all(lens.command and lens.command.command == "" for lens in lenses)


async def test_lenses_switch_off_and_the_client_is_told_to_refresh(
    client: LanguageClient, workspace: Path
):
    refreshes: list[None] = []

    @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def refresh(params: None) -> None:
        refreshes.append(params)

    uri = open_file(client, workspace / "ep01.fountain")
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"scriptlens": {"codeLens": {"enabled": False}}}
        )
    )
    assert await _lenses(client, uri) is None
    assert refreshes == []  # this client (Neovim 0.11) does not take refresh requests

"""Hover over stdio: a character's introduction, cues, episodes and dialogue share; a scene's
estimated screen time."""

from __future__ import annotations

import re
from pathlib import Path

from lsp_support import EP01, open_file
from lsprotocol import types
from pytest_lsp import LanguageClient

from scriptlens import parse
from scriptlens.lsp.screen_time import estimate


async def _hover(client: LanguageClient, uri: str, line: int, character: int) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
        )
    )


def _text(hover: types.Hover | None) -> str:
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    return hover.contents.value


def _share(text: str) -> float:
    match = re.search(r"Dialogue share: (\d+\.\d)%", text)
    assert match, text
    return float(match.group(1))


async def test_hover_on_a_cue_tells_the_characters_story(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "ep01.fountain")
    hover = await _hover(client, uri, 12, 3)  # SU QING's cue
    text = _text(hover)
    assert text.startswith("**SU QING**")
    assert "Introduced in ep01.fountain:8: MR. LI, 50s, stern" in text
    assert "Cues: 3" in text  # two in ep01, one in the unopened ep02
    assert "Episodes: 2 of 2 (ep01.fountain, ep02.fountain)" in text
    assert 0 < _share(text) < 100
    assert hover is not None and hover.range == types.Range(
        start=types.Position(line=12, character=0), end=types.Position(line=12, character=7)
    )


async def test_hover_on_a_name_in_action_is_the_same_character(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep01.fountain")
    on_cue = _text(await _hover(client, uri, 12, 0))
    on_mention = _text(await _hover(client, uri, 23, 4))  # "Su Qing climbs out onto the roof."
    assert on_mention == on_cue


async def test_dialogue_shares_of_all_speakers_add_up_to_the_whole(
    client: LanguageClient, workspace: Path
):
    ep01 = open_file(client, workspace / "ep01.fountain")
    ep02 = open_file(client, workspace / "ep02.fountain")
    shares = [
        _share(_text(await _hover(client, ep01, 9, 1))),  # MR. LI
        _share(_text(await _hover(client, ep01, 12, 1))),  # SU QING
        _share(_text(await _hover(client, ep02, 7, 1))),  # MR LEE
    ]
    assert abs(sum(shares) - 100) < 0.2


async def test_hover_on_a_scene_heading_gives_its_screen_time(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep01.fountain")
    text = _text(await _hover(client, uri, 5, 4))
    scene = parse(EP01).scenes[0]
    assert text.startswith("**INT. OFFICE - DAY**")
    assert f"Estimated screen time {estimate(scene.seconds)}" in text
    assert "Speaking: MR. LI, SU QING" in text


async def test_no_hover_on_blank_lines_or_plain_words(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "ep01.fountain")
    assert await _hover(client, uri, 4, 0) is None
    assert await _hover(client, uri, 23, 20) is None  # "onto"

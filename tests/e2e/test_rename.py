"""Rename of a character over stdio: prepareRename on a cue or a mention, a WorkspaceEdit over
every episode (cues with their extensions kept, mentions in the writer's case, marker notes),
``scriptlens.toml``'s aliases only when the setting asks, and a clear refusal when the new name
belongs to another character. The server never writes the files."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import EP01, EP02, file_changed, open_file
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

EP03 = """\
Title: Rooftop Hearts
Episode: 3

INT. LIFT - DAY

SU QING
Going up.

SU QING (CONT'D)
Still going up. [[exit: SU QING]]
"""


def _span(line: int, start: int, end: int) -> types.Range:
    return types.Range(
        start=types.Position(line=line, character=start),
        end=types.Position(line=line, character=end),
    )


def _at(uri: str, line: int, character: int) -> dict[str, object]:
    return {
        "text_document": types.TextDocumentIdentifier(uri=uri),
        "position": types.Position(line=line, character=character),
    }


async def _rename(
    client: LanguageClient, uri: str, line: int, character: int, new_name: str
) -> dict[str, list[tuple[types.Range, str]]]:
    answer = await client.text_document_rename_async(
        types.RenameParams(**_at(uri, line, character), new_name=new_name)
    )
    assert answer is not None and answer.changes is not None
    return {
        file: sorted(
            ((edit.range, edit.new_text) for edit in edits),
            key=lambda e: (e[0].start.line, e[0].start.character),
        )
        for file, edits in answer.changes.items()
    }


async def test_prepare_rename_on_a_cue_and_on_a_mention(client: LanguageClient, workspace: Path):
    ep01 = open_file(client, workspace / "ep01.fountain")
    on_cue = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(**_at(ep01, 12, 3))
    )
    assert on_cue == types.PrepareRenamePlaceholder(range=_span(12, 0, 7), placeholder="SU QING")
    on_mention = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(**_at(ep01, 23, 7))  # right after "Su Qing"
    )
    assert on_mention == types.PrepareRenamePlaceholder(
        range=_span(23, 0, 7), placeholder="Su Qing"
    )
    with pytest.raises(JsonRpcException, match="Rename works on a character's name"):
        await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(**_at(ep01, 23, 20))  # "onto"
        )


async def test_rename_covers_every_episode_cont_d_cues_and_marker_notes(
    client: LanguageClient, workspace: Path
):
    (workspace / "ep03.fountain").write_text(EP03, encoding="utf-8")
    file_changed(client, workspace / "ep03.fountain", types.FileChangeType.Created)
    ep01 = open_file(client, workspace / "ep01.fountain")
    changes = await _rename(client, ep01, 23, 2, "Su Mei")
    ep02 = (workspace / "ep02.fountain").as_uri()
    ep03 = (workspace / "ep03.fountain").as_uri()
    assert changes == {
        ep01: [
            (_span(7, 36, 43), "SU MEI"),  # the introduction, in capitals as written
            (_span(12, 0, 7), "SU MEI"),
            (_span(23, 0, 7), "Su Mei"),  # in action, as the writer typed it
            (_span(25, 0, 7), "SU MEI"),
        ],
        ep02: [(_span(5, 0, 7), "Su Mei"), (_span(10, 0, 7), "SU MEI")],
        ep03: [
            (_span(5, 0, 7), "SU MEI"),
            (_span(8, 0, 7), "SU MEI"),  # "(CONT'D)" stays
            (_span(9, 24, 31), "SU MEI"),  # [[exit: SU QING]]
        ],
    }
    # Nothing was written: the editor applies the edit.
    assert (workspace / "ep01.fountain").read_text(encoding="utf-8") == EP01
    assert (workspace / "ep02.fountain").read_text(encoding="utf-8") == EP02


async def test_rename_to_another_characters_name_is_refused_with_the_reason(
    client: LanguageClient, workspace: Path
):
    ep01 = open_file(client, workspace / "ep01.fountain")
    with pytest.raises(JsonRpcException) as refused:
        await _rename(client, ep01, 12, 0, "Mr Li")
    message = refused.value.message
    assert "Cannot rename SU QING to MR LI: MR LI is another character" in message
    assert "ep01.fountain:8" in message  # where that character is introduced


async def test_aliases_in_scriptlens_toml_are_renamed_only_when_asked(
    client: LanguageClient, workspace: Path
):
    (workspace / "scriptlens.toml").write_text(
        '[cast.aliases]\n"SU QING" = ["QINGQING"]  # her nickname\n', encoding="utf-8"
    )
    config = (workspace / "scriptlens.toml").as_uri()
    ep01 = open_file(client, workspace / "ep01.fountain")
    assert config not in await _rename(client, ep01, 12, 0, "SU MEI")

    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"scriptlens": {"rename": {"aliases": True}}})
    )
    changes = await _rename(client, ep01, 12, 0, "SU MEI")
    assert changes[config] == [(_span(1, 0, 9), '"SU MEI"')]

"""Go to definition, references and document highlight over stdio: from a cue or a name in
action to the character's introduction, every place that names it, and its names in the open
file."""

from __future__ import annotations

from pathlib import Path

from lsp_support import open_file
from lsprotocol import types
from pytest_lsp import LanguageClient


def _at(uri: str, line: int, character: int) -> dict[str, object]:
    return {
        "text_document": types.TextDocumentIdentifier(uri=uri),
        "position": types.Position(line=line, character=character),
    }


def _span(line: int, start: int, end: int) -> types.Range:
    return types.Range(
        start=types.Position(line=line, character=start),
        end=types.Position(line=line, character=end),
    )


async def test_definition_goes_from_a_cue_in_another_episode_to_the_introduction(
    client: LanguageClient, workspace: Path
):
    ep02 = open_file(client, workspace / "ep02.fountain")
    found = await client.text_document_definition_async(
        types.DefinitionParams(**_at(ep02, 10, 3))  # SU QING's cue in ep02
    )
    # "MR. LI, 50s, stern, reads a report. SU QING, 20s, waits by the door." in ep01
    ep01 = (workspace / "ep01.fountain").as_uri()
    assert found == types.Location(uri=ep01, range=_span(7, 36, 43))


async def test_definition_from_a_name_in_action_and_nothing_off_a_name(
    client: LanguageClient, workspace: Path
):
    ep01 = open_file(client, workspace / "ep01.fountain")
    from_mention = await client.text_document_definition_async(
        types.DefinitionParams(**_at(ep01, 23, 2))  # "Su Qing climbs out onto the roof."
    )
    assert isinstance(from_mention, types.Location) and from_mention.range == _span(7, 36, 43)
    off_a_name = await client.text_document_definition_async(
        types.DefinitionParams(**_at(ep01, 23, 20))  # "onto"
    )
    assert off_a_name is None


async def test_references_are_every_cue_and_mention_in_every_episode(
    client: LanguageClient, workspace: Path
):
    ep01 = open_file(client, workspace / "ep01.fountain")
    ep02_uri = (workspace / "ep02.fountain").as_uri()
    found = await client.text_document_references_async(
        types.ReferenceParams(
            **_at(ep01, 12, 0), context=types.ReferenceContext(include_declaration=True)
        )
    )
    assert found is not None
    assert [(location.uri, location.range) for location in found] == [
        (ep01, _span(7, 36, 43)),  # the introduction
        (ep01, _span(12, 0, 7)),
        (ep01, _span(23, 0, 7)),  # "Su Qing" in action
        (ep01, _span(25, 0, 7)),
        (ep02_uri, _span(5, 0, 7)),  # ep02 is not open: read from disk
        (ep02_uri, _span(10, 0, 7)),
    ]
    without_declaration = await client.text_document_references_async(
        types.ReferenceParams(
            **_at(ep01, 12, 0), context=types.ReferenceContext(include_declaration=False)
        )
    )
    assert list(without_declaration or []) == list(found[1:])


async def test_document_highlight_marks_cues_as_writes_and_mentions_as_reads(
    client: LanguageClient, workspace: Path
):
    ep01 = open_file(client, workspace / "ep01.fountain")
    found = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(**_at(ep01, 9, 4))  # MR. LI's cue
    )
    read, write = types.DocumentHighlightKind.Read, types.DocumentHighlightKind.Write
    assert list(found or []) == [
        types.DocumentHighlight(range=_span(7, 0, 6), kind=read),
        types.DocumentHighlight(range=_span(9, 0, 6), kind=write),
        types.DocumentHighlight(range=_span(18, 0, 6), kind=write),
    ]

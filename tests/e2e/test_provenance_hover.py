"""Provenance in the hover over stdio: why a line is there, from the real store, beside the
character and scene hovers; unsaved lines count as written now; stale answers are dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import edit, open_file
from lsprotocol import types
from pytest_lsp import LanguageClient

from provenance_support import ANSWER_LINE, LINKED_LINE, OLD_LINE, series


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """Episode 4 rewritten in git after the audience asked Mr. Li to sign for his twins."""
    return series(tmp_path / "series", "git")


async def _hover(client: LanguageClient, uri: str, line: int, character: int) -> str | None:
    found = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
        )
    )
    if found is None:
        return None
    assert isinstance(found.contents, types.MarkupContent)
    assert found.contents.kind == types.MarkupKind.Markdown
    return found.contents.value


async def test_a_motivated_line_says_why_with_people_quotes_and_outcome(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep04.fountain")
    text = await _hover(client, uri, ANSWER_LINE, 40)
    assert text is not None
    assert text.startswith("**Why this line is here**")
    assert "inferred" in text and "confidence" in text
    assert "6 people, 6 signals" in text  # the English half of the twelve who asked
    assert "> Mr. Li should sign for his twins already" in text
    assert "**Episode 4:** completion 52% (series median 46%, previous episode 40%)" in text
    assert "wb-a" not in text  # no author, ever


async def test_a_name_in_a_motivated_line_shows_the_character_and_the_provenance(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep04.fountain")
    text = await _hover(client, uri, ANSWER_LINE, 2)  # "Mr. Li" at the line's start
    assert text is not None
    card, why = text.split("\n\n---\n\n")
    assert card.startswith("**MR. LI**")
    assert why.startswith("**Why this line is here**")


async def test_a_line_older_than_its_lookalike_comments_shows_reactions_not_motivations(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep04.fountain")
    text = await _hover(client, uri, OLD_LINE, 3)
    assert text is not None
    assert "Why this line is here" not in text
    assert "**Reactions**" in text and "where is the report lol" in text


async def test_linked_signals_show_as_linked(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "ep04.fountain")
    text = await _hover(client, uri, LINKED_LINE, 3)
    assert text is not None and "**#twins**: linked in a note" in text


async def test_an_unsaved_line_is_judged_as_written_now(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "ep04.fountain")
    assert await _hover(client, uri, 9, 3) is None  # "On your desk, sir."
    edit(client, uri, 2, (9, 0), (9, 18), "Sir, sign for your twins on the desk.")
    text = await _hover(client, uri, 9, 3)
    assert text is not None and "unsaved or uncommitted" in text
    assert "Mr. Li should sign for his twins already" in text

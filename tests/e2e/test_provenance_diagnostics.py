"""Diagnostics over stdio for notes that link to signals or themes the store does not know:
a warning on the note, gone when the link is fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import diagnostics_until, edit, open_file
from lsprotocol import types
from pytest_lsp import LanguageClient

from provenance_support import EP04_AFTER, LINKED_LINE, series


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return series(tmp_path / "series", "snapshots")


def _links(found: list[types.Diagnostic] | tuple) -> list[types.Diagnostic]:
    return [d for d in found if d.code == "unknown-link"]


async def test_a_link_to_an_unknown_signal_is_a_warning_on_its_note(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep04.fountain")
    found = await diagnostics_until(client, uri, lambda d: bool(_links(d)))
    [warning] = _links(found)
    line = EP04_AFTER.split("\n")[LINKED_LINE]
    start = line.index("[[")
    assert warning.severity == types.DiagnosticSeverity.Warning
    assert warning.range == types.Range(
        start=types.Position(line=LINKED_LINE, character=start),
        end=types.Position(line=LINKED_LINE, character=len(line)),
    )
    assert "nosuchid" in warning.message and "#twins" not in warning.message


async def test_fixing_the_link_clears_the_warning(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "ep04.fountain")
    await diagnostics_until(client, uri, lambda d: bool(_links(d)))
    line = EP04_AFTER.split("\n")[LINKED_LINE]
    start = line.index(", nosuchid")
    edit(client, uri, 2, (LINKED_LINE, start), (LINKED_LINE, start + len(", nosuchid")), "")
    await diagnostics_until(client, uri, lambda d: not _links(d))

"""Issue 12, item 6 over stdio: a document with more findings than an editor can use gets them
capped, with a note of how many were left out; a burst of keystrokes sent while the server is
busy is merged, and what the server answers next sees every one of them."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import pytest_lsp
from lsp_support import SERVER, diagnostics_until, initialize_params, open_file
from lsprotocol import types
from pytest_lsp import LanguageClient

from scriptlens.lsp.diagnostics import MAX_PER_DOCUMENT

SPEAKERS = MAX_PER_DOCUMENT + 200


def crowd() -> str:
    """A scene where many speakers, none alike, are never introduced: one hint each."""
    rnd = random.Random(5)
    names: set[str] = set()
    while len(names) < SPEAKERS:
        names.add("".join(rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(9)))
    blocks = [f"{name}\nHello there.\n" for name in sorted(names)]
    return "INT. ROOM - DAY\n\n" + "\n".join(blocks)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "series"
    root.mkdir()
    (root / "scriptlens.toml").write_text("", "utf-8")
    (root / "scene.fountain").write_text("INT. ROOM - DAY\n\nSU QING waits.\n", "utf-8")
    return root


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, workspace: Path):
    await lsp_client.initialize_session(initialize_params(workspace))
    yield
    await lsp_client.shutdown_session()


async def test_diagnostics_are_capped_with_a_note(client: LanguageClient, workspace: Path) -> None:
    (workspace / "crowd.fountain").write_text(crowd(), "utf-8")  # after the first check
    uri = open_file(client, workspace / "crowd.fountain")
    found = await diagnostics_until(client, uri, lambda found: len(found) > 1, timeout=60)
    assert len(found) == MAX_PER_DOCUMENT + 1
    note = found[0]
    assert note.code == "more-diagnostics"
    assert f"{SPEAKERS - MAX_PER_DOCUMENT} more diagnostic(s)" in note.message


async def test_a_burst_of_keystrokes_is_seen_whole(client: LanguageClient, workspace: Path) -> None:
    uri = open_file(client, workspace / "scene.fountain")
    heading = "INT. ROOM - DAY"
    typed = " - LATER, AFTER THE STORM"
    for version, character in enumerate(typed, start=2):
        column = len(heading) + version - 2
        position = types.Position(line=0, character=column)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=position, end=position), text=character
                    )
                ],
            )
        )
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert symbols
    assert symbols[0].name == heading + typed

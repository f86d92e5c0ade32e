"""Issue 12, item 6 over stdio: a document with more findings than an editor can use gets them
capped, with a note of how many were left out; a burst of keystrokes sent while the server is
busy is merged, and what the server answers next sees every one of them; while a long document
is checked, requests on another are answered, and a check that a newer text made stale is
dropped."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from lsp_support import DEBOUNCE_MS, SERVER, diagnostics_until, initialize_params, open_file
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


CAST = ("SU QING", "MR. LI", "GRANDMA SU", "ZHAO MING", "LIN YAN")


def long_series(newcomer: str, scenes: int = 16_000) -> str:
    """About 2 MB of scenes between the introduced cast, ending with ``newcomer``, who speaks
    without an introduction: one finding whose name tells which text was checked."""
    opening = f"INT. HALL - DAY\n\n{', '.join(CAST)} wait in silence.\n\n"
    body = [
        f"INT. ROOM {n} - DAY\n\n{CAST[n % 5]} looks at {CAST[(n + 1) % 5]}.\n\n"
        f"{CAST[n % 5]}\nLine {n}, and not one word more.\n\n"
        f"{CAST[(n + 2) % 5]}\nReply {n}.\n\n"
        for n in range(scenes)
    ]
    return opening + "".join(body) + f"{newcomer}\nWho are you all?\n"


class Published(dict[str, Sequence[types.Diagnostic]]):
    """The client's diagnostics, and every publication on the way, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.history: list[tuple[str, Sequence[types.Diagnostic]]] = []

    def __setitem__(self, uri: str, diagnostics: Sequence[types.Diagnostic]) -> None:
        self.history.append((uri, diagnostics))
        super().__setitem__(uri, diagnostics)


def names(found: Sequence[types.Diagnostic]) -> str:
    return " ".join(d.message for d in found)


def replace_text(client: LanguageClient, uri: str, version: int, text: str) -> None:
    """A whole-text change (a paste over everything, a revert): the model is made afresh."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


@pytest.fixture
async def long_document(
    client: LanguageClient, workspace: Path
) -> AsyncIterator[tuple[str, Published]]:
    """A 2 MB script open beside a short one, its first check done; what is published from
    then on recorded."""
    (workspace / "long.fountain").write_text(long_series("ZED NEWCOMER"), "utf-8")
    published = Published()
    client.diagnostics = published
    uri = open_file(client, workspace / "long.fountain")
    await diagnostics_until(client, uri, lambda found: "ZED" in names(found), timeout=120)
    yield uri, published


async def test_requests_on_another_document_do_not_wait_for_a_long_check(
    client: LanguageClient, workspace: Path, long_document: tuple[str, Published]
) -> None:
    uri, _ = long_document
    other = open_file(client, workspace / "scene.fountain")
    replace_text(client, uri, 2, long_series("QUILL NEWCOMER"))
    await asyncio.sleep(DEBOUNCE_MS / 1000 + 0.3)
    assert "QUILL" not in names(client.diagnostics.get(uri, [])), "the check was already done"
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=other),
            position=types.Position(line=2, character=1),
        )
    )
    assert hover is not None and "SU QING" in str(hover.contents)
    # The check on the event loop published before it answered anything else.
    assert "QUILL" not in names(client.diagnostics.get(uri, [])), "the hover waited for the check"
    await diagnostics_until(client, uri, lambda found: "QUILL" in names(found), timeout=120)


async def test_a_check_made_stale_by_a_newer_text_is_never_published(
    client: LanguageClient, long_document: tuple[str, Published]
) -> None:
    uri, published = long_document
    replace_text(client, uri, 2, long_series("WREN NEWCOMER"))
    await asyncio.sleep(DEBOUNCE_MS / 1000 + 0.3)  # the check of version 2 is under way
    replace_text(client, uri, 3, long_series("QUILL NEWCOMER"))
    await diagnostics_until(client, uri, lambda found: "QUILL" in names(found), timeout=120)
    seen = [names(found) for at, found in published.history if at == uri]
    assert not any("WREN" in text for text in seen), "a stale check was published"


@pytest_lsp.fixture(config=SERVER)
async def client_of_a_long_series(lsp_client: LanguageClient, workspace: Path):
    """A session started on a series holding a 2 MB script, which it reads as it starts."""
    (workspace / "long.fountain").write_text(long_series("ZED NEWCOMER"), "utf-8")
    await lsp_client.initialize_session(initialize_params(workspace))
    yield
    await lsp_client.shutdown_session()


async def test_a_long_series_is_read_without_holding_requests(
    client_of_a_long_series: LanguageClient, workspace: Path
) -> None:
    client = client_of_a_long_series
    started = time.perf_counter()
    uri = open_file(client, workspace / "scene.fountain")
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    answered = time.perf_counter() - started
    assert symbols and symbols[0].name == "INT. ROOM - DAY"
    long_uri = (workspace / "long.fountain").as_uri()
    await diagnostics_until(client, long_uri, lambda found: "ZED" in names(found), timeout=120)
    read_and_checked = time.perf_counter() - started
    # Read on the event loop, the series held this answer for nearly all of that time.
    assert answered < read_and_checked / 2, f"{answered:.2f} s of {read_and_checked:.2f} s"

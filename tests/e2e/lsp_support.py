"""What the end-to-end tests share: the example series and small client-side helpers."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from series_support import EP01, EP02

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "scriptlens.lsp"])
DEBOUNCE_MS = 50
TIMEOUT = 15.0


def write_series(root: Path) -> None:
    (root / "ep01.fountain").write_text(EP01, encoding="utf-8")
    (root / "ep02.fountain").write_text(EP02, encoding="utf-8")


def open_file(client: LanguageClient, path: Path) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="fountain", version=1, text=path.read_text(encoding="utf-8")
            )
        )
    )
    return uri


def edit(
    client: LanguageClient,
    uri: str,
    version: int,
    start: tuple[int, int],
    end: tuple[int, int],
    text: str,
) -> None:
    """One incremental change, as an editor sends it for a keystroke or a paste."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=start[0], character=start[1]),
                        end=types.Position(line=end[0], character=end[1]),
                    ),
                    text=text,
                )
            ],
        )
    )


def file_changed(
    client: LanguageClient, path: Path, change: types.FileChangeType = types.FileChangeType.Changed
) -> None:
    """A file changed outside the editor, as the editor's file watcher reports it."""
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=change)])
    )


def save(client: LanguageClient, uri: str) -> None:
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )


async def diagnostics_until(
    client: LanguageClient,
    uri: str,
    done: Callable[[Sequence[types.Diagnostic]], bool],
    timeout: float = TIMEOUT,
) -> Sequence[types.Diagnostic]:
    """The diagnostics last published for ``uri`` once ``done`` holds for them; fails with what
    was last seen when it does not hold in time."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        found = client.diagnostics.get(uri, [])
        if done(found):
            return found
        if loop.time() > deadline:
            raise AssertionError(f"diagnostics for {uri} never matched; last: {found}")
        await asyncio.sleep(0.02)


def codes(diagnostics: Sequence[types.Diagnostic]) -> set[str]:
    return {str(d.code) for d in diagnostics}


def initialize_params(root: Path, **options: object) -> types.InitializeParams:
    return types.InitializeParams(
        # Neovim 0.11 offers UTF-8 first: the server must still answer in UTF-16.
        capabilities=client_capabilities("neovim@v0.11.0"),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        initialization_options={
            "scriptlens": {"diagnostics": {"debounceMs": DEBOUNCE_MS}, **options}
        },
    )


def answer_inlay_hint_refresh(client: LanguageClient) -> list[None]:
    """Neovim 0.11 says it handles ``workspace/inlayHint/refresh``; so does this client, and it
    counts the requests in the returned list."""
    refreshes: list[None] = []

    @client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def refresh(params: None) -> None:
        refreshes.append(params)

    return refreshes

"""``scriptlens lsp --tcp HOST:PORT``: the same server over a TCP socket, for debugging, spoken
to by pygls' own client; a malformed address is refused before anything starts."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from pathlib import Path

from lsp_support import TIMEOUT, write_series
from lsprotocol import types
from pygls.lsp.client import LanguageClient

from scriptlens import __version__


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _connect(client: LanguageClient, port: int) -> None:
    deadline = asyncio.get_running_loop().time() + TIMEOUT
    while True:
        try:
            await client.start_tcp("127.0.0.1", port)
            return
        except OSError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.05)


async def test_the_server_answers_over_tcp(tmp_path: Path):
    write_series(tmp_path)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "scriptlens", "lsp", "--tcp", f"127.0.0.1:{port}"]
    )
    client = LanguageClient("tcp-test", "1")
    try:
        await _connect(client, port)
        result = await client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(), root_uri=tmp_path.as_uri()
            )
        )
        assert result.server_info is not None
        assert (result.server_info.name, result.server_info.version) == ("scriptlens", __version__)
        client.initialized(types.InitializedParams())
        uri = (tmp_path / "ep01.fountain").as_uri()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri,
                    language_id="fountain",
                    version=1,
                    text=(tmp_path / "ep01.fountain").read_text(encoding="utf-8"),
                )
            )
        )
        hover = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=12, character=2),
            )
        )
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert hover.contents.value.startswith("**SU QING**")
        await client.shutdown_async(None)
        client.exit(None)
        assert server.wait(TIMEOUT) == 0
    finally:
        await client.stop()
        if server.poll() is None:
            server.kill()
            server.wait()


def test_a_malformed_address_is_refused():
    done = subprocess.run(
        [sys.executable, "-m", "scriptlens", "lsp", "--tcp", "localhost"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 2
    assert "'localhost' is not HOST:PORT (e.g. 127.0.0.1:2087)" in done.stderr

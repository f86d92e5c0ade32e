"""Soak: the language server's memory over many edits (issue 12: "+109 MB over 50,000
single-character edits on a 120-page script, still held after the document is closed"; target:
growth under 10%).

The real server runs as a subprocess over stdio. A 120-page script is opened and typed into:
each edit inserts one character or deletes the one typed before, so the text stays the same
size and any growth is the server's own. The writer pauses after every 1,000 edits, long enough
for the debounced continuity check to run, as it does when a person types. The first 5,000
edits warm the server up (its caches, the check's indexes, the threads' memory pools: the
resident set takes one step up the first time the check runs). The server's resident set
(``VmRSS`` from ``/proc``) is read after a request has been answered, so every edit before it
has been handled: once warmed up, after the edits, and after the document is closed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus import script
from harness import Row, below, keystroke

WARMUP_EDITS = 5_000
PAUSE_EVERY = 1_000
PAUSE_SECONDS = 0.5  # over the default debounce, so the check runs


@dataclass(frozen=True)
class Soak:
    edits: int
    seconds: float
    warm_mb: float  # after the warm-up edits
    edited_mb: float  # after all the edits
    closed_mb: float  # after closing the document

    @property
    def growth(self) -> float:
        """Growth over the edits, as a fraction of the warmed-up size."""
        return self.edited_mb / self.warm_mb - 1


class _Server:
    """The server over stdio, answering requests by id; notifications it sends are drained."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scriptlens.lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self._answers: dict[int, Any] = {}
        self._arrived = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self._next_id = 0

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while True:
            length = 0
            while (line := stdout.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            message = json.loads(stdout.read(length))
            if "id" in message and "method" not in message:
                with self._arrived:
                    self._answers[message["id"]] = message
                    self._arrived.notify_all()

    def notify(self, method: str, params: Any) -> None:
        body = json.dumps({"jsonrpc": "2.0", "method": method, "params": params}).encode()
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))

    def request(self, method: str, params: Any) -> Any:
        self._next_id += 1
        msg_id = self._next_id
        body = json.dumps({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body.encode()), body.encode()))
        stdin.flush()
        with self._arrived:
            if not self._arrived.wait_for(lambda: msg_id in self._answers, timeout=600):
                raise TimeoutError(f"no answer to {method}")
            return self._answers.pop(msg_id)

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        resident = next(line for line in status.splitlines() if line.startswith("VmRSS"))
        return int(resident.split()[1]) / 1024

    def stop(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _edit(server: _Server, uri: str, version: int, lines: int) -> None:
    """Types one character at the start of a line, or deletes the one typed there before."""
    line, typing = keystroke(version, lines)
    at = {"line": line, "character": 0}
    if typing:
        change = {"range": {"start": at, "end": at}, "text": "x"}
    else:
        change = {"range": {"start": at, "end": {"line": line, "character": 1}}, "text": ""}
    params = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}
    server.notify("textDocument/didChange", params)


def _type(server: _Server, uri: str, versions: range, lines: int) -> None:
    """Edits for ``versions``, pausing as a writer does every ``PAUSE_EVERY`` edits."""
    for version in versions:
        _edit(server, uri, version, lines)
        if version % PAUSE_EVERY == 0:
            server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
            time.sleep(PAUSE_SECONDS)


def soak(edits: int, pages: int = 120) -> Soak:
    """Opens a ``pages``-page script in the real server and edits it ``edits`` times."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        text = script(pages)
        path = root / "film.fountain"
        path.write_text(text, "utf-8")
        (root / "scriptlens.toml").write_text("", "utf-8")
        uri = path.as_uri()
        server = _Server()
        try:
            server.request(
                "initialize",
                {"processId": None, "rootUri": root.as_uri(), "capabilities": {}},
            )
            server.notify("initialized", {})
            item = {"uri": uri, "languageId": "fountain", "version": 0, "text": text}
            server.notify("textDocument/didOpen", {"textDocument": item})
            lines = text.count("\n")
            symbols = {"textDocument": {"uri": uri}}
            _type(server, uri, range(1, WARMUP_EDITS + 1), lines)
            server.request("textDocument/documentSymbol", symbols)
            warm = server.rss_mb()
            began = time.perf_counter()
            _type(server, uri, range(WARMUP_EDITS + 1, WARMUP_EDITS + edits + 1), lines)
            server.request("textDocument/documentSymbol", symbols)
            seconds = time.perf_counter() - began
            edited = server.rss_mb()
            server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            server.request("workspace/symbol", {"query": "x"})
            closed = server.rss_mb()
            server.stop()
        finally:
            if server.process.poll() is None:
                server.process.kill()
        return Soak(edits, seconds, warm, edited, closed)


def rows(quick: bool) -> list[Row]:
    result = soak(2_000 if quick else 50_000, pages=30 if quick else 120)
    return [
        below(  # as a share of the warmed-up size, so that no growth still reads 100%
            "soak: server memory after edits, of warmed-up",
            (1 + result.growth) * 100,
            "%",
            110,
            f"{result.edits:,} single-character edits: {result.warm_mb:.1f} MB warm, "
            f"{result.edited_mb:.1f} MB after, {result.closed_mb:.1f} MB after close; "
            f"{result.seconds / result.edits * 1000:.2f} ms an edit with the writer's pauses",
        )
    ]

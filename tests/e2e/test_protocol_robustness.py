"""Issue 12, item 5: the real server over a raw stdio pipe, sent what no well-behaved client
sends. Every request is answered (with -32700, -32600 or -32602 where it must be), out-of-range
positions promptly, and the server reads on after a broken frame: `shutdown` still answers and
`exit` ends the process."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from lsp_support import write_series

from scriptlens.lsp.framing import STALL_SECONDS

PROMPT = 2.0  # seconds: an answer that takes longer than this is not prompt
RECOVERY = STALL_SECONDS + 5.0  # a broken frame may be closed by the stall timeout


def frame(message: dict[str, Any], extra: int = 0, header: bytes | None = None) -> bytes:
    """A message as the base protocol frames it; ``extra`` misstates its length."""
    body = json.dumps(message).encode()
    if header is None:
        header = b"Content-Length: %d\r\n\r\n" % (len(body) + extra)
    return header + body


def request(msg_id: int, method: str, params: Any = None) -> dict[str, Any]:
    # The key order of vscode-jsonrpc: the id before the method and params.
    return {"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params}


def hover(msg_id: int, uri: str, line: int, character: int = 0) -> dict[str, Any]:
    position = {"line": line, "character": character}
    return request(
        msg_id, "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
    )


class RawClient:
    """The server as a subprocess, written raw bytes and read frame by frame."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scriptlens.lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.root = root
        self.uri = (root / "ep01.fountain").as_uri()

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
            self.messages.put(json.loads(stdout.read(length)))

    def send(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def answer(self, msg_id: int | None, timeout: float) -> dict[str, Any]:
        """The response to ``msg_id``, skipping notifications and other responses."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no answer to {msg_id} within {timeout} s")
            try:
                message = self.messages.get(timeout=remaining)
            except queue.Empty:
                continue
            if "method" not in message and message.get("id") == msg_id:
                return message

    def start_session(self) -> None:
        params = {
            "processId": None,
            "rootUri": self.root.as_uri(),
            "capabilities": {},
            "workspaceFolders": [{"uri": self.root.as_uri(), "name": "series"}],
        }
        self.send(frame(request(1, "initialize", params)))
        assert "result" in self.answer(1, 30)
        self.send(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        text = (self.root / "ep01.fountain").read_text("utf-8")
        item = {"uri": self.uri, "languageId": "fountain", "version": 1, "text": text}
        opened = {"textDocument": item}
        self.send(frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": opened}))

    def shut_down(self, timeout: float) -> None:
        """`shutdown` is answered and `exit` ends the process: the server was not hung."""
        self.send(frame(request(999, "shutdown")))
        assert self.answer(999, timeout).get("result", "missing") is None
        self.send(frame({"jsonrpc": "2.0", "method": "exit"}))
        assert self.process.wait(timeout=10) == 0

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def client(tmp_path: Path):
    root = tmp_path / "series"
    root.mkdir()
    write_series(root)
    raw = RawClient(root)
    raw.start_session()
    yield raw
    raw.close()


def test_invalid_json_is_answered_with_a_parse_error(client: RawClient) -> None:
    body = b'{"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {'
    client.send(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    answer = client.answer(7, PROMPT)
    assert answer["error"]["code"] == -32700
    client.send(b"Content-Length: 4\r\n\r\n[1,2")
    assert client.answer(None, PROMPT)["error"]["code"] == -32700
    client.send(b"Content-Length: 7\r\n\r\n[1,2,3]")
    assert client.answer(None, PROMPT)["error"]["code"] == -32600
    client.shut_down(PROMPT)


def test_invalid_params_are_answered_with_32602_at_once(client: RawClient) -> None:
    for msg_id, line in enumerate((2**40, -1), start=8):
        began = time.monotonic()
        client.send(frame(hover(msg_id, client.uri, line)))
        answer = client.answer(msg_id, PROMPT)
        assert answer["error"]["code"] == -32602
        assert "$.params.position" in answer["error"]["message"]
        assert time.monotonic() - began < PROMPT
    client.shut_down(PROMPT)


def test_positions_past_the_end_are_answered_promptly(client: RawClient) -> None:
    far = {"line": 2**31 - 1, "character": 2**31 - 1}
    methods = ("hover", "definition", "references", "documentHighlight", "prepareRename")
    for msg_id, method in enumerate(methods, start=10):
        params: dict[str, Any] = {"textDocument": {"uri": client.uri}, "position": far}
        if method == "references":
            params["context"] = {"includeDeclaration": True}
        began = time.monotonic()
        client.send(frame(request(msg_id, f"textDocument/{method}", params)))
        answer = client.answer(msg_id, PROMPT)
        # an answer, and not a crash (-32603): a result, or an error the method defines
        assert "result" in answer or answer["error"]["code"] != -32603, (method, answer)
        assert time.monotonic() - began < PROMPT
    client.shut_down(PROMPT)


BROKEN_FRAMES = {
    "20 bytes short": lambda message: frame(message, extra=-20),
    "30 bytes long": lambda message: frame(message, extra=30),
    "non-numeric length": lambda message: frame(message, header=b"Content-Length: lots\r\n\r\n"),
    "huge length": lambda message: frame(message, header=b"Content-Length: 999999999\r\n\r\n"),
    "no header": lambda message: frame(message, header=b""),
}


@pytest.mark.parametrize("broken", list(BROKEN_FRAMES))
def test_the_server_recovers_from_a_broken_frame(client: RawClient, broken: str) -> None:
    """The broken request gets an answer (an error, or its result when its body was whole),
    and so does the next, well-formed one."""
    client.send(BROKEN_FRAMES[broken](hover(20, client.uri, 5)))
    client.send(frame(hover(21, client.uri, 5)))
    answers = {client.answer(msg_id, RECOVERY)["id"] for msg_id in (20, 21)}
    assert answers == {20, 21}
    client.shut_down(PROMPT)


@pytest.mark.parametrize("broken", ["30 bytes long", "no header"])
def test_a_broken_frame_followed_by_silence_is_answered_after_the_stall(
    client: RawClient, broken: str
) -> None:
    """Nothing comes after the broken frame to show where it ends: the pause does."""
    began = time.monotonic()
    client.send(BROKEN_FRAMES[broken](hover(30, client.uri, 5)))
    answer = client.answer(30, RECOVERY)
    waited = time.monotonic() - began
    if broken == "30 bytes long":
        assert "result" in answer  # its body was whole: it is served
    else:
        assert answer["error"]["code"] == -32700
    assert STALL_SECONDS - 0.5 < waited < RECOVERY
    client.shut_down(PROMPT)

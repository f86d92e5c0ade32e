"""Issue 12, items 4 and 5 below the process: the frame reader byte by byte, and the server's
protocol object driven with real messages, in-process, to count what it keeps per edit."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any

import pytest
from pygls.io_ import StdoutWriter

from scriptlens.lsp.documents import MAX_PENDING
from scriptlens.lsp.framing import MAX_BODY, Body, FrameReader, Junk
from scriptlens.lsp.server import ScriptlensProtocol, create_server


def framed(body: bytes, length: int | None = None) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % (len(body) if length is None else length) + body


ONE = b'{"jsonrpc":"2.0","id":1,"method":"a"}'
TWO = b'{"jsonrpc":"2.0","id":2,"method":"b"}'


def test_well_formed_frames_split_anywhere_come_out_whole() -> None:
    stream = framed(ONE) + b"Content-Type: application/vscode-jsonrpc\r\n" + framed(TWO)
    for cut in range(len(stream) + 1):
        reader = FrameReader()
        events = reader.feed(stream[:cut]) + reader.feed(stream[cut:])
        assert events == [Body(ONE), Body(TWO)], cut
        assert not reader.waiting


def test_a_length_too_long_ends_where_the_next_header_shows_through() -> None:
    reader = FrameReader()
    assert reader.feed(framed(ONE, len(ONE) + 30) + framed(TWO)) == [Body(ONE), Body(TWO)]


def test_a_length_too_long_with_nothing_after_ends_at_the_stall() -> None:
    reader = FrameReader()
    assert reader.feed(framed(ONE, len(ONE) + 30)) == []
    assert reader.waiting
    assert reader.stalled() == [Body(ONE)]
    assert not reader.waiting


def test_a_length_too_short_leaves_junk_before_the_next_header() -> None:
    reader = FrameReader()
    events = reader.feed(framed(ONE, len(ONE) - 20) + framed(TWO))
    assert events == [
        Body(ONE[:-20]),
        Junk(ONE[-20:], "bytes without a Content-Length header"),
        Body(TWO),
    ]
    assert not reader.waiting


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (b"Content-Length: lots\r\n\r\n", "a Content-Length that is not a number"),
        (
            b"Content-Length: 999999999\r\n\r\n",
            f"a Content-Length of 999999999 bytes, over {MAX_BODY}",
        ),
    ],
)
def test_a_bad_length_is_junk_and_the_body_after_it_too(header: bytes, reason: str) -> None:
    reader = FrameReader()
    events = reader.feed(header + ONE + framed(TWO))
    assert events == [
        Junk(header, reason),
        Junk(ONE, "bytes without a Content-Length header"),
        Body(TWO),
    ]


def test_a_body_without_any_header_is_junk_at_the_stall() -> None:
    reader = FrameReader()
    assert reader.feed(ONE) == [] and reader.waiting
    assert reader.stalled() == [Junk(ONE, "bytes without a Content-Length header")]


def test_endless_junk_is_bounded() -> None:
    reader = FrameReader()
    events = reader.feed(b"x" * 100_000)
    assert [type(event) for event in events] == [Junk]
    assert len(events[0].data) > 90_000


def test_a_large_body_arriving_in_small_chunks_is_read_in_linear_time() -> None:
    body = json.dumps({"text": "INT. ROOF - NIGHT\n" * 600_000}).encode()  # about 11 MB
    reader = FrameReader()
    data = framed(body) + framed(TWO)
    events: list[Body | Junk] = []
    for start in range(0, len(data), 1 << 16):
        events += reader.feed(data[start : start + (1 << 16)])
    assert events == [Body(body), Body(TWO)]


class Sink(io.BytesIO):
    """What the server writes to the client."""

    def flush(self) -> None:
        pass


def _frames(data: bytes) -> list[dict[str, Any]]:
    reader = FrameReader()
    return [json.loads(event.data) for event in reader.feed(data) if isinstance(event, Body)]


def _send(protocol: ScriptlensProtocol, message: dict[str, Any]) -> None:
    protocol.receive(Body(json.dumps({"jsonrpc": "2.0", **message}).encode()))


def test_no_future_is_kept_per_edit_open_or_close(tmp_path: Path) -> None:
    """pygls kept two Futures per didChange, for good (+109 MB over 50,000 edits)."""
    (tmp_path / "scriptlens.toml").write_text("", "utf-8")
    server = create_server()
    protocol = server.protocol
    assert isinstance(protocol, ScriptlensProtocol)
    sink = Sink()
    protocol.set_writer(StdoutWriter(sink))
    uri = (tmp_path / "ep01.fountain").as_uri()
    _send(
        protocol,
        {
            "id": 1,
            "method": "initialize",
            "params": {"capabilities": {}, "rootUri": tmp_path.as_uri()},
        },
    )
    _send(protocol, {"method": "initialized", "params": {}})
    item = {"uri": uri, "languageId": "fountain", "version": 1, "text": "INT. ROOF - NIGHT\n\n"}
    _send(protocol, {"method": "textDocument/didOpen", "params": {"textDocument": item}})
    for version in range(2, 502):
        change = {
            "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
            "text": "x",
        }
        _send(
            protocol,
            {
                "method": "textDocument/didChange",
                "params": {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [change],
                },
            },
        )
    _send(protocol, {"method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
    assert protocol._request_futures == {}
    assert server.documents.get(uri) is None
    assert _frames(sink.getvalue())[0]["id"] == 1  # it answered initialize


def test_typing_moves_one_timer_instead_of_making_one_per_keystroke(tmp_path: Path) -> None:
    """Each keystroke used to cancel the re-check's timer and set a new one; the cancelled
    ones piled up in the event loop until it swept them."""
    server = create_server()

    async def type_on() -> int:
        loop = asyncio.get_running_loop()
        before = len(loop._scheduled)  # type: ignore[attr-defined]
        for _ in range(1_000):
            server.diagnostics.schedule()
        return len(loop._scheduled) - before  # type: ignore[attr-defined]

    assert asyncio.run(type_on()) == 1


def test_pending_changes_are_bounded(tmp_path: Path) -> None:
    server = create_server()
    protocol = server.protocol
    assert isinstance(protocol, ScriptlensProtocol)
    protocol.set_writer(StdoutWriter(Sink()))
    uri = (tmp_path / "ep01.fountain").as_uri()
    item = {"uri": uri, "languageId": "fountain", "version": 1, "text": "INT. ROOF - NIGHT\n\n"}
    _send(protocol, {"method": "textDocument/didOpen", "params": {"textDocument": item}})
    opened = server.documents.get(uri)
    assert opened is not None
    for version in range(2, 2 + 3 * MAX_PENDING):
        at = {"line": 1, "character": 0}
        change = {"range": {"start": at, "end": at}, "text": "\n"}
        params = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}
        _send(protocol, {"method": "textDocument/didChange", "params": params})
        assert len(opened.pending) < MAX_PENDING
    assert opened.document.text.count("\n") == 2 + 3 * MAX_PENDING

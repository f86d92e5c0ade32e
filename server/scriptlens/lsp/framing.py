"""The LSP base protocol over stdio, resilient to broken frames.

pygls' reader trusts every ``Content-Length``: a frame 20 bytes short or 30 bytes long, a
non-numeric or a huge length, or none at all left it waiting forever, and the server never
answered again. Here a frame ends where its length says, or earlier where the next frame's
header shows through it (raw CR LF cannot occur inside JSON, so that header is never part of
a body), or when the stream stalls inside it. Bytes outside any frame are reported and
skipped up to the next header. Reading stays sans-IO (``FrameReader``) so that it is tested
byte by byte; ``serve_stdio`` feeds it from stdin.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from pygls.io_ import StdoutWriter
from pygls.server import JsonRPCServer

logger = logging.getLogger(__name__)

FRAME_HEADER = re.compile(rb"Content-Length:[ \t]*(\d+)[ \t]*\r\n", re.IGNORECASE)
HEADER_START = re.compile(rb"Content-Length:", re.IGNORECASE)
OTHER_HEADERS = re.compile(rb"(?:[A-Za-z][A-Za-z-]*:[^\r\n]*\r\n)*")
MAX_BODY = 256 * 1024 * 1024  # a 10 MB script with JSON escapes is far below
MAX_HEADER = 8 * 1024
PROBE = 48  # bytes re-scanned at the end of a body, where a header may arrive split
STALL_SECONDS = 3.0  # a client writes a frame at once; this long a pause inside one is a break
CHUNK = 1 << 16


@dataclass(frozen=True)
class Body:
    """A frame's body, as its length (or the next header, or a stall) delimited it."""

    data: bytes


@dataclass(frozen=True)
class Junk:
    """Bytes that belong to no frame, and why."""

    data: bytes
    reason: str


Event = Body | Junk


class FrameReader:
    """Splits a byte stream into frame bodies, resynchronising on the next header after a
    broken frame."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._length: int | None = None  # of the body being read
        self._scanned = 0  # how much of that body was searched for a header showing through

    @property
    def waiting(self) -> bool:
        """Whether bytes of an unfinished frame (or junk) are held, so a stall means a break."""
        return self._length is not None or bool(self._buffer.strip())

    def feed(self, data: bytes) -> list[Event]:
        self._buffer += data
        events: list[Event] = []
        while self._buffer and (
            self._body(events) if self._length is not None else self._header(events)
        ):
            pass
        return events

    def stalled(self) -> list[Event]:
        """The stream paused inside a frame: a body that is shorter than its length ends here;
        bytes outside any frame are junk."""
        data = bytes(self._buffer)
        self._buffer.clear()
        if self._length is not None:
            self._length = None
            return [Body(data)]
        return [Junk(data, "bytes without a Content-Length header")] if data.strip() else []

    def _junk(self, events: list[Event], end: int, reason: str) -> None:
        data = bytes(self._buffer[:end])
        del self._buffer[:end]
        if OTHER_HEADERS.fullmatch(data) is None:  # Content-Type and the like are no junk
            events.append(Junk(data, reason))

    def _header(self, events: list[Event]) -> bool:
        """Consumes one header block; False when more bytes are needed."""
        start = HEADER_START.search(self._buffer)
        if start is None:
            keep = len(b"Content-Length:") - 1  # a header may be arriving split
            if len(self._buffer) > MAX_HEADER:
                self._junk(
                    events, len(self._buffer) - keep, "bytes without a Content-Length header"
                )
            return False
        if start.start():
            self._junk(events, start.start(), "bytes without a Content-Length header")
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self._buffer) > MAX_HEADER:
                self._junk(events, len(self._buffer), "a header block that never ends")
            return False
        header = FRAME_HEADER.match(self._buffer)
        if header is None or header.end() > end + 2:
            self._junk(events, end + 4, "a Content-Length that is not a number")
            return True
        length = int(header.group(1))
        if length > MAX_BODY:
            self._junk(events, end + 4, f"a Content-Length of {length} bytes, over {MAX_BODY}")
            return True
        del self._buffer[: end + 4]
        self._length, self._scanned = length, 0
        return True

    def _body(self, events: list[Event]) -> bool:
        """Consumes one body; False when more bytes are needed."""
        assert self._length is not None
        limit = min(len(self._buffer), self._length)
        through = FRAME_HEADER.search(self._buffer, max(0, self._scanned - PROBE), limit + PROBE)
        if through is not None and through.start() < limit:
            end = through.start()  # the length was too long: the next frame starts here
        elif len(self._buffer) >= self._length:
            end = self._length
        else:
            self._scanned = limit
            return False
        events.append(Body(bytes(self._buffer[:end])))
        del self._buffer[:end]
        self._length = None
        return True


def serve_stdio(
    server: JsonRPCServer,
    receive: Callable[[Event], None],
    stdin: BinaryIO,
    stdout: BinaryIO,
) -> None:
    """Serves ``server`` over stdio until ``exit`` or the end of stdin, handing every frame
    body or piece of junk to ``receive``."""
    server.protocol.set_writer(StdoutWriter(stdout))
    stop = server._stop_event = threading.Event()
    try:
        asyncio.run(_read_loop(stdin, receive, stop))
    except BrokenPipeError:
        logger.error("the client closed the connection; shutting down")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()


async def _read_loop(
    stdin: BinaryIO, receive: Callable[[Event], None], stop: threading.Event
) -> None:
    loop = asyncio.get_running_loop()
    chunks: asyncio.Queue[bytes] = asyncio.Queue()

    def pump() -> None:
        """Blocking reads in their own thread, so that the event loop can time a stall."""
        while True:
            try:
                data = os.read(stdin.fileno(), CHUNK)
            except OSError:
                data = b""
            loop.call_soon_threadsafe(chunks.put_nowait, data)
            if not data:
                return

    threading.Thread(target=pump, name="lsp-stdin", daemon=True).start()
    frames = FrameReader()
    while not stop.is_set():
        try:
            data = await asyncio.wait_for(chunks.get(), STALL_SECONDS if frames.waiting else None)
        except asyncio.TimeoutError:
            events = frames.stalled()
        else:
            if not data:
                logger.info("stdin closed")
                return
            events = frames.feed(data)
        for event in events:
            receive(event)

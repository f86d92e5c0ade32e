"""The one text reader: how every face turns a script's bytes, or an editor's buffer, into the
text the model, the continuity index and provenance all count lines and columns in.

- A byte-order mark is dropped.
- A lone carriage return ends a line, as LSP says it does; it becomes ``\\n`` (one character
  for one, so columns and offsets stay put). ``\\r\\n`` is left as it is.
- Invalid UTF-8 bytes become U+FFFD, one per byte, and are reported with the line and column
  of the first, so that the CLI and the editor say the same thing about the same file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scriptlens.fountain import utf16
from scriptlens.fountain.model import Position
from scriptlens.text_facts import terminal_safe

_INVALID_BYTE = re.compile("[\udc80-\udcff]")
_LONE_CR = re.compile(r"\r(?!\n)")


@dataclass(frozen=True)
class InvalidBytes:
    """Bytes that were not UTF-8: how many, and where the first one stood in the text."""

    count: int
    first: Position

    def message(self) -> str:
        return f"{self.count} invalid UTF-8 byte(s) replaced with U+FFFD"


@dataclass(frozen=True)
class SourceText:
    text: str
    invalid: InvalidBytes | None = None


def clean(text: str) -> str:
    """An editor's buffer or a decoded file as the cores read it: no BOM, lone CRs as ``\\n``."""
    text = text.removeprefix("\ufeff")
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def _position(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return Position(line, utf16.units(text[line_start:offset]))


def decode(data: bytes) -> SourceText:
    text = data.decode("utf-8", "surrogateescape")
    if not data.isascii():
        found = _INVALID_BYTE.search(text)
        if found is not None:
            count = len(_INVALID_BYTE.findall(text))
            text = _INVALID_BYTE.sub("\ufffd", text)
            cleaned = clean(text)
            first = _position(cleaned, found.start() - (len(text) - len(cleaned)))
            return SourceText(cleaned, InvalidBytes(count, first))
    return SourceText(clean(text))


def invalid_bytes_warning(shown_path: str, invalid: InvalidBytes) -> str:
    """The one line every face prints about a file's invalid bytes (paths as the user sees
    them, 1-based line and column as editors and compilers count them)."""
    where = f"{shown_path}:{invalid.first.line + 1}:{invalid.first.character + 1}"
    return f"{terminal_safe(where)}: warning: {invalid.message()}"


def read_source(path: Path) -> SourceText:
    """A script file's text; ``OSError`` when it cannot be read."""
    return decode(path.read_bytes())

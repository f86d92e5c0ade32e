"""LSP columns count UTF-16 code units, Python strings count code points: the conversions."""

from __future__ import annotations


def units(text: str) -> int:
    """How many UTF-16 code units ``text`` takes."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


def column(line: str, index: int) -> int:
    """The UTF-16 column of ``line[index]``."""
    return units(line[:index])


def index(line: str, column: int) -> int:
    """The index into ``line`` of a UTF-16 column, clamped to the line."""
    if line.isascii():
        return min(column, len(line))
    seen = 0
    for position, char in enumerate(line):
        if seen >= column:
            return position
        seen += 2 if ord(char) > 0xFFFF else 1
    return len(line)

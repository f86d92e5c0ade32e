"""Model coordinates to LSP types and back. The model already speaks LSP coordinates (0-based
lines, UTF-16 columns), so this is a change of classes, never of numbers."""

from __future__ import annotations

from lsprotocol import types

from scriptlens.fountain.model import Position, Range


def lsp_position(position: Position) -> types.Position:
    return types.Position(line=position.line, character=position.character)


def lsp_range(where: Range) -> types.Range:
    return types.Range(start=lsp_position(where.start), end=lsp_position(where.end))


def model_position(position: types.Position) -> Position:
    return Position(position.line, position.character)


def model_range(where: types.Range) -> Range:
    return Range(model_position(where.start), model_position(where.end))


def overlaps(a: Range, b: Range) -> bool:
    """Whether two ranges share a position; an empty range touching the other counts (a cursor
    at the end of a diagnostic is on it)."""
    a_start, a_end = (a.start.line, a.start.character), (a.end.line, a.end.character)
    b_start, b_end = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return a_start <= b_end and b_start <= a_end

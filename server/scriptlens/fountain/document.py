"""An open document: its text and a tree kept up to date by incremental reparsing.

The language server holds one per open file. Each LSP content change becomes a ``tree.edit``
followed by an incremental parse, so a keystroke revisits the scene it touched, not the file.
Text, line offsets and the model are derived lazily from the bytes, once per version.
"""

from __future__ import annotations

from tree_sitter import Point, Tree

from scriptlens.fountain import utf16
from scriptlens.fountain.model import Position, Script
from scriptlens.fountain.parser import Edit, build_script, line_starts, new_parser
from scriptlens.fountain.text_reader import clean


class Document:
    def __init__(self, text: str, path: str | None = None):
        self.path = path
        self._parser = new_parser()
        self._source = clean(text).encode("utf-8", "surrogatepass")
        self.tree: Tree = self._parser.parse(self._source)
        self._script: Script | None = None
        # the last model made: the next version's reuses the scenes an edit did not touch
        self._previous: Script | None = None
        self._edits: list[Edit] | None = None  # since the version ``_previous`` is of, if known
        self._forget_derived()

    def _forget_derived(self) -> None:
        self._text: str | None = None
        self._line_starts: list[int] | None = None
        if self._script is not None:
            self._previous, self._edits = self._script, []
        self._script = None

    @property
    def source(self) -> bytes:
        return self._source

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self._source.decode("utf-8", "surrogatepass")
        return self._text

    @property
    def script(self) -> Script:
        """The model of the current text, built once per version."""
        if self._script is None:
            self._script = build_script(
                self.tree,
                self._source,
                self.path,
                self._previous,
                edited=True,
                edits=tuple(self._edits or ()),
            )
        return self._script

    def replace_all(self, text: str) -> None:
        self._source = clean(text).encode("utf-8", "surrogatepass")
        self.tree = self._parser.parse(self._source)
        self._forget_derived()
        self._edits = None

    def apply_change(self, start: Position, end: Position, new_text: str) -> None:
        """Replace the text between two LSP positions (UTF-16 columns) and reparse incrementally."""
        start_byte, start_point = self._locate(start)
        end_byte, end_point = self._locate(end)
        inserted = clean(new_text).encode("utf-8", "surrogatepass")
        last_newline = inserted.rfind(b"\n")
        if last_newline < 0:
            new_end = Point(start_point.row, start_point.column + len(inserted))
        else:
            new_end = Point(
                start_point.row + inserted.count(b"\n"), len(inserted) - last_newline - 1
            )
        self._source = self._source[:start_byte] + inserted + self._source[end_byte:]
        old = self.tree
        old.edit(
            start_byte=start_byte,
            old_end_byte=end_byte,
            new_end_byte=start_byte + len(inserted),
            start_point=start_point,
            old_end_point=end_point,
            new_end_point=new_end,
        )
        self.tree = self._parser.parse(self._source, old)
        self._forget_derived()
        if self._edits is not None:
            changed = tuple((r.start_byte, r.end_byte) for r in old.changed_ranges(self.tree))
            self._edits.append(Edit(start_byte, end_byte, start_byte + len(inserted), changed))

    def offset_at(self, position: Position) -> int:
        """The byte offset of an LSP position."""
        return self._locate(position)[0]

    def _locate(self, position: Position) -> tuple[int, Point]:
        if self._line_starts is None:
            self._line_starts = line_starts(self._source.split(b"\n"))
        starts = self._line_starts
        if position.line >= len(starts):  # past the end: clamp to the end of the document
            return len(self._source), Point(len(starts) - 1, len(self._source) - starts[-1])
        line_start = starts[position.line]
        line_end = (
            starts[position.line + 1] - 1 if position.line + 1 < len(starts) else len(self._source)
        )
        line = self._source[line_start:line_end]
        if line.isascii():
            column = min(position.character, len(line))
        else:
            decoded = line.decode("utf-8", "surrogatepass")
            prefix = decoded[: utf16.index(decoded, position.character)]
            column = len(prefix.encode("utf-8", "surrogatepass"))
        return line_start + column, Point(position.line, column)

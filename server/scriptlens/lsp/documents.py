"""Document sync: one ``Document`` per open URI, kept current from incremental content changes
(``tree.edit`` plus an incremental reparse per change), and the series told what changed.

Changes are applied when the document is next read, not as they arrive: a burst of keystrokes
that queued up while the server was busy (on a 10 MB script an edit costs most of a second)
is merged into one edit and one reparse. The server settles every open document before it
serves a request or checks the series, so nothing ever reads a stale text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import to_fs_path

from scriptlens.fountain import utf16
from scriptlens.fountain.document import Document
from scriptlens.lsp import memory
from scriptlens.lsp.convert import model_position
from scriptlens.workspace import CONFIG_NAME
from scriptlens.workspace.series import Series

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer


MAX_PENDING = 256  # content changes held before they are applied unasked


@dataclass
class OpenDocument:
    uri: str
    version: int
    _document: Document
    series: Series | None  # the series the file belongs to; None for an unsaved buffer
    key: str | None  # the series' name for it; None outside any series
    # content changes received and not applied yet
    pending: list[types.TextDocumentContentChangeEvent] = field(default_factory=list)

    @property
    def document(self) -> Document:
        """The document, with every change received so far."""
        self.settle()
        return self._document

    @property
    def size(self) -> int:
        """Bytes of text, as of the changes applied so far."""
        return len(self._document.source)

    def settle(self) -> None:
        if self.pending:
            changes, self.pending = coalesce(self.pending), []
            apply_changes(self._document, changes)


class DocumentStore:
    def __init__(self) -> None:
        self._open: dict[str, OpenDocument] = {}

    def get(self, uri: str) -> OpenDocument | None:
        return self._open.get(uri)

    def add(
        self, uri: str, version: int, text: str, series: Series | None, key: str | None
    ) -> OpenDocument:
        opened = OpenDocument(uri, version, Document(text, key or file_path(uri)), series, key)
        self._open[uri] = opened
        return opened

    def remove(self, uri: str) -> OpenDocument | None:
        return self._open.pop(uri, None)

    def by_key(self, series: Series, key: str) -> OpenDocument | None:
        return next(
            (doc for doc in self._open.values() if doc.series is series and doc.key == key), None
        )

    def __iter__(self) -> Iterator[OpenDocument]:
        return iter(list(self._open.values()))

    def settle(self) -> None:
        """Applies the changes pending in every open document."""
        for opened in self._open.values():
            opened.settle()


def file_path(uri: str) -> str | None:
    return to_fs_path(uri) if uri.startswith("file:") else None


def _continues(
    first: types.TextDocumentContentChangePartial, then: types.TextDocumentContentChangePartial
) -> str | None:
    """The text ``first`` and ``then`` make as one change of ``first``'s range, when ``then``
    types on where ``first`` ended or deletes what it typed last (backspace); else None."""
    start, end = first.range.start, first.range.end
    if start.line != end.line or "\n" in first.text or "\n" in then.text:
        return None
    typed_end = types.Position(start.line, start.character + utf16.units(first.text))
    if then.range.end != typed_end:
        return None
    if then.range.start == typed_end:  # typing on
        return first.text + then.text
    removed = typed_end.character - then.range.start.character
    backspace = (  # over what was just typed
        then.range.start.line == start.line
        and not then.text
        and first.text.isascii()
        and 0 < removed <= len(first.text)
    )
    return first.text[: len(first.text) - removed] if backspace else None


def coalesce(
    changes: Sequence[types.TextDocumentContentChangeEvent],
) -> list[types.TextDocumentContentChangeEvent]:
    """The same edit in fewer changes: nothing before the last whole-text replacement, and
    typing (or deleting what was just typed) along one line merged into one change."""
    merged: list[types.TextDocumentContentChangeEvent] = []
    for change in changes:
        if not isinstance(change, types.TextDocumentContentChangePartial):
            merged = [change]
            continue
        last = merged[-1] if merged else None
        if isinstance(last, types.TextDocumentContentChangePartial):
            text = _continues(last, change)
            if text is not None:
                merged[-1] = types.TextDocumentContentChangePartial(range=last.range, text=text)
                continue
        merged.append(change)
    return merged


def apply_changes(
    document: Document, changes: Sequence[types.TextDocumentContentChangeEvent]
) -> None:
    """Applies LSP content changes in order: ranged ones incrementally, whole-text ones by
    replacing everything."""
    for change in changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            document.apply_change(
                model_position(change.range.start), model_position(change.range.end), change.text
            )
        else:
            document.replace_all(change.text)


def did_open(ls: ScriptlensServer, params: types.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    path = file_path(item.uri)
    series = ls.series_for(Path(path)) if path else None
    key = series.key(Path(path)) if series and path else None
    opened = ls.documents.add(item.uri, item.version, item.text, series if key else None, key)
    if series and key:
        series.opened(key, opened.document)
    ls.diagnostics.schedule(immediately=True)


def did_change(ls: ScriptlensServer, params: types.DidChangeTextDocumentParams) -> None:
    opened = ls.documents.get(params.text_document.uri)
    if opened is None:
        return
    opened.pending.extend(params.content_changes)
    if len(opened.pending) >= MAX_PENDING:  # a client typing on with nothing read: bound it
        opened.settle()
    opened.version = params.text_document.version
    if opened.series and opened.key:
        opened.series.changed(opened.key)
    ls.diagnostics.schedule()


def did_save(ls: ScriptlensServer, params: types.DidSaveTextDocumentParams) -> None:
    opened = ls.documents.get(params.text_document.uri)
    if opened is None:
        return
    if params.text is not None and params.text != opened.document.text:
        opened.document.replace_all(params.text)
    if opened.series and opened.key:
        opened.series.changed(opened.key)
        opened.series.was_saved(opened.key)
        ls.provenance.saved(opened)  # into the snapshot history, where git does not keep it
    ls.diagnostics.schedule(immediately=True)


def did_close(ls: ScriptlensServer, params: types.DidCloseTextDocumentParams) -> None:
    closed = ls.documents.remove(params.text_document.uri)
    if closed is not None and closed.series and closed.key:
        closed.series.closed(closed.key)
        ls.provenance.closed(closed)
    if closed is not None and closed.size >= memory.LARGE_DOCUMENT:
        ls.diagnostics.give_back_memory = True
    ls.diagnostics.schedule(immediately=True)


def did_change_watched_files(
    ls: ScriptlensServer, params: types.DidChangeWatchedFilesParams
) -> None:
    """Files changed outside the editor: other episodes, ``scriptlens.toml``, git's HEAD."""
    for change in params.changes:
        path = file_path(change.uri)
        if path is None:
            continue
        changed = Path(path)
        if changed.name == CONFIG_NAME:
            ls.reload_series_roots()
        for series in ls.loaded_series():
            if changed.name == CONFIG_NAME and changed.parent == series.root:
                series.reload_config()
                series.scan()
                ls.report_config_error(series)
            elif changed.name == "HEAD" or ".git" in changed.parts:
                series.reload_baselines()
            elif (key := series.key(changed)) is not None:
                series.reload_file(key)
    ls.diagnostics.schedule(immediately=True)


def register(ls: ScriptlensServer) -> None:
    ls.feature(types.TEXT_DOCUMENT_DID_OPEN)(did_open)
    ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)(did_change)
    ls.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))(did_save)
    ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)(did_close)
    ls.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(did_change_watched_files)

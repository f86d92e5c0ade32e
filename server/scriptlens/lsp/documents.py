"""Document sync: one ``Document`` per open URI, kept current from incremental content changes
(``tree.edit`` plus an incremental reparse per change), and the series told what changed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import to_fs_path

from scriptlens.fountain.document import Document
from scriptlens.lsp.convert import model_position
from scriptlens.workspace import CONFIG_NAME
from scriptlens.workspace.series import Series

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer


@dataclass
class OpenDocument:
    uri: str
    version: int
    document: Document
    series: Series | None  # the series the file belongs to; None for an unsaved buffer
    key: str | None  # the series' name for it; None outside any series


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


def file_path(uri: str) -> str | None:
    return to_fs_path(uri) if uri.startswith("file:") else None


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
    apply_changes(opened.document, params.content_changes)
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
    ls.diagnostics.schedule(immediately=True)


def did_close(ls: ScriptlensServer, params: types.DidCloseTextDocumentParams) -> None:
    closed = ls.documents.remove(params.text_document.uri)
    if closed is not None and closed.series and closed.key:
        closed.series.closed(closed.key)
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

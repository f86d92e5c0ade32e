"""The language server: a pygls ``LanguageServer`` holding the open documents, the workspace's
series and the settings, with each feature module's handlers registered on it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import from_fs_path, to_fs_path

from scriptlens import __version__
from scriptlens.lsp import (
    code_actions,
    documents,
    folding,
    hover,
    inlay_hints,
    navigation,
    rename,
    semantic_tokens,
    symbols,
)
from scriptlens.lsp.diagnostics import DiagnosticsPublisher
from scriptlens.lsp.documents import DocumentStore, file_path
from scriptlens.lsp.settings import Settings, read_settings
from scriptlens.workspace import find_root, series_roots
from scriptlens.workspace.series import Series

logger = logging.getLogger(__name__)
WATCHED = ("**/*.fountain", "**/scriptlens.toml", "**/.git/HEAD", "**/.git/refs/heads/**")


class ScriptlensProtocol(LanguageServerProtocol):
    """Speaks UTF-16 columns whatever the client offers, because the model's ranges are UTF-16
    (LSP's default); and leaves the open documents to ``DocumentStore`` instead of keeping a
    second copy of each in pygls' workspace."""

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, Any]:
        if params.capabilities.general is not None:
            params.capabilities.general.position_encodings = [types.PositionEncodingKind.Utf16]
        return (yield from super().lsp_initialize(params))

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> Generator:
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Generator:
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> Generator:
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_CLOSE, params)

    def _user_handler(self, method: str, params: Any) -> Generator:
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None


class ScriptlensServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "scriptlens",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=ScriptlensProtocol,
        )
        self.settings = Settings()
        self.documents = DocumentStore()
        self.diagnostics = DiagnosticsPublisher(self)
        self.folders: list[Path] = []  # the editor's workspace folders
        self._series: dict[Path, Series] = {}  # by root, loaded on first use
        self._reported_config_errors: dict[Path, str | None] = {}

    def series_for(self, path: Path) -> Series:
        """The series a file (or folder) belongs to, loaded on first use: the nearest
        ``scriptlens.toml`` at or above it within its workspace folder, else that folder."""
        path = path.resolve()
        folder = next((f for f in self.folders if path.is_relative_to(f)), None)
        root = find_root(path, within=folder)
        series = self._series.get(root)
        if series is None:
            series = self._series[root] = Series.load(root, strict=False)
            self.report_config_error(series)
        return series

    def loaded_series(self) -> list[Series]:
        return list(self._series.values())

    def reload_series_roots(self) -> None:
        """A ``scriptlens.toml`` appeared or went away, so series may have split or merged:
        every series is found again and each open document joins its own."""
        self._series.clear()
        for opened in self.documents:
            path = file_path(opened.uri)
            series = self.series_for(Path(path)) if path else None
            opened.key = series.key(Path(path)) if series and path else None
            opened.series = series if opened.key else None
            if opened.series and opened.key:
                opened.series.opened(opened.key, opened.document)

    def uris(self, series: Series) -> Callable[[str], str]:
        """``uri_of`` for one series, as the cores' file keys need it."""
        return lambda key: self.uri_of(series, key)

    def uri_of(self, series: Series, key: str) -> str:
        """The URI of a series file: as the editor spelled it when it is open."""
        opened = self.documents.by_key(series, key)
        if opened is not None:
            return opened.uri
        return from_fs_path(str(series.path(key))) or series.path(key).as_uri()

    def apply_settings(self, raw: Any) -> None:
        self.settings, problems = read_settings(raw, self.settings)
        for problem in problems:
            self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=problem)
            )

    def report_config_error(self, series: Series) -> None:
        """Says once, in the editor, why a series' ``scriptlens.toml`` was not used."""
        error = series.config_error
        if error and error != self._reported_config_errors.get(series.root):
            self.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Error, message=f"{error} (using default settings)"
                )
            )
        self._reported_config_errors[series.root] = error


def initialize(ls: ScriptlensServer, params: types.InitializeParams) -> None:
    uris = [folder.uri for folder in params.workspace_folders or []]
    if not uris and params.root_uri:
        uris = [params.root_uri]
    paths = [to_fs_path(uri) for uri in uris] or [params.root_path]
    ls.folders = [Path(path).resolve() for path in paths if path]
    ls.apply_settings(params.initialization_options)


def initialized(ls: ScriptlensServer, params: types.InitializedParams) -> None:
    for folder in ls.folders:
        for root in series_roots(folder):
            ls.series_for(root)
    if ls.folders:
        ls.diagnostics.schedule(immediately=True)
    workspace = ls.client_capabilities.workspace
    watching = workspace.did_change_watched_files if workspace else None
    if watching and watching.dynamic_registration:
        watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
        ls.client_register_capability(
            types.RegistrationParams(
                registrations=[
                    types.Registration(
                        id="scriptlens-watched-files",
                        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=types.DidChangeWatchedFilesRegistrationOptions(
                            watchers=watchers
                        ),
                    )
                ]
            )
        )


def did_change_configuration(
    ls: ScriptlensServer, params: types.DidChangeConfigurationParams
) -> None:
    ls.apply_settings(params.settings)
    ls.diagnostics.schedule(immediately=True)
    refresh = ls.client_capabilities.workspace and ls.client_capabilities.workspace.inlay_hint
    if refresh and refresh.refresh_support:
        ls.workspace_inlay_hint_refresh(None)


def create_server() -> ScriptlensServer:
    server = ScriptlensServer()
    server.feature(types.INITIALIZE)(initialize)
    server.feature(types.INITIALIZED)(initialized)
    server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(did_change_configuration)
    for feature in (
        documents,
        code_actions,
        symbols,
        folding,
        hover,
        inlay_hints,
        semantic_tokens,
        navigation,
        rename,
    ):
        feature.register(server)
    return server


def main(log_level: int = logging.WARNING) -> None:
    logging.basicConfig(
        level=log_level, format="scriptlens-lsp %(levelname)s %(name)s: %(message)s"
    )
    create_server().start_io()

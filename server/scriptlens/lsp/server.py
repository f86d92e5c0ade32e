"""The language server: a pygls ``LanguageServer`` holding the open documents, the workspace's
series and the settings, with each feature module's handlers registered on it."""

from __future__ import annotations

import logging
from collections.abc import Generator
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
from scriptlens.lsp.documents import DocumentStore
from scriptlens.lsp.series import WorkspaceSeries
from scriptlens.lsp.settings import Settings, read_settings

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
        self.root: Path | None = None
        self.series: WorkspaceSeries | None = None
        self._reported_config_error: str | None = None

    def series_for(self, folder: Path) -> WorkspaceSeries:
        """The workspace's series, loaded on first use: from the folder the editor opened, or
        else from ``folder`` (the first file's); the nearest ``scriptlens.toml`` above wins."""
        if self.series is None:
            self.series = WorkspaceSeries.at(self.root or folder)
            self.report_config_error()
        return self.series

    def uri_of(self, key: str) -> str:
        """The URI of a series file: as the editor spelled it when it is open."""
        opened = self.documents.by_key(key)
        if opened is not None:
            return opened.uri
        assert self.series is not None
        return from_fs_path(str(self.series.path(key))) or self.series.path(key).as_uri()

    def apply_settings(self, raw: Any) -> None:
        self.settings, problems = read_settings(raw, self.settings)
        for problem in problems:
            self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=problem)
            )

    def report_config_error(self) -> None:
        """Says once, in the editor, why ``scriptlens.toml`` was not used."""
        error = self.series.config_error if self.series else None
        if error and error != self._reported_config_error:
            self.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Error, message=f"{error} (using default settings)"
                )
            )
        self._reported_config_error = error


def initialize(ls: ScriptlensServer, params: types.InitializeParams) -> None:
    folder = params.workspace_folders[0].uri if params.workspace_folders else params.root_uri
    path = to_fs_path(folder) if folder else params.root_path
    ls.root = Path(path) if path else None
    ls.apply_settings(params.initialization_options)


def initialized(ls: ScriptlensServer, params: types.InitializedParams) -> None:
    if ls.root is not None:
        ls.series_for(ls.root)
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

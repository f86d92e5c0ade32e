"""The language server: a pygls ``LanguageServer`` holding the open documents, the workspace's
series and the settings, with each feature module's handlers registered on it."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any, cast

from cattrs import transform_error
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import from_fs_path, to_fs_path

from scriptlens import __version__
from scriptlens.lsp import (
    code_actions,
    code_lens,
    commands,
    completion,
    documents,
    folding,
    hover,
    inlay_hints,
    navigation,
    pull_diagnostics,
    rename,
    semantic_tokens,
    symbols,
)
from scriptlens.lsp.diagnostics import DiagnosticsPublisher
from scriptlens.lsp.documents import DocumentStore, file_path
from scriptlens.lsp.framing import Body, Junk, serve_stdio
from scriptlens.lsp.provenance import EditorProvenance
from scriptlens.lsp.settings import Settings, read_settings
from scriptlens.lsp.store import StoreAccess
from scriptlens.workspace import find_root, series_roots
from scriptlens.workspace.series import Series

logger = logging.getLogger(__name__)
# JSON-RPC error codes
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
REQUEST_ID = re.compile(rb'"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")')
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

    @lsp_method(types.WORKSPACE_EXECUTE_COMMAND)
    async def lsp_workspace__execute_command(  # type: ignore[override]  # async, not a generator
        self, params: types.ExecuteCommandParams
    ) -> Any:
        """Awaits the command as this request's own task, so that ``$/cancelRequest`` cancels
        it (pygls' generator would run it as a nested task that nothing cancels), and with all
        of the request's params (its ``workDoneToken``)."""
        return await commands.execute(cast("ScriptlensServer", self._server), params)

    def _user_handler(self, method: str, params: Any) -> Generator:
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None

    def _execute_handler(
        self,
        msg_id: Any,
        handler: Any,
        callback: Any,
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        """pygls keeps the Future of a generator, coroutine or thread handler in
        ``_request_futures`` until a response removes it, but a notification gets none: every
        didOpen, didChange and didClose left one Future behind for good (two per edit with the
        nested handler). Each is forgotten here once done; see docs/reliability.md."""
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future = self._request_futures.get(msg_id)
        if future is not None:
            future.add_done_callback(lambda done: self._forget_future(msg_id, done))

    def _forget_future(self, msg_id: Any, future: Any) -> None:
        if self._request_futures.get(msg_id) is future:
            del self._request_futures[msg_id]

    def receive(self, event: Body | Junk) -> None:
        """One frame's body from the client, or bytes that belong to no frame: every request
        among them is answered, with an error where it must be (LSP's -32700, -32600, -32602),
        and the server reads on."""
        if isinstance(event, Junk):
            logger.error("skipped %d byte(s) from the client: %s", len(event.data), event.reason)
            if b'"method"' in event.data:
                self._refuse(event.data, PARSE_ERROR, f"Parse error: {event.reason}")
            return
        try:
            raw = json.loads(event.data)
        except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
            logger.error("a frame of %d byte(s) is not JSON: %s", len(event.data), error)
            self._refuse(event.data, PARSE_ERROR, f"Parse error: {error}")
            return
        if not isinstance(raw, dict):
            self._refuse(b"", INVALID_REQUEST, "Invalid Request: not a JSON object")
            return
        try:
            message = self.structure_message(raw)
        except JsonRpcException as error:
            reason = "; ".join(transform_error(error.__cause__)) if error.__cause__ else error
            logger.error("invalid message %s: %s", raw.get("method"), reason)
            if "method" in raw and "id" in raw:
                self._send_response(
                    raw["id"],
                    error=types.ResponseError(
                        code=INVALID_PARAMS, message=f"Invalid params for {raw['method']}: {reason}"
                    ),
                )
            return
        if "id" in raw and "method" in raw:  # a request sees every change received before it
            server = self._server
            assert isinstance(server, ScriptlensServer)
            server.documents.settle()
        self.handle_message(message)

    def _refuse(self, data: bytes, code: int, message: str) -> None:
        """Answers what may have been a request with an error, to its id if one shows."""
        found = REQUEST_ID.search(data)
        msg_id: Any = json.loads(found.group(1)) if found else None  # JSON-RPC's null id
        self._send_response(msg_id, error=types.ResponseError(code=code, message=message))


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
        self.store = StoreAccess()
        self.provenance = EditorProvenance(self)
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
            series = self._series[root] = Series.configured(root, strict=False)
            self.report_config_error(series)
            self.diagnostics.read_files(series)
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
    code_lens.refresh(ls)


def shutdown(ls: ScriptlensServer, params: None) -> None:
    ls.diagnostics.stop()


def create_server() -> ScriptlensServer:
    server = ScriptlensServer()
    server.feature(types.INITIALIZE)(initialize)
    server.feature(types.INITIALIZED)(initialized)
    server.feature(types.SHUTDOWN)(shutdown)
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
        completion,
        commands,
        code_lens,
        pull_diagnostics,
    ):
        feature.register(server)
    return server


def main(log_level: int = logging.WARNING, tcp: tuple[str, int] | None = None) -> None:
    """Serves over stdio, or over TCP at ``tcp`` (host, port)."""
    logging.basicConfig(
        level=log_level, format="scriptlens-lsp %(levelname)s %(name)s: %(message)s"
    )
    server = create_server()
    if tcp is None:
        protocol = server.protocol
        assert isinstance(protocol, ScriptlensProtocol)
        serve_stdio(server, protocol.receive, sys.stdin.buffer, sys.stdout.buffer)
    else:
        server.start_tcp(*tcp)

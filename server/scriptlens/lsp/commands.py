"""Commands (``workspace/executeCommand``), called by the editors' extensions:

- ``scriptlens.importSignals`` ``[{"paths": [absolute paths], "episode": int | null,
  "platform": str | null}]``: imports the exports into the workspace's store (one transaction,
  as ``scriptlens signals import`` does, through the same functions) and rebuilds the themes;
  answers ``{"added": int, "message": str}``. Progress goes to ``$/progress`` under the
  request's ``workDoneToken``, or a token the server creates when the client allows it. Both
  ``$/cancelRequest`` and ``window/workDoneProgress/cancel`` stop it; the store is then left as
  it was.
- ``scriptlens.explainLine`` ``[{"uri": str, "line": int}]`` (an open document, ``line``
  0-based): ``{"markdown": str, "explanation": {...}}``, the hover's text and ``scriptlens
  explain --json``'s object, from the same provenance core.
- ``scriptlens.dismissMotivation`` ``[{"uri": str, "line": int, "themeId": str}]``: the writer
  says that theme is not why the line is there; the provenance core remembers it in the store.
- ``scriptlens.restoreMotivation`` ``[{"uri": str, "line": int, "themeId": str}]``: undoes the
  dismissal, so the theme may be inferred for the line again.
- ``scriptlens.status`` ``[]`` or ``[{"uri": str}]``: ``{"signals": int, "themes": int,
  "store": str | null}`` for the workspace of ``uri`` (default: the first workspace folder).

A command is awaited as its request's own task (see ``ScriptlensProtocol``), so cancelling the
request cancels it.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams

from scriptlens.lsp import code_lens
from scriptlens.lsp.documents import OpenDocument, file_path
from scriptlens.workspace.series import Series

if TYPE_CHECKING:  # the signal and provenance cores load when a command first needs them
    from scriptlens.lsp.server import ScriptlensServer
    from scriptlens.provenance import Provenance
    from scriptlens.signals import ImportOptions, Store

IMPORT_SIGNALS = "scriptlens.importSignals"
EXPLAIN_LINE = "scriptlens.explainLine"
DISMISS_MOTIVATION = "scriptlens.dismissMotivation"
RESTORE_MOTIVATION = "scriptlens.restoreMotivation"
STATUS = "scriptlens.status"


class ImportCancelled(Exception):
    """Raised inside the import when the editor cancels it: the import's transaction rolls back."""


def _argument(params: types.ExecuteCommandParams, required: bool) -> Mapping[str, Any]:
    arguments = params.arguments or []
    if not arguments and not required:
        return {}
    if len(arguments) != 1 or not isinstance(arguments[0], Mapping):
        raise JsonRpcInvalidParams(f"{params.command} takes one object as its argument")
    return arguments[0]


def _failed(message: str) -> JsonRpcException:
    return JsonRpcException(message, code=types.LSPErrorCodes.RequestFailed)


def _series_of(ls: ScriptlensServer, paths: list[Path]) -> Series:
    """The series a command is about: the one holding the first of ``paths``, else the first
    workspace folder's."""
    for path in paths:
        for series in ls.loaded_series():
            if path.resolve().is_relative_to(series.root):
                return series
    if not ls.folders:
        raise _failed("scriptlens: open a folder first; its signal store lives there")
    return ls.series_for(ls.folders[0])


def _import_options(argument: Mapping[str, Any]) -> tuple[list[Path], ImportOptions]:
    paths = argument.get("paths")
    if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
        raise JsonRpcInvalidParams(f"{IMPORT_SIGNALS}: paths must be a list of file paths")
    episode = argument.get("episode")
    if episode is not None and (isinstance(episode, bool) or not isinstance(episode, int)):
        raise JsonRpcInvalidParams(f"{IMPORT_SIGNALS}: episode must be a whole number or null")
    if episode is not None and episode < 1:
        raise JsonRpcInvalidParams(f"{IMPORT_SIGNALS}: episode must be 1 or more")
    platform = argument.get("platform")
    if platform is not None and not isinstance(platform, str):
        raise JsonRpcInvalidParams(f"{IMPORT_SIGNALS}: platform must be a string or null")
    from scriptlens.signals import Defaults, ImportOptions

    files = [Path(path) for path in paths]
    for file in files:
        if not file.is_absolute():
            raise JsonRpcInvalidParams(f"{IMPORT_SIGNALS}: {file}: paths must be absolute")
        if not file.is_file():
            raise _failed(f"{file}: no such file")
    defaults = Defaults(platform=(platform or "other").lower(), episode=episode)
    return files, ImportOptions(defaults=defaults)


async def _progress_token(
    ls: ScriptlensServer, params: types.ExecuteCommandParams
) -> types.ProgressToken | None:
    if params.work_done_token is not None:
        return params.work_done_token
    window = ls.client_capabilities.window
    if window is None or not window.work_done_progress:
        return None
    token = f"scriptlens-import-{uuid.uuid4()}"
    await ls.work_done_progress.create_async(token)
    return token


async def import_signals_command(ls: ScriptlensServer, params: types.ExecuteCommandParams) -> Any:
    from scriptlens.signals import SignalsError, ensure_themes, import_signals
    from scriptlens.signals.names import series_cast

    files, options = _import_options(_argument(params, required=True))
    series = _series_of(ls, files)
    settings = series.workspace.config.signals
    token = await _progress_token(ls, params)
    stop = threading.Event()
    loop = asyncio.get_running_loop()
    total = sum(file.stat().st_size for file in files) or 1
    progress = ls.work_done_progress

    def report(message: str, done: int) -> None:
        if token is not None:
            percentage = min(100, done * 100 // total)
            progress.report(
                token, types.WorkDoneProgressReport(message=message, percentage=percentage)
            )

    def reporter(path: Path) -> Callable[[int], None]:
        before = sum(f.stat().st_size for f in files[: files.index(path)])

        def advance(position: int) -> None:
            if stop.is_set():
                raise ImportCancelled
            loop.call_soon_threadsafe(report, path.name, before + position)

        return advance

    def run(store: Store) -> tuple[int, str]:
        reports = import_signals(store, files, options, reporter)
        added = sum(report.rows_added for report in reports)
        if stop.is_set():
            raise ImportCancelled
        themes = ""
        # the cast's names as the CLI reads them, so that both build the same themes
        if ensure_themes(store, settings, series_cast(series.workspace)):
            count = store.conn.execute("SELECT count(*) FROM themes").fetchone()[0]
            themes = f"; themes: {count} rebuilt"
        read = sum(report.rows_read for report in reports)
        return added, (
            f"imported {added} new signal(s) of {read} row(s) from {len(files)} file(s) "
            f"into {store.path}{themes}"
        )

    if token is not None:
        progress.begin(
            token,
            types.WorkDoneProgressBegin(
                title="Importing audience signals", cancellable=True, percentage=0
            ),
        )
        cancelled_by_client = progress.tokens.get(token)
        if cancelled_by_client is not None:
            cancelled_by_client.add_done_callback(lambda _: stop.set())
    outcome = "cancelled: the store is unchanged"
    try:
        added, message = await ls.store.write(series.root, run, stop)
        outcome = message
        return {"added": added, "message": message}
    except ImportCancelled:
        raise JsonRpcException(
            "import cancelled: the store is unchanged", code=types.LSPErrorCodes.RequestCancelled
        ) from None
    except SignalsError as error:
        outcome = f"failed: {error}"
        raise _failed(str(error)) from None
    finally:
        if token is not None:
            progress.end(token, types.WorkDoneProgressEnd(message=outcome))
            progress.tokens.pop(token, None)


def _counts(store: Store) -> tuple[int, int]:
    from scriptlens.signals import store_stats

    stats = store_stats(store)
    return stats.signals, stats.themes


async def status_command(ls: ScriptlensServer, params: types.ExecuteCommandParams) -> Any:
    argument = _argument(params, required=False)
    uri = argument.get("uri")
    paths = [Path(p)] if isinstance(uri, str) and (p := file_path(uri)) else []
    series = _series_of(ls, paths)
    counts = await ls.store.read(series.root, _counts)
    if counts is None:
        return {"signals": 0, "themes": 0, "store": None}
    return {"signals": counts[0], "themes": counts[1], "store": str(ls.store.path(series.root))}


def _line_of(
    command: str, argument: Mapping[str, Any], ls: ScriptlensServer
) -> tuple[OpenDocument, Series, str, int]:
    """The open document an ``{"uri", "line"}`` argument names, its series and key, and the
    line."""
    uri, line = argument.get("uri"), argument.get("line")
    if not isinstance(uri, str) or isinstance(line, bool) or not isinstance(line, int):
        raise JsonRpcInvalidParams(f'{command}: expected {{"uri": str, "line": int}}')
    opened = ls.documents.get(uri)
    if opened is None:
        raise _failed(f"{command}: {uri} is not open in the editor")
    if opened.series is None or opened.key is None:
        raise _failed(f"{command}: {uri} belongs to no series")
    if not 0 <= line <= opened.document.text.count("\n"):
        raise _failed(f"{command}: {opened.key}:{line + 1}: past the end of the file")
    return opened, opened.series, opened.key, line


async def explain_line_command(ls: ScriptlensServer, params: types.ExecuteCommandParams) -> Any:
    from scriptlens.provenance import explain_line
    from scriptlens.signals import SignalsError

    argument = _argument(params, required=True)
    opened, series, key, line = _line_of(params.command, argument, ls)
    version = opened.version
    try:
        found = await ls.provenance.run(
            opened, lambda engine, key, text: engine.explain_line(key, line, buffer_text=text)
        )
        if found is None and opened.version == version:
            # No store yet: the core still explains (no motivations, and how to import some).
            text = opened.document.text
            found = await asyncio.to_thread(
                explain_line, series.workspace, key, line, buffer_text=text
            )
    except SignalsError as error:
        raise _failed(str(error)) from None
    if found is None or opened.version != version:
        raise JsonRpcException(
            f"{opened.uri} changed while it was explained", code=types.LSPErrorCodes.ContentModified
        )
    return {"markdown": found.to_markdown(), "explanation": found.to_json()}


async def _judge_motivation(
    ls: ScriptlensServer,
    params: types.ExecuteCommandParams,
    judgement: Callable[[Provenance], Callable[..., object]],
) -> None:
    """The engine's ``judgement`` (``dismiss`` or ``restore``) of the theme of an ``{"uri",
    "line", "themeId"}`` argument, then the inlay hints and code lenses, which show inferred
    motivations, asked for again. Answers null."""
    from scriptlens.signals import SignalsError

    argument = _argument(params, required=True)
    opened, _, _, line = _line_of(params.command, argument, ls)
    theme = argument.get("themeId")
    if not isinstance(theme, str) or not theme:
        raise JsonRpcInvalidParams(f"{params.command}: themeId must be a theme id")
    try:
        await ls.provenance.run(
            opened,
            lambda engine, key, text: judgement(engine)(key, line, theme, buffer_text=text),
        )
    except SignalsError as error:
        raise _failed(str(error)) from None
    refresh = ls.client_capabilities.workspace and ls.client_capabilities.workspace.inlay_hint
    if refresh and refresh.refresh_support:
        ls.workspace_inlay_hint_refresh(None)
    code_lens.refresh(ls)


async def dismiss_motivation_command(
    ls: ScriptlensServer, params: types.ExecuteCommandParams
) -> Any:
    return await _judge_motivation(ls, params, lambda engine: engine.dismiss)


async def restore_motivation_command(
    ls: ScriptlensServer, params: types.ExecuteCommandParams
) -> Any:
    return await _judge_motivation(ls, params, lambda engine: engine.restore)


Command = Callable[["ScriptlensServer", types.ExecuteCommandParams], Awaitable[Any]]
COMMANDS: dict[str, Command] = {
    IMPORT_SIGNALS: import_signals_command,
    EXPLAIN_LINE: explain_line_command,
    DISMISS_MOTIVATION: dismiss_motivation_command,
    RESTORE_MOTIVATION: restore_motivation_command,
    STATUS: status_command,
}


async def execute(ls: ScriptlensServer, params: types.ExecuteCommandParams) -> Any:
    command = COMMANDS.get(params.command)
    if command is None:
        raise JsonRpcInvalidParams(f"unknown command {params.command!r}")
    return await command(ls, params)


def register(ls: ScriptlensServer) -> None:
    # Listed so that the server's capabilities name them; ``execute`` runs them.
    for name, command in COMMANDS.items():
        ls.command(name)(command)

"""Rename of a character's name across the series (``textDocument/rename``), with
``textDocument/prepareRename`` on a cue, a mention or a marker note. The answer is a
``WorkspaceEdit`` over every file involved, open or not, for the editor to apply; the server
never writes the user's files. ``scriptlens.toml``'s ``[cast]`` names are renamed too when the
``rename.aliases`` setting says so."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from scriptlens.continuity.rename import RenameError, rename_edits
from scriptlens.lsp.code_actions import workspace_edit
from scriptlens.lsp.convert import lsp_range
from scriptlens.lsp.navigation import character_under
from scriptlens.workspace import CONFIG_NAME

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer

NOT_A_NAME = "Rename works on a character's name: a cue, or the name in action or dialogue."


def _refuse(message: str) -> JsonRpcException:
    return JsonRpcException(message, code=types.LSPErrorCodes.RequestFailed)


def prepare_rename(
    ls: ScriptlensServer, params: types.PrepareRenameParams
) -> types.PrepareRenamePlaceholder:
    found = character_under(ls, params.text_document.uri, params.position)
    if found is None:
        raise _refuse(NOT_A_NAME)
    occurrence = found.occurrence
    return types.PrepareRenamePlaceholder(
        range=lsp_range(occurrence.range), placeholder=occurrence.written
    )


def rename(ls: ScriptlensServer, params: types.RenameParams) -> types.WorkspaceEdit:
    found = character_under(ls, params.text_document.uri, params.position, current=True)
    if found is None:
        raise _refuse(NOT_A_NAME)
    config = None
    if ls.settings.rename_aliases:
        path = found.series.path(CONFIG_NAME)
        if path.is_file():
            config = (CONFIG_NAME, path.read_text(encoding="utf-8"))
    old = found.occurrence.written
    try:
        edits = rename_edits(found.cast, found.character, old, params.new_name, config)
    except RenameError as error:
        raise _refuse(str(error)) from None
    return workspace_edit(edits, found.uri_of)


def register(ls: ScriptlensServer) -> None:
    ls.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)(prepare_rename)
    ls.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))(rename)

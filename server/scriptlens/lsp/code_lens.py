"""Code lenses (``textDocument/codeLens``): above each scene heading, the scene's estimated
screen time and who speaks in it. Informational: a lens's command is empty, so clicking it does
nothing. Off when ``codeLens.enabled`` is false; a change of that setting asks the client to
refresh its lenses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.fountain.model import Script
from scriptlens.lsp.convert import lsp_range
from scriptlens.lsp.screen_time import estimate

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer


def scene_lenses(script: Script) -> list[types.CodeLens]:
    lenses = []
    speakers: dict[int, list[str]] = {}
    for block in script.dialogue:
        if block.scene is not None and block.speaker not in speakers.setdefault(block.scene, []):
            speakers[block.scene].append(block.speaker)
    for scene in script.scenes:
        who = speakers.get(scene.index, [])
        title = f"{estimate(scene.seconds)} screen time"
        if who:
            title += f" · {len(who)} speaking"
        lenses.append(
            types.CodeLens(
                range=lsp_range(scene.heading_range),
                command=types.Command(title=title, command=""),
            )
        )
    return lenses


def code_lens(ls: ScriptlensServer, params: types.CodeLensParams) -> list[types.CodeLens] | None:
    opened = ls.documents.get(params.text_document.uri)
    if opened is None or not ls.settings.code_lens:
        return None
    return scene_lenses(opened.document.script)


def refresh(ls: ScriptlensServer) -> None:
    """The setting changed: the client is to ask for lenses again, where it can be told."""
    workspace = ls.client_capabilities.workspace
    lenses = workspace.code_lens if workspace is not None else None
    if lenses is not None and lenses.refresh_support:
        ls.workspace_code_lens_refresh(None)


def register(ls: ScriptlensServer) -> None:
    ls.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))(
        code_lens
    )

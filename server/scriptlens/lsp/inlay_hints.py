"""Inlay hints: the estimated screen time of each scene after its heading, e.g. ``≈ 0:42``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.fountain.model import Range, Script
from scriptlens.lsp.convert import lsp_position, model_range
from scriptlens.lsp.screen_time import estimate

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer


def screen_time_hints(script: Script, visible: Range) -> list[types.InlayHint]:
    first, last = visible.start.line, visible.end.line
    return [
        types.InlayHint(
            position=lsp_position(scene.heading_range.end),
            label=estimate(scene.seconds),
            padding_left=True,
            tooltip="Estimated screen time of this scene",
        )
        for scene in script.scenes
        if first <= scene.heading_range.end.line <= last
    ]


async def inlay_hint(
    ls: ScriptlensServer, params: types.InlayHintParams
) -> list[types.InlayHint] | None:
    opened = ls.documents.get(params.text_document.uri)
    if opened is None or not (ls.settings.screen_time_hints or ls.settings.provenance_hints):
        return None
    visible = model_range(params.range)
    hints = (
        screen_time_hints(opened.document.script, visible) if ls.settings.screen_time_hints else []
    )
    if ls.settings.provenance_hints:
        # At the end of each audience-driven line: its main motivation (lsp/provenance).
        hints += await ls.provenance.inlay_hints(opened, visible)
    return hints


def register(ls: ScriptlensServer) -> None:
    ls.feature(types.TEXT_DOCUMENT_INLAY_HINT)(inlay_hint)

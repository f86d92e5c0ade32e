"""Code lenses (``textDocument/codeLens``): above each scene heading, the scene's estimated
screen time, who speaks in it and, from the signal store (``scriptlens.provenance``, read off
the event loop), how many of its lines the audience drove; above the first scene of an episode
with metrics, the episode's outcome. Informational: a lens's command is empty, so clicking it
does nothing. Off when ``codeLens.enabled`` is false; a change of that setting asks the client to
refresh its lenses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.fountain.model import Script
from scriptlens.lsp.convert import lsp_range
from scriptlens.lsp.screen_time import estimate

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer
    from scriptlens.provenance import Explanation


def _lens(where: types.Range, title: str) -> types.CodeLens:
    return types.CodeLens(range=where, command=types.Command(title=title, command=""))


def scene_lenses(
    script: Script, driven: Mapping[int, int], outcomes: Mapping[int, str]
) -> list[types.CodeLens]:
    """``driven``: audience-driven lines per scene index; ``outcomes``: the outcome to show
    above a scene (the first of its episode)."""
    speakers: dict[int, list[str]] = {}
    for block in script.dialogue:
        if block.scene is not None and block.speaker not in speakers.setdefault(block.scene, []):
            speakers[block.scene].append(block.speaker)
    lenses = []
    for scene in script.scenes:
        where = lsp_range(scene.heading_range)
        if scene.index in outcomes:
            lenses.append(_lens(where, outcomes[scene.index]))
        title = f"{estimate(scene.seconds)} screen time"
        if who := speakers.get(scene.index):
            title += f" · {len(who)} speaking"
        if count := driven.get(scene.index):
            title += f" · {count} audience-driven line{'s' if count != 1 else ''}"
        lenses.append(_lens(where, title))
    return lenses


def provenance_by_scene(
    script: Script, explanations: Sequence[Explanation]
) -> tuple[dict[int, int], dict[int, str]]:
    """Audience-driven lines per scene, and each episode's outcome placed on its first scene."""
    from scriptlens.provenance.render import outcome_line  # loaded once provenance answers

    driven: Counter[int] = Counter()
    outcomes: dict[int, str] = {}
    for explanation in explanations:
        line = explanation.line
        scene = next(
            (s for s in script.scenes if s.range.start.line <= line <= s.range.last_line), None
        )
        if scene is None:
            continue
        driven[scene.index] += 1
        if explanation.outcome is not None:
            first = next(
                (s.index for s in script.scenes if s.episode == scene.episode), scene.index
            )
            # The episode's figures, not the line's place in its retention curve.
            episode = replace(explanation.outcome, retention=None)
            outcomes.setdefault(first, outcome_line(episode).replace("**", ""))
    return dict(driven), outcomes


async def code_lens(
    ls: ScriptlensServer, params: types.CodeLensParams
) -> list[types.CodeLens] | None:
    opened = ls.documents.get(params.text_document.uri)
    if opened is None or not ls.settings.code_lens:
        return None
    explanations = await ls.provenance.run(
        opened, lambda engine, key, text: engine.explain_file(key, buffer_text=text)
    )
    script = opened.document.script
    driven, outcomes = provenance_by_scene(script, explanations or [])
    return scene_lenses(script, driven, outcomes)


def refresh(ls: ScriptlensServer) -> None:
    """Lenses changed (a setting, a dismissed motivation): the client is to ask for them again,
    where it can be told."""
    workspace = ls.client_capabilities.workspace
    lenses = workspace.code_lens if workspace is not None else None
    if lenses is not None and lenses.refresh_support:
        ls.workspace_code_lens_refresh(None)


def register(ls: ScriptlensServer) -> None:
    ls.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))(
        code_lens
    )

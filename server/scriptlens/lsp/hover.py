"""Hover. On a character cue, or a character's name in action or dialogue: where the character
is introduced, how many cues it has, the episodes it appears in and its share of the series'
dialogue. On a scene heading: the scene's estimated screen time (``scriptlens.fountain.timing``)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.continuity.cast import Cast
from scriptlens.fountain.model import Element, Position, Range, Scene, Script
from scriptlens.lsp.convert import lsp_range, model_position
from scriptlens.lsp.screen_time import estimate
from scriptlens.text_facts import duration

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer


def _at(where: Range, position: Position) -> bool:
    """Inside, or right at the end (the cursor after the last letter of a name)."""
    return where.contains(position) or where.end == position


def element_at(script: Script, position: Position) -> Element | None:
    return next((e for e in script.elements if _at(e.range, position)), None)


def scene_hover(script: Script, scene: Scene) -> str:
    speakers = list(dict.fromkeys(b.speaker for b in script.dialogue if b.scene == scene.index))
    spoken = sum(b.seconds for b in script.dialogue if b.scene == scene.index)
    lines = [
        f"**{scene.heading}**",
        "",
        f"Estimated screen time {estimate(scene.seconds)} "
        f"(dialogue {duration(spoken)}, action {duration(scene.seconds - spoken)})",
    ]
    if speakers:
        lines += ["", "Speaking: " + ", ".join(speakers)]
    return "\n".join(lines)


def character_at(
    cast: Cast, file: str, script: Script, position: Position
) -> tuple[str, Range] | None:
    """The character named at ``position`` in ``file`` and the name's range: a cue, or a
    mention the cast resolves to one character."""
    element = element_at(script, position)
    if element is not None and element.type == "character" and element.name:
        character = cast.resolve(element.name)
        return (character, element.range) if character else None
    for located, character in cast.mentions:
        if character and located.file == file and _at(located.item.range, position):
            return character, located.item.range
    return None


def character_hover(cast: Cast, character: str) -> str:
    cues = cast.cues(character)
    intros = cast.intros.get(character, [])
    lines = [f"**{character}**", ""]
    if intros:
        intro = intros[0]
        text = cast.indexes[intro.file].lines[intro.line].strip()
        lines.append(f"Introduced in {_where(intro.file, intro.line)}: {text}")
    elif cues:
        first = cues[0]
        lines.append(f"Not introduced in action; first speaks in {_where(first.file, first.line)}")
    spellings = sorted(cast.characters[character].spellings) if character in cast.characters else []
    others = [name for name in spellings if name != character]
    if others:
        lines.append("")
        lines.append("Also written: " + ", ".join(others))
    slots = sorted(cast.appearances.get(character, {}))
    labels = [cast.series.slots[slot].label for slot in slots]
    lines += [
        "",
        f"Cues: {len(cues)}  ",
        f"Episodes: {len(labels)} of {len(cast.series.slots)}"
        + (f" ({', '.join(labels)})" if labels else "")
        + "  ",
        f"Dialogue share: {cast.share(character):.1%}",
    ]
    return "\n".join(lines)


def _where(file: str, line: int) -> str:
    return f"{PurePosixPath(file).name}:{line + 1}"


def hover(ls: ScriptlensServer, params: types.HoverParams) -> types.Hover | None:
    opened = ls.documents.get(params.text_document.uri)
    if opened is None:
        return None
    script = opened.document.script
    position = model_position(params.position)
    element = element_at(script, position)
    if element is not None and element.type == "scene_heading" and element.scene is not None:
        text, where = scene_hover(script, script.scenes[element.scene]), element.range
    elif opened.series is not None and opened.key is not None:
        cast = opened.series.cast()
        found = character_at(cast, opened.key, script, position)
        if found is None:
            return None
        text, where = character_hover(cast, found[0]), found[1]
    else:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
        range=lsp_range(where),
    )


def register(ls: ScriptlensServer) -> None:
    ls.feature(types.TEXT_DOCUMENT_HOVER)(hover)

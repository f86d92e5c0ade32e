"""Hover. On a character cue, or a character's name in action or dialogue: where the character
is introduced, how many cues it has, the episodes it appears in and its share of the series'
dialogue. On a scene heading: the scene's estimated screen time (``scriptlens.fountain.timing``).
On any line, beside those: why it is there, from the audience's signals (``lsp/provenance``)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.continuity.cast import Cast
from scriptlens.fountain import utf16
from scriptlens.fountain.model import Element, Position, Range, Scene, Script
from scriptlens.lsp.convert import lsp_range, model_position
from scriptlens.lsp.screen_time import estimate
from scriptlens.text_facts import duration

if TYPE_CHECKING:
    from scriptlens.lsp.documents import OpenDocument
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


def script_hover(opened: OpenDocument, position: Position) -> tuple[str, Range] | None:
    """A scene heading's screen time, or a character's card, with the range it is about."""
    script = opened.document.script
    element = element_at(script, position)
    if element is not None and element.type == "scene_heading" and element.scene is not None:
        return scene_hover(script, script.scenes[element.scene]), element.range
    if opened.series is not None and opened.key is not None:
        cast = opened.series.recent_cast()
        found = character_at(cast, opened.key, script, position)
        if found is not None:
            return character_hover(cast, found[0]), found[1]
    return None


async def hover(ls: ScriptlensServer, params: types.HoverParams) -> types.Hover | None:
    opened = ls.documents.get(params.text_document.uri)
    if opened is None:
        return None
    position = model_position(params.position)
    parts: list[str] = []
    where: Range | None = None
    found = script_hover(opened, position)
    if found is not None:
        parts.append(found[0])
        where = found[1]
    # Why the line is there, from the signal store, read off the event loop (lsp/provenance).
    explanation = await ls.provenance.hover(opened, position.line)
    if explanation is not None:
        parts.append(explanation.to_markdown())
        if where is None:
            text = opened.document.text.split("\n")[position.line]
            where = Range(Position(position.line, 0), Position(position.line, utf16.units(text)))
    if not parts or where is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)
        ),
        range=lsp_range(where),
    )


def register(ls: ScriptlensServer) -> None:
    ls.feature(types.TEXT_DOCUMENT_HOVER)(hover)

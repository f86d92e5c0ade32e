"""The model made eagerly, the way ``parse`` made it before it became lazy and chunked: every
model node, read by one query over the whole tree, streamed in one pass over the whole document,
then episodes and screen time assigned element by element. The property tests hold the lazy
model to it."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import fields

from tree_sitter import QueryCursor

from scriptlens.fountain.model import Episode, Position, Range, Script, ScriptParts
from scriptlens.fountain.parser import (
    _MODEL_NODES,
    _PARENTS,
    Positions,
    _ChunkBuilder,
    _Context,
    file_episode_number,
    new_parser,
)

PART_NAMES = [field.name for field in fields(ScriptParts) if field.compare]


def eager_parts(source: bytes, path: str | None = None) -> ScriptParts:
    root = new_parser().parse(source).root_node
    spans = sorted(
        (node.start_byte, -node.end_byte, node.kind_id not in _PARENTS, node.kind_id)
        for node in QueryCursor(_MODEL_NODES).captures(root).get("node", [])
    )
    positions = Positions(source)
    whole = _ChunkBuilder(source, positions, _Context(0, 0, None)).build(0, spans, source)
    end = positions.at(len(source))
    sections = whole.episode_sections
    if sections:
        episodes = []
        for i, (number, title, section_start) in enumerate(sections):
            following = sections[i + 1 : i + 2]
            stop = following[0][2] if following else end
            episodes.append(Episode(number, title, Range(section_start, stop), []))
    else:
        number = file_episode_number(whole.title_page, path)
        title = whole.title_page.get("title")
        episodes = [Episode(number, title, Range(Position(0, 0), end), [])]
    starts = [episode.range.start.line for episode in episodes]
    for scene in whole.scenes:
        owner = episodes[max(0, bisect_right(starts, scene.range.start.line) - 1)]
        owner.scenes.append(scene.index)
        scene.episode = owner.number
    for element in whole.elements:
        if element.seconds:
            episode = episodes[max(0, bisect_right(starts, element.range.start.line) - 1)]
            episode.seconds += element.seconds
    return ScriptParts(
        title_page=whole.title_page,
        elements=whole.elements,
        scenes=whole.scenes,
        dialogue=whole.dialogue,
        notes=whole.notes,
        introductions=whole.introductions,
        episodes=episodes,
        seconds=sum(e.seconds for e in whole.elements),
        characters=list(dict.fromkeys(block.speaker for block in whole.dialogue)),
        chunks=[whole],
    )


def assert_same_model(script: Script, source: bytes, path: str | None = None) -> None:
    """Every field of the lazy ``script`` equals the eager model's, one field at a time so that a
    failure names the field."""
    eager = eager_parts(source, path)
    for name in PART_NAMES:
        assert getattr(script, name) == getattr(eager, name), name

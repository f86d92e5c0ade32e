"""Folding: the title page, each section (to the next section of its level or above), each
scene (heading to its last element) and each boneyard ``/* … */``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.fountain.model import Script

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer


def _fold(first: int, last: int, kind: types.FoldingRangeKind) -> types.FoldingRange | None:
    return types.FoldingRange(start_line=first, end_line=last, kind=kind) if last > first else None


def folding_ranges(script: Script) -> list[types.FoldingRange]:
    region, comment = types.FoldingRangeKind.Region, types.FoldingRangeKind.Comment
    found: list[types.FoldingRange | None] = []
    # A section runs until the next section of its level or above; it ends on its last element.
    open_sections: list[tuple[int, int]] = []  # (level, heading line)
    last_content = 0
    for element in script.elements:
        if element.type == "title_page":
            found.append(_fold(element.range.start.line, element.range.last_line, region))
        elif element.type == "boneyard":
            found.append(_fold(element.range.start.line, element.range.last_line, comment))
        if element.type == "section":
            level = element.level or 1
            while open_sections and open_sections[-1][0] >= level:
                found.append(_fold(open_sections.pop()[1], last_content, region))
            open_sections.append((level, element.range.start.line))
        last_content = max(last_content, element.range.last_line)
    while open_sections:
        found.append(_fold(open_sections.pop()[1], last_content, region))
    for scene in script.scenes:
        found.append(_fold(scene.range.start.line, scene.range.last_line, region))
    return sorted((f for f in found if f is not None), key=lambda f: (f.start_line, -f.end_line))


def folding_range(
    ls: ScriptlensServer, params: types.FoldingRangeParams
) -> list[types.FoldingRange] | None:
    opened = ls.documents.get(params.text_document.uri)
    return folding_ranges(opened.document.script) if opened else None


def register(ls: ScriptlensServer) -> None:
    ls.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)(folding_range)

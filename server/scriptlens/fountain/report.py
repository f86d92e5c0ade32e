"""Plain renderings of a Script for the CLI: the stable ``--json`` contract and a human listing."""

from __future__ import annotations

from typing import Any

from scriptlens.fountain.model import Element, Script
from scriptlens.text_facts import duration, terminal_safe


def element_to_json(element: Element) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "type": element.type,
        "range": element.range.to_json(),
        "text": element.text,
    }
    if element.type == "character":
        entry.update(name=element.name, extension=element.extension, dual=element.dual)
    elif element.type == "section":
        entry["level"] = element.level
    return entry


def script_to_json(script: Script, file: str) -> dict[str, Any]:
    return {
        "file": file,
        "title_page": script.title_page,
        "elements": [element_to_json(e) for e in script.elements],
        "scenes": [
            {
                "index": s.index,
                "heading": s.heading,
                "setting": s.setting,
                "location": s.location,
                "time_of_day": s.time_of_day,
                "number": s.number,
                "section": s.section,
                "episode": s.episode,
                "range": s.range.to_json(),
                "seconds": round(s.seconds, 2),
            }
            for s in script.scenes
        ],
        "characters": [
            {
                "name": name,
                "cues": sum(1 for d in script.dialogue if d.speaker == name),
                "introduction": next(
                    (i.range.to_json() for i in script.introductions if i.name == name), None
                ),
            }
            for name in script.characters
        ],
        "notes": [
            {"text": n.text, "key": n.key, "value": n.value, "range": n.range.to_json()}
            for n in script.notes
        ],
        "episodes": [
            {
                "number": e.number,
                "title": e.title,
                "range": e.range.to_json(),
                "scenes": e.scenes,
                "seconds": round(e.seconds, 2),
            }
            for e in script.episodes
        ],
        "seconds": round(script.seconds, 2),
    }


def script_to_text(script: Script, file: str) -> str:
    lines = []
    for element in script.elements:
        start = element.range.start
        first_line = element.text.split("\n", 1)[0]
        shown = first_line if len(first_line) <= 60 else first_line[:57] + "..."
        lines.append(
            f"{terminal_safe(file)}:{start.line + 1}:{start.character + 1}: "
            f"{element.type:<13} {terminal_safe(shown)}"
        )
    lines.append(
        f"{len(script.elements)} elements, {len(script.scenes)} scenes, "
        f"{len(script.characters)} speaking characters, "
        f"about {duration(script.seconds)} of screen time"
    )
    return "\n".join(lines)

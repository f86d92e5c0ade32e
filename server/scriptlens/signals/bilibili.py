"""Bilibili danmaku XML: ``<d p="time,mode,size,color,sendUnixTime,pool,userHash,dmid">``.

Parsed with expat, streaming and with line numbers; a DOCTYPE is refused outright, so no
entity can be declared, expanded or fetched from outside (billion laughs, XXE).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO
from xml.parsers import expat

from scriptlens.signals.errors import RowError
from scriptlens.signals.rows import SourceRow

CHUNK = 1 << 16


class _Refused(Exception):
    pass


def _refuse_doctype(*_: Any) -> Any:
    raise _Refused("DOCTYPE and entity declarations are not allowed in danmaku XML")


def _danmaku_fields(attribute: str, text: str) -> dict[str, Any] | str:
    parts = attribute.split(",")
    if len(parts) < 8:
        return f"p has {len(parts)} fields, want at least 8 (time,...,userHash,dmid)"
    return {
        "id": parts[7],
        "kind": "danmaku",
        "platform": "bilibili",
        "video_time": parts[0],
        "posted_at": parts[4],
        # An unkeyed CRC32 of the uid, reversible by brute force: re-keyed like any author.
        "author": parts[6],
        "text": text,
    }


def read_bilibili(stream: TextIO, path: Path) -> Iterator[SourceRow]:
    parser = expat.ParserCreate(encoding="UTF-8")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.ExternalEntityRefHandler = _refuse_doctype
    ready: list[SourceRow] = []
    current: dict[str, Any] = {}

    def start(name: str, attributes: dict[str, str]) -> None:
        if name == "d":
            current.update(line=parser.CurrentLineNumber, p=attributes.get("p"), text=[])

    def characters(data: str) -> None:
        if current:
            current["text"].append(data)

    def end(name: str) -> None:
        if name != "d" or not current:
            return
        line, attribute, text = current["line"], current["p"], "".join(current["text"])
        current.clear()
        if attribute is None:
            ready.append(SourceRow(line, {}, "<d> has no p attribute"))
            return
        fields = _danmaku_fields(attribute, text)
        ready.append(
            SourceRow(line, {}, fields) if isinstance(fields, str) else SourceRow(line, fields)
        )

    parser.StartElementHandler = start
    parser.CharacterDataHandler = characters
    parser.EndElementHandler = end
    final = False
    while not final:
        chunk = stream.read(CHUNK)
        final = not chunk
        try:
            parser.Parse(chunk.encode("utf-8"), final)
        except _Refused as error:
            raise RowError(path, parser.CurrentLineNumber, str(error)) from None
        except expat.ExpatError as error:
            raise RowError(
                path, error.lineno, f"XML: {expat.errors.messages[error.code]}"
            ) from None
        yield from ready
        ready.clear()

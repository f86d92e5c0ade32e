"""Canonical CSV and JSONL exports, and other exports' columns renamed with ``--map``."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from scriptlens.signals.csvfile import read_header, read_records
from scriptlens.signals.errors import RowError, SignalsError
from scriptlens.signals.rows import FIELDS, SourceRow


def parse_column_map(spec: str) -> dict[str, str]:
    """``text=content,likes=digg_count`` as {canonical field: export column}."""
    mapping: dict[str, str] = {}
    for part in filter(None, (piece.strip() for piece in spec.split(","))):
        field, sep, column = part.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            raise SignalsError(f"--map: {part!r} is not FIELD=COLUMN")
        if field not in FIELDS:
            raise SignalsError(f"--map: {field!r} is not a field; fields: {', '.join(FIELDS)}")
        mapping[field] = column
    return mapping


def _column_names(column_map: Mapping[str, str]) -> dict[str, str]:
    """Export column for every canonical field: mapped, or the field's own name."""
    return {field: column_map.get(field, field) for field in FIELDS}


def _missing_text(path: Path, line: int, columns: dict[str, str], found: list[str]) -> RowError:
    wanted = columns["text"]
    origin = "" if wanted == "text" else " (mapped to text)"
    listed = ", ".join(found) if found else "none"
    return RowError(path, line, f"missing required column {wanted!r}{origin}; found: {listed}")


def read_csv(stream: TextIO, path: Path, column_map: Mapping[str, str]) -> Iterator[SourceRow]:
    header, delimiter = read_header(stream, path)
    columns = _column_names(column_map)
    index = {name: position for position, name in enumerate(header)}
    if columns["text"] not in index:
        raise _missing_text(path, 1, columns, header)
    picks = [(field, index[column]) for field, column in columns.items() if column in index]
    width = len(header)
    for line, record in read_records(stream, path, delimiter):
        if isinstance(record, str):
            yield SourceRow(line, {}, record)
            continue
        if not record or (len(record) == 1 and not record[0].strip()):
            continue
        if len(record) != width:
            yield SourceRow(line, {}, f"{len(record)} fields, but the header has {width}")
            continue
        yield SourceRow(line, {field: record[position] for field, position in picks})


def _lookup(record: Mapping[str, Any], column: str) -> Any:
    """A key of a JSON object; dotted paths reach into nested objects (``user.uid``)."""
    if column in record or "." not in column:
        return record.get(column)
    value: Any = record
    for key in column.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def read_jsonl(stream: TextIO, path: Path, column_map: Mapping[str, str]) -> Iterator[SourceRow]:
    columns = _column_names(column_map)
    text_column = columns["text"]
    first = True
    for line, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as error:
            yield SourceRow(line, {}, f"invalid JSON: {error.msg}")
            continue
        if not isinstance(record, dict):
            yield SourceRow(line, {}, "expected a JSON object")
            continue
        if _lookup(record, text_column) is None:
            if first:
                raise _missing_text(path, line, columns, sorted(record))
            yield SourceRow(line, {}, f"no {text_column!r}")
            continue
        first = False
        yield SourceRow(line, {field: _lookup(record, column) for field, column in columns.items()})

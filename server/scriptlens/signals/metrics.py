"""Episode metrics CSV: ``episode, views, completion_rate, avg_watch_seconds, likes, shares,
comments, followers_gained`` and an optional retention curve in columns ``retention_<N>s``
(fraction still watching at second N) or ``retention_p<N>`` (at percentile N of the episode)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from scriptlens.signals.csvfile import read_header, read_records
from scriptlens.signals.errors import RowError
from scriptlens.signals.rows import parse_count, parse_episode

COUNTS = ("views", "likes", "shares", "comments", "followers_gained")
METRIC_COLUMNS = (
    "platform",
    "episode",
    "views",
    "completion_rate",
    "avg_watch_seconds",
    "likes",
    "shares",
    "comments",
    "followers_gained",
    "retention_unit",
    "retention",
)
_RETENTION = re.compile(r"^retention_(?:(\d+(?:\.\d+)?)s|p(\d+(?:\.\d+)?))$")


def parse_fraction(name: str, value: str) -> float | None:
    """``0.42`` or ``42%``, between 0 and 1."""
    text = value.strip()
    if not text:
        return None
    try:
        number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise ValueError(f"{name} {text[:20]!r} is not a fraction") from None
    if not 0 <= number <= 1:
        raise ValueError(f"{name} {text[:20]!r} is not between 0 and 1 (or 0% and 100%)")
    return number


def parse_watch_seconds(value: str) -> float | None:
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError(f"avg_watch_seconds {text[:20]!r} is not seconds") from None
    if not seconds >= 0:
        raise ValueError(f"avg_watch_seconds {text[:20]!r} must be 0 or more")
    return seconds


def _retention_columns(header: list[str], path: Path) -> tuple[str | None, list[tuple[float, int]]]:
    points: dict[str, list[tuple[float, int]]] = {"second": [], "percentile": []}
    for position, name in enumerate(header):
        match = _RETENTION.match(name)
        if match:
            unit = "second" if match.group(1) is not None else "percentile"
            points[unit].append((float(match.group(1) or match.group(2)), position))
    if points["second"] and points["percentile"]:
        raise RowError(path, 1, "retention columns mix seconds (retention_Ns) and percentiles")
    for unit in ("second", "percentile"):
        if points[unit]:
            return unit, sorted(points[unit])
    return None, []


def read_metrics(stream: TextIO, path: Path, platform: str) -> Iterator[tuple[int, Any]]:
    """(line, row tuple in ``METRIC_COLUMNS`` order without ``import_id``) or (line, reason)."""
    header, delimiter = read_header(stream, path)
    index = {name: position for position, name in enumerate(header)}
    if "episode" not in index:
        raise RowError(
            path, 1, f"missing required column 'episode'; found: {', '.join(header) or 'none'}"
        )
    unit, curve = _retention_columns(header, path)
    for line, record in read_records(stream, path, delimiter):
        if isinstance(record, str):
            yield line, record
            continue
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            yield line, f"{len(record)} fields, but the header has {len(header)}"
            continue

        def cell(name: str, record: list[str] = record) -> str:
            return record[index[name]] if name in index else ""

        try:
            counts = {
                name: parse_count(name, cell(name)) if cell(name).strip() else None
                for name in COUNTS
            }
            retention = [
                [point, fraction]
                for point, position in curve
                if (fraction := parse_fraction(f"retention at {point:g}", record[position]))
                is not None
            ]
            yield (
                line,
                (
                    (cell("platform").strip().lower() or platform),
                    parse_episode(cell("episode")),
                    counts["views"],
                    parse_fraction("completion_rate", cell("completion_rate")),
                    parse_watch_seconds(cell("avg_watch_seconds")),
                    counts["likes"],
                    counts["shares"],
                    counts["comments"],
                    counts["followers_gained"],
                    unit if retention else None,
                    json.dumps(retention) if retention else None,
                ),
            )
        except ValueError as error:
            yield line, str(error)

"""CSV reading shared by the canonical and metrics importers: the header with the delimiter it
uses, then the records, each with the file line it starts on."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from scriptlens.signals.errors import RowError

DELIMITERS = (",", "\t", ";")


def read_header(stream: TextIO, path: Path) -> tuple[list[str], str]:
    """The column names of the first line, and the delimiter it uses most."""
    header_line = stream.readline()
    if not header_line.strip():
        raise RowError(path, 1, "empty file: expected a header row")
    delimiter = max(DELIMITERS, key=header_line.count)
    names = next(csv.reader([header_line], delimiter=delimiter))
    return [name.strip().lstrip("\ufeff") for name in names], delimiter


def read_records(stream: TextIO, path: Path, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Records after the header, with the line each starts on (a quoted field may span lines);
    malformed CSV is an error naming the line of its record."""
    reader = csv.reader(stream, delimiter=delimiter)
    last_line = 1
    try:
        for record in reader:
            line, last_line = last_line + 1, reader.line_num + 1
            yield line, record
    except csv.Error as error:
        raise RowError(path, last_line + 1, f"CSV: {error}") from None

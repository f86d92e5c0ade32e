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


def read_records(
    stream: TextIO, path: Path, delimiter: str
) -> Iterator[tuple[int, list[str] | str]]:
    """Records after the header, with the line each starts on (a quoted field may span lines);
    a record the CSV reader refuses (a field over the size limit) is its problem instead, so
    that ``--skip-invalid`` can go on with the next line."""
    reader = csv.reader(stream, delimiter=delimiter)
    last_line = 1  # the file line read last; the reader counts from the line after the header
    while True:
        try:
            record: list[str] | str = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if reader.line_num + 1 <= last_line:  # no progress: the rest cannot be read
                raise RowError(path, last_line + 1, f"CSV: {error}") from None
            record = f"CSV: {error}"
        line, last_line = last_line + 1, reader.line_num + 1
        yield line, record

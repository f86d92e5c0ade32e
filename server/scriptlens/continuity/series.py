"""The series: the workspace's ``.fountain`` files in episode order, and its episodes.

Order (``[series] order``):

- ``auto`` (default): the title page's ``Episode:`` number (or the first ``# Episode N``
  section), else the last number in the file name; ties and unnumbered files in natural path
  order, unnumbered files last.
- ``title``: the title-page or section number only; ``filename``: the file-name number only;
  ``path``: natural path order (``ep2`` before ``ep10``).

``[series] files`` puts the listed files first, in the listed order, whatever the mode.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import PurePosixPath

from scriptlens.continuity.index import FileIndex
from scriptlens.workspace.config import SeriesSettings

_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class EpisodeSlot:
    """One episode of the series: a file, or one ``# Episode N`` part of a file."""

    file: str
    part: int  # index into FileIndex.episodes
    number: int | None
    label: str


@dataclass(frozen=True)
class Series:
    files: tuple[str, ...]
    rank: Mapping[str, int]
    slots: tuple[EpisodeSlot, ...]
    slot_of: Mapping[tuple[str, int], int]  # (file, part) -> index into slots

    def position(self, file: str, line: int, character: int = 0) -> tuple[int, int, int]:
        """A sort key placing anything in the series' reading order."""
        return (self.rank[file], line, character)


def excluded(path: str, settings: SeriesSettings) -> bool:
    return any(fnmatch(path, pattern) for pattern in settings.exclude)


def build_series(indexes: Mapping[str, FileIndex], settings: SeriesSettings) -> Series:
    paths = [path for path in indexes if not excluded(path, settings)]
    listed = [path for path in settings.files if path in indexes and path in paths]
    rest = sorted(
        (path for path in paths if path not in listed),
        key=lambda path: _sort_key(path, indexes[path], settings),
    )
    files = tuple(listed + rest)
    slots: list[EpisodeSlot] = []
    slot_of: dict[tuple[str, int], int] = {}
    for path in files:
        parts = indexes[path].episodes
        for part_index, part in enumerate(parts):
            slot_of[(path, part_index)] = len(slots)
            number = part.number if part.number is not None else _number(path, indexes[path])
            if len(parts) > 1 and part.number is not None:
                label = f"episode {part.number}"
            elif len(parts) > 1:
                label = f"{path} part {part_index + 1}"
            else:
                label = PurePosixPath(path).name
            slots.append(EpisodeSlot(path, part_index, number, label))
    return Series(files, {path: rank for rank, path in enumerate(files)}, tuple(slots), slot_of)


def _natural(path: str) -> tuple[tuple[int, int | str], ...]:
    return tuple(
        (0, int(piece)) if piece.isdigit() else (1, piece.lower())
        for piece in re.split(r"(\d+)", path)
        if piece
    )


def _title_number(index: FileIndex) -> int | None:
    for part in index.episodes:
        if part.number is not None:
            return part.number
    for key, value in index.script.title_page.items():
        if key.strip().lower() == "episode":
            found = _NUMBER.search(value)
            if found:
                return int(found.group())
    return None


def _file_number(path: str) -> int | None:
    found = _NUMBER.findall(PurePosixPath(path).stem)
    return int(found[-1]) if found else None


def _number(path: str, index: FileIndex) -> int | None:
    title = _title_number(index)
    return title if title is not None else _file_number(path)


def _sort_key(path: str, index: FileIndex, settings: SeriesSettings) -> tuple:
    if settings.order == "title":
        number = _title_number(index)
    elif settings.order == "filename":
        number = _file_number(path)
    elif settings.order == "path":
        number = None
    else:
        number = _number(path, index)
    return (number is None, number or 0, _natural(path))

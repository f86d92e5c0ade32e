"""The workspace core: which series a file belongs to, its typed configuration, its baseline.

A series lives in a folder: the nearest folder at or above a file holding ``scriptlens.toml``
(or the ``.scriptlens`` state folder), else the folder the user opened or named. A folder below
it with its own ``scriptlens.toml`` is another series, never part of this one.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from scriptlens.workspace.config import Config, ConfigError, parse_config

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_NAME = "scriptlens.toml"
STATE_DIR = ".scriptlens"
# folders whose .fountain files are no part of the series
IGNORED_DIRS = frozenset({STATE_DIR, ".git", "node_modules"})


def is_script(relative: PurePath) -> bool:
    """Whether a path, relative to the workspace root, is one of the series' scripts."""
    return relative.suffix == ".fountain" and not IGNORED_DIRS.intersection(relative.parts)


def _is_root(folder: Path) -> bool:
    return (folder / CONFIG_NAME).is_file() or (folder / STATE_DIR).is_dir()


@dataclass(frozen=True)
class Workspace:
    root: Path
    config: Config

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    def fountain_files(self) -> list[Path]:
        """The series' scripts: every ``.fountain`` file under the root, except those of a
        nested series (a folder below with its own ``scriptlens.toml``)."""
        nested = [folder for folder in nested_roots(self.root) if folder != self.root]
        return sorted(
            path
            for path in self.root.rglob("*.fountain")
            if is_script(path.relative_to(self.root))
            and not any(path.is_relative_to(folder) for folder in nested)
        )


def nested_roots(folder: Path) -> list[Path]:
    """Every series root at or below ``folder`` (folders holding ``scriptlens.toml``)."""
    return sorted(
        path.parent
        for path in folder.rglob(CONFIG_NAME)
        if not IGNORED_DIRS.intersection(path.relative_to(folder).parts)
    )


def find_root(start: Path, within: Path | None = None) -> Path:
    """The root of the series ``start`` belongs to: the nearest folder at or above it holding
    ``scriptlens.toml`` or ``.scriptlens``, looking no higher than ``within`` when given; else
    ``within``, or ``start`` itself (or its folder)."""
    start = start.resolve()
    here = start if start.is_dir() else start.parent
    top = within.resolve() if within is not None else None
    for folder in (here, *here.parents):
        if _is_root(folder):
            return folder
        if folder == top:
            return top
    return here


def series_roots(folder: Path) -> list[Path]:
    """The roots of every series a folder holds: its own and each nested one."""
    folder = folder.resolve()
    return sorted({find_root(folder), *nested_roots(folder)})


def read_config(root: Path) -> Config:
    path = root / CONFIG_NAME
    if not path.is_file():
        return Config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from error
    return parse_config(raw, str(path))


def load(start: Path, within: Path | None = None) -> Workspace:
    """The workspace of the series ``start`` belongs to, with its configuration."""
    root = find_root(start, within)
    return Workspace(root, read_config(root))


def group_by_series(paths: Iterable[Path]) -> dict[Path, list[Path]]:
    """Paths (files or folders) by the root of each series they hold or belong to."""
    groups: dict[Path, list[Path]] = {}
    for path in paths:
        roots = series_roots(path) if path.is_dir() else [find_root(path)]
        for root in roots:
            groups.setdefault(root, []).append(path)
    return groups


__all__ = [
    "CONFIG_NAME",
    "STATE_DIR",
    "ConfigError",
    "Workspace",
    "find_root",
    "group_by_series",
    "is_script",
    "load",
    "read_config",
    "series_roots",
]

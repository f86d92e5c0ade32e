"""A workspace: a folder of ``.fountain`` files with an optional ``scriptlens.toml``."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

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


class ConfigError(ValueError):
    """``scriptlens.toml`` cannot be read; the message names the file and the reason."""


@dataclass(frozen=True)
class Workspace:
    root: Path
    config: dict[str, Any]

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    def section(self, name: str) -> dict[str, Any]:
        """One table of the configuration, empty when absent."""
        value = self.config.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{self.root / CONFIG_NAME}: [{name}] must be a table")
        return value

    def fountain_files(self) -> list[Path]:
        return sorted(
            path for path in self.root.rglob("*.fountain") if is_script(path.relative_to(self.root))
        )


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``scriptlens.toml`` or ``.scriptlens``;
    ``start`` itself (or its folder) when there is none."""
    start = start.resolve()
    here = start if start.is_dir() else start.parent
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file() or (folder / STATE_DIR).is_dir():
            return folder
    return here


def load(start: Path) -> Workspace:
    root = find_root(start)
    path = root / CONFIG_NAME
    if not path.is_file():
        return Workspace(root, {})
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from error
    return Workspace(root, config)

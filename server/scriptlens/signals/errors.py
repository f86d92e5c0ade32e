"""Errors of the signal store, each carrying the message the CLI prints as is."""

from __future__ import annotations

from pathlib import Path


class SignalsError(Exception):
    """Anything the user must fix: bad input, an incompatible store, a wrong key."""


class RowError(SignalsError):
    """One row of an export is unusable; printed as ``file:line: reason``."""

    def __init__(self, path: Path | str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path = str(path)
        self.line = line
        self.reason = reason


class StoreVersionError(SignalsError):
    """The store was written by a newer scriptlens than this one."""


class DamagedStoreError(SignalsError):
    """The store file is not a sound SQLite database; nothing may be written to it."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"{path}: the signal store is damaged ({reason}); nothing was written to it. "
            "Rebuild it from the exports its import log names (`scriptlens signals rebuild`; "
            "`--dry-run` shows what that takes), or restore it from a backup "
            "(`scriptlens signals check` lists what is wrong)"
        )
        self.path = path
        self.reason = reason


class RebuildRefused(SignalsError):
    """``signals rebuild`` will not go on: some logged imports cannot be repeated (each is
    named) and the user did not agree to lose their signals. Nothing was changed."""

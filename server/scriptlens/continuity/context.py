"""What a rule sees: the series as it is now and, for the edit-aware rules, as it was."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from scriptlens.continuity.cast import Cast
from scriptlens.continuity.edits import Rename, renamed_cues
from scriptlens.continuity.index import FileIndex
from scriptlens.continuity.series import Series
from scriptlens.workspace.config import Config


@dataclass
class State:
    """One version of the series: its files' indexes, its order and its cast."""

    indexes: Mapping[str, FileIndex]
    cast: Cast

    @property
    def series(self) -> Series:
        return self.cast.series


@dataclass
class Context:
    settings: Config
    current: State
    baseline: State | None = None

    @cached_property
    def renames(self) -> list[Rename]:
        """Cues whose speaker changed since the baseline while their dialogue stayed."""
        if self.baseline is None:
            return []
        found: list[Rename] = []
        for path in self.current.series.files:
            before = self.baseline.indexes.get(path)
            after = self.current.indexes[path]
            if before is not None and before is not after and before.text != after.text:
                memo = after.memo.get("renames")
                if memo is None or memo[0] is not before:
                    memo = (before, list(renamed_cues(path, before, after)))
                    after.memo["renames"] = memo
                found.extend(memo[1])
        return found

"""What a rule sees: the series as it is now and, for the edit-aware rules, as it was."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby

from scriptlens.continuity.cast import Cast, Located
from scriptlens.continuity.edits import Rename, renamed_cues
from scriptlens.continuity.index import FileIndex
from scriptlens.continuity.series import Series
from scriptlens.continuity.typos import is_slip
from scriptlens.continuity.variants import Variant, find_variants
from scriptlens.workspace.config import Config

# A new spelling the baseline shows on this many renamed cues is a rename, not a typo.
RENAME_MIN_CUES = 2


@dataclass(frozen=True, slots=True)
class PartialRename:
    """A character renamed since the baseline in some cues while its old name stands in others."""

    old: str  # cue key
    new: str  # cue key
    renamed: tuple[Rename, ...]  # the cues renamed so, in series order


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

    @cached_property
    def renames_by_name(self) -> dict[tuple[str, str], list[Rename]]:
        """(old, new) cue keys -> the cues renamed so, for the renames that count: to a name that
        was no character in the baseline (handing a line to another existing character is
        rewriting, not renaming) and that is no declared alias of the old one."""
        if self.baseline is None:
            return {}
        spoken_before = self.baseline.cast.spellings
        aliases = self.settings.cast.aliases
        found: dict[tuple[str, str], list[Rename]] = {}
        for rename in self.renames:
            if rename.new in spoken_before:
                continue
            if rename.old in aliases and aliases[rename.old] == aliases.get(rename.new):
                continue
            found.setdefault((rename.old, rename.new), []).append(rename)
        return found

    @cached_property
    def variants(self) -> list[Variant]:
        """The name variants the ``name-variant`` rule reports (none while it is off)."""
        rule = self.settings.rules["name-variant"]
        if not rule.enabled:
            return []
        # A cue renamed since the baseline is a rename when several were renamed alike or when
        # the change is no slip of the fingers (BOSS HE made BOSS HO); else it may be a typo.
        deliberate = {
            frozenset((old, new))
            for (old, new), renamed in self.renames_by_name.items()
            if len(renamed) >= RENAME_MIN_CUES or not is_slip(old, new)
        }
        return find_variants(self.current.cast, rule.option("similarity"), deliberate)

    @cached_property
    def partial_renames(self) -> list[PartialRename]:
        """The partial renames the ``partial-rename`` rule reports: per old name, its most
        common new one, unless that is a typo the ``name-variant`` rule reports instead."""
        if not self.settings.rules["partial-rename"].enabled or self.baseline is None:
            return []
        cast = self.current.cast
        misspelt = {(variant.spelling, name) for variant in self.variants for name in variant.names}
        found = []
        pairs = sorted(self.renames_by_name.items())
        for old, targets in groupby(pairs, key=lambda item: item[0][0]):
            (_, new), renamed = max(targets, key=lambda item: len(item[1]))
            if (old, new) in misspelt or not any(
                located.item.name == old for located in cast.cues(cast.resolve(old))
            ):
                continue
            in_order = sorted(renamed, key=lambda item: cast.position(Located(item.file, item.cue)))
            found.append(PartialRename(old, new, tuple(in_order)))
        return found

    @cached_property
    def stand_ins(self) -> dict[str, str]:
        """Cue spelling -> the spelling it stands for, where a reported cause explains the
        difference: a misspelt cue for the name it misspells, a partly renamed name for its old
        one. Rules that would only restate that cause (a screen-time shift from one spelling to
        the other, a speaker never introduced, a CONT'D across the two) read the two as one."""
        found = {name: variant.spelling for variant in self.variants for name in variant.names}
        found.update((rename.new, rename.old) for rename in self.partial_renames)
        return found

    def standing_for(self, name: str) -> str:
        """The character a cue spelling names, read through ``stand_ins``."""
        cast = self.current.cast
        spelling = self.stand_ins.get(name, name)
        return cast.resolve(spelling) or spelling

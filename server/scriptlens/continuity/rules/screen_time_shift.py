"""``screen-time-shift``: since the baseline, a character's share of an episode's dialogue words
changed by more than ``points`` percentage points. Audience-driven rewrites move screen time
between characters; this makes the move visible. Reported on the character's first cue in the
episode (or the episode's first line when it no longer speaks there).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from scriptlens.continuity.context import Context
from scriptlens.continuity.diagnostics import Finding
from scriptlens.continuity.index import span
from scriptlens.continuity.rules.base import Rule, RuleSpec
from scriptlens.workspace.config import RuleSettings

SPEC = RuleSpec(
    "screen-time-shift",
    "information",
    "a character's share of an episode's dialogue moved by many points",
    needs_baseline=True,
    options={"points": 10},
)


def _shares(words: Counter[str]) -> dict[str, float]:
    total = sum(words.values())
    return {name: count / total for name, count in words.items()} if total else {}


def run(context: Context, settings: RuleSettings) -> Iterator[Finding]:
    assert context.baseline is not None
    points = settings.option("points")
    cast, before = context.current.cast, context.baseline.cast
    series, old_series = context.current.series, context.baseline.series
    for (path, part), slot in series.slot_of.items():
        old_slot = old_series.slot_of.get((path, part))
        if old_slot is None or context.baseline.indexes[path] is context.current.indexes[path]:
            continue
        # A misspelt or partly renamed cue still speaks for its character: those are reported
        # as such, and their words count for the name they stand for.
        now_words: Counter[str] = Counter()
        for character, count in cast.words[slot].items():
            now_words[context.standing_for(character)] += count
        now = _shares(now_words)
        old_words: Counter[str] = Counter()
        for old_character, count in before.words[old_slot].items():
            old_words[cast.resolve(old_character) or old_character] += count
        then = _shares(old_words)
        label = series.slots[slot].label
        for character in sorted(set(now) | set(then)):
            change = (now.get(character, 0.0) - then.get(character, 0.0)) * 100
            if abs(change) <= points:
                continue
            firsts = [
                located
                for located in cast.cues(character)
                if located.file == path and located.item.episode == part
            ]
            if firsts:
                where = firsts[0].item.range
            else:
                start = context.current.indexes[path].episodes[part].start_line
                where = span(start, 0, 0)
            yield Finding(
                path,
                where,
                f"{character}'s share of the dialogue in {label} went from "
                f"{then.get(character, 0.0):.0%} to {now.get(character, 0.0):.0%} since the "
                f"baseline ({change:+.0f} points)",
            )


RULE = Rule(SPEC, run)

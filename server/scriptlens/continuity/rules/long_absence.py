"""``long-absence``: a main character (at least ``main_share`` of the series' dialogue words) is
absent, neither speaking nor named in action, for more than ``max_gap`` consecutive episodes
between two appearances. Reported where the character comes back, with its last appearance
before the gap as related location. A gap that an ``[[exit: NAME]]`` note opens is intended and
not reported; nor is the stretch after a character's last appearance, which is a write-out or
episodes not written yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from scriptlens.continuity.context import Context
from scriptlens.continuity.diagnostics import Finding
from scriptlens.continuity.rules.base import Rule, RuleSpec, related
from scriptlens.continuity.rules.exit_reappearance import markers
from scriptlens.workspace.config import RuleSettings

SPEC = RuleSpec(
    "long-absence",
    "information",
    "a main character absent for many consecutive episodes",
    options={"main_share": 0.1, "max_gap": 3},
)


def run(context: Context, settings: RuleSettings) -> Iterator[Finding]:
    cast = context.current.cast
    slots = context.current.series.slots
    main_share, max_gap = settings.option("main_share"), settings.option("max_gap")
    exits = markers(context)
    for character, seen in cast.appearances.items():
        share = cast.share(character)
        if share < main_share:
            continue
        present = sorted(seen)
        for before, after in pairwise(present):
            gap = after - before - 1
            if gap <= max_gap:
                continue
            last, back = seen[before][1], seen[after][0]
            span = (cast.position(last), cast.position(back))
            if any(
                marker.kind == "exit" and span[0] < position < span[1]
                for position, _, marker in exits.get(character, [])
            ):
                continue
            yield Finding(
                back.file,
                back.item.range,
                f"{character}, a main character ({share:.0%} of the dialogue), comes back after "
                f"{gap} episodes away ({slots[before + 1].label} to {slots[after - 1].label})",
                (related(last, f"{character} last appeared here"),),
            )


RULE = Rule(SPEC, run)

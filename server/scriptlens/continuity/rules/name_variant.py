"""``name-variant``: two cue spellings that are probably one character (``MR. LI``, ``MR LI``,
``MR. LEE``), or a typo (``LIN YAM`` for ``LIN YAN``, ``ZH0U MING`` for ``ZHOU MING``), reported on
each cue of the rarer spelling with the common one as related location and a "did you mean"
quick fix. What counts as a variant, and what keeps two alike names apart: ``variants``.
"""

from __future__ import annotations

from collections.abc import Iterator

from scriptlens.continuity.context import Context
from scriptlens.continuity.diagnostics import Finding
from scriptlens.continuity.rules.base import Rule, RuleSpec, related, replace_fix
from scriptlens.workspace.config import RuleSettings

SPEC = RuleSpec(
    "name-variant",
    "warning",
    "two cue spellings that are probably one character, or a typo in a cue",
    options={"similarity": 85},
)


def run(context: Context, settings: RuleSettings) -> Iterator[Finding]:
    cast = context.current.cast
    for variant in context.variants:
        rare_cues, common_cues = cast.cues(variant.rare), cast.cues(variant.common)
        spelling = variant.spelling
        first = common_cues[0]
        for located in rare_cues:
            cue = located.item
            if cue.name not in variant.names:
                continue
            yield Finding(
                located.file,
                cue.range,
                f"'{cue.name}' is probably a misspelling of '{spelling}' "
                f"({len(rare_cues)} cue(s) against {len(common_cues)})",
                (related(first, f"'{spelling}' first speaks here"),),
                (replace_fix(f"Did you mean '{spelling}'?", located.file, cue.range, spelling),),
            )


RULE = Rule(SPEC, run)

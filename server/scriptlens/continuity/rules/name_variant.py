"""``name-variant``: two cue spellings that are probably one character (``MR. LI``, ``MR LI``,
``MR. LEE``), or a typo (``LIN YAM`` for ``LIN YAN``, ``ZH0U MING`` for ``ZHOU MING``), reported on
each cue of the rarer spelling with the common one as related location and a "did you mean"
quick fix (and "rename all to" the new spelling where the baseline shows the cue renamed to it).
What counts as a variant, and what keeps two alike names apart: ``variants``.
"""

from __future__ import annotations

from collections.abc import Iterator

from scriptlens.continuity.context import Context
from scriptlens.continuity.diagnostics import Finding, Fix, TextEdit
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
    # A spelling the baseline shows given to a cue in place of another: the writer may have
    # meant a rename, so the warning offers to finish it too.
    renamed_from = {new: old for old, new in context.renames_by_name}
    for variant in context.variants:
        rare_cues, common_cues = cast.cues(variant.rare), cast.cues(variant.common)
        spelling = variant.spelling
        first = common_cues[0]
        for located in rare_cues:
            cue = located.item
            if cue.name not in variant.names:
                continue
            fixes = [replace_fix(f"Did you mean '{spelling}'?", located.file, cue.range, spelling)]
            old = renamed_from.get(cue.name)
            if old is not None and cast.resolve(old) == variant.common:
                edits = tuple(
                    TextEdit(other.file, other.item.range, cue.name)
                    for other in common_cues
                    if other.item.name == old
                )
                fixes.append(Fix(f"Rename all to '{cue.name}'", edits))
            yield Finding(
                located.file,
                cue.range,
                f"'{cue.name}' is probably a misspelling of '{spelling}' "
                f"({len(rare_cues)} cue(s) against {len(common_cues)})",
                (related(first, f"'{spelling}' first speaks here"),),
                tuple(fixes),
            )


RULE = Rule(SPEC, run)

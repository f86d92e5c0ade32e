"""``partial-rename``: since the baseline some of a character's cues were renamed while the old
name still stands on others. Reported at each renamed cue (where the writer is), with the old
name's remaining cues as related locations, and at each remaining cue of the old name, with the
renamed cues as related locations; both offer "rename all to NEW" and "revert to OLD".

A rename is a dialogue block whose lines stayed while its speaker changed to a name that was no
character in the baseline (handing a line to another existing character is rewriting, not
renaming) and that is no declared alias of the old one. A single cue renamed to a typo of its
name is a misspelling, which the ``name-variant`` rule reports instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from scriptlens.continuity.cast import Located
from scriptlens.continuity.context import Context
from scriptlens.continuity.diagnostics import Finding, Fix, TextEdit
from scriptlens.continuity.index import Cue
from scriptlens.continuity.rules.base import Rule, RuleSpec, related
from scriptlens.workspace.config import RuleSettings

SPEC = RuleSpec(
    "partial-rename",
    "warning",
    "a character renamed in some cues while the old name stands in others",
    needs_baseline=True,
)


def run(context: Context, settings: RuleSettings) -> Iterator[Finding]:
    cast = context.current.cast
    for rename in context.partial_renames:
        old, new = rename.old, rename.new
        remaining = [
            located for located in cast.cues(cast.resolve(old)) if located.item.name == old
        ]
        renamed = [Located(item.file, item.cue) for item in rename.renamed]
        fixes = (
            Fix(f"Rename all to '{new}'", _renaming(remaining, new)),
            Fix(f"Revert to '{old}'", _renaming(renamed, old)),
        )
        # Each side of the rename is reported with the other side as related locations.
        sides = (
            (
                renamed,
                f"'{old}' is renamed to '{new}' here, but '{old}' still speaks in "
                f"{len(remaining)} other cue(s) since the baseline",
                [related(other, f"'{old}' still speaks here") for other in remaining],
            ),
            (
                remaining,
                f"'{old}' still speaks here, but since the baseline {len(renamed)} of its "
                f"cue(s) were renamed to '{new}'",
                [related(other, f"renamed from '{old}' to '{new}'") for other in renamed],
            ),
        )
        for cues, message, links in sides:
            for located in cues:
                yield Finding(located.file, located.item.range, message, tuple(links), fixes)


def _renaming(cues: list[Located[Cue]], name: str) -> tuple[TextEdit, ...]:
    return tuple(TextEdit(located.file, located.item.range, name) for located in cues)


RULE = Rule(SPEC, run)

"""``partial-rename``: since the baseline some of a character's cues were renamed while the old
name still stands on others. Reported on each remaining cue of the old name, with the renamed
cues as related locations and the rename as quick fix.

A rename is a dialogue block whose lines stayed while its speaker changed to a name that was no
character in the baseline (handing a line to another existing character is rewriting, not
renaming) and that is no declared alias of the old one.
"""

from __future__ import annotations

from collections.abc import Iterator

from scriptlens.continuity.context import Context
from scriptlens.continuity.diagnostics import Finding, Related
from scriptlens.continuity.edits import Rename
from scriptlens.continuity.rules.base import Rule, RuleSpec, replace_fix
from scriptlens.workspace.config import RuleSettings

SPEC = RuleSpec(
    "partial-rename",
    "warning",
    "a character renamed in some cues while the old name stands in others",
    needs_baseline=True,
)


def renames_by_name(context: Context) -> dict[str, dict[str, list[Rename]]]:
    """Old cue name -> new cue name -> the cues renamed so, for the renames that count."""
    assert context.baseline is not None
    spoken_before = context.baseline.cast.spellings
    aliases = context.settings.cast.aliases
    found: dict[str, dict[str, list[Rename]]] = {}
    for rename in context.renames:
        if rename.new in spoken_before:
            continue
        if rename.old in aliases and aliases[rename.old] == aliases.get(rename.new):
            continue
        found.setdefault(rename.old, {}).setdefault(rename.new, []).append(rename)
    return found


def run(context: Context, settings: RuleSettings) -> Iterator[Finding]:
    cast = context.current.cast
    for old, targets in renames_by_name(context).items():
        new, renamed = max(targets.items(), key=lambda item: len(item[1]))
        character = cast.resolve(old)
        if character is None:
            continue
        for located in cast.cues(character):
            cue = located.item
            if cue.name != old:
                continue
            yield Finding(
                located.file,
                cue.range,
                f"'{old}' still speaks here, but since the baseline {len(renamed)} of its "
                f"cue(s) were renamed to '{new}'",
                tuple(
                    Related(rename.file, rename.cue.range, f"renamed from '{old}' to '{new}'")
                    for rename in renamed
                ),
                replace_fix(f"Rename to '{new}'", located.file, cue.range, new),
            )


RULE = Rule(SPEC, run)

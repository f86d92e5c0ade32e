"""``lost-introduction``: since the baseline a character's introduction (its first ALL-CAPS
mention in action) was deleted, while the character still appears. Reported on the first
remaining appearance, with the baseline's introduction as related location; where that
appearance names the character in action, the quick fix capitalises it into a new introduction.
"""

from __future__ import annotations

from collections.abc import Iterator

from scriptlens.continuity.context import Context
from scriptlens.continuity.diagnostics import Finding, Fix
from scriptlens.continuity.index import Mention
from scriptlens.continuity.rules.base import Rule, RuleSpec, related, replace_fix
from scriptlens.workspace.config import RuleSettings

SPEC = RuleSpec(
    "lost-introduction",
    "warning",
    "a character's introduction deleted while the character still appears",
    needs_baseline=True,
)


def run(context: Context, settings: RuleSettings) -> Iterator[Finding]:
    assert context.baseline is not None
    before, cast = context.baseline.cast, context.current.cast
    for old_character, intros in before.intros.items():
        if old_character not in before.speakers:
            continue  # an ALL-CAPS word in action, not a speaking character
        character = cast.resolve(old_character)
        if character is None or cast.intros.get(character):
            continue
        seen = cast.appearances.get(character)
        if not seen:
            continue
        first = min((pair[0] for pair in seen.values()), key=cast.position)
        was = intros[0]
        fixes: tuple[Fix, ...] = ()
        if isinstance(first.item, Mention):
            name = context.current.indexes[first.file].text_at(first.item.range)
            fixes = (
                replace_fix(
                    f"Introduce {character} here", first.file, first.item.range, name.upper()
                ),
            )
        yield Finding(
            first.file,
            first.item.range,
            f"{character} was introduced in the baseline, but that introduction is gone and "
            f"{character} still appears here",
            (related(was, f"{character} was introduced here (baseline)"),),
            fixes,
        )


RULE = Rule(SPEC, run)

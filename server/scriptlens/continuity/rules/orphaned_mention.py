"""``orphaned-mention``: a name that was a character in the baseline has no cue left, but is still
mentioned in dialogue or action. Reported on each mention, with the character's last cue in the
baseline as related location; when the character's cues were renamed, the quick fix renames the
mention the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from scriptlens.continuity.context import Context
from scriptlens.continuity.diagnostics import Finding, Fix
from scriptlens.continuity.names import loose_key
from scriptlens.continuity.rules.base import Rule, RuleSpec, as_written, related, replace_fix
from scriptlens.workspace.config import RuleSettings

SPEC = RuleSpec(
    "orphaned-mention",
    "warning",
    "a former character, without any cue now, still mentioned",
    needs_baseline=True,
)


def run(context: Context, settings: RuleSettings) -> Iterator[Finding]:
    assert context.baseline is not None
    before, cast = context.baseline.cast, context.current.cast
    gone: dict[str, str] = {}  # loose key of a name -> the former character
    for old_character in before.speakers:
        names = before.characters[old_character].names
        if any(cast.resolve(name) in cast.speakers for name in names):
            continue
        gone.update((loose_key(name), old_character) for name in names)
    if not gone:
        return
    new_names: dict[str, Counter[str]] = {}
    for rename in context.renames:
        renamed = before.resolve(rename.old)
        if renamed is not None:
            new_names.setdefault(renamed, Counter())[rename.new] += 1
    for located, _ in cast.mentions:
        mention = located.item
        gone_character = gone.get(mention.key)
        if gone_character is None:
            continue
        last = before.cues(gone_character)[-1]
        where = "dialogue" if mention.spoken else "action"
        fixes: tuple[Fix, ...] = ()
        if gone_character in new_names:
            new = new_names[gone_character].most_common(1)[0][0]
            written = context.current.indexes[located.file].text_at(mention.range)
            fixes = (
                replace_fix(
                    f"Rename to '{new}'", located.file, mention.range, as_written(new, written)
                ),
            )
        yield Finding(
            located.file,
            mention.range,
            f"{gone_character} is mentioned in {where}, but has no cue left since the baseline",
            (related(last, f"{gone_character} last spoke here (baseline)"),),
            fixes,
        )


RULE = Rule(SPEC, run)

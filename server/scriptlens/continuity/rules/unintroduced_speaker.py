"""``unintroduced-speaker``: a character's first cue in the series comes before any introduction
(an ALL-CAPS mention in action, the screenplay convention). A hint by default: many scripts
introduce minor speakers by their cue alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from scriptlens.continuity.context import Context
from scriptlens.continuity.diagnostics import Finding, Related
from scriptlens.continuity.rules.base import Rule, RuleSpec, related
from scriptlens.workspace.config import RuleSettings

SPEC = RuleSpec(
    "unintroduced-speaker",
    "hint",
    "a character speaks before any ALL-CAPS introduction in action",
)


def run(context: Context, settings: RuleSettings) -> Iterator[Finding]:
    cast = context.current.cast
    for character in sorted(cast.speakers):
        if all(name in context.stand_ins for name in cast.characters[character].spellings):
            continue  # a misspelling or a half-done rename, reported as such
        first = cast.first_cue(character)
        intros = cast.intros.get(character, [])
        if intros and cast.position(intros[0]) < cast.position(first):
            continue
        links: tuple[Related, ...] = ()
        if intros:
            message = f"{character} speaks here before being introduced in action"
            links = (related(intros[0], f"{character} is introduced here, later"),)
        else:
            message = f"{character} speaks here but is never introduced in action"
        yield Finding(first.file, first.item.range, message, links)


RULE = Rule(SPEC, run)

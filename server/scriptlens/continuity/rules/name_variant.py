"""``name-variant``: two cue spellings that are probably one character (``MR. LI``, ``MR LI``,
``MR. LEE``), reported on each cue of the rarer spelling with the common one as related location.

Two names are compared after dropping punctuation and matching honorifics, word by word
(``names.spelling_similarity``). Short and long forms of one name (``BOB`` and ``CYBER BOB``)
are not variants: the cast index joins them. Two names are kept apart, however alike, when the
script shows two people: each has its own introduction; or both speak in one scene and the text
uses both names (in an introduction or a mention), since a misspelt cue (``MARGARGET`` among
``MARGARET``'s lines) is never written anywhere else; or ``[cast] distinct`` says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from scriptlens.continuity.cast import Cast
from scriptlens.continuity.context import Context
from scriptlens.continuity.diagnostics import Finding
from scriptlens.continuity.names import loose_key, spelling_similarity
from scriptlens.continuity.rules.base import Rule, RuleSpec, related, replace_fix
from scriptlens.workspace.config import RuleSettings

SPEC = RuleSpec(
    "name-variant",
    "warning",
    "two cue spellings that are probably one character",
    options={"similarity": 85},
)


def run(context: Context, settings: RuleSettings) -> Iterator[Finding]:
    cast = context.current.cast
    threshold = settings.option("similarity")
    for a, b in combinations(sorted(cast.speakers), 2):
        if not _alike(cast, a, b, threshold) or _two_people(cast, a, b):
            continue
        rare, common = sorted((a, b), key=lambda character: _weight(cast, character))
        rare_cues, common_cues = cast.cues(rare), cast.cues(common)
        spelling = cast.characters[common].spellings.most_common(1)[0][0]
        first = common_cues[0]
        for located in rare_cues:
            cue = located.item
            if spelling_similarity(cue.name, spelling) < threshold:
                continue
            yield Finding(
                located.file,
                cue.range,
                f"'{cue.name}' is probably a misspelling of '{spelling}' "
                f"({len(rare_cues)} cue(s) against {len(common_cues)})",
                (related(first, f"'{spelling}' first speaks here"),),
                replace_fix(f"Rename to '{spelling}'", located.file, cue.range, spelling),
            )


def _alike(cast: Cast, a: str, b: str, threshold: float) -> bool:
    return any(
        spelling_similarity(x, y) >= threshold
        for x in cast.characters[a].spellings
        for y in cast.characters[b].spellings
    )


def _two_people(cast: Cast, a: str, b: str) -> bool:
    names_a, names_b = cast.characters[a].names, cast.characters[b].names
    return (
        cast.settings.declared_distinct(a, b)
        or (cast.introduced(names_a) and cast.introduced(names_b))
        or (
            _attested(cast, names_a)
            and _attested(cast, names_b)
            and cast.share_scene(names_a, names_b)
        )
    )


def _attested(cast: Cast, names: set[str]) -> bool:
    return any(loose_key(name) in cast.attested for name in names)


def _weight(cast: Cast, character: str) -> tuple[int, tuple[int, ...]]:
    """Fewer cues first; at a tie, the spelling that first appears later."""
    first = cast.position(cast.first_cue(character))
    return cast.cue_count(character), tuple(-part for part in first)


RULE = Rule(SPEC, run)

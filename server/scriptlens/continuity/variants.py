"""Name variants: cue spellings that are probably one character misspelt.

Two ways to be one. The spellings are alike once punctuation, honorifics and sound-alike
transliterations are set aside (``MR. LI``, ``MR LI``, ``MR. LEE``: ``names.spelling_similarity``
at or above the rule's ``similarity``). Or one is a typo of the other (``typos.is_typo``: one or
two keystrokes) and behaves like one: it speaks rarely (at most ``TYPO_MAX_CUES`` cues), the
text never introduces nor mentions it, and the other is established (it speaks more often, or as
often and first, or it is introduced).

Two names are kept apart, however alike, when the script shows two people: each has its own
introduction; or both speak in one scene and the text uses both names (in an introduction or a
mention), since a misspelt cue (``MARGARGET`` among ``MARGARET``'s lines) is never written
anywhere else; or ``[cast] distinct`` says so. A new spelling the baseline shows given in place
of the old one to several cues, or to one by more than a slip of the fingers, is a rename (the
``partial-rename`` rule's), not a typo: the caller passes those pairs as ``renamed``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from itertools import combinations

from scriptlens.continuity.cast import Cast
from scriptlens.continuity.names import loose_key, spelling_similarity
from scriptlens.continuity.typos import is_typo

TYPO_MAX_CUES = 2


@dataclass(frozen=True)
class Variant:
    rare: str  # the character that is probably a misspelling
    common: str  # the character it misspells
    spelling: str  # the common character's usual cue spelling
    names: frozenset[str]  # the rare character's cue spellings that misspell it


def find_variants(
    cast: Cast, similarity: float, renamed: Collection[frozenset[str]] = ()
) -> list[Variant]:
    """Every variant of the cast; ``renamed`` holds the pairs of spellings a rename accounts for."""
    facts = {character: _Facts.of(cast, character) for character in cast.speakers}
    by_weight = sorted(cast.speakers, key=lambda character: facts[character].weight)
    mentioned: dict[str, bool] = {}  # asked only of typo candidates: it reads every mention

    def typo_like(rare: str, common: str) -> bool:
        if rare not in mentioned:
            mentioned[rare] = _attested(cast, cast.characters[rare].names)
        return facts[rare].typo_like(facts[common]) and not mentioned[rare]

    found = []
    for rare, common in combinations(by_weight, 2):
        spelling = cast.characters[common].spellings.most_common(1)[0][0]
        names = frozenset(
            name
            for name in cast.characters[rare].spellings
            if frozenset((name, spelling)) not in renamed
            and (
                spelling_similarity(name, spelling) >= similarity
                or (is_typo(name, spelling) and typo_like(rare, common))
            )
        )
        if names and not _two_people(cast, rare, common):
            found.append(Variant(rare, common, spelling, names))
    return found


@dataclass(frozen=True)
class _Facts:
    cues: int
    introduced: bool
    # Rarer first: fewer cues; at a tie, not introduced; then the later first cue.
    weight: tuple[int, bool, tuple[int, ...]]

    @classmethod
    def of(cls, cast: Cast, character: str) -> _Facts:
        cues = cast.cue_count(character)
        introduced = cast.introduced(cast.characters[character].names)
        first = cast.position(cast.first_cue(character))
        return cls(cues, introduced, (cues, introduced, tuple(-part for part in first)))

    def typo_like(self, common: _Facts) -> bool:
        """Whether this character, the rarer one, speaks and is introduced as a typo of
        ``common`` would be (that the text never mentions it is asked apart)."""
        # At a tie the other spoke first (the weights order them so).
        established = common.cues >= self.cues or common.introduced
        return not self.introduced and self.cues <= TYPO_MAX_CUES and established


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

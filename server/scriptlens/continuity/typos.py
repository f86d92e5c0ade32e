"""Whether one cue spelling is a slip of the fingers away from another.

A typo is one or two keystrokes: a letter substituted (a keyboard neighbour, a digit for a
look-alike letter), inserted, deleted, or two neighbours swapped. That is the optimal string
alignment distance between the two names without punctuation. Short names allow fewer
keystrokes: one changed letter turns ``LI`` into ``LU``, another surname.

Some one-letter differences name other people, not typos, and never count: a differing number
or single-letter label (``GUARD 1``/``GUARD 2``, ``MAN A``/``MAN B``), a plural (``GUARD``/
``GUARDS``, ``MAN``/``MEN``: a group speaks), and another honorific (``MR LI``/``MRS LI``).
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA

from scriptlens.continuity.names import honorifics, loose_key, tokens

# Letters in the name (spaces and punctuation aside) from which one, then two keystrokes count.
ONE_KEYSTROKE_FROM = 3
TWO_KEYSTROKES_FROM = 8

_NUMBER_WORDS = frozenset(
    [
        "ONE",
        "TWO",
        "THREE",
        "FOUR",
        "FIVE",
        "SIX",
        "SEVEN",
        "EIGHT",
        "NINE",
        "TEN",
        "ELEVEN",
        "TWELVE",
        "FIRST",
        "SECOND",
        "THIRD",
        "FOURTH",
        "FIFTH",
    ]
)


def keystrokes_allowed(name: str) -> int:
    letters = len(loose_key(name).replace(" ", ""))
    if letters >= TWO_KEYSTROKES_FROM:
        return 2
    return 1 if letters >= ONE_KEYSTROKE_FROM else 0


@lru_cache(maxsize=8192)
def is_typo(variant: str, name: str) -> bool:
    """Whether ``variant`` is ``name`` mistyped: one or two keystrokes away, as allowed for
    ``name``'s length, and not one of the differences that name another person."""
    a, b = loose_key(variant), loose_key(name)
    if a == b or _names_someone_else(variant, name):
        return False
    return OSA.distance(a, b) <= keystrokes_allowed(name)


def _names_someone_else(a: str, b: str) -> bool:
    titles_a, titles_b = honorifics(a), honorifics(b)
    if titles_a and titles_b and titles_a != titles_b:
        return True
    words_a, words_b = tokens(a), tokens(b)
    if len(words_a) != len(words_b):
        return False
    return any(
        (_labels(x) and _labels(y)) or _plural(x, y) or _plural(y, x)
        for x, y in zip(words_a, words_b, strict=True)
        if x != y
    )


def _labels(word: str) -> bool:
    return word.isdigit() or word in _NUMBER_WORDS or len(word) == 1


def _plural(one: str, many: str) -> bool:
    return many in (one + "S", one + "ES") or (
        one.endswith("MAN") and many == one[: -len("MAN")] + "MEN"
    )

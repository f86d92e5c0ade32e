"""Whether one cue spelling is a slip of the fingers away from another.

A typo is one or two keystrokes: a letter substituted (a keyboard neighbour, a digit for a
look-alike letter), inserted, deleted, or two neighbours swapped. That is the optimal string
alignment distance between the two names without punctuation. Short names allow fewer
keystrokes: one changed letter turns ``LI`` into ``LU``, another surname.

Some one-letter differences name other people, not typos, and never count: a differing number
or single-letter label (``GUARD 1``/``GUARD 2``, ``MAN A``/``MAN B``), a plural (``GUARD``/
``GUARDS``, ``MAN``/``MEN``: a group speaks), and another honorific (``MR LI``/``MRS LI``).

Where the baseline shows an existing cue edited into a new spelling, ``is_slip`` tells a slip
of the fingers (a typo) from a choice (a rename).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

from rapidfuzz.distance import OSA, Levenshtein

from scriptlens.continuity.names import honorifics, loose_key, tokens

# Letters in the name (spaces and punctuation aside) from which one, then two keystrokes count.
ONE_KEYSTROKE_FROM = 3
TWO_KEYSTROKES_FROM = 8

# A QWERTY keyboard, each row set half a key to the right of the one above it.
KEYBOARD = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
# Digits typed for the letters they look like.
LOOK_ALIKE_DIGITS = {"O": "0", "I": "1", "L": "1", "E": "3", "A": "4", "S": "5", "B": "8"}
LOOK_ALIKE_DIGITS |= {"G": "6", "T": "7", "Z": "2"}

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


def neighbours(key: str) -> str:
    """The keys touching ``key`` on the keyboard: beside it, and above and below it."""
    for row, keys in enumerate(KEYBOARD):
        column = keys.find(key)
        if column < 0:
            continue
        touching = keys[max(column - 1, 0) : column] + keys[column + 1 : column + 2]
        if row > 0:
            touching += KEYBOARD[row - 1][column : column + 2]
        if row + 1 < len(KEYBOARD):
            touching += KEYBOARD[row + 1][max(column - 1, 0) : column + 1]
        return touching
    return ""


def is_slip(meant: str, typed: str) -> bool:
    """Whether ``typed`` differs from ``meant`` as fingers slip: letters doubled, dropped, added or
    swapped with their neighbour, a key hit beside the right one, a digit for its look-alike
    letter. Any other substitution (``BOSS HE`` made ``BOSS HO``) is a choice."""
    a, b = loose_key(meant), loose_key(typed)
    replaced = [
        (op.src_pos, op.dest_pos) for op in Levenshtein.editops(a, b) if op.tag == "replace"
    ]
    swapped = set()
    for (first, first_to), (second, second_to) in pairwise(replaced):
        if second == first + 1 and a[first] == b[second_to] and a[second] == b[first_to]:
            swapped |= {first, second}
    return all(
        at in swapped or b[to] in neighbours(a[at]) or LOOK_ALIKE_DIGITS.get(a[at]) == b[to]
        for at, to in replaced
    )

"""Character names: the spellings a script uses, and how alike two of them are.

Three forms of a name are used throughout the engine:

- the *cue key* (``cue_key``): upper case with runs of white space collapsed. It is the exact
  spelling of a cue, so ``MR. LI`` and ``MR LI`` are two keys, which is what ``name-variant``
  needs to see.
- the *loose key* (``loose_key``): the cue key without punctuation. A mention ``Mr. Li,`` in
  dialogue and the cue ``MR. LI`` share it.
- the *tokens* of the loose key, with and without leading honorifics.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

# Honorifics that a script may put in front of one character's name or leave out. Family words
# ("GRANDMA", "UNCLE") are not among them: "GRANDMA SU" and "SU" are usually two people.
HONORIFICS = frozenset(
    {"MR", "MRS", "MS", "MISS", "MX", "DR", "PROF", "PROFESSOR", "SIR", "MADAM", "MADAME", "DAME"}
)

_NON_WORD = re.compile(r"[^\w]+")
# The spelling patterns that make two transliterations sound alike (LI/LEE, KATE/CATE,
# ZHOU/CHOU is left alone: those are different surnames).
_SOUND_RULES = (
    ("PH", "F"),
    ("CK", "K"),
    ("QU", "KW"),
    ("EE", "I"),
    ("EA", "I"),
    ("IE", "I"),
    ("EY", "I"),
    ("OO", "U"),
    ("OU", "U"),
    ("C", "K"),
)


@lru_cache(maxsize=8192)
def loose_key(name: str) -> str:
    return _NON_WORD.sub(" ", name.upper()).strip()


@lru_cache(maxsize=8192)
def tokens(name: str) -> tuple[str, ...]:
    return tuple(loose_key(name).split())


def core_tokens(name: str) -> tuple[str, ...]:
    """The name's tokens without leading honorifics; the honorific alone stays as it is."""
    parts = tokens(name)
    start = 0
    while start < len(parts) - 1 and parts[start] in HONORIFICS:
        start += 1
    return parts[start:]


def honorifics(name: str) -> tuple[str, ...]:
    parts = tokens(name)
    return parts[: len(parts) - len(core_tokens(name))]


@lru_cache(maxsize=4096)
def sound_key(token: str) -> str:
    """A crude key under which common spelling variants of one sound coincide."""
    key = token.upper()
    for old, new in _SOUND_RULES:
        key = key.replace(old, new)
    if key.endswith("Y") and len(key) > 1:
        key = key[:-1] + "I"
    collapsed = [c for i, c in enumerate(key) if i == 0 or c != key[i - 1]]
    return "".join(collapsed)


def token_similarity(a: str, b: str) -> float:
    if a == b or sound_key(a) == sound_key(b):
        return 100.0
    return fuzz.ratio(a, b)


def is_short_form(short: str, long: str) -> bool:
    """``short`` names a strict part of ``long`` ("BOB" of "CYBER BOB", "LI" of "MR. LI")."""
    short_tokens, long_tokens = set(tokens(short)), set(tokens(long))
    return bool(short_tokens) and short_tokens < long_tokens


@lru_cache(maxsize=8192)
def spelling_similarity(a: str, b: str) -> float:
    """How likely two different cue spellings are one name misspelt, 0–100.

    Names that differ only in punctuation score 100. Otherwise both must carry the same
    honorifics and the same number of core tokens, each pair of tokens alike (so "BOOGER ONE" and
    "BOOGER TWO", or "SU QING" and "SU MEI", score 0), and the score is the weakest token pair's.
    """
    if loose_key(a) == loose_key(b) or loose_key(a).replace(" ", "") == loose_key(b).replace(
        " ", ""
    ):
        return 100.0
    if honorifics(a) != honorifics(b):
        return 0.0
    core_a, core_b = core_tokens(a), core_tokens(b)
    if len(core_a) != len(core_b):
        return 0.0
    pairs = list(zip(core_a, core_b, strict=True))
    if any(x.isdigit() or y.isdigit() for x, y in pairs if x != y):
        return 0.0
    return min(token_similarity(x, y) for x, y in pairs)

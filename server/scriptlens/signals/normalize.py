"""Text normalization shared by import (grouping keys), theme clustering and lookup.

Two comments that differ only in case, width, punctuation, spacing or how long someone held a
key ("sooo good!!!" vs "Soo good") normalize to the same text. Tokens are words for spaced
languages and character bigrams for Chinese and Japanese, which have no spaces.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from scriptlens.text_facts import CJK_RANGES

_CJK = CJK_RANGES
_CJK_RUN = re.compile(f"[{_CJK}]+")
_HAS_CJK = re.compile(f"[{_CJK}]")
_PLACEHOLDER = re.compile(r"⟨\w+⟩")
# Keep word characters and emoji/symbols (a crying-face comment is a reaction worth grouping).
_NOISE = re.compile(r"[^\w\s#\u2600-\u27bf\U0001f000-\U0001faff]+")
_UNDERSCORE = re.compile(r"_+")
_REPEAT = re.compile(r"(.)\1{2,}")
_SPACE = re.compile(r"\s+")
_HASHTAG_ONLY = re.compile(r"^(?:#[^#\s]+#?\s*)+$")
_FIRST_TAG = re.compile(r"#([^#\s]+)")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+")

STOPWORDS = frozenset(
    {
        "the",
        "and",
        "you",
        "that",
        "this",
        "was",
        "for",
        "are",
        "with",
        "his",
        "her",
        "she",
        "him",
        "they",
        "have",
        "not",
        "but",
        "what",
        "all",
        "were",
        "when",
        "your",
        "can",
        "there",
        "out",
        "just",
        "about",
        "would",
        "like",
        "its",
        "into",
        "than",
        "then",
        "them",
        "these",
        "some",
        "could",
        "been",
        "has",
        "had",
        "who",
        "did",
        "does",
        "doing",
        "from",
        "our",
        "ours",
        "very",
        "too",
        "also",
        "only",
        "will",
    }
)


# Characters that carry grammar, not substance: a bigram made only of them says nothing.
CJK_FUNCTION_CHARACTERS = frozenset(
    "的了是在我你他她它们这那就都也和吧吗呢啊么个一不有人要会说给把被让着过来去上下到得地很太还又再好"
)
# Words a comment asks with rather than says anything by ("please", "should", "episode"): left
# out, beside STOPWORDS, when a line and a comment are compared by their content words.
_CONTENT_STOPWORDS = frozenset(
    {
        "should",
        "please",
        "want",
        "more",
        "need",
        "really",
        "get",
        "got",
        "make",
        "one",
        "now",
        "why",
        "how",
        "going",
        "know",
        "think",
        "see",
        "let",
        "give",
        "ever",
        "even",
        "much",
        "still",
        "yes",
        "lol",
        "omg",
        "episode",
        "here",
        "where",
        "which",
        "their",
        "because",
        "being",
        "it's",
        "i'm",
        "don't",
        "can't",
        "won't",
        "didn't",
        "she's",
        "he's",
        "that's",
        "say",
        "says",
        "said",
        "tell",
        "finally",
        "again",
        "back",
        "way",
        "well",
        "yeah",
        "any",
        "every",
        "something",
        "thing",
        "things",
        "own",
        "right",
        "come",
        "came",
        "take",
        "look",
        "off",
        "over",
        "after",
        "before",
        "never",
        "always",
        "other",
        "scene",
        "show",
        "drama",
        "writer",
        "writers",
    }
)
CONTENT_STOPWORDS = STOPWORDS | _CONTENT_STOPWORDS


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude English stem, the same on both sides of a comparison: ``signed``, ``signing``
    and ``signs`` are ``sign``; ``babies`` is ``baby``."""
    word = word.removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_terms(text: str) -> set[str]:
    """The stemmed content words of spaced text, three letters or more: what a line, a comment
    and a dictionary's English gloss are compared by."""
    found: set[str] = set()
    for word in _WORD.findall(text):
        if len(word) >= 3 and word not in CONTENT_STOPWORDS:
            stemmed = stem(word)
            if stemmed not in CONTENT_STOPWORDS:
                found.add(stemmed)
    return found


def normalize(text: str) -> str:
    """Lower-case, width-folded text without punctuation, placeholders or stretched letters.
    A text made only of hashtags (``#tag`` or Weibo's ``#tag#``) normalizes to ``#tag``."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if _HASHTAG_ONLY.match(text.strip()):
        first = _FIRST_TAG.search(text)
        return f"#{first.group(1)}" if first else ""
    text = _PLACEHOLDER.sub(" ", text)
    text = _NOISE.sub(" ", text.replace("#", " "))
    text = _UNDERSCORE.sub(" ", text)
    text = _REPEAT.sub(r"\1\1", text)
    return _SPACE.sub(" ", text).strip()


def hashtag_text(text: str) -> str:
    """A ``hashtag`` signal's text as a tag, whether or not the export kept the ``#``."""
    stripped = text.strip()
    return stripped if stripped.startswith("#") else f"#{stripped}"


def has_cjk(text: str) -> bool:
    return _HAS_CJK.search(text) is not None


def is_hashtag(norm: str) -> bool:
    return norm.startswith("#")


def tokens(norm: str) -> list[str]:
    """Words of at least two letters, and character bigrams of each Chinese/Japanese run."""
    if _HAS_CJK.search(norm) is None:
        return [word for word in norm.split() if len(word) > 1]
    result: list[str] = []
    for part in norm.split():
        last = 0
        for run in _CJK_RUN.finditer(part):
            result.extend(w for w in part[last : run.start()].split() if len(w) > 1)
            chars = run.group()
            if len(chars) == 1:
                result.append(chars)
            result.extend(chars[i : i + 2] for i in range(len(chars) - 1))
            last = run.end()
        if len(part) - last > 1:
            result.append(part[last:])
    return result


def query_terms(norm: str) -> list[str]:
    """Search terms for the trigram index: content words of three or more letters, and the
    three-character windows of Chinese/Japanese runs (the trigram tokenizer needs three)."""
    terms: list[str] = []
    for part in norm.split():
        if _HAS_CJK.search(part) is None:
            if len(part) >= 3 and part not in STOPWORDS:
                terms.append(part)
            continue
        for chunk in re.split(f"([{_CJK}]+)", part):
            if not chunk:
                continue
            if _HAS_CJK.match(chunk):
                terms.extend(chunk[i : i + 3] for i in range(len(chunk) - 2))
            elif len(chunk) >= 3 and chunk not in STOPWORDS:
                terms.append(chunk)
    return list(dict.fromkeys(terms))


def fingerprint(norm: str) -> int:
    """64-bit key of a normalized text: signals sharing it are exact near-duplicates."""
    return int.from_bytes(
        hashlib.blake2b(norm.encode(), digest_size=8).digest(), "big", signed=True
    )

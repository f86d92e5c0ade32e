"""How much a script line and an audience theme say the same thing, as numbers a calibrated
confidence is computed from (``calibration``).

Texts are folded as character names are (``signals.names.fold``: NFKC, case, traditional to
simplified Chinese), names of the cast are found in any writing system (``苏晴`` is ``SU QING``)
and set aside, and the rest becomes *terms*: content words with their English endings stripped
(``twins`` and ``twin`` meet), and character bigrams of Chinese and Japanese. A comment that
paraphrases a line shares few exact phrases with it but keeps its terms and its characters.

Candidate themes come from an in-memory index of terms to themes, over every theme at least two
signals strong (a single comment is a voice, not a theme; a writer can still cite it by id), so
finding them costs dictionary lookups, not a scan of the store.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from operator import itemgetter

from rapidfuzz import fuzz

from scriptlens.signals.names import CastNames, fold
from scriptlens.signals.normalize import CJK_FUNCTION_CHARACTERS, content_terms
from scriptlens.signals.store import Store

MIN_THEME_SIGNALS = 2
POSTINGS_PER_TERM = 64  # the largest themes holding a term that are candidates for it
_CJK_RUN = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True)
class Text:
    """A text as matching sees it."""

    folded: str
    terms: frozenset[str]
    characters: frozenset[str]  # main cue names of the cast members it names

    cjk: bool  # holds Chinese or Japanese, compared character by character

    @property
    def comparable(self) -> str:
        return self.folded.replace(" ", "") if self.cjk else self.folded


def analyse(text: str, names: CastNames) -> Text:
    folded = fold(text)
    spans = names.spans(folded)
    rest = folded
    for start, end, _ in reversed(spans):
        rest = rest[:start] + " " + rest[end:]
    found: set[str] = set()
    for run in _CJK_RUN.finditer(rest):
        chars = run.group()
        found.update(
            chars[i : i + 2]
            for i in range(len(chars) - 1)
            if not (chars[i] in CJK_FUNCTION_CHARACTERS and chars[i + 1] in CJK_FUNCTION_CHARACTERS)
        )
    found.update(content_terms(_CJK_RUN.sub(" ", rest)))
    return Text(
        folded,
        frozenset(found),
        frozenset(main for *_, main in spans),
        _CJK_RUN.search(folded) is not None,
    )


@dataclass(frozen=True)
class IndexedTheme:
    rank: int
    id: str
    label: str
    texts: tuple[Text, ...]  # its exemplars, analysed
    signals: int
    terms: frozenset[str]  # of all its texts
    characters: frozenset[str]

    @classmethod
    def of(
        cls, rank: int, theme_id: str, label: str, texts: tuple[Text, ...], signals: int
    ) -> IndexedTheme:
        return cls(
            rank,
            theme_id,
            label,
            texts,
            signals,
            frozenset().union(*(text.terms for text in texts)),
            frozenset().union(*(text.characters for text in texts)),
        )


@dataclass(frozen=True)
class TextMatch:
    """What a line and a theme share, before time and support are considered."""

    theme: IndexedTheme
    similarity: float  # rapidfuzz, 0-1, of the exemplar sharing the most terms
    overlap: float  # shared terms against the geometric mean of both term counts, 0-1
    shared_terms: tuple[str, ...]
    characters: float  # 1 a character both name, 0 the theme names none, -1 it names others
    shared_characters: tuple[str, ...]


class ThemeIndex:
    """Themes by term and by character, for one store generation and one cast."""

    def __init__(self, themes: list[IndexedTheme]) -> None:
        self.themes = themes
        self._by_term: defaultdict[str, list[int]] = defaultdict(list)
        for position, theme in enumerate(themes):
            for term in theme.terms:
                self._by_term[term].append(position)
            for character in theme.characters:
                self._by_term["@" + character].append(position)
        self._count = max(1, len(themes))
        self._idfs: dict[str, float] = {}

    @classmethod
    def build(cls, store: Store, names: CastNames) -> ThemeIndex:
        rows = store.conn.execute(
            "SELECT rank, id, label, exemplars, signals FROM themes WHERE signals >= ? "
            "ORDER BY rank",
            (MIN_THEME_SIGNALS,),
        )
        return cls(
            [
                IndexedTheme.of(
                    rank,
                    theme_id,
                    label,
                    tuple(
                        analyse(text, names)
                        for text in dict.fromkeys([label, *exemplars.split("\n")])
                    ),
                    signals,
                )
                for rank, theme_id, label, exemplars, signals in rows
            ]
        )

    def largest_first(self) -> list[IndexedTheme]:
        """Every indexed theme but hashtags, the most signals first."""
        return [theme for theme in self.themes if not theme.label.lstrip().startswith("#")]

    def _idf(self, key: str) -> float:
        known = self._idfs.get(key)
        if known is None:
            known = math.log(1 + self._count / (1 + len(self._by_term.get(key, ()))))
            self._idfs[key] = known
        return known

    def candidates(self, line: Text, limit: int) -> list[IndexedTheme]:
        """Themes sharing a term, or two characters, with the line; those sharing the rarest
        and most first. One shared character alone does not make a candidate: every comment
        about a lead would be one."""
        weight: defaultdict[int, float] = defaultdict(float)
        # Postings are in theme order, largest first: the largest themes holding each term are
        # the ones looked at, which bounds the work however common the term (as lookup does).
        for term in sorted(line.terms):
            postings = self._by_term.get(term, ())
            idf = self._idf(term)
            for position in postings[:POSTINGS_PER_TERM]:
                weight[position] += idf
        named: defaultdict[int, list[float]] = defaultdict(list)
        for character in sorted(line.characters):
            key = "@" + character
            idf = self._idf(key)
            for position in self._by_term.get(key, ())[:POSTINGS_PER_TERM]:
                named[position].append(idf)
        for position, idfs in named.items():
            if position in weight or len(idfs) >= 2:
                weight[position] += sum(idfs)
        # a stable sort: ties stay in the order the (sorted) terms found them, always the same
        best = sorted(weight.items(), key=itemgetter(1), reverse=True)[:limit]
        return [self.themes[position] for position, _ in best]


def _similarity(a: Text, b: Text) -> float:
    if a.cjk or b.cjk:
        return fuzz.partial_ratio(a.comparable, b.comparable) / 100
    return fuzz.token_set_ratio(a.folded, b.folded) / 100


def compare(line: Text, theme: IndexedTheme) -> TextMatch:
    # The exemplar sharing the most is the one compared character by character too: rapidfuzz
    # on every exemplar of every candidate of every line is what a series' summary would wait on.
    closest, best_overlap, best_shared = theme.texts[0], 0.0, frozenset[str]()
    for text in theme.texts:
        shared = line.terms & text.terms
        if shared:
            overlap = len(shared) / math.sqrt(len(line.terms) * len(text.terms))
            if overlap > best_overlap:
                closest, best_overlap, best_shared = text, overlap, shared
    similarity = _similarity(line, closest)
    named = theme.characters
    shared_characters = line.characters & named
    if shared_characters:
        characters = 1.0
    elif not named:
        characters = 0.0
    else:
        characters = -1.0
    return TextMatch(
        theme,
        similarity,
        best_overlap,
        tuple(sorted(best_shared)),
        characters,
        tuple(sorted(shared_characters)),
    )

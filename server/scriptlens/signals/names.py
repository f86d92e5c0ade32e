"""Character names across writing systems: ``苏晴`` in a comment is ``SU QING`` in a cue.

Audiences of micro-dramas write a character's name in Chinese characters, simplified or
traditional, while the script's cues romanise it. A comment names a character of the cast when:

- a Latin spelling of one of the character's names (cue or ``[cast.aliases]`` entry) stands in
  it as whole words (``Su Qing's``), or written solid as in a hashtag (``#SuQing``);
- a Chinese spelling declared as an alias stands in it (``李总`` for ``MR. LI``), after
  traditional characters are folded to simplified ones (OpenCC's ``t2s``), so ``蘇晴`` counts;
- two or more Chinese characters in it read, in pinyin, as a romanised name of the character
  (pypinyin; every reading of each character counts, so surnames with a reading of their own,
  ``单`` Shan or ``曾`` Zeng, still match). A single character is never read as a name: one
  syllable has too many homophones. A name whose reading is also a common word needs an alias.

Readings are cached per distinct run of Chinese characters, so a million comments that repeat
the same phrases cost a lookup each.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache

from opencc import OpenCC

from scriptlens.continuity.series import excluded
from scriptlens.fountain.parser import parse_file
from scriptlens.text_facts import cue_key
from scriptlens.workspace import Workspace

_HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_NON_WORD = re.compile(r"[\W_]+")
_MARKS = re.compile(r"[\u0300-\u036f]")
_TO_SIMPLIFIED = OpenCC("t2s")
RUN_CACHE_LIMIT = 100_000  # distinct Chinese runs remembered per cast


def to_simplified(text: str) -> str:
    """Traditional Chinese characters folded to simplified ones; other text unchanged."""
    return _TO_SIMPLIFIED.convert(text) if _HAN_RUN.search(text) else text


def fold(text: str) -> str:
    """Text as names are searched in: NFKC, case-folded, without accents, simplified."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return to_simplified(unicodedata.normalize("NFC", _MARKS.sub("", folded)))


def _letters(name: str) -> str:
    """A Latin name without accents, case or punctuation: ``Lǚ Bù`` -> ``lu bu``."""
    plain = _MARKS.sub("", unicodedata.normalize("NFKD", name)).casefold()
    return " ".join(_NON_WORD.sub(" ", plain).split())


def romanize(han: str) -> str:
    """How a script's cue romanises a Chinese name: surname, then the given name in one word,
    upper case (``苏晴`` -> ``SU QING``, ``林小妍`` -> ``LIN XIAOYAN``). Four characters are read
    as a two-character surname and a two-character given name (``欧阳娜娜`` -> ``OUYANG NANA``).
    Each character takes its most common reading."""
    # pypinyin's phrase tables take a second to load: only a caller that reads Chinese pays it
    # (the language server starts without it).
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(to_simplified(han.strip()), style=Style.NORMAL, v_to_u=True)
    syllables = [_letters(syllable) for syllable in syllables]
    if len(syllables) < 2:
        return "".join(syllables).upper()
    surname = 2 if len(syllables) == 4 else 1
    return f"{''.join(syllables[:surname])} {''.join(syllables[surname:])}".upper()


@cache
def _readings(character: str) -> tuple[str, ...]:
    """Every toneless pinyin reading of one character, ``ü`` written ``u``."""
    from pypinyin import Style, pinyin  # loaded on first use, as in ``romanize``

    [found] = pinyin(character, style=Style.NORMAL, heteronym=True, v_to_u=True)
    return tuple(dict.fromkeys(_letters(reading) for reading in found))


class CastNames:
    """The names of a cast, indexed for finding mentions in comments. Build it once per cast
    with ``cast_names``: it remembers the runs of Chinese characters it has read."""

    def __init__(self, cast: Iterable[str], aliases: Mapping[str, str]) -> None:
        canonical: dict[str, str] = {}  # any name -> the character's main cue name
        for name in cast:
            key = cue_key(name)
            canonical[key] = cue_key(aliases.get(key, key))
        for alias, main in aliases.items():
            canonical[cue_key(alias)] = cue_key(main)
        self.characters = frozenset(canonical.values())
        latin: dict[str, str] = {}  # "su qing" -> SU QING
        self._han: dict[str, str] = {}  # simplified Chinese spelling -> main name
        self._sounds: dict[str, str] = {}  # joined pinyin letters ("suqing") -> main name
        for name, main in canonical.items():
            if _HAN_RUN.fullmatch(name):
                self._han[to_simplified(name)] = main
                continue
            letters = _letters(name)
            if not letters:
                continue
            latin[letters] = main
            solid = letters.replace(" ", "")
            if solid.isascii() and solid.isalpha():
                self._sounds.setdefault(solid, main)
        self._sound_prefixes = frozenset(
            sound[:end] for sound in self._sounds for end in range(1, len(sound) + 1)
        )
        # One group per name, longest first; its words may be joined by spaces, punctuation or
        # nothing (``Su Qing``, ``Su-Qing``, ``#SuQing``); no Latin letter or digit may touch it.
        longest_first = sorted(latin, key=len, reverse=True)
        self._latin_owners = [latin[name] for name in longest_first]
        alternatives = (
            "(" + r"[\W_]*".join(map(re.escape, name.split())) + ")" for name in longest_first
        )
        self._latin_pattern = (
            re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])")
            if longest_first
            else None
        )
        self._runs: dict[str, tuple[tuple[int, int, str], ...]] = {}
        # Every name and its character, one pair a line: equal for equal casts, and enough to
        # build the index again (``from_signature``).
        self.signature = "\n".join(sorted(f"{name}\t{main}" for name, main in canonical.items()))

    @classmethod
    def from_signature(cls, signature: str) -> CastNames:
        """The index whose ``signature`` this is."""
        pairs = (line.split("\t", 1) for line in signature.splitlines())
        return cast_names((), {name: main for name, main in pairs})

    def mentioned(self, text: str) -> frozenset[str]:
        """Main cue names of the characters ``text`` names, in any of the ways above."""
        return self.mentioned_in_folded(fold(text))

    def mentioned_in_folded(self, folded: str) -> frozenset[str]:
        """``mentioned`` for text already passed through ``fold``."""
        found: set[str] = set()
        if self._latin_pattern is not None:
            found.update(
                self._latin_owners[m.lastindex - 1]  # type: ignore[operator]
                for m in self._latin_pattern.finditer(folded)
            )
        for run in _HAN_RUN.findall(folded):
            found.update(main for *_, main in self._han_spans(run))
        return frozenset(found)

    def spans(self, folded: str) -> list[tuple[int, int, str]]:
        """(start, end, main name) of each mention in text passed through ``fold``, left to
        right, not overlapping: what the theme builder reads as one word."""
        spans: list[tuple[int, int, str]] = []
        if self._latin_pattern is not None:
            spans.extend(
                (m.start(), m.end(), self._latin_owners[m.lastindex - 1])  # type: ignore[operator]
                for m in self._latin_pattern.finditer(folded)
            )
        for run in _HAN_RUN.finditer(folded):
            spans.extend(
                (run.start() + start, run.start() + end, main)
                for start, end, main in self._han_spans(run.group())
            )
        spans.sort(key=lambda span: (span[0], -span[1]))  # at one start, the longest name
        kept: list[tuple[int, int, str]] = []
        for span in spans:
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        return kept

    def _han_spans(self, run: str) -> tuple[tuple[int, int, str], ...]:
        """The names in one run of Chinese characters, remembered per distinct run."""
        known = self._runs.get(run)
        if known is None:
            if len(self._runs) >= RUN_CACHE_LIMIT:
                self._runs.clear()
            known = self._runs[run] = tuple(self._read_han_run(run))
        return known

    def _read_han_run(self, run: str) -> list[tuple[int, int, str]]:
        spans = []
        for spelling, main in self._han.items():
            start = run.find(spelling)
            while start >= 0:
                spans.append((start, start + len(spelling), main))
                start = run.find(spelling, start + len(spelling))
        if not self._sounds:
            return spans
        for start in range(len(run) - 1):
            # Extend a reading character by character while it is the start of some name.
            partial = [""]
            for end in range(start + 1, len(run) + 1):
                partial = [
                    sound + reading
                    for sound in partial
                    for reading in _readings(run[end - 1])
                    if sound + reading in self._sound_prefixes
                ]
                if not partial:
                    break
                if end - start >= 2:
                    spans.extend(
                        (start, end, self._sounds[sound])
                        for sound in partial
                        if sound in self._sounds
                    )
        return spans


@lru_cache(maxsize=16)
def _cast_names(cast: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> CastNames:
    return CastNames(cast, dict(aliases))


def cast_names(cast: Iterable[str], aliases: Mapping[str, str]) -> CastNames:
    """The (shared, cached) index of a cast's names: cue names and ``[cast.aliases]`` as
    alias -> main name, the shape of ``CastSettings.aliases``."""
    return _cast_names(tuple(sorted(set(cast))), tuple(sorted(aliases.items())))


def mentioned_characters(text: str, cast: Iterable[str], aliases: Mapping[str, str]) -> set[str]:
    """Main cue names of the cast members a comment names, in Latin or Chinese writing:
    ``mentioned_characters("蘇晴這一巴掌", ["SU QING"], {}) == {"SU QING"}``. Over many
    comments, take ``cast_names(cast, aliases)`` once and call its ``mentioned``."""
    return set(cast_names(cast, aliases).mentioned(text))


def series_cast(workspace: Workspace) -> CastNames | None:
    """The names of a workspace's cast: every speaker of the series' scripts (not those
    ``[series] exclude`` leaves out), and its ``[cast.aliases]``; None when it has neither (a
    folder of exports alone)."""
    scripts = (
        path
        for path in workspace.fountain_files()
        if not excluded(path.relative_to(workspace.root).as_posix(), workspace.config.series)
    )
    speakers = {name for path in scripts for name in parse_file(path).characters}
    aliases = workspace.config.cast.aliases
    return cast_names(speakers, aliases) if speakers or aliases else None

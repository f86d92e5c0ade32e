"""The cast index: who the series' characters are, under which names, where they speak and appear.

A character is identified by its *main name*: the first name of a ``[cast.aliases]`` entry, or
the cue spelling itself. Names resolve to characters in this order: a cue spelling or declared
alias; the same name without punctuation when that is one character (a mention ``Mr. Li``); a
short or long form of one character's name (``BOB`` of ``CYBER BOB``), the one sharing the most
words when several are. Two cue names join as short and long form only when nothing in the
script says they are two people: they never speak in one scene (or, before any scene heading,
in one file) and ``[cast] distinct`` does not keep them apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar, cast

from scriptlens.continuity.index import Cue, FileIndex, Intro, Mention, MentionFinder
from scriptlens.continuity.names import is_short_form, loose_key, tokens
from scriptlens.continuity.series import Series
from scriptlens.text_facts import cue_key
from scriptlens.workspace.config import CastSettings

Item = TypeVar("Item", Cue, Intro, Mention)
Fact = TypeVar("Fact")
_MEMO = "cast."  # prefix of the keys of a file's facts in its index's memo


@dataclass(frozen=True, slots=True)
class Located(Generic[Item]):
    """A cue, introduction or mention with the file it stands in."""

    file: str
    item: Item

    @property
    def line(self) -> int:
        return self.item.range.start.line


@dataclass
class Character:
    id: str
    spellings: Counter[str] = field(default_factory=Counter)  # cue key -> number of cues
    aliases: set[str] = field(default_factory=set)  # declared names, cue keys

    @property
    def names(self) -> set[str]:
        return set(self.spellings) | self.aliases | {self.id}


class Cast:
    def __init__(
        self,
        series: Series,
        indexes: Mapping[str, FileIndex],
        settings: CastSettings,
        finder: MentionFinder | None = None,
        shared: dict[tuple[tuple[str, str], ...], dict[str, str | None]] | None = None,
    ) -> None:
        self.series = series
        self.indexes = indexes
        self.settings = settings
        self.finder = finder
        self.characters: dict[str, Character] = {}
        self._main: dict[str, str] = {}  # cue spelling or declared alias -> character
        self._resolved: dict[str, str | None] = {}  # any name asked about -> character
        self._cues: dict[str, list[Located[Cue]]] = {}
        spellings: Counter[str] = Counter()
        for path in series.files:
            for name, cues in indexes[path].cues_by_name.items():
                spellings[name] += len(cues)
        self.spellings = set(spellings)  # every cue spelling in the series
        self.intro_names = {name for path in series.files for name in indexes[path].intros}
        declared = settings.aliases
        base = {name: declared.get(name, name) for name in spellings}
        for alias, main in declared.items():
            base.setdefault(alias, main)
        links = self._short_form_links(base)
        for name, main in base.items():
            while main in links:
                main = links[main]
            character = self.characters.setdefault(main, Character(main))
            if name in spellings:
                character.spellings[name] += spellings[name]
            else:
                character.aliases.add(name)
            self._main[name] = main
        # Names resolve the same way for as long as the cast's names do: a keystroke that
        # changes no cue keeps every earlier answer.
        self.signature = tuple(sorted(self._main.items()))
        if shared is not None:
            if self.signature not in shared:
                shared.clear()
                shared[self.signature] = {}
            self._resolved = shared[self.signature]
        self._resolved.update(self._main)
        self._loose: dict[str, set[str]] = {}
        for character in self.characters.values():
            for name in character.names:
                self._loose.setdefault(loose_key(name), set()).add(character.id)

    def _short_form_links(self, base: Mapping[str, str]) -> dict[str, str]:
        """Short form -> long form, for the names that are one character by the rule above."""
        names: dict[str, set[str]] = {}
        for name, main in base.items():
            names.setdefault(main, set()).add(name)
        declared = set(self.settings.aliases.values())
        links = {}
        for short in names:
            if short in declared:
                continue
            longer = [long for long in names if is_short_form(short, long)]
            if len(longer) != 1:
                continue
            long = longer[0]
            if not (
                self.settings.declared_distinct(short, long)
                or (self.introduced(names[short]) and self.introduced(names[long]))
                or self.converse(names[short], names[long])
            ):
                links[short] = long
        return links

    def introduced(self, names: set[str]) -> bool:
        """Whether one of ``names`` has an introduction of its own, spelt so."""
        return not names.isdisjoint(self.intro_names)

    def converse(self, names: set[str], others: set[str]) -> bool:
        """Whether a block of ``names`` directly follows one of ``others`` in a scene, or the
        other way round: one answers the other, so they are two people."""
        pairs = {frozenset((a, b)) for a in names for b in others if a != b}
        return any(not pairs.isdisjoint(self.indexes[path].exchanges) for path in self.series.files)

    def share_scene(self, names: set[str], others: set[str]) -> bool:
        """Whether a cue of ``names`` and one of ``others`` stand in one scene (or, before any
        scene heading, in one file)."""
        for path in self.series.files:
            for speakers in self.indexes[path].speakers_by_scene.values():
                if speakers & names and speakers & others:
                    return True
        return False

    @cached_property
    def attested(self) -> set[str]:
        """Loose keys of the names the text itself uses, in an introduction or a mention: a
        misspelt cue is not among them, a real character almost always is."""
        found = {loose_key(name) for name in self.intro_names}
        found.update(located.item.key for located, _ in self.mentions)
        return found

    def resolve(self, name: str) -> str | None:
        """The character a cue, introduction, note or mention names, or ``None``."""
        if name in self._resolved:
            return self._resolved[name]
        key = cue_key(name)
        if key in self._resolved:
            return self._resolved[key]
        found: str | None = None
        loose = self._loose.get(loose_key(key), set())
        if len(loose) == 1:
            found = next(iter(loose))
        elif not loose:
            # The closest short or long form: the most words in common, if one character has it.
            words = set(tokens(key))
            overlap: dict[str, int] = {}
            for character in self.characters.values():
                for other in character.names:
                    if is_short_form(key, other) or is_short_form(other, key):
                        shared = len(words & set(tokens(other)))
                        overlap[character.id] = max(overlap.get(character.id, 0), shared)
            best = max(overlap.values(), default=0)
            closest = [character for character, shared in overlap.items() if shared == best]
            found = closest[0] if len(closest) == 1 else None
        self._resolved[key] = found
        return found

    def same(self, a: str, b: str) -> bool:
        if a == b:
            return True
        found = self.resolve(a)
        return found is not None and found == self.resolve(b)

    # Everything below is computed on first use and kept for this version of the series.

    @cached_property
    def speakers(self) -> set[str]:
        """The characters with at least one cue."""
        return {self._main[name] for name in self.spellings}

    def cues(self, character: str | None) -> list[Located[Cue]]:
        """The character's cues in series order (kept for this version of the series)."""
        if character is None:
            return []
        found = self._cues.get(character)
        if found is None:
            spellings = self.characters[character].spellings if character in self.characters else {}
            found = [
                Located(path, cue)
                for path in self.series.files
                for name in spellings
                for cue in self.indexes[path].cues_by_name.get(name, ())
            ]
            found.sort(key=self.position)
            self._cues[character] = found
        return found

    def first_cue(self, character: str) -> Located[Cue]:
        spellings = self.characters[character].spellings
        for path in self.series.files:
            firsts = [
                cues[0] for name in spellings if (cues := self.indexes[path].cues_by_name.get(name))
            ]
            if firsts:
                return Located(path, min(firsts, key=lambda cue: cue.position))
        raise KeyError(character)

    def cue_count(self, character: str) -> int:
        return sum(self.characters[character].spellings.values())

    @cached_property
    def intros(self) -> dict[str, list[Located[Intro]]]:
        """Each character's introductions (first ALL-CAPS mention in action per file), in order."""
        found: dict[str, list[Located[Intro]]] = {}
        for path in self.series.files:
            for character, located in self._of_file(path, "intros", self._file_intros).items():
                found.setdefault(character, []).extend(located)
        return found

    @cached_property
    def mentions(self) -> list[tuple[Located[Mention], str | None]]:
        """Every mention of a name the finder knows, with the character it names now (if any)."""
        return [
            found
            for path in self.series.files
            for found in self._of_file(path, "mentions", self._file_mentions)
        ]

    @cached_property
    def words(self) -> list[Counter[str]]:
        """Per episode slot: dialogue words per character (shared with other casts: read only)."""
        return [
            self._of_file(slot.file, "words", self._file_words)[slot.part]
            for slot in self.series.slots
        ]

    @cached_property
    def appearances(self) -> dict[str, dict[int, tuple[Located[Any], Located[Any]]]]:
        """Per character and episode slot, its first and last appearance there: a cue, or its
        name in action (being talked about is not being on screen)."""
        found: dict[str, dict[int, tuple[Located[Any], Located[Any]]]] = {}
        slot_of = self.series.slot_of
        for path in self.series.files:
            for character, parts in self._of_file(path, "appearances", self._file_appearances):
                slots = found.setdefault(character, {})
                for part, bounds in parts.items():
                    slots[slot_of[(path, part)]] = bounds
        return found

    # What each file contributes to the properties above depends on its text, the names the cast
    # resolves and the finder's names only, so it is kept in the file's index: after a keystroke
    # only the edited file's part is made again.

    def _of_file(self, path: str, kind: str, make: Callable[[str, FileIndex], Fact]) -> Fact:
        index = self.indexes[path]
        signature = self.finder.signature if self.finder is not None else ""
        known = index.memo.get(_MEMO + kind)
        # The resolution table is one object per set of cast names (see ``shared``), so its
        # identity says the names resolve as they did when the fact was made.
        if known is not None and known[0] is self._resolved and known[1] == signature:
            return cast(Fact, known[2])
        fact = make(path, index)
        index.memo[_MEMO + kind] = (self._resolved, signature, fact)
        return fact

    def _file_intros(self, path: str, index: FileIndex) -> dict[str, list[Located[Intro]]]:
        found: dict[str, list[Located[Intro]]] = {}
        for intro in index.intros.values():
            character = self.resolve(intro.name)
            if character is not None:
                found.setdefault(character, []).append(Located(path, intro))
        for located in found.values():
            located.sort(key=lambda each: _start(each.item))
        return found

    def _file_mentions(
        self, path: str, index: FileIndex
    ) -> list[tuple[Located[Mention], str | None]]:
        return [
            (Located(path, mention), self.resolve(mention.key))
            for mention in index.mentions(self.finder)
        ]

    def _file_words(self, path: str, index: FileIndex) -> list[Counter[str]]:
        per_part: list[Counter[str]] = []
        for counts in index.words:
            per_character: Counter[str] = Counter()
            for name, count in counts.items():
                per_character[self._main[name]] += count
            per_part.append(per_character)
        return per_part

    def _file_appearances(
        self, path: str, index: FileIndex
    ) -> list[tuple[str, dict[int, tuple[Located[Any], Located[Any]]]]]:
        """Per character, in the order first met, and episode part of the file: its first and
        last appearance there."""
        found: dict[str, dict[int, tuple[Cue | Mention, Cue | Mention]]] = {}
        for (name, part), (first, last) in index.appearance_bounds(self.finder).items():
            character = self.resolve(name)
            if character is None:
                continue
            parts = found.setdefault(character, {})
            if part in parts:
                old_first, old_last = parts[part]
                first = min(first, old_first, key=_start)
                last = max(last, old_last, key=_start)
            parts[part] = (first, last)
        return [
            (
                character,
                {
                    part: (Located(path, first), Located(path, last))
                    for part, (first, last) in parts.items()
                },
            )
            for character, parts in found.items()
        ]

    @cached_property
    def _totals(self) -> Counter[str]:
        totals: Counter[str] = Counter()
        for counter in self.words:
            totals.update(counter)
        return totals

    @cached_property
    def _total(self) -> int:
        return sum(self._totals.values())

    def slot(self, located: Located[Any]) -> int:
        return self.series.slot_of[(located.file, located.item.episode)]

    def share(self, character: str) -> float:
        """The character's share of all dialogue words in the series, 0–1."""
        total = self._total
        return self._totals[character] / total if total else 0.0

    def position(self, located: Located[Any]) -> tuple[int, int, int]:
        start = located.item.range.start
        return self.series.position(located.file, start.line, start.character)


def _start(item: Cue | Intro | Mention) -> tuple[int, int]:
    return (item.range.start.line, item.range.start.character)

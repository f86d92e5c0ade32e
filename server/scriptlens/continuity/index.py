"""What one file tells the continuity rules, computed once per version of its text.

A ``FileIndex`` is the cache unit of the engine: after a keystroke only the edited file gets a new
one, and the series-level rules read the others' indexes as they were. Everything here depends on
the file's text alone; mentions depend on the names being looked for too, and are cached per set
of names. Within a file, what each chunk of the model (a scene, mostly) tells the index is kept in
the chunk's memo, so the new index after a keystroke recomputes only the chunk the edit touched.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from scriptlens.continuity.names import loose_key
from scriptlens.fountain import utf16
from scriptlens.fountain.model import Chunk, Element, Position, Range, Script
from scriptlens.text_facts import CJK_RANGES, cue_key

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NOTE_MARKUP = re.compile(r"\[\[.*?\]\]")
_CONTD = re.compile(r"\bCONT(?:['’]?D|\.|INUED)", re.IGNORECASE)
_IGNORE = re.compile(r"^ignore\b(.*)$", re.IGNORECASE | re.DOTALL)
# A word is a run of letters or digits, or one CJK character: scripts written in Chinese have no
# spaces, and a character there is the unit a reader counts.
_WORD = re.compile(rf"[{CJK_RANGES}]|[^\W{CJK_RANGES}]+")
# Element types whose text can mention a character; ``True`` marks spoken text.
_MENTION_TYPES = {"action": False, "dialogue": True, "parenthetical": True, "lyrics": True}
MARKER_KEYS = ("exit", "return")
Made = TypeVar("Made")
SUPPRESSION_KEY = "scriptlens"


def count_words(text: str) -> int:
    return len(_WORD.findall(text))  # twice as fast as counting match objects


def span(line: int, start: int, end: int) -> Range:
    return Range(Position(line, start), Position(line, end))


@dataclass(frozen=True, slots=True)
class Cue:
    name: str  # cue key of the normalized speaker: upper case, no extension, CONT'D or ^
    range: Range  # the name as written on the cue line
    cue_range: Range  # the whole cue element
    block: Range  # the cue with its parentheticals and lines
    scene: int | None
    episode: int  # index into FileIndex.episodes
    position: int  # index of the block among the file's dialogue blocks
    contd: bool
    dual: bool
    words: int


@dataclass(frozen=True, slots=True)
class Intro:
    name: str  # cue key
    range: Range
    episode: int


@dataclass(frozen=True, slots=True)
class Marker:
    """A ``[[exit: NAME]]`` or ``[[return: NAME]]`` note."""

    kind: str
    name: str  # cue key
    range: Range
    episode: int


@dataclass(frozen=True, slots=True)
class Suppression:
    first_line: int
    last_line: int
    codes: frozenset[str]  # empty: every code

    def covers(self, line: int, code: str) -> bool:
        in_lines = self.first_line <= line <= self.last_line
        return in_lines and (not self.codes or code in self.codes)


@dataclass(frozen=True, slots=True)
class EpisodePart:
    number: int | None
    title: str | None
    start_line: int


@dataclass(frozen=True, slots=True)
class Mention:
    key: str  # loose key of the name as written
    range: Range
    spoken: bool  # in dialogue (or a parenthetical), not in action
    scene: int | None
    episode: int


@dataclass(slots=True)
class _ChunkFacts:
    """What one chunk of the model tells the index, whatever stands around it."""

    first_line: int
    last_line: int
    # per named cue: its block's index in the chunk, cue key, name range, CONT'D, spoken words
    cues: list[tuple[int, str, Range, bool, int]]
    lines: list[tuple[int, bool, int | None]]  # per line that can mention a name: spoken, scene
    spoken: list[str]  # per dialogue block: its text with the whitespace folded
    speakers: list[str]  # per dialogue block: its cue key, empty when the cue names no one
    # Cues and mentions depend on more than the chunk (its episode part, the names looked for):
    # per kind, the last ones made and what they were made for.
    made: dict[str, tuple[tuple[Any, ...], Any]] = field(default_factory=dict)

    def moved(self, rows: int, scenes: int) -> _ChunkFacts:
        """These facts for the chunk moved down ``rows`` lines, after ``scenes`` more scenes. Its
        mentions move along, kept for the names and episode parts they were found for (looking
        for them again costs more than moving the few found)."""

        def scene_of(index: int | None) -> int | None:
            return None if index is None else index + scenes

        made: dict[str, tuple[tuple[Any, ...], Any]] = {}
        if (mentions := self.made.get("mentions")) is not None:
            key, found = mentions
            made["mentions"] = (
                key,
                [
                    Mention(m.key, m.range.moved(rows), m.spoken, scene_of(m.scene), m.episode)
                    for m in found
                ],
            )
        return _ChunkFacts(
            self.first_line + rows,
            self.last_line + rows,
            [
                (number, name, where.moved(rows), contd, words)
                for number, name, where, contd, words in self.cues
            ],
            [(line + rows, spoken, scene_of(scene)) for line, spoken, scene in self.lines],
            self.spoken,
            self.speakers,
            made,
        )

    def made_for(
        self, kind: str, key: tuple[Any, ...], make: Callable[..., Made], *args: Any
    ) -> Made:
        known = self.made.get(kind)
        if known is not None and known[0] == key:
            return known[1]
        found = make(*args)
        self.made[kind] = (key, found)
        return found


def _chunk_facts(chunk: Chunk, lines: list[str]) -> _ChunkFacts:
    facts: _ChunkFacts | None = chunk.memo.get(__name__)
    if facts is not None:
        return facts
    cues = []
    for number, block in enumerate(chunk.dialogue):
        name = cue_key(block.speaker)
        if not name:
            continue
        cue_line = _line(lines, block.cue.range.start.line)
        contd = bool(_CONTD.search(block.cue.extension or "") or _CONTD.search(cue_line))
        where = _name_range(cue_line, block.cue.range, name)
        cues.append((number, name, where, contd, count_words(block.text)))
    elements = chunk.elements
    facts = _ChunkFacts(
        min((e.range.start.line for e in elements), default=0),
        max((e.range.last_line for e in elements), default=0),
        cues,
        [
            (line, _MENTION_TYPES[element.type], element.scene)
            for element in elements
            if element.type in _MENTION_TYPES
            for line in _element_lines(element)
        ],
        [" ".join(block.text.split()) for block in chunk.dialogue],
        [cue_key(block.speaker) for block in chunk.dialogue],
    )
    chunk.memo[__name__] = facts
    return facts


@dataclass
class FileIndex:
    path: str
    text: str
    script: Script
    lines: list[str]
    episodes: list[EpisodePart]
    cues: list[Cue]
    cues_by_name: dict[str, list[Cue]]
    intros: dict[str, Intro]  # first ALL-CAPS mention in action per name, in this file
    markers: list[Marker]
    suppressions: list[Suppression]
    words: list[Counter[str]]  # per episode part: dialogue words per speaker
    speakers_by_scene: dict[int | None, frozenset[str]]
    exchanges: set[frozenset[str]]  # pairs of names whose blocks follow each other in a scene
    contd: list[tuple[Cue, Cue | None]]  # each CONT'D cue, with the scene's previous cue
    dual_orphans: list[tuple[Cue, str]]  # each ^ cue without a partner, with the reason
    # each chunk's facts, with its episode part when it lies in one part only, and its cues
    _chunks: list[tuple[_ChunkFacts, int | None]]
    _chunk_cues: list[list[Cue]]
    _episode_starts: tuple[int, ...]
    # Results that depend on this text and something else (its baseline), kept with that thing.
    memo: dict[str, Any] = field(default_factory=dict)
    _mentions: dict[str, tuple[list[list[Mention]], list[Mention]]] = field(default_factory=dict)
    _bounds: dict[str, dict[tuple[str, int], tuple[Cue | Mention, Cue | Mention]]] = field(
        default_factory=dict
    )

    def mentions(self, finder: MentionFinder | None) -> list[Mention]:
        """Every mention of ``finder``'s names in action and dialogue, cached per name set."""
        return self._found_mentions(finder)[1]

    def _found_mentions(
        self, finder: MentionFinder | None
    ) -> tuple[list[list[Mention]], list[Mention]]:
        """The mentions of ``finder``'s names per chunk, and all of them."""
        if finder is None:
            return [[] for _ in self._chunks], []
        found = self._mentions.get(finder.signature)
        if found is None:
            per_chunk = finder.scan(self)
            found = (per_chunk, [mention for mentions in per_chunk for mention in mentions])
            self._mentions = {finder.signature: found}
            self._bounds = {}
        return found

    def appearance_bounds(
        self, finder: MentionFinder | None
    ) -> dict[tuple[str, int], tuple[Cue | Mention, Cue | Mention]]:
        """Per name (a cue key, or a mention's loose key) and episode part: its first and last
        cue or mention in action here, the earlier one where two start together. Cached with the
        mentions; each chunk's bounds are kept in its facts for as long as its cues and mentions
        stay the same, so a new version of the file merges the chunks' bounds only."""
        signature = finder.signature if finder is not None else ""
        cached = self._bounds.get(signature)
        if cached is not None:
            return cached
        found: Bounds = {}
        per_chunk, _ = self._found_mentions(finder)
        # Chunks are in the file's order and each one's cues and mentions lie inside it, so a
        # later chunk's bounds only ever move the last item of a name: no comparisons.
        for (facts, _), cues, mentions in zip(
            self._chunks, self._chunk_cues, per_chunk, strict=True
        ):
            bounds = facts.made_for("bounds", (cues, mentions), _chunk_bounds, cues, mentions)
            for key, (first, last) in bounds.items():
                known = found.get(key)
                found[key] = (first, last) if known is None else (known[0], last)
        self._bounds = {signature: found}
        return found

    @cached_property
    def spoken(self) -> list[str]:
        """Per dialogue block of the file, in order: its text with the whitespace folded."""
        return [text for facts, _ in self._chunks for text in facts.spoken]

    @cached_property
    def speakers(self) -> list[str]:
        """Per dialogue block of the file, in order: its cue key, empty when it names no one."""
        return [name for facts, _ in self._chunks for name in facts.speakers]

    def cue_at(self, position: int) -> Cue:
        """The cue of the file's ``position``-th dialogue block, which names someone."""
        return self.cues[bisect.bisect_left(self.cues, position, key=lambda cue: cue.position)]

    def episode_of(self, line: int) -> int:
        """The index of the episode part ``line`` is in."""
        return max(0, bisect.bisect_right(self._episode_starts, line) - 1)

    def line(self, number: int) -> str:
        """The text of line ``number``, empty past the end."""
        return _line(self.lines, number)

    def text_at(self, where: Range) -> str:
        """The text of a range that lies on one line."""
        line = self.line(where.start.line)
        start = utf16.index(line, where.start.character)
        return line[start : utf16.index(line, where.end.character)]

    def suppressed(self, line: int, code: str) -> bool:
        return any(item.covers(line, code) for item in self.suppressions)


class MentionFinder:
    """Finds names in running text: each word capitalised (``Li Wei``, ``LI WEI``) so that the
    character ``DOG`` is not found in "the dog barks", with punctuation between the words free
    (``Mr. Li`` and ``Mr Li``)."""

    def __init__(self, names: Iterable[str]) -> None:
        keys = sorted({loose_key(name) for name in names if len(loose_key(name)) >= 2})
        keys.sort(key=len, reverse=True)  # the longest name wins where two start together
        self.signature = "\n".join(keys)
        alternatives = [_name_pattern(key) for key in keys]
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)") if keys else None
        )

    def scan(self, index: FileIndex) -> list[list[Mention]]:
        """The mentions in each chunk of ``index``."""
        if self._pattern is None:
            return [[] for _ in index._chunks]
        return [
            facts.made_for(
                "mentions",
                (self.signature, episode, index._episode_starts),
                self._scan_lines,
                index,
                facts.lines,
                episode,
            )
            for facts, episode in index._chunks
        ]

    def _scan_lines(
        self, index: FileIndex, spans: list[tuple[int, bool, int | None]], episode: int | None
    ) -> list[Mention]:
        assert self._pattern is not None
        lines = index.lines
        found = []
        for number, spoken, scene in spans:
            if number >= len(lines):
                continue
            line = lines[number]
            if "[[" in line:
                line = _NOTE_MARKUP.sub(lambda m: " " * len(m.group()), line)
            for match in self._pattern.finditer(line):
                start = utf16.column(line, match.start())
                end = start + utf16.column(match.group(), len(match.group()))
                found.append(
                    Mention(
                        loose_key(match.group()),
                        span(number, start, end),
                        spoken,
                        scene,
                        index.episode_of(number) if episode is None else episode,
                    )
                )
        return found


def _name_pattern(key: str) -> str:
    words = []
    for word in key.split(" "):
        first, rest = word[0], word[1:]
        head = re.escape(first.upper())
        words.append(head + (f"(?i:{re.escape(rest)})" if rest else ""))
    return r"[^\w\n]{1,3}".join(words)


def build_index(path: str, text: str, script: Script) -> FileIndex:
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = _LINE_BREAK.split(text)
    episodes = _episode_parts(script)
    starts = tuple(part.start_line for part in episodes)

    def episode_of(line: int) -> int:
        return max(0, bisect.bisect_right(starts, line) - 1)

    cues: list[Cue] = []
    cues_by_name: dict[str, list[Cue]] = {}
    words: list[Counter[str]] = [Counter() for _ in episodes]
    speakers: dict[int | None, set[str]] = {}
    last_in_scene: dict[int | None, Cue] = {}
    contd: list[tuple[Cue, Cue | None]] = []
    exchanges: set[frozenset[str]] = set()
    chunks: list[tuple[_ChunkFacts, int | None]] = []
    chunk_cues: list[list[Cue]] = []
    position = 0  # of the chunk's first block among the file's dialogue blocks
    for chunk in script.chunks:
        facts = _chunk_facts(chunk, lines)
        first_part = episode_of(facts.first_line)
        part = first_part if episode_of(facts.last_line) == first_part else None
        chunks.append((facts, part))
        made = facts.made_for(
            "cues",
            (position, part, starts),
            _cues,
            chunk,
            facts,
            position,
            part,
            episode_of,
        )
        chunk_cues.append(made)
        for cue in made:
            name = cue.name
            cues.append(cue)
            cues_by_name.setdefault(name, []).append(cue)
            words[cue.episode][name] += cue.words
            speakers.setdefault(cue.scene, set()).add(name)
            previous = last_in_scene.get(cue.scene)
            if cue.contd:
                contd.append((cue, previous))
            if (
                previous is not None
                and previous.position == cue.position - 1
                and previous.name != name
            ):
                exchanges.add(frozenset((previous.name, name)))
            last_in_scene[cue.scene] = cue
        position += len(chunk.dialogue)

    intros: dict[str, Intro] = {}
    for intro in script.introductions:
        name = cue_key(intro.name)
        if name and name not in intros:
            intros[name] = Intro(name, intro.range, episode_of(intro.range.start.line))

    markers = []
    for note in script.notes:
        key = (note.key or "").strip().lower()
        value = (note.value or "").strip()
        if key in MARKER_KEYS and value:
            markers.append(
                Marker(key, cue_key(value), note.range, episode_of(note.range.start.line))
            )

    return FileIndex(
        path=path,
        text=text,
        script=script,
        lines=lines,
        episodes=episodes,
        cues=cues,
        cues_by_name=cues_by_name,
        intros=intros,
        markers=markers,
        suppressions=_suppressions(script),
        words=words,
        speakers_by_scene={scene: frozenset(names) for scene, names in speakers.items()},
        exchanges=exchanges,
        contd=contd,
        dual_orphans=_dual_orphans(script, cues),
        _chunks=chunks,
        _chunk_cues=chunk_cues,
        _episode_starts=starts,
    )


def _cues(
    chunk: Chunk,
    facts: _ChunkFacts,
    position: int,
    part: int | None,
    episode_of: Callable[[int], int],
) -> list[Cue]:
    """The cues of a chunk whose first block is the file's ``position``-th, in episode part
    ``part`` (``None``: the chunk straddles parts, each cue finds its own)."""
    made = []
    for number, name, where, contd, block_words in facts.cues:
        block = chunk.dialogue[number]
        made.append(
            Cue(
                name=name,
                range=where,
                cue_range=block.cue.range,
                block=block.range,
                scene=block.scene,
                episode=episode_of(block.cue.range.start.line) if part is None else part,
                position=position + number,
                contd=contd,
                dual=block.dual,
                words=block_words,
            )
        )
    return made


Bounds = dict[tuple[str, int], tuple[Cue | Mention, Cue | Mention]]


def _start(item: Cue | Mention) -> tuple[int, int]:
    return (item.range.start.line, item.range.start.character)


def _widen(found: Bounds, key: tuple[str, int], first: Cue | Mention, last: Cue | Mention) -> None:
    """Widens ``found[key]`` to ``first`` and ``last`` where they lie outside it (where two
    start together, the one already there stays)."""
    bounds = found.get(key)
    if bounds is None:
        found[key] = (first, last)
        return
    old_first, old_last = bounds
    found[key] = (
        first if _start(first) < _start(old_first) else old_first,
        last if _start(last) > _start(old_last) else old_last,
    )


def _chunk_bounds(cues: list[Cue], mentions: list[Mention]) -> Bounds:
    """Per name and episode part, the first and last of a chunk's cues and of its mentions in
    action."""
    found: Bounds = {}
    for cue in cues:
        _widen(found, (cue.name, cue.episode), cue, cue)
    for mention in mentions:
        if not mention.spoken:
            _widen(found, (mention.key, mention.episode), mention, mention)
    return found


def _line(lines: list[str], number: int) -> str:
    return lines[number] if 0 <= number < len(lines) else ""


def _element_lines(element: Element) -> range:
    return range(element.range.start.line, element.range.last_line + 1)


def _name_range(cue_line: str, cue_range: Range, name: str) -> Range:
    """Where the name stands on its cue line; the whole cue when it cannot be found as written."""
    upper = cue_line.upper()
    index = upper.find(name) if len(upper) == len(cue_line) else -1
    if index < 0:
        return cue_range
    start = utf16.column(cue_line, index)
    return span(cue_range.start.line, start, start + utf16.column(name, len(name)))


def _episode_parts(script: Script) -> list[EpisodePart]:
    parts = [
        EpisodePart(episode.number, episode.title, episode.range.start.line)
        for episode in sorted(script.episodes, key=lambda e: e.range.start.line)
    ]
    if not parts:
        return [EpisodePart(None, None, 0)]
    # What precedes the first episode (the title page) belongs to it.
    parts[0] = EpisodePart(parts[0].number, parts[0].title, 0)
    return parts


def _dual_orphans(script: Script, cues: list[Cue]) -> list[tuple[Cue, str]]:
    """``^`` cues that do not directly follow the first half of a pair in their scene."""
    if not any(cue.dual for cue in cues):
        return []
    blocks = script.dialogue
    starts = sorted(
        (e.range.start.line, e.range.start.character)
        for e in script.elements
        if e.type not in ("note", "boneyard")
    )
    found = []
    for cue in cues:
        if not cue.dual:
            continue
        if cue.position == 0 or blocks[cue.position - 1].scene != blocks[cue.position].scene:
            found.append((cue, "no dialogue comes before it in its scene"))
            continue
        previous = blocks[cue.position - 1]
        end = (previous.range.end.line, previous.range.end.character)
        begin = (cue.cue_range.start.line, cue.cue_range.start.character)
        between = bisect.bisect_left(starts, begin) - bisect.bisect_left(starts, end)
        if between > 0:
            found.append((cue, "other elements stand between it and the dialogue before it"))
        elif previous.dual:
            found.append((cue, "the dialogue before it is already the second half of a pair"))
    return found


def _suppressions(script: Script) -> list[Suppression]:
    """``[[scriptlens: ignore CODE]]`` covers the element it stands in (a whole dialogue block
    when it stands in a cue, parenthetical or line) or, standing alone, the next element."""
    notes = [note for note in script.notes if (note.key or "").strip().lower() == SUPPRESSION_KEY]
    if not notes:
        return []
    elements = sorted(script.elements, key=lambda e: (e.range.start.line, e.range.start.character))
    starts = [(e.range.start.line, e.range.start.character) for e in elements]
    blocks = [(block.range.start.line, block.range.end.line) for block in script.dialogue]
    found = []
    for note in notes:
        match = _IGNORE.match((note.value or "").strip())
        if match is None:
            continue
        codes = frozenset(code for code in re.split(r"[\s,]+", match.group(1)) if code)
        at = bisect.bisect_right(starts, (note.range.start.line, note.range.start.character)) - 1
        if at < 0:
            continue
        target = elements[at]
        if target.type == "note" or not target.range.contains(note.range.start):
            following = [e for e in elements[at + 1 :] if e.type not in ("note", "boneyard")]
            if not following:
                continue
            target = following[0]
        first, last = target.range.start.line, target.range.last_line
        for block_first, block_last in blocks:
            if block_first <= first <= block_last:
                first, last = block_first, max(last, block_last)
        found.append(Suppression(first, last, codes))
    return found

"""Reading the signal store for provenance: a theme's signals, citable signal ids, and who
stands behind a set of signals (counts and shares only; author digests never leave here).

A theme's signals are read once per store generation into columns sorted by posting time, so
the signals before a line's introduction are a prefix found by bisection; each set asked about
is summed up once and kept (a series' lines were introduced in a few revisions)."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scriptlens.provenance.model import Support
from scriptlens.signals.representativeness import measure
from scriptlens.signals.store import Store
from scriptlens.workspace.config import SignalSettings

SIGNAL_ID_HEX = 12  # 48 bits of the keyed uid: unambiguous in practice, short enough to type
MAX_SIGNAL_IDS = 20
MAX_QUOTES = 3
_UID_SPAN = 1 << (64 - 4 * SIGNAL_ID_HEX)


@dataclass(frozen=True)
class ThemeRow:
    rank: int
    id: str
    label: str
    is_hashtag: bool
    exemplars: tuple[str, ...]
    signals: int


def signal_id(uid: int) -> str:
    """The id scriptlens shows for a signal: a prefix of its keyed uid, stable across re-imports
    under the same workspace key and meaningless without it."""
    return "s" + format(uid % (1 << 64), "016x")[:SIGNAL_ID_HEX]


def uid_range(shown: str) -> tuple[int, int] | None:
    """The signed uid range a shown id stands for, or None when it is not one."""
    digits = shown[1:]
    if not shown.startswith("s") or len(digits) != SIGNAL_ID_HEX:
        return None
    try:
        low = int(digits, 16) * _UID_SPAN
    except ValueError:
        return None
    high = low + _UID_SPAN - 1
    # A prefix range never straddles 2**63, so both ends convert the same way.
    if low >= 1 << 63:
        low, high = low - (1 << 64), high - (1 << 64)
    return low, high


def theme_rows(store: Store, where: str, parameters: Sequence[object]) -> list[ThemeRow]:
    return [
        ThemeRow(rank, theme_id, label, bool(hashtag), tuple(exemplars.split("\n")), signals)
        for rank, theme_id, label, hashtag, exemplars, signals in store.conn.execute(
            f"SELECT rank, id, label, is_hashtag, exemplars, signals FROM themes WHERE {where}",
            parameters,
        )
    ]


def theme_of_signals(store: Store, ids: Iterable[int]) -> dict[int, int]:
    """The theme rank of each signal id (signals imported after the last theme build have none)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    placeholders = ",".join("?" for _ in wanted)
    return {
        signal: rank
        for signal, rank in store.conn.execute(
            "SELECT s.id, tn.rank FROM signals s JOIN theme_norms tn ON tn.norm = s.norm "
            f"WHERE s.id IN ({placeholders})",
            wanted,
        )
    }


QUOTE_SAMPLE = 60  # the latest signals of a set, whose most repeated texts are its quotes


@dataclass(frozen=True)
class Backing:
    """A set of signals as provenance shows it: who stands behind it and what they said."""

    support: Support
    signal_ids: tuple[str, ...]  # citable ids of the most liked, up to 20
    quotes: tuple[str, ...]  # up to 3 scrubbed texts, the most repeated among the latest
    episodes: tuple[int, ...]
    latest: int | None  # when the last of them was posted
    first: int | None


NO_TIME = 1 << 62  # the posting time of a signal that has none: after every other
# Author digests are signed 64-bit keyed hashes; this one value stands for "no author" (a
# digest equal to it is a 1 in 2**64 chance, and would only merge two unattributed signals).
NO_AUTHOR = -(1 << 63)
Row = tuple[int, int, int, int, int, int]  # id, uid, episode, posted_at, author, likes
# What a set of signals is read as: missing times and authors as NO_TIME and NO_AUTHOR, oldest
# first and untimed last (callers add FROM and WHERE between the two).
SELECTED = (
    f"SELECT s.id, s.uid, s.episode, coalesce(s.posted_at, {NO_TIME}), "
    f"coalesce(s.author, {NO_AUTHOR}), coalesce(s.likes, 0)"
)
ORDERED = "ORDER BY s.posted_at IS NULL, s.posted_at, s.id"


class _Episode:
    """One episode's signals of a set, column by column, oldest first (untimed last)."""

    def __init__(self, rows: list[Row]) -> None:
        """``rows`` oldest first, untimed last, with ``NO_TIME`` and ``NO_AUTHOR`` for what
        they lack (as ``SELECTED`` reads them)."""
        ids, uids, _, posted, authors, likes = zip(*rows, strict=True)  # transposed, in C
        self.ids = array("q", ids)
        self.uids = array("q", uids)
        self.posted = array("q", posted)
        self.authors = array("q", authors)
        self.likes = array("q", likes)
        self.timed = bisect_left(self.posted, NO_TIME)  # how many have a posting time
        self._by_likes: list[int] | None = None

    @property
    def by_likes(self) -> list[int]:
        """Positions, the most liked first: the most liked of any stretch are found early."""
        if self._by_likes is None:
            likes, ids = self.likes, self.ids
            self._by_likes = sorted(range(len(ids)), key=lambda p: (-likes[p], ids[p]))
        return self._by_likes


class Signals:
    """A set of signals (a theme's, or the bullet comments of a line), split by episode and
    sorted by time, so that those posted before (or since) a time about a range of episodes are
    a stretch of each episode found by bisection and summed up with C-level slices; each set
    asked about is summed up once."""

    def __init__(self, rows: Iterable[Row]) -> None:
        """``rows`` as ``SELECTED`` and ``ORDERED`` read them."""
        by_episode: dict[int, list[Row]] = {}
        for row in rows:
            by_episode.setdefault(row[2], []).append(row)
        self.episodes = {episode: _Episode(found) for episode, found in sorted(by_episode.items())}
        self.count = sum(len(found) for found in by_episode.values())
        self._backings: dict[tuple[object, ...], Backing | None] = {}

    @classmethod
    def of_theme(cls, store: Store, rank: int) -> Signals:
        return cls(
            store.conn.execute(
                f"{SELECTED} FROM theme_norms tn JOIN signals s ON s.norm = tn.norm "
                f"WHERE tn.rank = ? {ORDERED}",
                (rank,),
            )
        )

    @classmethod
    def of_ids(cls, store: Store, ids: Iterable[int]) -> Signals:
        wanted = sorted(set(ids))
        placeholders = ",".join("?" for _ in wanted)
        return cls(
            store.conn.execute(
                f"{SELECTED} FROM signals s WHERE s.id IN ({placeholders}) {ORDERED}",
                wanted,
            )
            if wanted
            else []
        )

    def backing(
        self,
        store: Store,
        views: dict[int, int],
        settings: SignalSettings,
        *,
        before: int | None = None,
        since: int | None = None,
        episodes: tuple[int, int] = (0, 1 << 30),
    ) -> Backing | None:
        """The signals posted before ``before`` (or since ``since``), about an episode in
        ``episodes`` (inclusive), summed up; None when there are none. Without a time, all of
        them, those without a posting time too."""
        low, high = episodes
        key = (
            before,
            since,
            max(low, min(self.episodes, default=0)),
            min(high, max(self.episodes, default=0)),
        )
        if key in self._backings:
            return self._backings[key]
        stretches = []
        for number, episode in self.episodes.items():
            if not low <= number <= high:
                continue
            start = 0 if since is None else bisect_left(episode.posted, since)
            if before is not None:
                stop = bisect_left(episode.posted, before)
            elif since is not None:
                stop = episode.timed
            else:
                stop = len(episode.posted)
            if start < stop:
                stretches.append((number, episode, start, stop))
        found = _back(store, stretches, views, settings) if stretches else None
        self._backings[key] = found
        return found


def _back(
    store: Store,
    stretches: list[tuple[int, _Episode, int, int]],
    views: dict[int, int],
    settings: SignalSettings,
) -> Backing:
    """Stretches of episodes' signals summed up: signals, unique authors (an unattributed signal
    is an author of its own), the top author's share, the viewer share and the vocal-minority
    flag, as the themes measure them; the most liked ids; the quotes."""
    per_author: Counter[int] = Counter()
    likes = 0
    liked: list[tuple[int, int, int]] = []  # (likes, -id, uid)
    latest: list[tuple[int, int]] = []  # (posted, id)
    for _, episode, start, stop in stretches:
        per_author.update(episode.authors[start:stop])
        likes += sum(episode.likes[start:stop])
        taken = 0
        for position in episode.by_likes:
            if start <= position < stop:
                liked.append(
                    (episode.likes[position], -episode.ids[position], episode.uids[position])
                )
                taken += 1
                if taken == MAX_SIGNAL_IDS:
                    break
        tail = range(max(start, stop - QUOTE_SAMPLE), stop)
        latest += [(episode.posted[p], episode.ids[p]) for p in tail]
    anonymous = per_author.pop(NO_AUTHOR, 0)
    counts = [*per_author.values(), *[1] * anonymous]
    numbers = [number for number, *_ in stretches]
    seen_views = sum(views.get(number, 0) for number in set(numbers)) or None
    measured = measure(counts, likes, seen_views, settings)
    liked.sort(reverse=True)
    latest.sort()
    times = [posted for posted, _ in latest if posted != NO_TIME]
    firsts = [episode.posted[start] for _, episode, start, _ in stretches]
    return Backing(
        Support(
            signals=measured.signals,
            authors=measured.authors,
            top_author_share=max(counts) / measured.signals,
            viewer_share=measured.viewer_share,
            vocal_minority=measured.vocal_minority,
        ),
        tuple(signal_id(uid) for *_, uid in liked[:MAX_SIGNAL_IDS]),
        _quotes(store, [signal for _, signal in latest[-QUOTE_SAMPLE:]]),
        tuple(sorted(set(numbers))),
        max(times, default=None),
        min((posted for posted in firsts if posted != NO_TIME), default=None),
    )


def _quotes(store: Store, ids: Sequence[int]) -> tuple[str, ...]:
    if not ids:
        return ()
    placeholders = ",".join("?" for _ in ids)
    repeats = Counter(
        text
        for (text,) in store.conn.execute(
            f"SELECT text FROM signals WHERE id IN ({placeholders})", list(ids)
        )
    )
    ordered = sorted(repeats.items(), key=lambda item: (-item[1], item[0]))
    return tuple(text for text, _ in ordered[:MAX_QUOTES])

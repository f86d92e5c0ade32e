"""Reading the signal store for provenance: a theme's signals, citable signal ids, and who
stands behind a set of signals (counts and shares only; author digests never leave here).

A theme's signals are read once per store generation into columns sorted by posting time, so
the signals before a line's introduction are a prefix found by bisection; each set asked about
is summed up once and kept (a series' lines were introduced in a few revisions)."""

from __future__ import annotations

import heapq
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


def signals_by_ids(store: Store, ids: Iterable[int]) -> Columns:
    wanted = sorted(set(ids))
    placeholders = ",".join("?" for _ in wanted)
    return columns(
        store.conn.execute(
            "SELECT id, uid, episode, posted_at, author, likes FROM signals "
            f"WHERE id IN ({placeholders})",
            wanted,
        )
        if wanted
        else []
    )


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


class EpisodeViews:
    """Views per episode, summed over platforms, read once per store generation."""

    def __init__(self) -> None:
        self._generation: str | None = None
        self._views: dict[int, int] = {}

    def get(self, store: Store) -> dict[int, int]:
        generation = store.meta("generation", "0")
        if generation != self._generation:
            self._views = {
                episode: views
                for episode, views in store.conn.execute(
                    "SELECT episode, sum(views) FROM episode_metrics WHERE views IS NOT NULL "
                    "GROUP BY episode"
                )
            }
            self._generation = generation
        return self._views


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


@dataclass(frozen=True)
class Columns:
    """Signals column by column, oldest first (those without a time last)."""

    ids: Sequence[int]
    uids: Sequence[int]
    episodes: Sequence[int]
    posted: Sequence[int]  # NO_TIME for a signal without one
    authors: Sequence[int | None]
    likes: Sequence[int]


NO_TIME = 1 << 62


def columns(rows: Iterable[tuple[int, int, int, int | None, int | None, int]]) -> Columns:
    """(id, uid, episode, posted_at, author, likes) rows as columns, oldest first."""
    ordered = sorted(rows, key=lambda row: (NO_TIME if row[3] is None else row[3], row[0]))
    return Columns(
        array("q", (row[0] for row in ordered)),
        array("q", (row[1] for row in ordered)),
        array("l", (row[2] for row in ordered)),
        array("q", (NO_TIME if row[3] is None else row[3] for row in ordered)),
        [row[4] for row in ordered],
        array("q", (row[5] or 0 for row in ordered)),
    )


def back(
    store: Store,
    signals: Columns,
    chosen: Sequence[int],
    views: dict[int, int],
    settings: SignalSettings,
) -> Backing:
    """The ``chosen`` positions of ``signals`` summed up: signals, unique authors (an
    unattributed signal is an author of its own), the top author's share, the viewer share and
    the vocal-minority flag, as the themes measure them; the most liked ids; the quotes."""
    per_author: Counter[int] = Counter()
    anonymous = 0
    authors = signals.authors
    for position in chosen:
        author = authors[position]
        if author is None:
            anonymous += 1
        else:
            per_author[author] += 1
    counts = [*per_author.values(), *[1] * anonymous]
    episodes = sorted({signals.episodes[position] for position in chosen})
    seen_views = sum(views.get(episode, 0) for episode in episodes) or None
    likes = signals.likes
    measured = measure(counts, sum(likes[p] for p in chosen), seen_views, settings)
    liked = heapq.nlargest(MAX_SIGNAL_IDS, chosen, key=lambda p: (likes[p], -signals.ids[p]))
    times = [signals.posted[p] for p in chosen if signals.posted[p] != NO_TIME]
    return Backing(
        Support(
            signals=measured.signals,
            authors=measured.authors,
            top_author_share=max(counts, default=0) / measured.signals if measured.signals else 0.0,
            viewer_share=measured.viewer_share,
            vocal_minority=measured.vocal_minority,
        ),
        tuple(signal_id(signals.uids[p]) for p in liked),
        _quotes(store, [signals.ids[p] for p in chosen[-QUOTE_SAMPLE:]]),
        tuple(episodes),
        max(times, default=None),
        min(times, default=None),
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


class ThemeSignals:
    """One theme's signals, read once per store generation, and the sets of them provenance
    asks about (those before a line's introduction, those after), each summed up once."""

    def __init__(self, store: Store, rank: int) -> None:
        self.signals = columns(
            store.conn.execute(
                "SELECT s.id, s.uid, s.episode, s.posted_at, s.author, s.likes "
                "FROM theme_norms tn JOIN signals s ON s.norm = tn.norm WHERE tn.rank = ?",
                (rank,),
            )
        )
        self._backings: dict[tuple[object, ...], Backing | None] = {}

    def __len__(self) -> int:
        return len(self.signals.ids)

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
        ``episodes`` (inclusive); None when there are none. Without a time, all of them, those
        without a posting time too."""
        key = (before, since, episodes)
        if key in self._backings:
            return self._backings[key]
        posted = self.signals.posted
        start = 0 if since is None else bisect_left(posted, since)
        if before is not None:
            stop = bisect_left(posted, before)
        elif since is not None:
            stop = bisect_left(posted, NO_TIME)
        else:
            stop = len(posted)
        low, high = episodes
        numbers = self.signals.episodes
        chosen = [p for p in range(start, stop) if low <= numbers[p] <= high]
        found = back(store, self.signals, chosen, views, settings) if chosen else None
        self._backings[key] = found
        return found

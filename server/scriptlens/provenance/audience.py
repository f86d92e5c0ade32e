"""Reading the signal store for provenance: a theme's signals, citable signal ids, and who
stands behind a set of signals (counts and shares only; author digests never leave here)."""

from __future__ import annotations

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
SIGNAL_COLUMNS = (
    "s.id, s.uid, s.kind, s.episode, s.posted_at, s.text, s.author, s.likes, s.video_time"
)


@dataclass(frozen=True, slots=True)
class SignalRow:
    id: int
    uid: int
    kind: str
    episode: int
    posted_at: int | None
    text: str
    author: int | None
    likes: int
    video_time: float | None


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


def signals_of_theme(store: Store, rank: int) -> list[SignalRow]:
    return [
        SignalRow(*row)
        for row in store.conn.execute(
            f"SELECT {SIGNAL_COLUMNS} FROM theme_norms tn JOIN signals s ON s.norm = tn.norm "
            "WHERE tn.rank = ?",
            (rank,),
        )
    ]


def signals_by_ids(store: Store, ids: Iterable[int]) -> list[SignalRow]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    placeholders = ",".join("?" for _ in wanted)
    return [
        SignalRow(*row)
        for row in store.conn.execute(
            f"SELECT {SIGNAL_COLUMNS} FROM signals s WHERE s.id IN ({placeholders})", wanted
        )
    ]


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


def support(rows: Sequence[SignalRow], views: dict[int, int], settings: SignalSettings) -> Support:
    """Signals, unique authors (an unattributed signal is an author of its own), the top
    author's share, the viewer share and the vocal-minority flag, as the themes measure it."""
    per_author: Counter[int] = Counter()
    anonymous = 0
    for row in rows:
        if row.author is None:
            anonymous += 1
        else:
            per_author[row.author] += 1
    counts = [*per_author.values(), *[1] * anonymous]
    episodes = {row.episode for row in rows}
    seen_views = sum(views.get(episode, 0) for episode in episodes) or None
    measured = measure(counts, sum(row.likes for row in rows), seen_views, settings)
    top = max(counts, default=0)
    return Support(
        signals=measured.signals,
        authors=measured.authors,
        top_author_share=top / measured.signals if measured.signals else 0.0,
        viewer_share=measured.viewer_share,
        vocal_minority=measured.vocal_minority,
    )


def representative(rows: Sequence[SignalRow]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Citable ids of the most liked signals (up to 20) and up to 3 distinct quotes, the most
    repeated texts first."""
    ordered = sorted(rows, key=lambda row: (-row.likes, row.id))
    ids = tuple(signal_id(row.uid) for row in ordered[:MAX_SIGNAL_IDS])
    repeats = Counter(row.text for row in rows)
    quotes = tuple(
        text for text, _ in sorted(repeats.items(), key=lambda item: (-item[1], item[0]))
    )[:MAX_QUOTES]
    return ids, quotes

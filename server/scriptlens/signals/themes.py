"""Clustering signals into themes, and measuring each theme overall and per episode.

Exact near-duplicates share a normalized-text fingerprint (computed at import), so clustering
works on distinct texts, largest first. Each text joins the most similar existing theme leader
(rapidfuzz, at least ``theme_similarity``) among leaders that share one of its rarest tokens
(a blocking key), or leads a new theme. That keeps the work near-linear instead of comparing
every pair. Hashtags are themes of their own, never merged fuzzily. A theme's id is a hash of
its leader's normalized text, so it is stable across re-imports of the same data.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from scriptlens.signals.normalize import has_cjk, is_hashtag, normalize, tokens
from scriptlens.signals.representativeness import measure
from scriptlens.signals.settings import SignalSettings
from scriptlens.signals.store import Store

BLOCKING_KEYS = 4  # rarest tokens of a text used to find candidate leaders
LEADERS_PER_KEY = 48  # largest leaders kept per key: bounds the work per text
EXEMPLARS = 4  # distinct texts per theme kept for lookup
MEASURES = "signals, authors, likes, top1_share, top10_share, gini, viewer_share, vocal_minority"


@dataclass
class _Group:
    """All signals sharing one normalized text."""

    fingerprint: int
    count: int
    text: str
    norm: str


def theme_id(leader_norm: str) -> str:
    return "t" + hashlib.blake2b(leader_norm.encode(), digest_size=6).hexdigest()


def _comparable(norm: str, words: list[str]) -> str:
    """What rapidfuzz compares: sorted words for spaced text (word order matters little in a
    comment); the characters themselves for Chinese/Japanese."""
    if has_cjk(norm):
        return norm.replace(" ", "")
    return " ".join(sorted(words))


def cluster(groups: list[_Group], similarity: float) -> list[int]:
    """Index of each group's leader; ``groups`` sorted largest first, then by text."""
    group_tokens = [tokens(group.norm) for group in groups]
    frequency: Counter[str] = Counter()
    for words in group_tokens:
        frequency.update(set(words))
    leaders_by_key: defaultdict[str, list[int]] = defaultdict(list)
    comparable: dict[int, str] = {}
    leader_of: list[int] = []
    for index, (group, words) in enumerate(zip(groups, group_tokens, strict=True)):
        if is_hashtag(group.norm) or not words:
            leader_of.append(index)
            continue
        keys = sorted(set(words), key=lambda word: (frequency[word], word))[:BLOCKING_KEYS]
        candidates = list(dict.fromkeys(c for key in keys for c in leaders_by_key.get(key, ())))
        text = _comparable(group.norm, words)
        best = None
        if candidates:
            best = process.extractOne(
                text,
                {candidate: comparable[candidate] for candidate in candidates},
                scorer=fuzz.ratio,
                score_cutoff=similarity,
            )
        if best is not None:
            leader_of.append(best[2])
            continue
        leader_of.append(index)
        comparable[index] = text
        for key in keys:
            postings = leaders_by_key[key]
            if len(postings) < LEADERS_PER_KEY:
                postings.append(index)
    return leader_of


def _groups(store: Store) -> list[_Group]:
    rows = store.conn.execute(
        "SELECT norm, count(*), min(text) FROM signals GROUP BY norm"
    ).fetchall()
    groups = [_Group(norm, count, text, normalize(text)) for norm, count, text in rows]
    groups.sort(key=lambda group: (-group.count, group.norm))
    return groups


@dataclass
class _Theme:
    id: str
    label: str
    is_hashtag: bool
    exemplars: list[str]
    size: int


def _themes_of(
    groups: list[_Group], leader_of: list[int]
) -> tuple[list[_Theme], list[tuple[int, str]]]:
    themes: dict[int, _Theme] = {}
    memberships: list[tuple[int, str]] = []
    for group, leader in zip(groups, leader_of, strict=True):
        theme = themes.get(leader)
        if theme is None:
            theme = _Theme(theme_id(group.norm), group.text, is_hashtag(group.norm), [], 0)
            themes[leader] = theme
        theme.size += group.count
        if len(theme.exemplars) < EXEMPLARS:
            theme.exemplars.append(group.norm)
        memberships.append((group.fingerprint, theme.id))
    ordered = sorted(themes.values(), key=lambda theme: (-theme.size, theme.id))
    return ordered, memberships


def _episode_views(store: Store) -> dict[int, int]:
    rows = store.conn.execute(
        "SELECT episode, sum(views) FROM episode_metrics WHERE views IS NOT NULL GROUP BY episode"
    )
    return {episode: views for episode, views in rows}


def _per_author_counts(
    store: Store,
) -> Iterator[tuple[str, list[tuple[int, int | None, int, int]]]]:
    """Per theme: (episode, author, signals, likes) groups, streamed one theme at a time."""
    cursor = store.conn.execute(
        "SELECT tn.theme_id, s.episode, s.author, count(*), sum(s.likes) "
        "FROM signals s JOIN theme_norms tn ON tn.norm = s.norm "
        "GROUP BY tn.theme_id, s.episode, s.author"
    )
    current: str | None = None
    rows: list[tuple[int, int | None, int, int]] = []
    for theme, episode, author, count, likes in cursor:
        if theme != current:
            if current is not None:
                yield current, rows
            current, rows = theme, []
        rows.append((episode, author, count, likes))
    if current is not None:
        yield current, rows


def _measure_all(
    store: Store, settings: SignalSettings
) -> tuple[list[tuple[object, ...]], dict[str, tuple[object, ...]]]:
    views = _episode_views(store)
    episode_rows: list[tuple[object, ...]] = []
    overall: dict[str, tuple[object, ...]] = {}
    for theme, rows in _per_author_counts(store):
        authors: Counter[int | None] = Counter()
        anonymous = 0
        by_episode: defaultdict[int, list[tuple[int | None, int, int]]] = defaultdict(list)
        for episode, author, count, likes in rows:
            by_episode[episode].append((author, count, likes))
            if author is None:
                anonymous += count
            else:
                authors[author] += count
        counts = [*authors.values(), *[1] * anonymous]
        likes_total = sum(likes for _, _, _, likes in rows)
        seen_views = sum(views.get(episode, 0) for episode in by_episode) or None
        overall[theme] = measure(counts, likes_total, seen_views, settings).as_row()
        for episode, items in by_episode.items():
            episode_counts: list[int] = []
            for author, count, _ in items:
                episode_counts.extend([count] if author is not None else [1] * count)
            likes_episode = sum(likes for _, _, likes in items)
            stats = measure(episode_counts, likes_episode, views.get(episode), settings)
            episode_rows.append((theme, episode, *stats.as_row()))
    return episode_rows, overall


def build_themes(store: Store, settings: SignalSettings) -> int:
    """Recluster every signal and recompute every theme's figures; returns the theme count."""
    groups = _groups(store)
    leader_of = cluster(groups, settings.theme_similarity)
    themes, memberships = _themes_of(groups, leader_of)
    del groups, leader_of
    conn = store.conn
    with store.db.atomic():
        for table in ("themes", "theme_episodes", "theme_norms", "themes_fts"):
            conn.execute(f"DELETE FROM {table}")
        conn.executemany("INSERT INTO theme_norms (norm, theme_id) VALUES (?, ?)", memberships)
        del memberships
        episode_rows, overall = _measure_all(store, settings)
        conn.executemany(
            f"INSERT INTO theme_episodes (theme_id, episode, {MEASURES}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            episode_rows,
        )
        conn.executemany(
            f"INSERT INTO themes (rank, id, label, is_hashtag, {MEASURES}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (rank, theme.id, theme.label, int(theme.is_hashtag), *overall[theme.id])
                for rank, theme in enumerate(themes, start=1)
            ),
        )
        conn.executemany(
            "INSERT INTO themes_fts (rowid, text) VALUES (?, ?)",
            ((rank, "\n".join(theme.exemplars)) for rank, theme in enumerate(themes, start=1)),
        )
        store.set_meta("themes_generation", store.meta("generation", "0"))
    return len(themes)


def ensure_themes(store: Store, settings: SignalSettings) -> bool:
    """Rebuild themes when signals or metrics changed since the last build; True if rebuilt."""
    if not store.themes_stale:
        return False
    build_themes(store, settings)
    return True

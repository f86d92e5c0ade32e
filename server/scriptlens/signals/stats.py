"""What the store holds: counts by platform, kind and episode, themes, imports, metrics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scriptlens.signals.representativeness import MEASURE_COLUMNS, Representativeness, describe
from scriptlens.signals.store import Store


@dataclass(frozen=True)
class StoreStats:
    signals: int
    authors: int
    by_platform: dict[str, int]
    by_kind: dict[str, int]
    by_episode: dict[int, int]
    themes: int
    vocal_minority_themes: int
    imports: int
    metric_episodes: int
    schema_version: int


def store_stats(store: Store) -> StoreStats:
    conn = store.conn

    def counts(column: str) -> dict[Any, int]:
        rows = conn.execute(f"SELECT {column}, count(*) FROM signals GROUP BY 1 ORDER BY 1")
        return {key: count for key, count in rows}

    def one(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0] or 0)

    return StoreStats(
        signals=one("SELECT count(*) FROM signals"),
        authors=one("SELECT count(DISTINCT author) FROM signals"),
        by_platform=counts("platform"),
        by_kind=counts("kind"),
        by_episode=counts("episode"),
        themes=one("SELECT count(*) FROM themes"),
        vocal_minority_themes=one("SELECT count(*) FROM themes WHERE vocal_minority"),
        imports=one("SELECT count(*) FROM imports"),
        metric_episodes=one("SELECT count(DISTINCT episode) FROM episode_metrics"),
        schema_version=one("PRAGMA user_version"),
    )


@dataclass(frozen=True)
class ThemeSummary(Representativeness):
    """A theme's measures, overall or within one episode, with what identifies the theme."""

    id: str
    label: str
    is_hashtag: bool
    episode: int | None  # None: all episodes

    @property
    def summary(self) -> str:
        """How representative the theme is, in plain words (``describe``)."""
        return describe(self)

    def to_json(self) -> dict[str, Any]:
        identity = {"id": self.id, "label": self.label, "is_hashtag": self.is_hashtag}
        measures = {name: getattr(self, name) for name in MEASURE_COLUMNS}
        return {**identity, "episode": self.episode, **measures, "summary": self.summary}


def list_themes(
    store: Store, episode: int | None = None, limit: int | None = None
) -> list[ThemeSummary]:
    """Themes largest first, measured overall or within one episode."""
    if episode is None:
        columns = ", ".join(MEASURE_COLUMNS)
        sql = f"SELECT id, label, is_hashtag, NULL, {columns} FROM themes ORDER BY rank"
        params: tuple[Any, ...] = ()
    else:
        columns = ", ".join(f"e.{name}" for name in MEASURE_COLUMNS)
        sql = (
            f"SELECT t.id, t.label, t.is_hashtag, e.episode, {columns} FROM theme_episodes e "
            "JOIN themes t ON t.id = e.theme_id WHERE e.episode = ? "
            "ORDER BY e.signals DESC, t.rank"
        )
        params = (episode,)
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [
        ThemeSummary(
            id=row[0],
            label=row[1],
            is_hashtag=bool(row[2]),
            episode=row[3],
            signals=row[4],
            authors=row[5],
            likes=row[6],
            top1_share=row[7],
            top10_share=row[8],
            gini=row[9],
            viewer_share=row[10],
            vocal_minority=bool(row[11]),
        )
        for row in store.conn.execute(sql, params)
    ]

"""Shared helpers of the signal-store tests: paths of the fixtures and a store in a workspace."""

from __future__ import annotations

from pathlib import Path

from scriptlens.signals import ImportOptions, Store, import_signals, open_store
from scriptlens.signals.rows import Defaults

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = ROOT / "examples" / "micro-drama" / "exports"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "signals"
DOUYIN_MAP = (
    "id=cid,text=content,likes=digg_count,posted_at=create_time,author=uid,"
    "replies=reply_comment_total"
)


def store_in(workspace: Path) -> Store:
    """A real store file in ``workspace/.scriptlens``, as the CLI makes it."""
    return open_store(workspace / ".scriptlens" / "signals.db", workspace / ".scriptlens")


def import_all_examples(store: Store) -> None:
    """Every example export, each with the options its README command uses."""
    from scriptlens.signals.canonical import parse_column_map
    from scriptlens.signals.ingest import import_metrics

    import_signals(
        store, [EXPORTS / "comments.csv", EXPORTS / "kuaishou_ep3_gbk.csv"], ImportOptions()
    )
    import_signals(
        store,
        [EXPORTS / "douyin_ep2.csv"],
        ImportOptions(
            defaults=Defaults(platform="douyin", episode=2), column_map=parse_column_map(DOUYIN_MAP)
        ),
    )
    import_signals(
        store,
        [EXPORTS / "youtube_ep1_commentThreads.json"],
        ImportOptions(defaults=Defaults(episode=1)),
    )
    import_signals(
        store, [EXPORTS / "bilibili_ep3_danmaku.xml"], ImportOptions(defaults=Defaults(episode=3))
    )
    import_metrics(
        store, EXPORTS / "metrics.csv", ImportOptions(defaults=Defaults(platform="douyin"))
    )


def table_dump(store: Store) -> list[tuple[object, ...]]:
    """Every row of every table that imports write, for before/after comparisons."""
    rows: list[tuple[object, ...]] = []
    for table in ("signals", "imports", "episode_metrics", "meta"):
        rows.extend(
            (table, *row) for row in store.conn.execute(f"SELECT * FROM {table} ORDER BY 1")
        )
    rows.extend(("fts", *row) for row in store.conn.execute("SELECT rowid, text FROM signals_fts"))
    return rows

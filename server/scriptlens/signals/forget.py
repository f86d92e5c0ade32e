"""``forget --author ID``: erase every signal of one person, found through the keyed digest.

The person's digests are remembered (``forgotten``), never their id, so that ``signals rebuild``,
which imports their exports again, erases them again."""

from __future__ import annotations

from datetime import datetime, timezone

from scriptlens.signals.store import Store


def forget_author(store: Store, raw_author: str) -> int:
    """Delete the person's signals and purge them from the text index; returns how many."""
    digests = store.keyed.author_candidates(raw_author.strip())
    with store.db.atomic():
        deleted = erase_authors(store, digests)
        if deleted:
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            store.conn.executemany(
                "INSERT OR IGNORE INTO forgotten (author, forgotten_at) VALUES (?, ?)",
                [(digest, now) for digest in digests],
            )
    if deleted:
        optimize_text_index(store)
    return deleted


def erase_authors(store: Store, digests: list[int]) -> int:
    """Delete the signals written under any of ``digests`` and their text index entries, in the
    caller's transaction; returns how many."""
    placeholders = ",".join("?" for _ in digests)
    conn = store.conn
    # External-content FTS needs the old text to remove its index entries.
    conn.execute(
        "INSERT INTO signals_fts (signals_fts, rowid, text) "
        f"SELECT 'delete', id, text FROM signals WHERE author IN ({placeholders})",
        digests,
    )
    deleted = conn.execute(f"DELETE FROM signals WHERE author IN ({placeholders})", digests)
    if deleted.rowcount:
        store.bump_generation()
    return deleted.rowcount


def optimize_text_index(store: Store) -> None:
    """Merge index segments so deleted entries are dropped, not merely marked."""
    with store.db.atomic():
        store.conn.execute("INSERT INTO signals_fts (signals_fts) VALUES ('optimize')")

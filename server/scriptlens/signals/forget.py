"""``forget --author ID``: erase every signal of one person, found through the keyed digest."""

from __future__ import annotations

from scriptlens.signals.store import Store


def forget_author(store: Store, raw_author: str) -> int:
    """Delete the person's signals and purge them from the text index; returns how many."""
    digests = store.keyed.author_candidates(raw_author.strip())
    placeholders = ",".join("?" for _ in digests)
    conn = store.conn
    with store.db.atomic():
        # External-content FTS needs the old text to remove its index entries.
        conn.execute(
            "INSERT INTO signals_fts (signals_fts, rowid, text) "
            f"SELECT 'delete', id, text FROM signals WHERE author IN ({placeholders})",
            digests,
        )
        deleted = conn.execute(
            f"DELETE FROM signals WHERE author IN ({placeholders})", digests
        ).rowcount
        if deleted:
            store.bump_generation()
    if deleted:
        # Merge index segments so deleted entries are dropped, not merely marked.
        with store.db.atomic():
            conn.execute("INSERT INTO signals_fts (signals_fts) VALUES ('optimize')")
    return deleted

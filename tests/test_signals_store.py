"""The store file: WAL and busy timeout, schema migrations in place, newer stores refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from scriptlens.signals import ImportOptions, SignalsError, StoreVersionError, import_signals
from scriptlens.signals.migrations import SCHEMA_VERSION, migrate, schema_version
from scriptlens.signals.store import default_db_path
from signals_support import EXPORTS, store_in


def test_wal_and_busy_timeout(tmp_path: Path) -> None:
    with store_in(tmp_path) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert schema_version(store.db) == SCHEMA_VERSION


def test_reader_sees_committed_data_while_a_writer_is_open(tmp_path: Path) -> None:
    with store_in(tmp_path) as writer:
        import_signals(writer, [EXPORTS / "comments.csv"], ImportOptions())
        writer.conn.execute("BEGIN IMMEDIATE")
        writer.conn.execute("DELETE FROM signals")
        reader = sqlite3.connect(tmp_path / ".scriptlens" / "signals.db")
        assert reader.execute("SELECT count(*) FROM signals").fetchone()[0] == 1644
        reader.close()
        writer.conn.execute("ROLLBACK")


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    with store_in(tmp_path):
        pass
    path = tmp_path / ".scriptlens" / "signals.db"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()
    with pytest.raises(StoreVersionError, match=f"schema version {SCHEMA_VERSION + 1}, but"):
        store_in(tmp_path)


def test_old_store_upgrades_in_place_keeping_its_signals(tmp_path: Path) -> None:
    path = tmp_path / ".scriptlens" / "signals.db"
    path.parent.mkdir()
    old = Database(sqlite3.connect(path))
    migrate(old, target=1)  # a store from before metrics and themes existed
    assert schema_version(old) == 1
    assert "themes" not in old.table_names()
    old.close()
    with store_in(tmp_path) as store:
        assert schema_version(store.db) == SCHEMA_VERSION
    # and a store that already holds data, brought back to version 1
    path2 = tmp_path / "second" / ".scriptlens" / "signals.db"
    path2.parent.mkdir(parents=True)
    with store_in(tmp_path / "second") as store:
        import_signals(store, [EXPORTS / "comments.csv"], ImportOptions())
        for table in ("themes", "theme_episodes", "theme_norms", "episode_metrics"):
            store.conn.execute(f"DROP TABLE {table}")
        store.conn.execute("DROP TABLE themes_fts")
        for table in ("revisions", "dismissals", "forgotten"):  # what later steps added
            store.conn.execute(f"DROP TABLE {table}")
        for column in ("source", "options"):
            store.conn.execute(f"ALTER TABLE imports DROP COLUMN {column}")
        for index in ("idx_signals_norm", "idx_signals_episode_video_time"):
            store.conn.execute(f"DROP INDEX {index}")
        store.conn.execute("PRAGMA user_version = 1")
    with store_in(tmp_path / "second") as store:
        assert schema_version(store.db) == SCHEMA_VERSION
        assert store.conn.execute("SELECT count(*) FROM signals").fetchone()[0] == 1644
        assert {"themes", "episode_metrics"} <= set(store.db.table_names())


def test_store_written_under_another_key_is_refused(tmp_path: Path) -> None:
    with store_in(tmp_path):
        pass
    (tmp_path / ".scriptlens" / "key").unlink()
    with pytest.raises(SignalsError, match="another workspace key"):
        store_in(tmp_path)


def test_db_location_defaults_and_env_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCRIPTLENS_DB", raising=False)
    assert default_db_path(tmp_path) == tmp_path / ".scriptlens" / "signals.db"
    monkeypatch.setenv("SCRIPTLENS_DB", str(tmp_path / "elsewhere.db"))
    assert default_db_path(tmp_path) == tmp_path / "elsewhere.db"

"""The signal store: one SQLite file, in WAL mode so the language server reads while the CLI
writes, checked for schema version and for the workspace key it was written with."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from scriptlens.signals.errors import SignalsError, StoreVersionError
from scriptlens.signals.migrations import SCHEMA_VERSION, migrate, schema_version
from scriptlens.signals.privacy import Keyed, load_key
from scriptlens.workspace import STATE_DIR

DB_NAME = "signals.db"
DB_ENV = "SCRIPTLENS_DB"
BUSY_TIMEOUT_MS = 10_000


def insert_sql(table: str, columns: tuple[str, ...], verb: str = "INSERT") -> str:
    """``verb INTO table (columns) VALUES (?, ...)``, one placeholder per column."""
    return f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


def default_db_path(root: Path) -> Path:
    """``$SCRIPTLENS_DB`` when set, else ``.scriptlens/signals.db`` in the workspace root."""
    override = os.environ.get(DB_ENV)
    return Path(override) if override else root / STATE_DIR / DB_NAME


@dataclass
class Store:
    db: Database
    path: Path
    keyed: Keyed

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def meta(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def bump_generation(self) -> None:
        """Record that signals changed, so themes built earlier are known to be stale."""
        self.set_meta("generation", str(int(self.meta("generation", "0")) + 1))

    @property
    def themes_stale(self) -> bool:
        return self.meta("themes_generation", "-1") != self.meta("generation", "0")

    def close(self) -> None:
        # Fold the WAL back into the main file so no -wal file lingers beside it.
        # A reader may hold the WAL; it is then checkpointed by a later connection.
        with contextlib.suppress(sqlite3.OperationalError):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_store(path: Path, state_dir: Path, *, must_exist: bool = False) -> Store:
    """Open (creating and migrating as needed) the store at ``path`` with the key kept in
    ``state_dir``. Refuses a store from a newer scriptlens or one written under another key."""
    if must_exist and not path.exists():
        raise SignalsError(f"{path}: no signal store yet; run `scriptlens signals import` first")
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    db = Database(conn)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        # Deleted rows (forget) are overwritten, not left readable in free pages.
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA cache_size = -65536")
        version = schema_version(db)
        if version > SCHEMA_VERSION:
            raise StoreVersionError(
                f"{path}: store has schema version {version}, but this scriptlens knows only "
                f"up to {SCHEMA_VERSION}; upgrade scriptlens to use it"
            )
        if version < SCHEMA_VERSION:
            migrate(db)
        keyed = Keyed(load_key(state_dir))
        store = Store(db, path, keyed)
        known = store.meta("key_fingerprint")
        if not known:
            with db.atomic():
                store.set_meta("key_fingerprint", keyed.fingerprint)
        elif known != keyed.fingerprint:
            raise SignalsError(
                f"{path}: store was written under another workspace key than "
                f"{state_dir / 'key'}; use that workspace or a fresh --db"
            )
    except BaseException:
        db.close()
        raise
    return store

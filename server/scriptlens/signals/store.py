"""The signal store: one SQLite file, in WAL mode so the language server reads while the CLI
writes, checked for integrity, schema version and the workspace key it was written with.

Writers take turns through a lock file beside the store (``signals.lock``), held from before
the store is opened until it is closed: SQLite's own locking alone let concurrent imports fail
with "database is locked" and let a failed first import delete a store another had committed
to. Readers never write and never wait for writers (WAL).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError

from scriptlens.signals.errors import DamagedStoreError, SignalsError, StoreVersionError
from scriptlens.signals.migrations import SCHEMA_VERSION, migrate, schema_version
from scriptlens.signals.privacy import KEY_NAME, Keyed, load_key
from scriptlens.workspace import STATE_DIR

DB_NAME = "signals.db"
DB_ENV = "SCRIPTLENS_DB"
BUSY_TIMEOUT_MS = 10_000
# SQLite's page cache per connection. A reader (the language server) looks lines up across the
# store again and again; a writer mostly streams through it once (an import, a theme build), and
# with a quarter of the cache, importing 1,000,000 signals and building their themes peaked at
# 353 MB instead of 410 MB, for 2-7% more import CPU time in paired runs (25.0 against 24.5 s,
# 24.6 against 22.9 s) and the same for the themes.
READER_CACHE_KIB = 65_536
WRITER_CACHE_KIB = 16_384


def insert_sql(table: str, columns: tuple[str, ...], verb: str = "INSERT") -> str:
    """``verb INTO table (columns) VALUES (?, ...)``, one placeholder per column."""
    return f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


def default_db_path(root: Path) -> Path:
    """``$SCRIPTLENS_DB`` when set, else ``.scriptlens/signals.db`` in the workspace root."""
    override = os.environ.get(DB_ENV)
    return Path(override) if override else root / STATE_DIR / DB_NAME


class WriterLock:
    """The store's writer lock: ``flock`` on ``<store>.lock``, so that writers take turns and
    the lock goes when its process does, however it ends. Re-entrant within a process: flock
    belongs to an open file, so a second opening in the same process would wait on itself."""

    _held: ClassVar[dict[Path, WriterLock]] = {}
    _guard: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self.fd = fd
        self.count = 1

    @classmethod
    def acquire(cls, store: Path, on_wait: Callable[[str], None] | None = None) -> WriterLock:
        """Take the lock, first telling ``on_wait`` when another process holds it."""
        path = Path(os.path.abspath(store.with_suffix(".lock")))
        with cls._guard:
            held = cls._held.get(path)
            if held is not None:
                held.count += 1
                return held
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    holder = os.pread(fd, 20, 0).decode("ascii", "replace").strip()
                    by = f" (process {holder})" if holder else ""
                    on_wait(f"{store}: waiting for another scriptlens command writing to it{by}…")
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        lock = cls(path, fd)
        with cls._guard:
            cls._held[path] = lock
        return lock

    def release(self) -> None:
        with self._guard:
            self.count -= 1
            if self.count:
                return
            del self._held[self.path]
        os.close(self.fd)  # which releases the flock


@dataclass
class Store:
    db: Database
    path: Path
    keyed: Keyed
    # The workspace the store and its key belong to (the key's folder's parent): the import log
    # records sources relative to it, so that a rebuild finds them wherever the workspace moved.
    workspace: Path
    # Opened for writing: holds the writer lock until closed; ``created``: this opening made
    # the file, so a command that fails may take it away again while nothing is in it.
    lock: WriterLock | None = None
    created: bool = False

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def meta(self, key: str, default: str = "") -> str:
        try:
            return str(self.db.table("meta").get(key)["value"])
        except NotFoundError:
            return default

    def set_meta(self, key: str, value: str) -> None:
        self.db.table("meta").upsert({"key": key, "value": value}, pk="key")

    def bump_generation(self) -> None:
        """Record that signals changed, so themes built earlier are known to be stale."""
        self.set_meta("generation", str(int(self.meta("generation", "0")) + 1))

    @property
    def themes_stale(self) -> bool:
        return self.meta("themes_generation", "-1") != self.meta("generation", "0")

    def is_empty(self) -> bool:
        """Nothing was ever committed: no signal, no import logged, no metrics."""
        return not any(
            self.conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
            for table in ("signals", "imports", "episode_metrics")
        )

    def close(self, *, failed: bool = False) -> None:
        """Close the store; after a failure, a store this opening created goes away again while
        it is empty (the writer lock, still held, guarantees nobody else committed to it)."""
        try:
            discard = failed and self.created and self.is_empty()
        except sqlite3.Error:
            discard = False
        if self.lock is not None:
            # Fold the WAL back into the main file so no -wal file lingers beside it.
            # A reader may hold the WAL; it is then checkpointed by a later connection.
            with contextlib.suppress(sqlite3.OperationalError):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()
        if discard:
            for leftover in store_files(self.path):
                leftover.unlink(missing_ok=True)
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: object
    ) -> None:
        self.close(failed=kind is not None)
        if isinstance(error, sqlite3.Error):
            raise sqlite_failure(self.path, error) from None


def sqlite_failure(path: Path, error: sqlite3.Error) -> SignalsError:
    """SQLite's complaint about the store as the user's error, naming the file."""
    if str(error) == "file is not a database":  # SQLITE_NOTADB
        return _damaged(path, "not an SQLite database")
    if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError):
        return _damaged(path, str(error))  # "malformed"
    return SignalsError(f"{path}: {error}")


def store_files(path: Path) -> tuple[Path, ...]:
    """The store and SQLite's companions of it in WAL mode."""
    return (path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")))


def _owner_only(path: Path) -> None:
    """Tighten a store file or the state folder made by an older scriptlens (0644, 0755)."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        mode = 0o700 if path.is_dir() else 0o600
        if path.stat().st_mode & 0o777 != mode and path.stat().st_uid == os.getuid():
            path.chmod(mode)


def _damaged(path: Path, reason: str) -> DamagedStoreError:
    return DamagedStoreError(path, reason)


def _check_header(path: Path) -> None:
    """The cheap check: a store is a non-empty file (SQLite refuses one that is not a database,
    see ``sqlite_failure``). Only a ``stat``: closing any descriptor of the store drops the
    POSIX locks of every SQLite connection this process has to it, and another process then
    takes them for gone and deletes the WAL and its index under them ("database disk image is
    malformed" until those connections are reopened)."""
    if path.stat().st_size == 0:
        raise _damaged(path, "the file is empty (0 bytes)")


def _connect(path: Path, *, writable: bool) -> tuple[sqlite3.Connection, Database]:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cache_kib = WRITER_CACHE_KIB if writable else READER_CACHE_KIB
    conn.execute(f"PRAGMA cache_size = -{cache_kib}")
    return conn, Database(conn)


def create_store(path: Path, state_dir: Path, keyed: Keyed) -> None:
    """Build a new store beside ``path`` and move it into place, so that nobody ever sees a
    store without its schema (a reader would take it for a damaged one)."""
    building = path.with_name(path.name + ".new")
    for leftover in store_files(building):
        leftover.unlink(missing_ok=True)
    os.close(os.open(building, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    _, db = _connect(building, writable=True)
    try:
        migrate(db)
        with db.atomic():
            Store(db, building, keyed, state_dir.parent).set_meta(
                "key_fingerprint", keyed.fingerprint
            )
    finally:
        db.close()
    os.replace(building, path)


def open_store(
    path: Path,
    state_dir: Path,
    *,
    must_exist: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> Store:
    """Open the store at ``path`` for writing, with the key kept in ``state_dir``: wait for the
    writer lock (telling ``on_wait`` why), create the store when missing, check its integrity,
    and upgrade its schema. Refuses a damaged store, one from a newer scriptlens, or one
    written under another key. Use it as a context manager: a failure inside the ``with``
    block removes a store this call created, while it is still empty."""
    if must_exist and not path.exists():
        raise _missing(path)
    # exist_ok: another command may make it between a look and the mkdir
    state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    _owner_only(state_dir)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock = WriterLock.acquire(path, on_wait)
    try:
        keyed = Keyed(load_key(state_dir))
        created = not path.exists()
        if created:
            create_store(path, state_dir, keyed)
        _check_header(path)
        for existing in store_files(path):
            _owner_only(existing)
        store = connect_store(path, state_dir, keyed, writable=True)
    except BaseException:
        lock.release()
        raise
    store.lock, store.created = lock, created
    return store


def read_store(path: Path, state_dir: Path) -> Store:
    """Open an existing store for reading only: nothing is written (an old schema is first
    upgraded under the writer lock). Refuses a missing or damaged store."""
    if not path.exists():
        raise _missing(path)
    _check_header(path)
    keyed = Keyed(load_key(state_dir))
    store = connect_store(path, state_dir, keyed, writable=False)
    if schema_version(store.db) < SCHEMA_VERSION:
        store.close()
        open_store(path, state_dir).close()
        store = connect_store(path, state_dir, keyed, writable=False)
    return store


def _missing(path: Path) -> SignalsError:
    return SignalsError(f"{path}: no signal store yet; run `scriptlens signals import` first")


def connect_store(path: Path, state_dir: Path, keyed: Keyed, *, writable: bool) -> Store:
    """The store file at ``path``, checked and (for writing) upgraded, without taking the
    writer lock: the caller holds it, or only reads."""
    try:
        conn, db = _connect(path, writable=writable)
    except sqlite3.Error as error:
        raise sqlite_failure(path, error) from None
    try:
        if writable:
            db.enable_wal()
            conn.execute("PRAGMA synchronous = NORMAL")
            # Deleted rows (forget) are overwritten, not left readable in free pages.
            conn.execute("PRAGMA secure_delete = ON")
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
            if problems != ["ok"]:
                raise _damaged(path, "; ".join(problems))
        else:
            conn.execute("PRAGMA query_only = ON")
        version = schema_version(db)
        if version > SCHEMA_VERSION:
            raise StoreVersionError(
                f"{path}: store has schema version {version}, but this scriptlens knows only "
                f"up to {SCHEMA_VERSION}; upgrade scriptlens to use it"
            )
        if writable and version < SCHEMA_VERSION:
            migrate(db)
        store = Store(db, path, keyed, state_dir.parent)
        known = store.meta("key_fingerprint") if version else ""
        if not known and writable:
            with db.atomic():
                store.set_meta("key_fingerprint", keyed.fingerprint)
        elif known and known != keyed.fingerprint:
            raise SignalsError(
                f"{path}: store was written under another workspace key than "
                f"{state_dir / KEY_NAME}; use that workspace or a fresh --db"
            )
    except sqlite3.Error as error:
        db.close()
        raise sqlite_failure(path, error) from None
    except BaseException:
        db.close()
        raise
    return store


def check_store(path: Path, state_dir: Path) -> list[str]:
    """What is wrong with the store, checked thoroughly (every page and index) without writing
    to it; empty when nothing is."""
    try:
        with read_store(path, state_dir) as store:
            problems = [row[0] for row in store.conn.execute("PRAGMA integrity_check(20)")]
    except DamagedStoreError as error:
        return [error.reason]
    return [] if problems == ["ok"] else problems

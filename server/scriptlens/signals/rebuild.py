"""``signals rebuild``: a new store made from the exports the old one's import log names.

The way out of a damaged store. The old store is only read (through a read-only connection, so
not even SQLite's checkpoint on close writes to it), as far as it can be: its import log, the
tables that imports do not make (snapshot history, dismissed motivations, forgotten people), and
the cast its themes were built with. Each logged import is repeated in the original order with
the options it was logged with, into a new file beside the store, which is then written into
the store's own file in one transaction, after the old file was copied beside it as a dated
backup. The writer lock is held from the first read to the end, and a failure before the end
leaves the old store as it was.

Imports logged by a scriptlens older than the options in the log cannot be repeated, nor can
those whose export is missing or changed: the rebuild names each and stops, unless told to
go on without them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from scriptlens.signals.errors import RebuildRefused, SignalsError, StoreVersionError
from scriptlens.signals.forget import erase_authors, optimize_text_index
from scriptlens.signals.ingest import (
    FileReport,
    ImportOptions,
    Progress,
    import_metrics,
    import_signals,
    sha256_of,
)
from scriptlens.signals.migrations import SCHEMA_VERSION
from scriptlens.signals.names import CastNames
from scriptlens.signals.privacy import KEY_NAME, Keyed, load_key
from scriptlens.signals.store import (
    BUSY_TIMEOUT_MS,
    Store,
    WriterLock,
    connect_store,
    create_store,
    store_files,
)
from scriptlens.signals.themes import CAST_META, build_themes
from scriptlens.workspace.config import SignalSettings

# Tables that no import makes, whose rows only the store holds: copied from the old store as
# far as it reads (every other table is made again by the imports and the theme build).
KEPT = ("revisions", "dismissals", "forgotten")
# What to do about a table of the old store that could not be read.
RECOVERY = {
    "revisions": "replay the history again (`scriptlens history replay`) or take a new "
    "`scriptlens snapshot`",
    "dismissals": "dismiss those motivations again",
}
LOG_COLUMNS = ("id", "file", "source", "sha256", "format", "options", "imported_at")
COPY_CHUNK = 1 << 20
ERASE_BATCH = 500  # digests a statement, well under SQLite's limit on parameters


@dataclass(frozen=True)
class LoggedImport:
    """One row of the old store's import log; ``source`` and ``options`` are None in rows
    logged before the log kept them."""

    id: int
    file: str
    source: str | None
    sha256: str
    format: str
    options: str | None
    imported_at: str

    @property
    def name(self) -> str:
        return self.source or self.file


@dataclass(frozen=True)
class Source:
    """A logged import as the rebuild would repeat it, or why it cannot."""

    logged: LoggedImport
    path: Path | None
    options: ImportOptions | None
    problem: str | None


@dataclass(frozen=True)
class KeptTable:
    """A table of the old store that imports do not make: copied, or lost and why."""

    name: str
    rows: int
    problem: str | None

    @property
    def recovery(self) -> str:
        return RECOVERY.get(self.name, "")


@dataclass(frozen=True)
class RebuildPlan:
    path: Path
    sources: list[Source]
    kept: list[KeptTable]
    cast_signature: str

    @property
    def unavailable(self) -> list[Source]:
        return [source for source in self.sources if source.problem is not None]

    @property
    def repeatable(self) -> list[Source]:
        return [source for source in self.sources if source.problem is None]

    def refusal(self) -> RebuildRefused:
        lines = [f"{source.logged.name}: {source.problem}" for source in self.unavailable]
        lines.append(
            f"{self.path}: not rebuilt, nothing was changed: {len(self.unavailable)} of "
            f"{len(self.sources)} logged import(s) cannot be repeated; put the exports back "
            "where they were, or pass --skip-missing to rebuild without them (their signals "
            "are lost)"
        )
        return RebuildRefused("\n".join(lines))


def _log_unreadable(path: Path, reason: str) -> SignalsError:
    return SignalsError(
        f"{path}: its import log cannot be read ({reason}), so there is nothing to rebuild "
        "it from; restore it from a backup, or move it aside and import the exports again"
    )


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that cannot write to the old store, not even a checkpoint on close."""
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise _log_unreadable(path, str(error)) from None
    try:
        yield conn
    finally:
        conn.close()


def _require_store(path: Path) -> None:
    """Before anything is made (the lock, the key), so that nothing is made for nothing."""
    if not path.is_file():
        raise SignalsError(f"{path}: no signal store here; nothing to rebuild")


def _read_log(conn: sqlite3.Connection, path: Path) -> list[LoggedImport]:
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        present = {row[1] for row in conn.execute("PRAGMA table_info(imports)")}
        if not present:
            raise _log_unreadable(path, "the store has no import log")
        selected = ", ".join(column if column in present else "NULL" for column in LOG_COLUMNS)
        rows = conn.execute(f"SELECT {selected} FROM imports ORDER BY id").fetchall()
    except sqlite3.Error as error:
        reason = "not an SQLite database" if "not a database" in str(error) else str(error)
        raise _log_unreadable(path, reason) from None
    if version > SCHEMA_VERSION:
        raise StoreVersionError(
            f"{path}: store has schema version {version}, but this scriptlens knows only up "
            f"to {SCHEMA_VERSION}; upgrade scriptlens to rebuild it"
        )
    return [LoggedImport(*row) for row in rows]


def _check_key(conn: sqlite3.Connection, path: Path, keyed: Keyed, key_file: Path) -> None:
    """Refuse a store written under another key: the people it forgot would not be found."""
    with contextlib.suppress(sqlite3.Error):  # unreadable: the workspace's key it is
        row = conn.execute("SELECT value FROM meta WHERE key = 'key_fingerprint'").fetchone()
        if row is not None and row[0] != keyed.fingerprint:
            raise SignalsError(
                f"{path}: store was written under another workspace key than {key_file}; "
                "rebuild it in that workspace"
            )


def _meta(conn: sqlite3.Connection, key: str) -> str:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.Error:
        return ""
    return str(row[0]) if row else ""


def _locate(logged: LoggedImport, workspace: Path) -> Source:
    if logged.options is None or logged.source is None:
        return Source(
            logged,
            None,
            None,
            "logged by an older scriptlens, which did not record the import's options "
            "(platform, episode, --map, ...), so it cannot be repeated",
        )
    try:
        options = ImportOptions.from_json(logged.options)
    except ValueError as error:
        return Source(logged, None, None, f"its logged options cannot be read ({error})")
    path = Path(logged.source)
    path = path if path.is_absolute() else workspace / path
    if not path.is_file():
        return Source(logged, path, options, f"missing: no file at {path}")
    try:
        digest = sha256_of(path)
    except OSError as error:
        return Source(logged, path, options, f"cannot be read ({error.strerror})")
    if digest != logged.sha256:
        return Source(
            logged, path, options, f"changed since it was imported on {logged.imported_at}"
        )
    return Source(logged, path, options, None)


def _kept_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables of ``KEPT`` that the old store has (an older one may lack some)."""
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error:
        return []
    return [name for name in KEPT if name in names]


def _count_readable(conn: sqlite3.Connection, table: str) -> KeptTable:
    """Every row read, not counted from the b-tree's summary: a damaged page shows only then."""
    rows = 0
    try:
        for _ in conn.execute(f'SELECT * FROM "{table}"'):
            rows += 1
    except sqlite3.Error as error:
        return KeptTable(table, 0, f"cannot be read ({error})")
    return KeptTable(table, rows, None)


def _require_forgotten(path: Path, kept: list[KeptTable]) -> list[KeptTable]:
    """``kept``, unless the people ``forget`` erased are among what was lost: the rebuild would
    bring their signals back."""
    for table in kept:
        if table.name == "forgotten" and table.problem is not None:
            raise SignalsError(
                f"{path}: the list of people `forget` erased {table.problem}, and a rebuild "
                "would bring their signals back; restore the store from a backup instead"
            )
    return kept


def _plan(conn: sqlite3.Connection, path: Path, state_dir: Path, keyed: Keyed) -> RebuildPlan:
    logged = _read_log(conn, path)
    _check_key(conn, path, keyed, state_dir / KEY_NAME)
    kept = _require_forgotten(path, [_count_readable(conn, table) for table in _kept_tables(conn)])
    workspace = state_dir.parent
    sources = [_locate(row, workspace) for row in logged]
    return RebuildPlan(path, sources, kept, _meta(conn, CAST_META))


def plan_rebuild(path: Path, state_dir: Path) -> RebuildPlan:
    """What ``rebuild_store`` would do with the store at ``path``: which logged imports it would
    repeat and which it cannot (and why), which tables it would keep; changes nothing."""
    _require_store(path)
    keyed = Keyed(load_key(state_dir))
    with _read_only(path) as conn:
        return _plan(conn, path, state_dir, keyed)


def _copy_table(old: sqlite3.Connection, store: Store, table: str) -> KeptTable:
    """Copy the old table's rows (the columns both stores have), or say why it failed."""
    new_columns = [row[1] for row in store.conn.execute(f'PRAGMA table_info("{table}")')]
    try:
        old_columns = {row[1] for row in old.execute(f'PRAGMA table_info("{table}")')}
        columns = [name for name in new_columns if name in old_columns]
        listed = ", ".join(f'"{name}"' for name in columns)
        rows = old.execute(f'SELECT {listed} FROM "{table}"')
        with store.db.atomic():
            copied = store.conn.executemany(
                f'INSERT INTO "{table}" ({listed}) VALUES ({", ".join("?" for _ in columns)})',
                rows,
            ).rowcount
    except sqlite3.Error as error:
        return KeptTable(table, 0, f"cannot be read ({error})")
    return KeptTable(table, copied, None)


def _repeat(
    store: Store, source: Source, progress: Callable[[Path], Progress | None] | None
) -> FileReport:
    assert source.path is not None and source.options is not None
    at = source.logged.imported_at
    if source.logged.format == "metrics":
        return import_metrics(store, source.path, source.options, logged_at=at)
    return import_signals(store, [source.path], source.options, progress, logged_at=at)[0]


def _erase_forgotten(store: Store) -> int:
    """Erase again the people ``forget`` erased, whose exports were just imported again."""
    digests = [row[0] for row in store.conn.execute("SELECT author FROM forgotten")]
    erased = 0
    with store.db.atomic():
        for start in range(0, len(digests), ERASE_BATCH):
            erased += erase_authors(store, digests[start : start + ERASE_BATCH])
    if erased:
        optimize_text_index(store)
    return erased


@dataclass
class RebuildResult:
    plan: RebuildPlan
    reports: list[tuple[Source, FileReport]]
    kept: list[KeptTable]
    forgotten_signals: int
    themes: int
    backup: Path = Path()  # where the old store was kept, once swapped


def _fill(
    old: sqlite3.Connection,
    store: Store,
    plan: RebuildPlan,
    settings: SignalSettings,
    cast: CastNames | None,
    progress: Callable[[Path], Progress | None] | None,
) -> RebuildResult:
    """The new store's content: the kept tables first (the forgotten people among them), then
    the imports in their order, the forgotten people's signals erased again, the themes."""
    kept = _require_forgotten(
        plan.path,
        [
            table if table.problem is not None else _copy_table(old, store, table.name)
            for table in plan.kept
        ],
    )
    if plan.cast_signature:  # the themes' cast, when the scripts' one is not given
        with store.db.atomic():
            store.set_meta(CAST_META, plan.cast_signature)
    reports = [(source, _repeat(store, source, progress)) for source in plan.repeatable]
    erased = _erase_forgotten(store)
    themes = build_themes(store, settings, cast)
    return RebuildResult(plan, reports, kept, erased, themes)


def _backup_name(path: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    backup = path.with_name(f"{path.name}.backup-{stamp}")
    number = 1
    while any(companion.exists() for companion in store_files(backup)):
        number += 1
        backup = path.with_name(f"{path.name}.backup-{stamp}-{number}")
    return backup


def _fsync(path: Path, flags: int = os.O_RDONLY) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_private(source: Path, target: Path) -> None:
    """A copy only the owner can read (0600, like the store), on disk before it is relied on."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as copy, source.open("rb") as original:
        shutil.copyfileobj(original, copy, COPY_CHUNK)
        copy.flush()
        os.fsync(copy.fileno())


def _keep_backup(path: Path) -> Path:
    """The old store (and its WAL, which holds part of its content) copied under a dated name
    beside it. Copied, not renamed: the store's file stays where connections have it open."""
    backup = _backup_name(path)
    _, wal, _ = store_files(path)
    _, backup_wal, _ = store_files(backup)
    try:
        _copy_private(path, backup)
        if wal.exists() and wal.stat().st_size:
            _copy_private(wal, backup_wal)
    except BaseException:
        for partial in (backup, backup_wal):
            partial.unlink(missing_ok=True)
        raise
    _fsync(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    return backup


def _swap(path: Path, building: Path) -> Path:
    """Keep the old store as a backup, then write the rebuilt one into the store's own file
    through SQLite's backup API, in one write transaction: connections that have the store open
    (the language server's) read the new content at their next query, as after any import, and
    a failure or a kill part way leaves the old content. Replacing the file by a rename instead
    would leave those connections on the old file, and SQLite, closing one of them, deletes the
    WAL by its name: the new store's."""
    backup = _keep_backup(path)
    try:
        rebuilt = sqlite3.connect(building)
        try:
            target = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                rebuilt.backup(target)
                # Fold the WAL into the file, as writers do when they end.
                with contextlib.suppress(sqlite3.OperationalError):  # a reader holds it
                    target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                target.close()
        finally:
            rebuilt.close()
    except BaseException:
        for kept in store_files(backup):
            kept.unlink(missing_ok=True)
        raise
    return backup


def rebuild_store(
    path: Path,
    state_dir: Path,
    settings: SignalSettings,
    cast: CastNames | None = None,
    *,
    skip_missing: bool = False,
    on_wait: Callable[[str], None] | None = None,
    progress: Callable[[Path], Progress | None] | None = None,
) -> RebuildResult:
    """Rebuild the store at ``path`` from the exports its import log names (see the module's
    docstring), with ``cast`` for the themes (None: the cast the old themes were built with).
    Raises ``RebuildRefused`` when some logged import cannot be repeated and ``skip_missing``
    is not set; the old store is then unchanged, as after any failure."""
    _require_store(path)
    lock = WriterLock.acquire(path, on_wait)
    try:
        keyed = Keyed(load_key(state_dir))
        building = path.with_name(path.name + ".rebuild")
        with _read_only(path) as old:
            plan = _plan(old, path, state_dir, keyed)
            if plan.unavailable and not skip_missing:
                raise plan.refusal()
            for leftover in store_files(building):
                leftover.unlink(missing_ok=True)  # of a rebuild that was killed
            try:
                create_store(building, state_dir, keyed)
                store = connect_store(building, state_dir, keyed, writable=True)
                try:
                    result = _fill(old, store, plan, settings, cast, progress)
                finally:
                    store.close()  # folds its WAL into the file
            except BaseException as error:
                for leftover in store_files(building):
                    leftover.unlink(missing_ok=True)
                raise _not_rebuilt(path, error) from None
        try:
            result.backup = _swap(path, building)
        except BaseException as error:
            raise _not_rebuilt(path, error) from None
        finally:
            for leftover in store_files(building):
                leftover.unlink(missing_ok=True)
        return result
    finally:
        lock.release()


def _not_rebuilt(path: Path, error: BaseException) -> BaseException:
    """What stopped the rebuild, as the user's error when the disk or a file was the cause
    (a full disk, an export gone since the plan); other errors as they are."""
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        reason = f"{where}{error.strerror or error}"
    elif isinstance(error, sqlite3.Error):
        reason = str(error)
    else:
        return error
    return SignalsError(f"{path}: not rebuilt, the old store is unchanged: {reason}")

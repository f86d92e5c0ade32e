"""Importing exports into the store: one transaction per import, so a bad row leaves the store
exactly as it was; duplicates (same platform and id, or same content) are ignored."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from scriptlens.signals.bilibili import read_bilibili
from scriptlens.signals.canonical import read_csv, read_jsonl
from scriptlens.signals.detect import PEEK, detect_format
from scriptlens.signals.errors import RowError, SignalsError
from scriptlens.signals.metrics import METRIC_COLUMNS, read_metrics
from scriptlens.signals.rows import STORED_COLUMNS, Defaults, RowMaker, SourceRow
from scriptlens.signals.store import Store, insert_sql
from scriptlens.signals.textio import OpenedExport, open_export
from scriptlens.signals.youtube import read_youtube

BATCH = 5_000
INSERT_SIGNAL = insert_sql("signals", STORED_COLUMNS, "INSERT OR IGNORE")
# Progress callback: bytes of the current file consumed so far.
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportOptions:
    format: str = "auto"
    defaults: Defaults = field(default_factory=Defaults)
    encoding: str | None = None
    column_map: Mapping[str, str] = field(default_factory=dict)
    skip_invalid: bool = False

    def to_json(self) -> str:
        """Every option, as the import log keeps it so that ``signals rebuild`` can repeat it."""
        return json.dumps(
            {
                "format": self.format,
                "defaults": asdict(self.defaults),
                "encoding": self.encoding,
                "map": dict(self.column_map),
                "skip_invalid": self.skip_invalid,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> ImportOptions:
        """The options ``to_json`` wrote; ValueError when ``text`` is not such a record."""
        try:
            raw = json.loads(text)
            return cls(
                format=str(raw["format"]),
                defaults=Defaults(**raw["defaults"]),
                encoding=raw["encoding"],
                column_map={str(key): str(value) for key, value in raw["map"].items()},
                skip_invalid=bool(raw["skip_invalid"]),
            )
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
            raise ValueError(f"not a record of import options: {error}") from None


@dataclass
class FileReport:
    path: Path
    format: str
    encoding: str
    rows_read: int = 0
    rows_added: int = 0
    skipped: list[RowError] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        return self.rows_read - self.rows_added - len(self.skipped)

    def refuse(self, line: int, reason: str, skip_invalid: bool) -> None:
        """Raise the row's error, or with ``--skip-invalid`` record it and go on."""
        error = RowError(self.path, line, reason)
        if not skip_invalid:
            raise error
        self.skipped.append(error)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def workspace_source(workspace: Path, path: Path) -> str:
    """``path`` as the import log records it: relative to the workspace when inside it (so it
    is found again after the workspace moved), else absolute."""
    for root, absolute in (
        (Path(os.path.abspath(workspace)), Path(os.path.abspath(path))),
        (workspace.resolve(), path.resolve()),  # one of them reached through a symbolic link
    ):
        if absolute.is_relative_to(root):
            return absolute.relative_to(root).as_posix()
    return str(path.resolve())


def _log_import(
    store: Store, path: Path, fmt: str, options: ImportOptions, logged_at: str | None
) -> int:
    cursor = store.conn.execute(
        "INSERT INTO imports (file, source, sha256, format, options, rows_read, rows_added, "
        "rows_skipped, imported_at) VALUES (?, ?, ?, ?, ?, 0, 0, 0, ?)",
        (
            str(path),
            workspace_source(store.workspace, path),
            sha256_of(path),
            fmt,
            options.to_json(),
            logged_at or _now(),
        ),
    )
    return int(cursor.lastrowid or 0)


def _finish_log(store: Store, import_id: int, report: FileReport) -> None:
    store.conn.execute(
        "UPDATE imports SET rows_read = ?, rows_added = ?, rows_skipped = ? WHERE id = ?",
        (report.rows_read, report.rows_added, len(report.skipped), import_id),
    )


def _source_rows(export: OpenedExport, fmt: str, options: ImportOptions) -> Iterator[SourceRow]:
    stream, path = export.text, export.path
    if fmt == "csv":
        return read_csv(stream, path, options.column_map)
    if fmt == "jsonl":
        return read_jsonl(stream, path, options.column_map)
    if options.column_map:
        raise SignalsError(f"{path}: --map applies to CSV and JSONL, not {fmt}")
    if fmt == "youtube":
        return read_youtube(stream, path)
    return read_bilibili(stream, path)


def _resolve_format(export: OpenedExport, requested: str) -> str:
    if requested != "auto":
        return requested
    head = export.text.read(PEEK)
    export.text.seek(0)
    return detect_format(head, export.path)


def _import_file(
    store: Store,
    path: Path,
    options: ImportOptions,
    progress: Progress | None,
    logged_at: str | None,
) -> FileReport:
    with open_export(path, options.encoding) as export:
        fmt = _resolve_format(export, options.format)
        report = FileReport(path, fmt, export.encoding)
        import_id = _log_import(store, path, fmt, options, logged_at)
        maker = RowMaker(store.keyed, options.defaults, import_id)
        conn = store.conn
        first_new = int(conn.execute("SELECT coalesce(max(id), 0) FROM signals").fetchone()[0])
        batch: list[tuple[object, ...]] = []
        for row in _source_rows(export, fmt, options):
            report.rows_read += 1
            problem = row.problem
            if problem is None:
                try:
                    batch.append(maker.make(row.fields))
                except ValueError as error:
                    problem = str(error)
            if problem is not None:
                report.refuse(row.line, problem, options.skip_invalid)
            if len(batch) >= BATCH:
                report.rows_added += conn.executemany(INSERT_SIGNAL, batch).rowcount
                batch.clear()
                if progress is not None:
                    progress(export.position())
        if batch:
            report.rows_added += conn.executemany(INSERT_SIGNAL, batch).rowcount
        # Index the new rows in one statement: far faster than a trigger per row.
        conn.execute(
            "INSERT INTO signals_fts (rowid, text) SELECT id, text FROM signals WHERE id > ?",
            (first_new,),
        )
        _finish_log(store, import_id, report)
        if progress is not None:
            progress(export.position())
        return report


def import_signals(
    store: Store,
    paths: list[Path],
    options: ImportOptions,
    progress: Callable[[Path], Progress | None] | None = None,
    *,
    logged_at: str | None = None,
) -> list[FileReport]:
    """Import every export in one transaction: all of them, or (on error) nothing.
    ``logged_at``: the time the import log gives (a rebuild keeps the original's), else now."""
    reports = []
    with store.db.atomic():
        for path in paths:
            advance = progress(path) if progress else None
            reports.append(_import_file(store, path, options, advance, logged_at))
        if any(report.rows_added for report in reports):
            store.bump_generation()
    return reports


INSERT_METRICS = insert_sql("episode_metrics", (*METRIC_COLUMNS, "import_id"), "INSERT OR REPLACE")


def import_metrics(
    store: Store, path: Path, options: ImportOptions, *, logged_at: str | None = None
) -> FileReport:
    """Episode metrics, replacing earlier figures for the same platform and episode."""
    snapshot = f"SELECT {', '.join(METRIC_COLUMNS)} FROM episode_metrics ORDER BY 1, 2"
    with open_export(path, options.encoding) as export, store.db.atomic():
        report = FileReport(path, "metrics", export.encoding)
        before = store.conn.execute(snapshot).fetchall()
        import_id = _log_import(store, path, "metrics", options, logged_at)
        for line, parsed in read_metrics(export.text, path, options.defaults.platform):
            report.rows_read += 1
            if isinstance(parsed, str):
                report.refuse(line, parsed, options.skip_invalid)
                continue
            store.conn.execute(INSERT_METRICS, (*parsed, import_id))
            report.rows_added += 1
        _finish_log(store, import_id, report)
        if store.conn.execute(snapshot).fetchall() != before:
            store.bump_generation()  # viewer shares of themes depend on views
    return report

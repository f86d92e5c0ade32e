"""``scriptlens signals rebuild``: a damaged store made again from the exports its import log
names (issue 12, item 7). Real processes of the installed CLI on real store files in temporary
workspaces, damaged as a disk would damage them."""

from __future__ import annotations

import json
import random
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from scriptlens.provenance.engine import Provenance
from scriptlens.signals import (
    ImportOptions,
    SignalsError,
    SignalSettings,
    import_signals,
    open_store,
    read_store,
)
from scriptlens.signals.canonical import parse_column_map
from scriptlens.signals.ingest import workspace_source
from scriptlens.signals.migrations import SCHEMA_VERSION, schema_version
from scriptlens.signals.rebuild import KEPT, plan_rebuild, rebuild_store
from scriptlens.signals.rows import Defaults
from scriptlens.signals.store import WriterLock
from signals_support import DOUYIN_MAP, EXPORTS
from test_reliability_store import (
    CLI,
    env,
    lines_of,
    make_workspace,
    run,
    start,
    store_path,
    wait_until,
)

EXAMPLE = EXPORTS.parent
SIGNAL_COLUMNS = (
    "uid, platform, kind, episode, posted_at, text, author, likes, replies, reposts, "
    "video_time, parent, lang, norm, import_id"
)
# What the imports and the theme build make, compared between an original and its rebuild
# (``imports`` without ``file``: the rebuild logs the path it read each export from).
MADE_AGAIN = {
    "signals": f"SELECT {SIGNAL_COLUMNS} FROM signals ORDER BY id",
    "signals_fts": "SELECT rowid, text FROM signals_fts ORDER BY rowid",
    "imports": "SELECT id, source, sha256, format, options, rows_read, rows_added, "
    "rows_skipped, imported_at FROM imports ORDER BY id",
    "episode_metrics": "SELECT * FROM episode_metrics ORDER BY platform, episode",
    "themes": "SELECT * FROM themes ORDER BY rank",
    "theme_episodes": "SELECT * FROM theme_episodes ORDER BY theme_id, episode",
    "theme_norms": "SELECT * FROM theme_norms ORDER BY norm",
}
DOUYIN_OPTIONS = ("--platform", "douyin", "--episode", "2", "--map", DOUYIN_MAP)
KEPT_QUERIES = {table: f"SELECT * FROM {table} ORDER BY 1, 2" for table in KEPT}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "room")


def rows(path: Path, query: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def ok(workspace: Path, *args: str) -> str:
    done = run(workspace, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def import_douyin(workspace: Path) -> None:
    """The example's Douyin export, with every option a rebuild must repeat."""
    ok(workspace, "import", "exports/douyin_ep2.csv", *DOUYIN_OPTIONS)


def damage(path: Path, seed: int = 12) -> bytes:
    """64 KB of seeded random bytes over the middle of the file, on a page boundary."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2 // 4096 * 4096)
        handle.write(random.Random(seed).randbytes(65536))
    return path.read_bytes()


def many_comments(workspace: Path, rows: int) -> None:
    with (workspace / "many.csv").open("w", encoding="utf-8") as handle:
        handle.write("id,text,author,episode\n")
        for n in range(rows):
            handle.write(f"m{n},comment number {n} about the slap,a{n % 997},{1 + n % 7}\n")


def backups(path: Path) -> list[Path]:
    """The dated backups of the store, without SQLite's companions of them."""
    found = path.parent.glob(f"{path.name}.backup-*")
    return sorted(backup for backup in found if not backup.name.endswith(("-wal", "-shm")))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_store_with_random_bytes_in_the_middle_is_rebuilt_with_the_same_signals_and_themes(
    workspace: Path,
) -> None:
    for script in EXAMPLE.glob("*.fountain"):  # the cast the themes are built with
        shutil.copy(script, workspace)
    shutil.copytree(EXAMPLE / "history", workspace / "history")
    ok(workspace, "import", "exports/comments.csv", "exports/kuaishou_ep3_gbk.csv")
    import_douyin(workspace)
    many_comments(workspace, 20_000)
    ok(workspace, "import", "many.csv", "--skip-invalid")
    ok(workspace, "import-metrics", "exports/metrics.csv", "--platform", "douyin")
    ok(workspace, "import", "exports/comments.csv")  # again: adds nothing, logged all the same
    assert "forgot 5 signal(s)" in ok(workspace, "forget", "--author", "wb_shipper_88")
    replayed = subprocess.run(
        [*CLI[:-1], "history", "replay"], cwd=workspace, env=env(), capture_output=True, text=True
    )
    assert "replayed 10 of 10" in replayed.stdout, replayed.stderr
    top = json.loads(ok(workspace, "themes", "--json", "--limit", "1"))["themes"][0]["id"]
    engine = Provenance(workspace)
    engine.dismiss("ep07.fountain", 19, top)
    engine.close()
    path = store_path(workspace)
    original = workspace / "original.db"
    shutil.copy(path, original)
    themes_before = ok(workspace, "themes", "--json", "--limit", "1000")
    assert all(rows(original, KEPT_QUERIES[table]) for table in KEPT)

    damaged = damage(path)
    refused = run(workspace, "import", "exports/comments.csv")
    assert refused.returncode == 2 and "`scriptlens signals rebuild`" in refused.stderr
    planned = run(workspace, "rebuild", "--dry-run")
    assert planned.returncode == 0, planned.stderr
    assert path.read_bytes() == damaged
    assert "6 logged import(s), in order:" in planned.stdout
    assert (
        "scriptlens signals import exports/douyin_ep2.csv --platform douyin --episode 2 --map "
        in planned.stdout
    )
    assert "scriptlens signals import many.csv --skip-invalid" in planned.stdout
    assert "scriptlens signals import-metrics exports/metrics.csv --platform douyin" in (
        planned.stdout
    )

    rebuilt = run(workspace, "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "many.csv: csv, utf-8: 20000 rows, 20000 added" in rebuilt.stdout
    assert "exports/comments.csv: csv, utf-8: 1644 rows, 0 added, 1644 duplicate" in rebuilt.stdout
    assert "revisions: 27 row(s) kept" in rebuilt.stdout
    assert "dismissals: 1 row(s) kept" in rebuilt.stdout
    assert "forgot again 5 signal(s) of forgotten people" in rebuilt.stdout
    (backup,) = backups(path)
    assert f"rebuilt {path} from 6 of 6 logged import(s); the old store is kept as {backup}" in (
        rebuilt.stdout
    )
    assert backup.read_bytes() == damaged
    assert _mode(backup) == 0o600 and _mode(path) == 0o600 and _mode(path.parent) == 0o700
    assert ok(workspace, "check").strip().endswith("signals.db: ok")
    for table, query in {**MADE_AGAIN, **KEPT_QUERIES}.items():
        assert rows(path, query) == rows(original, query), table
    assert ok(workspace, "themes", "--json", "--limit", "1000") == themes_before
    # the rebuilt store's log repeats as well as the original's did
    again = run(workspace, "rebuild", "--dry-run")
    assert again.returncode == 0 and again.stdout.replace(str(path), "") == planned.stdout.replace(
        str(path), ""
    )


def test_a_moved_or_changed_export_is_named_and_the_store_left_alone(workspace: Path) -> None:
    ok(workspace, "import", "exports/comments.csv")
    import_douyin(workspace)
    path = store_path(workspace)
    (workspace / "exports" / "old").mkdir()
    (workspace / "exports" / "comments.csv").rename(workspace / "exports" / "old" / "comments.csv")
    with (workspace / "exports" / "douyin_ep2.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    before = path.read_bytes()

    refused = run(workspace, "rebuild")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    missing, changed, verdict = refused.stderr.splitlines()
    assert missing == (
        f"exports/comments.csv: missing: no file at {workspace / 'exports' / 'comments.csv'}"
    )
    assert changed.startswith("exports/douyin_ep2.csv: changed since it was imported on 20")
    assert verdict == (
        f"{path}: not rebuilt, nothing was changed: 2 of 2 logged import(s) cannot be repeated; "
        "put the exports back where they were, or pass --skip-missing to rebuild without them "
        "(their signals are lost)"
    )
    assert path.read_bytes() == before
    assert backups(path) == [] and not path.with_name(path.name + ".rebuild").exists()
    planned = run(workspace, "rebuild", "--dry-run")
    assert planned.returncode == 2 and planned.stderr == refused.stderr
    assert "cannot be repeated: exports/comments.csv: missing: no file at" in planned.stdout

    (workspace / "exports" / "old" / "comments.csv").rename(workspace / "exports" / "comments.csv")
    skipped = run(workspace, "rebuild", "--skip-missing")
    assert skipped.returncode == 0, skipped.stderr
    assert "exports/douyin_ep2.csv: skipped, changed since it was imported" in skipped.stderr
    assert "from 1 of 2 logged import(s)" in skipped.stdout
    assert rows(path, "SELECT count(*) FROM signals") == [(1644,)]


def test_a_failing_rebuild_leaves_the_old_store_untouched(workspace: Path) -> None:
    ok(workspace, "import", "exports/comments.csv", "exports/kuaishou_ep3_gbk.csv")
    path = store_path(workspace)
    damaged = damage(path, seed=3)
    state = workspace / ".scriptlens"

    def stop_at_the_second_export(export: Path) -> None:
        if export.name == "kuaishou_ep3_gbk.csv":
            raise KeyboardInterrupt  # as Ctrl-C would, in the middle of the rebuild

    def take_the_second_export_away(export: Path) -> None:
        if export.name == "kuaishou_ep3_gbk.csv":
            export.rename(export.with_name("elsewhere.csv"))

    with pytest.raises(KeyboardInterrupt):
        rebuild_store(path, state, SignalSettings(), progress=stop_at_the_second_export)
    assert path.read_bytes() == damaged
    assert [p.name for p in state.iterdir() if "backup" in p.name or "rebuild" in p.name] == []
    gone = workspace / "exports" / "kuaishou_ep3_gbk.csv"
    with pytest.raises(SignalsError) as failed:
        rebuild_store(path, state, SignalSettings(), progress=take_the_second_export_away)
    assert str(failed.value) == (
        f"{path}: not rebuilt, the old store is unchanged: {gone}: No such file or directory"
    )
    assert path.read_bytes() == damaged
    assert [p.name for p in state.iterdir() if "backup" in p.name or "rebuild" in p.name] == []
    gone.with_name("elsewhere.csv").rename(gone)
    done = rebuild_store(path, state, SignalSettings())
    assert [report.rows_added for _, report in done.reports] == [1644, 142]
    assert done.backup.read_bytes() == damaged


def test_a_rebuild_killed_midway_leaves_the_old_store_and_the_next_one_finishes(
    workspace: Path,
) -> None:
    many_comments(workspace, 150_000)
    ok(workspace, "import", "many.csv")
    path = store_path(workspace)
    before = path.read_bytes()
    rebuilding = start(workspace, "rebuild")
    building = path.with_name(path.name + ".rebuild")
    wait_until(lambda: building.exists() or rebuilding.poll() is not None)
    rebuilding.send_signal(signal.SIGKILL)
    assert rebuilding.wait(timeout=30) == -signal.SIGKILL
    assert path.read_bytes() == before and backups(path) == []
    assert ok(workspace, "check").strip().endswith("signals.db: ok")
    assert "many.csv: csv, utf-8: 150000 rows, 150000 added" in ok(workspace, "rebuild")
    assert not building.exists()
    assert rows(path, "SELECT count(*) FROM signals") == [(150_000,)]


def test_imports_logged_before_the_log_kept_options_are_named(workspace: Path) -> None:
    ok(workspace, "import", "exports/comments.csv")
    path = store_path(workspace)
    # The store as the scriptlens before schema 5 left it: no sources, no options.
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TABLE forgotten")
        for column in ("source", "options"):
            conn.execute(f"ALTER TABLE imports DROP COLUMN {column}")
        conn.execute("PRAGMA user_version = 4")
    conn.close()
    import_douyin(workspace)
    assert rows(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert rows(path, "SELECT file, source, options IS NULL FROM imports ORDER BY id") == [
        ("exports/comments.csv", None, 1),
        ("exports/douyin_ep2.csv", "exports/douyin_ep2.csv", 0),
    ]
    refused = run(workspace, "rebuild")
    assert refused.returncode == 2
    assert refused.stderr.splitlines()[0] == (
        "exports/comments.csv: logged by an older scriptlens, which did not record the "
        "import's options (platform, episode, --map, ...), so it cannot be repeated"
    )
    assert "1 of 2 logged import(s) cannot be repeated" in refused.stderr
    assert "from 1 of 2 logged import(s)" in ok(workspace, "rebuild", "--skip-missing")
    assert rows(path, "SELECT count(*) FROM signals") == [(40,)]


def test_a_store_whose_import_log_cannot_be_read_is_said_so(workspace: Path) -> None:
    path = store_path(workspace)
    path.parent.mkdir()
    path.write_bytes(b"these are not the bytes of a database\n" * 200)
    for command in (["rebuild"], ["rebuild", "--dry-run"]):
        done = run(workspace, *command)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert done.stderr == (
            f"{path}: its import log cannot be read (not an SQLite database), so there is "
            "nothing to rebuild it from; restore it from a backup, or move it aside and import "
            "the exports again\n"
        )
    assert path.read_bytes() == b"these are not the bytes of a database\n" * 200
    nowhere = run(workspace, "rebuild", "--db", "nowhere.db")
    assert nowhere.returncode == 2
    assert "nowhere.db: no signal store here; nothing to rebuild" in nowhere.stderr
    fresh = make_workspace(workspace.parent / "fresh")
    for command in (["rebuild"], ["rebuild", "--dry-run"]):
        done = run(fresh, *command)
        assert done.returncode == 2 and done.stderr == (
            f"{store_path(fresh)}: no signal store here; nothing to rebuild\n"
        )
    assert not (fresh / ".scriptlens").exists()  # nothing made for nothing


def test_rebuild_waits_for_the_writer_lock(workspace: Path) -> None:
    ok(workspace, "import", "exports/comments.csv")
    path = store_path(workspace)
    lock = WriterLock.acquire(path)
    try:
        rebuilding = start(workspace, "rebuild")
        said, reader = lines_of(rebuilding)
        wait_until(lambda: any("waiting for another scriptlens command" in s for s in said))
        assert rebuilding.poll() is None and backups(path) == []
    finally:
        lock.release()
    assert rebuilding.wait(timeout=60) == 0
    reader.join(timeout=10)
    assert len(backups(path)) == 1


def test_a_rebuild_from_a_sound_store_through_the_python_api(tmp_path: Path) -> None:
    """The same functions the CLI calls; a second rebuild in the same second gets its own
    backup name."""
    state = tmp_path / ".scriptlens"
    path = state / "signals.db"
    options = ImportOptions(
        defaults=Defaults(platform="douyin", episode=2),
        encoding="utf-8",
        column_map=parse_column_map(DOUYIN_MAP),
    )
    with open_store(path, state) as store:
        import_signals(store, [EXPORTS / "douyin_ep2.csv"], options)
    plan = plan_rebuild(path, state)
    assert [source.options for source in plan.sources] == [options]
    assert [source.path for source in plan.sources] == [EXPORTS / "douyin_ep2.csv"]
    first = rebuild_store(path, state, SignalSettings())
    second = rebuild_store(path, state, SignalSettings())
    assert first.backup != second.backup and len(backups(path)) == 2
    assert rows(path, "SELECT count(*) FROM signals") == [(40,)]


def test_every_table_of_the_store_is_made_again_or_kept(tmp_path: Path) -> None:
    """A table a later schema step adds must be placed: made by imports, or kept by a rebuild."""
    with open_store(tmp_path / "signals.db", tmp_path) as store:
        assert schema_version(store.db) == SCHEMA_VERSION
        tables = {
            name
            for name in store.db.table_names()
            if not name.startswith(("signals_fts_", "themes_fts_"))
        }
    assert tables - set(KEPT) == set(MADE_AGAIN) | {"meta", "themes_fts"}


def test_import_options_round_trip_through_the_log() -> None:
    options = ImportOptions(
        format="csv",
        defaults=Defaults(platform="douyin", episode=4),
        encoding="gb18030",
        column_map={"text": "内容", "likes": "digg_count"},
        skip_invalid=True,
    )
    assert ImportOptions.from_json(options.to_json()) == options
    assert ImportOptions.from_json(ImportOptions().to_json()) == ImportOptions()
    for broken in ("", "{}", '{"format": "csv"}', "[1]"):
        with pytest.raises(ValueError, match="not a record of import options"):
            ImportOptions.from_json(broken)


def test_sources_are_logged_relative_to_the_workspace(tmp_path: Path) -> None:
    inside = tmp_path / "room" / "exports" / "a.csv"
    assert workspace_source(tmp_path / "room", inside) == "exports/a.csv"
    outside = tmp_path / "elsewhere" / "a.csv"
    assert workspace_source(tmp_path / "room", outside) == str(outside.resolve())
    (tmp_path / "link").symlink_to(tmp_path / "room")
    assert workspace_source(tmp_path / "room", tmp_path / "link" / "exports" / "a.csv") == (
        "exports/a.csv"
    )


def test_a_store_left_with_its_wal_is_kept_whole_in_the_backup(workspace: Path) -> None:
    """A process killed after its commit leaves part of the store in the WAL: the rebuild reads
    it without folding it into the old file, and the backup keeps it beside it."""
    path = store_path(workspace)
    state = workspace / ".scriptlens"
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; from pathlib import Path; "
            "from scriptlens.signals import ImportOptions, import_signals, open_store; "
            f"store = open_store(Path({str(path)!r}), Path({str(state)!r})); "
            f"import_signals(store, [Path({str(EXPORTS / 'comments.csv')!r})], ImportOptions()); "
            "os._exit(0)",
        ],
        check=False,
    )
    assert killed.returncode == 0
    wal = path.with_name(path.name + "-wal")
    before = (path.read_bytes(), wal.read_bytes())
    assert before[1], "the commit is still in the WAL"
    assert "scriptlens signals import " in ok(workspace, "rebuild", "--dry-run")
    assert (path.read_bytes(), wal.read_bytes()) == before
    ok(workspace, "rebuild")
    (backup,) = backups(path)
    assert (backup.read_bytes(), backup.with_name(backup.name + "-wal").read_bytes()) == before
    assert _mode(backup.with_name(backup.name + "-wal")) == 0o600
    assert rows(backup, "SELECT count(*) FROM signals") == [(1644,)]
    assert rows(path, "SELECT count(*) FROM signals") == [(1644,)]


def _pages_of(path: Path, table: str) -> list[int]:
    try:
        found = rows(path, f"SELECT pageno FROM dbstat WHERE name = '{table}'")
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table")
    return [int(page) for (page,) in found]


def _damage_table(path: Path, table: str) -> None:
    """Random bytes over every page of one table, and only those."""
    (page_size,) = rows(path, "PRAGMA page_size")[0]
    noise = random.Random(table)
    with path.open("r+b") as handle:
        for page in _pages_of(path, table):
            handle.seek((page - 1) * int(str(page_size)))
            handle.write(noise.randbytes(int(str(page_size))))


@pytest.mark.parametrize(
    ("table", "outcome"),
    [
        (
            "dismissals",
            "dismissals: lost, cannot be read (database disk image is malformed); "
            "dismiss those motivations again",
        ),
        (
            "forgotten",
            "the list of people `forget` erased cannot be read (database disk image "
            "is malformed), and a rebuild would bring their signals back",
        ),
        (
            "imports",
            "its import log cannot be read (database disk image is malformed), so "
            "there is nothing to rebuild it from",
        ),
    ],
)
def test_what_a_damaged_table_costs_is_said(workspace: Path, table: str, outcome: str) -> None:
    shutil.copy(EXAMPLE / "ep07.fountain", workspace)
    ok(workspace, "import", "exports/comments.csv")
    ok(workspace, "forget", "--author", "wb_shipper_88")
    top = json.loads(ok(workspace, "themes", "--json", "--limit", "1"))["themes"][0]["id"]
    engine = Provenance(workspace)
    engine.dismiss("ep07.fountain", 19, top)
    engine.close()
    path = store_path(workspace)
    _damage_table(path, table)
    damaged = path.read_bytes()
    done = run(workspace, "rebuild")
    assert outcome in done.stdout + done.stderr
    if table == "dismissals":
        assert done.returncode == 0, done.stderr
        assert "forgotten: 1 row(s) kept" in done.stdout
        assert rows(path, "SELECT count(*) FROM dismissals") == [(0,)]
    else:
        assert done.returncode == 2 and path.read_bytes() == damaged and backups(path) == []


def test_a_reader_open_during_the_rebuild_reads_the_rebuilt_store(workspace: Path) -> None:
    """As the language server's cached connection does: the rebuilt content is written into the
    store's own file, so the reader sees it at its next query, and closing the reader later
    takes nothing from the rebuilt store (a renamed-in file lost its WAL that way)."""
    ok(workspace, "import", "exports/comments.csv")
    ok(workspace, "import", "exports/kuaishou_ep3_gbk.csv")
    path = store_path(workspace)
    inode = path.stat().st_ino
    reader = read_store(path, workspace / ".scriptlens")
    count = "SELECT count(*) FROM signals"
    assert reader.conn.execute(count).fetchone() == (1786,)
    (workspace / "exports" / "comments.csv").unlink()
    assert "from 1 of 2 logged import(s)" in ok(workspace, "rebuild", "--skip-missing")
    assert reader.conn.execute(count).fetchone() == (142,)
    assert path.stat().st_ino == inode
    writer = start(workspace, "import", "exports/douyin_ep2.csv", *DOUYIN_OPTIONS)
    reader.close()
    assert writer.wait(timeout=60) == 0
    assert ok(workspace, "check").strip().endswith("signals.db: ok")
    assert rows(path, count) == [(182,)]

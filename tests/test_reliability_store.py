"""Issue 12, items 1, 2, 3, 7 and 8: the signal store under concurrent commands, kills, damage
and hostile text. Real processes of the installed CLI on real store files in temporary
workspaces, because the failures were races between processes."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scriptlens.signals import (
    DamagedStoreError,
    ImportOptions,
    RowError,
    import_signals,
    open_store,
    read_store,
)
from signals_support import EXPORTS, FIXTURES

CLI = [sys.executable, "-c", "from scriptlens.cli import main; main()", "signals"]
BAD_ROW = "likes 'lots' is not a count"


def make_workspace(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(EXPORTS, root / "exports")
    (root / "scriptlens.toml").write_text("[signals]\n", "utf-8")
    return root


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "room")


def env() -> dict[str, str]:
    clean = {key: value for key, value in os.environ.items() if key != "SCRIPTLENS_DB"}
    return {**clean, "PYTHONIOENCODING": "utf-8"}


def start(workspace: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, *args],
        cwd=workspace,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], cwd=workspace, env=env(), capture_output=True, text=True, check=False
    )


def store_path(workspace: Path) -> Path:
    return workspace / ".scriptlens" / "signals.db"


def signal_count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM signals").fetchone()[0])


def large_export_with_an_early_bad_row(path: Path, rows: int = 1_500_000) -> Path:
    """A large export (about 60 MB) whose third line is bad: reading it (hashing it for the
    import log) takes a while before the bad row is met."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id,text,likes,episode\nb1,the slap,3,1\nb2,the nurse did it,lots,1\n")
        handle.writelines(f"b{n},more of the same comment text,1,1\n" for n in range(3, rows))
    return path


def has_open(pid: int, path: Path) -> bool:
    """Whether process ``pid`` has ``path`` open (Linux /proc)."""
    fds = Path(f"/proc/{pid}/fd")
    try:
        return any(os.path.realpath(fd) == str(path) for fd in fds.iterdir())
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return False


def lines_of(process: subprocess.Popen[str]) -> tuple[list[str], threading.Thread]:
    """Collects a process's stderr lines as they come."""
    seen: list[str] = []
    assert process.stderr is not None
    stream = process.stderr

    def collect() -> None:
        for line in stream:
            seen.append(line)

    reader = threading.Thread(target=collect, daemon=True)
    reader.start()
    return seen, reader


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux /proc")
def test_failed_first_import_never_deletes_a_store_another_import_committed_to(
    workspace: Path,
) -> None:
    """The issue's reproduction, made deterministic: import B, on a large export with a bad
    early row, creates the store and starts reading; B is held (SIGSTOP) while it reads, and
    import A of the example's comments starts 0.4 s later; B then fails. Before the fix A
    reported 1644 signals imported and B's failure deleted the store holding them."""
    export = large_export_with_an_early_bad_row(workspace / "large.csv").resolve()
    b = start(workspace, "import", "large.csv", "--encoding", "utf-8")
    try:
        wait_until(lambda: has_open(b.pid, export) or b.poll() is not None)
        os.kill(b.pid, signal.SIGSTOP)
        assert b.poll() is None and store_path(workspace).exists()
        time.sleep(0.4)
        a = start(workspace, "import", "exports/comments.csv")
        a_err, a_reader = lines_of(a)
        # A either finishes (it did not wait for B) or says that it waits for B.
        wait_until(lambda: a.poll() is not None or any("waiting" in line for line in a_err))
    finally:
        os.kill(b.pid, signal.SIGCONT)
    _, b_err = b.communicate(timeout=120)
    assert a.wait(timeout=120) == 0, "".join(a_err)
    a_reader.join(timeout=5)
    a_out = a.stdout.read() if a.stdout else ""
    assert b.returncode == 2 and f"large.csv:3: {BAD_ROW}" in b_err, b_err
    assert "imported 1644 new signal(s)" in a_out
    stats = run(workspace, "stats")
    assert stats.returncode == 0, stats.stderr
    assert "signals: 1644 from" in stats.stdout
    assert any("waiting for another scriptlens command" in line for line in a_err)


def test_a_failed_import_through_the_python_api_removes_only_the_empty_store_it_made(
    tmp_path: Path,
) -> None:
    state = tmp_path / ".scriptlens"
    path = state / "signals.db"
    with pytest.raises(RowError), open_store(path, state) as store:
        import_signals(store, [FIXTURES / "malformed.csv"], ImportOptions())
    assert not path.exists() and not path.with_name("signals.db-wal").exists()
    with open_store(path, state) as store:
        import_signals(store, [EXPORTS / "comments.csv"], ImportOptions())
    with pytest.raises(RowError), open_store(path, state) as store:
        import_signals(store, [FIXTURES / "malformed.csv"], ImportOptions())
    assert signal_count(path) == 1644


def test_python_api_writer_waits_for_the_writer_lock_and_says_so(tmp_path: Path) -> None:
    state = tmp_path / ".scriptlens"
    path = state / "signals.db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from scriptlens.signals import open_store; "
            f"store = open_store(Path({str(path)!r}), Path({str(state)!r})); "
            "print('holding', flush=True); time.sleep(1.0); store.close()",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    said: list[str] = []
    began = time.monotonic()
    with open_store(path, state, on_wait=said.append) as store:
        waited = time.monotonic() - began
        import_signals(store, [EXPORTS / "comments.csv"], ImportOptions())
    assert holder.wait(timeout=30) == 0
    assert len(said) == 1 and f"{path}: waiting for another scriptlens command" in said[0]
    assert f"(process {holder.pid})" in said[0]
    assert waited > 0.3


def test_reads_neither_write_nor_wait_for_a_writer(workspace: Path) -> None:
    assert run(workspace, "import", "exports/comments.csv").returncode == 0
    # A writer holds the lock for the whole of this test: reads still answer at once.
    with open_store(store_path(workspace), workspace / ".scriptlens"):
        for command in ("stats", "themes"):
            done = run(workspace, command)
            assert done.returncode == 0 and done.stderr == "", done.stderr
    with (
        read_store(store_path(workspace), workspace / ".scriptlens") as store,
        pytest.raises(sqlite3.OperationalError, match="readonly database"),
    ):
        store.conn.execute("DELETE FROM signals")


def _make_themes_stale(path: Path) -> None:
    """What a kill between an import's commit and its theme rebuild leaves behind."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
    conn.close()  # the last connection folds the WAL into the file


def test_stale_themes_are_reported_by_reads_and_rebuilt_only_by_a_writer(
    workspace: Path,
) -> None:
    assert run(workspace, "import", "exports/comments.csv").returncode == 0
    path = store_path(workspace)
    _make_themes_stale(path)
    before = path.read_bytes()
    for command in ("stats", "themes"):
        done = run(workspace, command)
        assert done.returncode == 0
        assert "themes predate the latest signals" in done.stderr
        assert "signals rebuild-themes" in done.stderr
    assert path.read_bytes() == before  # the reads rebuilt nothing
    rebuilt = run(workspace, "rebuild-themes")
    assert rebuilt.returncode == 0, rebuilt.stderr
    after = run(workspace, "stats")
    assert after.stderr == ""
    themes = next(line for line in after.stdout.splitlines() if line.startswith("themes: "))
    assert rebuilt.stdout == f"themes: {themes.split()[1]} rebuilt\n"
    again = run(workspace, "rebuild-themes")
    assert again.returncode == 0 and again.stdout.strip() == "themes: up to date"


def _group(root: Path, stats_runs: int) -> Iterator[subprocess.Popen[str]]:
    """One writers' room: two imports of different exports into one fresh workspace, and
    `stats` run again and again meanwhile."""
    yield start(root, "import", "exports/comments.csv")
    yield start(root, "import", "exports/kuaishou_ep3_gbk.csv")
    for _ in range(stats_runs):
        yield start(root, "stats")


def test_concurrent_imports_and_reads_in_several_workspaces_never_crash(tmp_path: Path) -> None:
    """Six groups at once on a shared machine made most runs fail before the fix: tracebacks
    ending in "database is locked" from schema setup, the import log and the theme rebuild."""
    rooms = [make_workspace(tmp_path / f"room{n}") for n in range(6)]
    processes = [process for room in rooms for process in _group(room, stats_runs=3)]
    results = [(process, *process.communicate(timeout=240)) for process in processes]
    for process, out, err in results:
        assert "Traceback" not in err and "database is locked" not in err, err
        if process.args[-1] == "stats":
            # Before the first import commits there is no store yet: a truthful answer.
            assert process.returncode == 0 or "no signal store yet" in err, err
        else:
            assert process.returncode == 0, err
            assert "imported" in out
    for room in rooms:
        assert signal_count(store_path(room)) == 1644 + 142
        final = run(room, "stats")
        assert final.returncode == 0 and final.stderr == "", final.stderr
        assert "signals: 1786 from" in final.stdout


def _store_with_many_signals(workspace: Path, rows: int = 20_000) -> Path:
    export = workspace / "many.csv"
    with export.open("w", encoding="utf-8") as handle:
        handle.write("id,text,author,episode\n")
        for n in range(rows):
            handle.write(f"m{n},comment number {n} about the slap,a{n % 997},{1 + n % 7}\n")
    done = run(workspace, "import", "many.csv")
    assert done.returncode == 0, done.stderr
    return store_path(workspace)


def test_random_bytes_in_the_middle_of_a_store_are_refused_before_any_write(
    workspace: Path,
) -> None:
    path = _store_with_many_signals(workspace)
    size = path.stat().st_size
    assert size > 4 * 65536
    noise = random.Random(12).randbytes(65536)
    with path.open("r+b") as handle:
        handle.seek(size // 2 // 4096 * 4096)
        handle.write(noise)
    damaged = path.read_bytes()
    done = run(workspace, "import", "exports/comments.csv")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "signals.db: the signal store is damaged (" in done.stderr
    assert "Rebuild it from the exports its import log names (`scriptlens signals rebuild`" in (
        done.stderr
    )
    assert "restore it from a backup" in done.stderr and "signals check" in done.stderr
    assert path.read_bytes() == damaged  # nothing was written into it
    check = run(workspace, "check")
    assert check.returncode == 1
    assert "damaged; rebuild it from the exports its import log names" in check.stdout
    assert "`scriptlens signals rebuild`" in check.stdout


def test_a_file_that_is_not_a_database_gets_a_message_not_a_traceback(workspace: Path) -> None:
    path = store_path(workspace)
    path.parent.mkdir()
    path.write_bytes(b"these are not the bytes of a database\n" * 200)
    for command in (["stats"], ["themes"], ["import", "exports/comments.csv"]):
        done = run(workspace, *command)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert "the signal store is damaged (not an SQLite database)" in done.stderr
    check = run(workspace, "check")
    assert check.returncode == 1 and "not an SQLite database" in check.stdout
    # A damaged page past a sound header: SQLite's own complaint, named.
    sound = _store_with_many_signals(make_workspace(workspace / "other"))
    blob = bytearray(sound.read_bytes())
    blob[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(blob))
    done = run(workspace, "stats")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "the signal store is damaged" in done.stderr


def test_a_zero_byte_store_is_not_silently_reinitialised(workspace: Path) -> None:
    path = store_path(workspace)
    path.parent.mkdir()
    path.touch()
    done = run(workspace, "import", "exports/comments.csv")
    assert done.returncode == 2 and "the file is empty (0 bytes)" in done.stderr
    assert path.stat().st_size == 0
    with pytest.raises(DamagedStoreError, match="empty"):
        read_store(path, path.parent)


def test_signals_check_on_a_sound_store(workspace: Path) -> None:
    assert run(workspace, "import", "exports/comments.csv").returncode == 0
    done = run(workspace, "check")
    assert done.returncode == 0 and done.stdout.strip().endswith("signals.db: ok")
    missing = run(workspace, "check", "--db", "nowhere.db")
    assert missing.returncode == 2 and "no signal store yet" in missing.stderr


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_folder_and_files_are_owner_only(tmp_path: Path) -> None:
    state = tmp_path / ".scriptlens"
    path = state / "signals.db"
    old_umask = os.umask(0o022)
    try:
        with open_store(path, state) as store:
            import_signals(store, [EXPORTS / "comments.csv"], ImportOptions())
            for companion in ("signals.db", "signals.db-wal", "signals.db-shm", "signals.lock"):
                assert _mode(state / companion) == 0o600, companion
        assert _mode(state) == 0o700
        # A store left world-readable by an older scriptlens is tightened when written to.
        path.chmod(0o644)
        state.chmod(0o755)
        with open_store(path, state):
            pass
        assert _mode(path) == 0o600 and _mode(state) == 0o700
    finally:
        os.umask(old_umask)


HOSTILE = (
    "id,text,author,episode\n"
    'h1,"=HYPERLINK(""http://evil.example"",""click"")",a1,1\n'
    "h2,+SUM(1;2) is my favourite scene,a2,1\n"
    "h3,-2+3 she said,a3,1\n"
    'h4,"\x1b[2J\x1b[31mred alert\x1b[0m",a4,1\n'
    'h5,"\u202eevil reversed",a5,1\n'
)


def test_text_from_exports_is_escaped_in_human_output(workspace: Path) -> None:
    (workspace / "hostile.csv").write_text(HOSTILE, "utf-8")
    assert run(workspace, "import", "hostile.csv").returncode == 0
    done = run(workspace, "themes")
    assert done.returncode == 0
    assert "\x1b" not in done.stdout and "\u202e" not in done.stdout
    assert "\\x1b[31mred alert" in done.stdout and "\\u202eevil reversed" in done.stdout
    for formula in ("=HYPERLINK", "+SUM", "-2+3"):
        assert f"'{formula}" in done.stdout and f" {formula}" not in done.stdout


def test_skip_invalid_survives_one_oversized_csv_field(workspace: Path) -> None:
    huge = "x" * 200_000
    (workspace / "oversized.csv").write_text(
        f"id,text,episode\no1,fine,1\no2,{huge},1\no3,also fine,1\n", "utf-8"
    )
    done = run(workspace, "import", "oversized.csv", "--skip-invalid")
    assert done.returncode == 0, done.stderr
    assert "oversized.csv:3: CSV: field larger than field limit" in done.stderr
    assert "3 rows, 2 added, 0 duplicate, 1 skipped" in done.stdout
    strict = run(workspace, "import", "oversized.csv", "--db", "strict.db")
    assert strict.returncode == 2
    assert strict.stderr.strip().startswith("oversized.csv:3: CSV: field larger than")

"""A long-lived reader of the signal store (the language server's) keeps reading it correctly
while this process and the CLI, in another process, write to it: opening a store for writing
never drops the reader's SQLite locks, and a cached connection that fails anyway is reopened."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from scriptlens.lsp.store import StoreAccess
from scriptlens.provenance.history import record_revision
from scriptlens.signals import Store, default_db_path, open_store, read_store

ROUNDS = 3
FILES = 8
CLI = [sys.executable, "-c", "from scriptlens.cli import main; main()"]


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SCRIPTLENS_DB", raising=False)
    (tmp_path / "scriptlens.toml").write_text('[provenance]\nhistory = "snapshots"\n', "utf-8")
    return tmp_path


def revisions(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM revisions").fetchone()[0])


def write_here(root: Path) -> None:
    """A write from this process, as the server's own (a save's snapshot, a dismissal)."""
    with open_store(default_db_path(root), root / ".scriptlens") as store:
        record_revision(store, "server.fountain", f"INT. ROOM\n\n{os.urandom(2000).hex()}\n")


def snapshot_from_the_cli(root: Path) -> None:
    """``scriptlens snapshot`` in another process, over scripts that all changed."""
    for number in range(FILES):
        text = f"INT. ROOM {number}\n\n{os.urandom(2000).hex()}\n"
        (root / f"ep{number:02}.fountain").write_text(text, "utf-8")
    env = {key: value for key, value in os.environ.items() if key != "SCRIPTLENS_DB"}
    done = subprocess.run(
        [*CLI, "snapshot"], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def write_in_turns(root: Path, read: Callable[[], int]) -> None:
    """Writes from here and from the CLI, in turns, each followed by a read of the count."""
    expected = read()
    for _ in range(ROUNDS):
        write_here(root)
        snapshot_from_the_cli(root)
        expected += 1 + FILES
        assert read() == expected


def test_a_reader_keeps_reading_while_this_process_and_the_cli_write(root: Path):
    write_here(root)
    reader = read_store(default_db_path(root), root / ".scriptlens")
    try:
        write_in_turns(root, lambda: revisions(reader))
    finally:
        reader.close()


def test_the_servers_reader_reopens_a_connection_gone_stale(root: Path):
    write_here(root)
    access = StoreAccess()
    path = default_db_path(root)

    def read() -> int:
        # Something in this process reading the file (a backup, an antivirus hook) drops the
        # POSIX locks of its SQLite connections, as a plain open and close of it does.
        path.read_bytes()
        found = asyncio.run(access.read(root, revisions))
        assert found is not None
        return found

    write_in_turns(root, read)

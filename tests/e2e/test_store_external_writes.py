"""The server goes on reading the store while the CLI, in other processes, writes to it: the
server creates the store by importing, then `scriptlens signals import` and `scriptlens history
replay` write to it between the server's own imports. Before the fix, the server's connections
lost their SQLite locks when it opened the store to write, the CLI then deleted the WAL and its
index under them, and the server went on reading a stale store ("database disk image is
malformed" in a VS Code session, here a signal count short of the CLI's last import)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from lsp_support import open_file
from lsprotocol import types
from pytest_lsp import LanguageClient

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "micro-drama"
CLI = [sys.executable, "-c", "from scriptlens.cli import main; main()"]


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example series, without a store yet."""
    monkeypatch.delenv("SCRIPTLENS_DB", raising=False)
    root = tmp_path / "micro-drama"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".scriptlens"))
    return root


def cli(root: Path, *args: str) -> None:
    env = {key: value for key, value in os.environ.items() if key != "SCRIPTLENS_DB"}
    done = subprocess.run(
        [*CLI, *args], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def signals_in(root: Path) -> int:
    """The signals in the store, as a new connection reads them."""
    with closing(sqlite3.connect(root / ".scriptlens" / "signals.db")) as connection:
        return int(connection.execute("SELECT count(*) FROM signals").fetchone()[0])


async def _command(client: LanguageClient, command: str, argument: object) -> object:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command, arguments=[argument])
    )


async def test_the_server_reads_the_store_after_the_cli_wrote_it(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep07.fountain")
    explain = {"uri": uri, "line": 18}
    exports = workspace / "exports"
    by_the_server = [
        ("bilibili_ep1_danmaku.xml", 1),
        ("bilibili_ep3_danmaku.xml", 3),
        ("bilibili_ep4_danmaku.xml", 4),
    ]
    by_the_cli = [
        ("exports/comments.csv",),
        ("exports/kuaishou_ep3_gbk.csv",),
        ("exports/youtube_ep7_commentThreads.json", "--episode", "7"),
    ]
    for turn, ((ours, our_episode), theirs) in enumerate(
        zip(by_the_server, by_the_cli, strict=True)
    ):
        imported = await _command(
            client,
            "scriptlens.importSignals",
            {"paths": [str(exports / ours)], "episode": our_episode, "platform": None},
        )
        assert isinstance(imported, dict) and imported["added"] > 0
        assert isinstance(await _command(client, "scriptlens.explainLine", explain), dict)
        cli(workspace, "signals", "import", *theirs)
        if turn == 0:
            cli(workspace, "history", "replay", "history")
        answer = await _command(client, "scriptlens.explainLine", explain)
        assert isinstance(answer, dict) and answer["explanation"]["line"] == 18
        status = await _command(client, "scriptlens.status", {"uri": uri})
        assert isinstance(status, dict) and status["signals"] == signals_in(workspace)

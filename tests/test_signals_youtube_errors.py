"""Structurally odd YouTube commentThreads JSON: a clear ``file:line: $.path: reason``, never a
traceback; the store unchanged, or with ``--skip-invalid`` the bad thread skipped whole."""

from __future__ import annotations

import os
import pty
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scriptlens.cli import main
from scriptlens.signals import ImportOptions, RowError, import_signals
from scriptlens.signals.rows import Defaults
from signals_support import EXPORTS, FIXTURES, store_in, table_dump

# Each fixture holds one good thread (a comment and a reply) and then one malformed part.
CASES = [
    (
        "youtube_replies_not_object.json",
        43,
        "$.items[1].replies: expected an object, found a string",
    ),
    (
        "youtube_snippet_not_object.json",
        43,
        "$.items[1].snippet: expected an object, found an array",
    ),
    (
        "youtube_reply_snippet_not_object.json",
        43,
        "$.items[1].replies.comments[0].snippet: expected an object, found a string",
    ),
    ("youtube_no_top_level_comment.json", 43, "$.items[1].snippet.topLevelComment is missing"),
    (
        "youtube_like_count_string.json",
        43,
        "$.items[1].snippet.topLevelComment.snippet.likeCount: expected an integer, found a string",
    ),
    ("youtube_thread_not_object.json", 41, "$.items[1]: expected an object, found a string"),
    ("youtube_items_not_list.json", 46, "$[1].items: expected an array, found an object"),
]
EPISODE_1 = ImportOptions(defaults=Defaults(episode=1))


@pytest.mark.parametrize(("name", "line", "reason"), CASES)
def test_malformed_thread_aborts_with_file_line_and_path(
    tmp_path: Path, name: str, line: int, reason: str
) -> None:
    with store_in(tmp_path) as store:
        import_signals(store, [EXPORTS / "comments.csv"], ImportOptions())
        before = table_dump(store)
        with pytest.raises(RowError) as error:
            import_signals(store, [FIXTURES / name], EPISODE_1)
        assert str(error.value) == f"{FIXTURES / name}:{line}: {reason}"
        assert table_dump(store) == before


@pytest.mark.parametrize(("name", "line", "reason"), CASES)
def test_skip_invalid_skips_the_malformed_thread_whole(
    tmp_path: Path, name: str, line: int, reason: str
) -> None:
    with store_in(tmp_path) as store:
        [report] = import_signals(
            store, [FIXTURES / name], ImportOptions(defaults=Defaults(episode=1), skip_invalid=True)
        )
        assert [(skip.line, skip.reason) for skip in report.skipped] == [(line, reason)]
        assert (report.rows_read, report.rows_added) == (3, 2)
        texts = [row[0] for row in store.conn.execute("SELECT text FROM signals ORDER BY id")]
        assert texts == ["The twist in the last scene!", "Saw it coming"]


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "scriptlens.toml").write_text("[signals]\n", "utf-8")
    shutil.copy(EXPORTS / "comments.csv", tmp_path / "comments.csv")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCRIPTLENS_DB", raising=False)
    return tmp_path


def signal_count(workspace: Path) -> int:
    with sqlite3.connect(workspace / ".scriptlens" / "signals.db") as conn:
        return int(conn.execute("SELECT count(*) FROM signals").fetchone()[0])


@pytest.mark.parametrize(("name", "line", "reason"), CASES)
def test_cli_exits_2_with_the_message_and_keeps_the_store(
    workspace: Path, name: str, line: int, reason: str
) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["signals", "import", "comments.csv"]).exit_code == 0
    result = runner.invoke(main, ["signals", "import", str(FIXTURES / name), "--episode", "1"])
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert result.exit_code == 2
    assert result.stderr == f"{FIXTURES / name}:{line}: {reason}\n"
    assert result.stdout == ""
    assert signal_count(workspace) == 1644

    skipping = [str(FIXTURES / name), "--episode", "1", "--skip-invalid"]
    result = runner.invoke(main, ["signals", "import", *skipping])
    assert result.exit_code == 0
    assert result.stderr == f"{FIXTURES / name}:{line}: {reason} (skipped)\n"
    assert "3 rows, 2 added, 0 duplicate, 1 skipped" in result.stdout
    assert signal_count(workspace) == 1646


def test_failed_import_closes_its_progress_bar_on_a_terminal(workspace: Path) -> None:
    """On a real terminal the bar is drawn; when the import fails it must be closed, so the
    error gets a line of its own."""
    bad = FIXTURES / "youtube_replies_not_object.json"
    controller, terminal = pty.openpty()
    command = [sys.executable, "-c", "from scriptlens.cli import main; main()", "signals"]
    command += ["import", "comments.csv", str(bad), "--episode", "1"]
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    shown = bytearray()
    try:
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=terminal, env=environment
        ) as child:
            os.close(terminal)
            while True:
                try:
                    chunk = os.read(controller, 4096)
                except OSError:  # Linux: the terminal's far side has closed
                    break
                if not chunk:
                    break
                shown += chunk
            assert child.stdout is not None and child.stdout.read() == b""
        assert child.returncode == 2
    finally:
        os.close(controller)
    text = shown.decode("utf-8").replace("\r\n", "\n")
    assert "comments.csv" in text  # the bar was drawn
    assert text.endswith(f"\n{bad}:43: $.items[1].replies: expected an object, found a string\n")

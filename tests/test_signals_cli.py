"""``scriptlens signals`` end to end: real store files, the same messages a user sees."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scriptlens.cli import main
from signals_support import DOUYIN_MAP, EXPORTS, FIXTURES


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(EXPORTS, tmp_path / "exports")
    (tmp_path / "scriptlens.toml").write_text("[signals]\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCRIPTLENS_DB", raising=False)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["signals", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def signal_count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM signals").fetchone()[0]


def test_import_every_example_export(workspace: Path) -> None:
    code, out, err = run("import", "exports/comments.csv", "exports/kuaishou_ep3_gbk.csv")
    assert code == 0, err
    assert "exports/comments.csv: csv, utf-8: 1644 rows, 1644 added, 0 duplicate, 0 skipped" in out
    assert "exports/kuaishou_ep3_gbk.csv: csv, gb18030: 142 rows, 142 added" in out
    assert "imported 1786 new signal(s) from 2 file(s)" in out and "themes:" in out
    assert err == ""  # no progress bar: stderr is not a terminal
    code, out, _ = run(
        "import",
        "exports/douyin_ep2.csv",
        "--platform",
        "douyin",
        "--episode",
        "2",
        "--map",
        DOUYIN_MAP,
    )
    assert code == 0 and "40 added" in out
    code, out, _ = run("import", "exports/youtube_ep1_commentThreads.json", "--episode", "1")
    assert code == 0 and "youtube, utf-8: 25 rows, 25 added" in out
    code, out, _ = run("import", "exports/bilibili_ep3_danmaku.xml", "--episode", "3")
    assert code == 0 and "bilibili, utf-8: 232 rows, 232 added" in out
    code, out, _ = run("import-metrics", "exports/metrics.csv", "--platform", "douyin")
    assert code == 0 and "14 episode(s) of metrics" in out
    assert signal_count(workspace / ".scriptlens" / "signals.db") == 2083
    code, out, _ = run("import", "exports/comments.csv")
    assert "0 added, 1644 duplicate" in out and "themes:" not in out


def test_malformed_row_exits_2_with_file_line_reason(workspace: Path) -> None:
    run("import", "exports/comments.csv")
    bad = str(FIXTURES / "malformed.csv")
    code, out, err = run("import", "exports/kuaishou_ep3_gbk.csv", bad)
    assert code == 2
    assert err.strip() == f"{bad}:4: likes 'lots' is not a count"
    assert out == ""
    assert signal_count(workspace / ".scriptlens" / "signals.db") == 1644


def test_failed_first_import_leaves_no_store_behind(workspace: Path) -> None:
    bad = str(FIXTURES / "malformed.csv")
    code, _, err = run("import", bad)
    assert code == 2 and err.strip() == f"{bad}:4: likes 'lots' is not a count"
    assert sorted(p.name for p in (workspace / ".scriptlens").iterdir()) == ["key", "signals.lock"]
    code, _, err = run("stats")
    assert code == 2 and "no signal store yet" in err


def test_skip_invalid_reports_each_row(workspace: Path) -> None:
    bad = str(FIXTURES / "malformed.csv")
    code, out, err = run("import", bad, "--skip-invalid")
    assert code == 0
    assert err.splitlines() == [
        f"{bad}:4: likes 'lots' is not a count (skipped)",
        f"{bad}:5: episode 'zero' is not an episode number (skipped)",
    ]
    assert "5 rows, 3 added, 0 duplicate, 2 skipped" in out


def test_usage_errors_exit_2(workspace: Path) -> None:
    code, _, err = run("stats")
    assert code == 2 and "no signal store yet" in err
    code, _, err = run("import", "exports/douyin_ep2.csv", "--map", "body=content")
    assert code == 2 and "'body' is not a field" in err
    code, _, err = run("import", "exports/douyin_ep2.csv", "--episode", "2")
    assert code == 2 and ":1: missing required column 'text'; found: cid, content" in err


def test_stats_themes_and_json(workspace: Path) -> None:
    run("import", "exports/comments.csv")
    code, out, _ = run("stats")
    assert code == 0
    assert (
        "signals: 1644 from" in out
        and "kinds: comment 1426, danmaku 8, hashtag 184, meme 22, reply 4" in out
    )
    code, out, _ = run("themes", "--limit", "6")
    assert code == 0 and ": vocal minority" in out
    code, out, _ = run("themes", "--episode", "2", "--json")
    payload = json.loads(out)
    assert payload["episode"] == 2
    themes = payload["themes"]
    assert themes and all(theme["episode"] == 2 for theme in themes)
    assert {
        "id",
        "label",
        "signals",
        "authors",
        "top1_share",
        "top10_share",
        "gini",
        "viewer_share",
        "vocal_minority",
    } <= set(themes[0])


def test_forget_author(workspace: Path) -> None:
    run("import", "exports/comments.csv")
    code, out, _ = run("forget", "--author", "wb_shipper_88")
    assert code == 0 and "forgot 5 signal(s)" in out and "themes:" in out
    code, out, _ = run("themes", "--json", "--limit", "100")
    ship = [t for t in json.loads(out)["themes"] if "nurse chen belong" in t["label"].casefold()]
    assert ship[0]["signals"] == 10 and ship[0]["authors"] == 2


def test_db_option_and_environment(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(
        "import",
        "exports/metrics.csv",
        "--db",
        "custom.db",
        "--format",
        "csv",
        "--episode",
        "1",
        "--map",
        "text=platform",
    )
    assert (workspace / "custom.db").exists()
    assert not (workspace / ".scriptlens" / "signals.db").exists()
    monkeypatch.setenv("SCRIPTLENS_DB", str(workspace / "env.db"))
    code, _, _ = run("import", "exports/comments.csv")
    assert code == 0 and signal_count(workspace / "env.db") == 1644


def test_newer_store_is_refused_by_the_cli(workspace: Path) -> None:
    run("import", "exports/comments.csv")
    with sqlite3.connect(workspace / ".scriptlens" / "signals.db") as conn:
        conn.execute("PRAGMA user_version = 99")
    code, _, err = run("stats")
    assert code == 2 and "schema version 99" in err and "upgrade scriptlens" in err


def test_installed_command_in_a_subprocess(workspace: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from scriptlens.cli import main; main()",
            "signals",
            "import",
            "exports/bilibili_ep3_danmaku.xml",
            "--episode",
            "3",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "232 added" in done.stdout

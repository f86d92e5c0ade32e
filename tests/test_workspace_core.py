"""The workspace core both faces call: which series a file belongs to, its one typed
configuration, its one default baseline, and the one text reader."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from continuity_support import git
from scriptlens.fountain.text_reader import clean, decode
from scriptlens.workspace import (
    ConfigError,
    find_root,
    group_by_series,
    load,
    series_roots,
)
from scriptlens.workspace.baseline import write_snapshot
from scriptlens.workspace.config import parse_config
from scriptlens.workspace.series import Series

SCRIPT = "INT. ROOM - DAY\n\nSU QING waits.\n\nSU QING\nHello.\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def scriptlens(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scriptlens", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


# -- which series -------------------------------------------------------------------------------


def test_two_shows_in_one_folder_are_two_series(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a/scriptlens.toml": "",
            "a/ep01.fountain": SCRIPT,
            "b/scriptlens.toml": "",
            "b/ep01.fountain": SCRIPT,
            "loose.fountain": SCRIPT,
        },
    )
    assert series_roots(tmp_path) == [tmp_path.resolve(), tmp_path / "a", tmp_path / "b"]
    assert find_root(tmp_path / "a" / "ep01.fountain") == tmp_path / "a"
    assert find_root(tmp_path / "loose.fountain", within=tmp_path) == tmp_path.resolve()
    outer = load(tmp_path)
    assert [p.name for p in outer.fountain_files()] == ["loose.fountain"]
    assert sorted(group_by_series([tmp_path])) == [
        tmp_path.resolve(),
        tmp_path / "a",
        tmp_path / "b",
    ]


def test_a_file_without_configuration_belongs_to_the_folder_given(tmp_path: Path) -> None:
    write(tmp_path, {"show/ep01.fountain": SCRIPT})
    assert find_root(tmp_path / "show" / "ep01.fountain", within=tmp_path) == tmp_path.resolve()
    assert find_root(tmp_path / "show" / "ep01.fountain") == (tmp_path / "show").resolve()


# -- one configuration --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ({"seris": {}}, "scriptlens.toml: seris: unknown key (known: cast, provenance, rules,"),
        (
            {"signals": {"vocal_minority_min_signals": 2.7}},
            "scriptlens.toml: signals.vocal_minority_min_signals: expected a whole number",
        ),
        ({"signals": {"theme_similarity": 101}}, "signals.theme_similarity: expected a number "),
        ({"series": {"order": "random"}}, "series.order: expected one of auto, title, filename"),
        ({"series": {"files": "ep01"}}, "series.files: expected a list of strings"),
        ({"rules": {"long-absence": {"max_gap": -1}}}, "rules.long-absence.max_gap: expected a"),
        ({"rules": {"no-such-rule": {}}}, "rules.no-such-rule: unknown key"),
        ({"provenance": {"history": "svn"}}, "provenance.history: expected one of auto, git"),
        ({"cast": {"aliases": {"MR. LI": "LI"}}}, "cast.aliases.MR. LI: expected a list"),
    ],
)
def test_every_mistake_names_the_file_the_key_and_what_was_expected(
    toml: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(toml, "scriptlens.toml")
    assert message in str(raised.value)


def test_a_valid_configuration_is_typed() -> None:
    config = parse_config(
        {
            "cast": {"aliases": {"MR. LI": ["LI WEI"]}, "distinct": [["SU QING", "SU QIN"]]},
            "rules": {"long-absence": {"max_gap": 2, "severity": "hint"}},
            "signals": {"vocal_minority_min_signals": 3},
            "provenance": {"history": "snapshots"},
        },
        "scriptlens.toml",
    )
    assert config.cast.aliases["LI WEI"] == "MR. LI"
    assert config.cast.declared_distinct("SU QING", "SU QIN")
    assert config.rules["long-absence"].option("max_gap") == 2.0
    assert config.rules["long-absence"].severity == "hint"
    assert config.signals.vocal_minority_min_signals == 3
    assert config.provenance.history == "snapshots"


def test_the_cli_refuses_a_broken_configuration_with_status_two(tmp_path: Path) -> None:
    write(tmp_path, {"scriptlens.toml": "[seris]\norder = 'title'\n", "ep01.fountain": SCRIPT})
    done = scriptlens(tmp_path, "check")
    assert done.returncode == 2
    assert "scriptlens.toml: seris: unknown key" in done.stderr


# -- one baseline -------------------------------------------------------------------------------


def test_the_default_baseline_is_head_then_the_snapshot_then_the_last_save(tmp_path: Path) -> None:
    write(tmp_path, {"tracked.fountain": SCRIPT, "snapped.fountain": SCRIPT})
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "tracked.fountain")
    git(tmp_path, "commit", "-q", "-m", "one file")
    write_snapshot(tmp_path, {"snapped.fountain": "SNAPSHOT", "tracked.fountain": "OLD SNAPSHOT"})
    write(tmp_path, {"tracked.fountain": "NOW", "snapped.fountain": "NOW", "new.fountain": "NEW"})
    baseline = Series.load(tmp_path).baseline()
    assert baseline == {
        "tracked.fountain": SCRIPT,  # git HEAD
        "snapped.fountain": "SNAPSHOT",  # not tracked: the snapshot
        "new.fountain": "NEW",  # neither: as last saved
    }


def test_a_rename_in_a_git_workspace_is_found_by_a_plain_check(tmp_path: Path) -> None:
    episodes = {
        f"ep0{n}.fountain": f"INT. ROOM - DAY\n\nGRANDMA SU knits.\n\nGRANDMA SU\nTea {n}.\n"
        for n in range(1, 5)
    }
    write(tmp_path, episodes)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "episodes")
    for name in ("ep01.fountain", "ep02.fountain"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("\nGRANDMA SU\n", "\nNAINAI\n"), "utf-8")
    done = scriptlens(tmp_path, "check", "--fail-on", "never")
    assert "[partial-rename]" in done.stdout


# -- one text reader ----------------------------------------------------------------------------


def test_the_text_reader_drops_the_bom_and_reads_lone_crs_as_line_ends() -> None:
    assert clean("\ufeffA\rB\r\nC\n") == "A\nB\r\nC\n"
    source = decode("\ufeffINT. ROOM\rSU QING\r".encode())
    assert source.text == "INT. ROOM\nSU QING\n" and source.invalid is None


def test_invalid_bytes_are_counted_and_located_in_lsp_columns() -> None:
    source = decode("INT. 房间\n\nCaf\xe9".encode() + b"\xff ok\n")
    assert source.invalid is not None and source.invalid.count == 1
    assert (source.invalid.first.line, source.invalid.first.character) == (2, 4)
    assert source.text.count("\ufffd") == 1


def test_parse_and_check_warn_about_invalid_bytes_in_the_same_words(tmp_path: Path) -> None:
    (tmp_path / "ep01.fountain").write_bytes(b"INT. ROOM - DAY\n\nBOB\nCaf\xe9 \xff.\n")
    parsed = scriptlens(tmp_path, "parse", "ep01.fountain")
    assert parsed.stderr.strip() == (
        "ep01.fountain:4:4: warning: 2 invalid UTF-8 byte(s) replaced with U+FFFD"
    )
    checked = scriptlens(tmp_path, "check", "--fail-on", "never")
    assert (
        "ep01.fountain:4:4: warning [invalid-utf8] 2 invalid UTF-8 byte(s) replaced with U+FFFD"
        in checked.stdout
    )


# -- small things the faces once disagreed on ---------------------------------------------------


def test_check_with_nothing_to_check_says_so_and_exits_two(tmp_path: Path) -> None:
    done = scriptlens(tmp_path, "check")
    assert done.returncode == 2
    assert "no Fountain file to check" in done.stderr


def test_text_from_a_file_reaches_the_terminal_escaped(tmp_path: Path) -> None:
    (tmp_path / "binary.fountain").write_bytes(b"\x1b[31mRED\x07\n\nBOB\x1b]0;title\x07\nHi.\n")
    done = scriptlens(tmp_path, "parse", "binary.fountain")
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "\\x1b[31mRED\\x07" in done.stdout

"""The CLI and the editor never disagree: the same workspace on disk, checked by ``scriptlens
check --format json`` and by the language server's published diagnostics, gives the same
findings at the same ranges, for each edit that once made them disagree."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from lsp_support import TIMEOUT
from pytest_lsp import LanguageClient

from continuity_support import git

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "micro-drama"
SEVERITIES = {1: "error", 2: "warning", 3: "information", 4: "hint"}
Finding = tuple[str, int, int, int, int, str, str, str]


def _example(folder: Path) -> Path:
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("exports", "history"))
    return folder


def _committed(folder: Path) -> None:
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "episodes as aired")


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def rename_in_some_cues(root: Path) -> None:
    """``GRANDMA SU`` renamed ``NAINAI`` in three of her cues, in a git workspace."""
    _committed(_example(root))
    _replace(root / "ep04.fountain", "\nGRANDMA SU\n", "\nNAINAI\n", 3)


def variant_typo(root: Path) -> None:
    _example(root)
    _replace(root / "ep04.fountain", "\nLIN YAN\n", "\nLIN YAM\n")


def cut_introduction(root: Path) -> None:
    _committed(_example(root))
    _replace(
        root / "ep01.fountain",
        "SU QING (24), in a plain waitress uniform, eyes like a blade, carries a tray",
        "A waitress in a plain uniform, eyes like a blade, carries a tray",
    )


def lone_carriage_returns(root: Path) -> None:
    _example(root)
    text = (root / "ep02.fountain").read_text(encoding="utf-8")
    (root / "ep02.fountain").write_bytes(text.replace("\n", "\r").encode("utf-8"))
    _replace(root / "ep05.fountain", "\nZHOU MING\n", "\nZHOU MNG\n")


def invalid_bytes(root: Path) -> None:
    _example(root)
    data = (root / "ep03.fountain").read_bytes()
    (root / "ep03.fountain").write_bytes(data.replace(b"\n\n", b"\n\nCaf\xe9 \xff.\n\n", 1))


def two_shows_in_one_folder(root: Path) -> None:
    """Two series side by side, each with its own ``scriptlens.toml``: a character of one must
    not come back from the other's episodes, and each show's own settings apply."""
    _example(root / "heiress")
    other = root / "rooftop"
    other.mkdir()
    (other / "scriptlens.toml").write_text("[rules.long-absence]\nmax_gap = 1\n", "utf-8")
    for number in range(1, 4):
        speaker = "SU QING" if number != 2 else "MR. ZHAO"
        (other / f"ep{number:02}.fountain").write_text(
            f"Title: Rooftop\nEpisode: {number}\n\nEXT. ROOFTOP - NIGHT\n\n"
            f"{speaker} stands at the edge.\n\n{speaker}\nNot tonight.\n",
            encoding="utf-8",
        )


# Each case, and a finding it must produce (so that agreeing on nothing cannot pass).
CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    case.__name__: (case, code)
    for case, code in (
        (rename_in_some_cues, "partial-rename"),
        (variant_typo, "name-variant"),
        (cut_introduction, "lost-introduction"),
        (lone_carriage_returns, "name-variant"),
        (invalid_bytes, "invalid-utf8"),
        (two_shows_in_one_folder, "exit-reappearance"),
    )
}


@pytest.fixture(params=sorted(CASES))
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param in ("rename_in_some_cues", "cut_introduction") and not shutil.which("git"):
        pytest.skip("git is not installed")
    root = tmp_path / request.param
    CASES[request.param][0](root)
    return root


def cli_findings(root: Path) -> list[Finding]:
    done = subprocess.run(
        [sys.executable, "-m", "scriptlens", "check", "--format", "json", "--fail-on", "never"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted(
        (
            item["file"],
            item["range"]["start"]["line"],
            item["range"]["start"]["character"],
            item["range"]["end"]["line"],
            item["range"]["end"]["character"],
            item["code"],
            item["severity"],
            item["message"],
        )
        for item in json.loads(done.stdout)["diagnostics"]
    )


def server_findings(client: LanguageClient, root: Path) -> list[Finding]:
    found = []
    for uri, diagnostics in client.diagnostics.items():
        file = Path(uri.removeprefix("file://")).relative_to(root).as_posix()
        for item in diagnostics:
            start, end = item.range.start, item.range.end
            severity = SEVERITIES[int(item.severity or 1)]
            where = (start.line, start.character, end.line, end.character)
            found.append((file, *where, str(item.code), severity, item.message))
    return sorted(found)


async def test_the_cli_and_the_editor_report_the_same_findings(
    client: LanguageClient, workspace: Path
):
    expected = cli_findings(workspace)
    assert CASES[workspace.name][1] in {finding[5] for finding in expected}
    files = {finding[0] for finding in expected}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while server_findings(client, workspace) != expected and loop.time() < deadline:
        await asyncio.sleep(0.05)
    seen = {
        Path(uri.removeprefix("file://")).relative_to(workspace).as_posix()
        for uri in client.diagnostics
    }
    assert files <= seen
    assert server_findings(client, workspace) == expected

"""Helpers for the continuity tests: settings from TOML text, real git workspaces."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from scriptlens.continuity.diagnostics import Diagnostic
from scriptlens.continuity.engine import check_texts
from scriptlens.workspace.config import parse_config

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def run(
    current: dict[str, str], baseline: dict[str, str] | None = None, config: str = ""
) -> list[Diagnostic]:
    settings = parse_config(tomllib.loads(config), "scriptlens.toml")
    return check_texts(current, baseline, settings)


def found(diagnostics: list[Diagnostic], code: str) -> list[tuple[str, int, str]]:
    """(file, 1-based line, message) of each diagnostic with ``code``."""
    return [
        (item.file, item.range.start.line + 1, item.message)
        for item in diagnostics
        if item.code == code
    ]


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def git_workspace(root: Path, before: dict[str, str], after: dict[str, str]) -> Path:
    """A git repository whose HEAD holds ``before`` and whose work tree holds ``after``."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    write(root, before)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "baseline")
    for name in before:
        if name not in after:
            (root / name).unlink()
    write(root, after)
    return root


def cli(root: Path, *args: str) -> tuple[int, str]:
    """``scriptlens check ARGS`` run from ``root``: exit status and standard output."""
    done = subprocess.run(
        [sys.executable, "-c", "from scriptlens.cli import main; main()", "check", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def baseline_findings(root: Path, code: str) -> list[tuple[str, int, str]]:
    """The ``code`` findings of ``scriptlens check --baseline HEAD --format json`` in ``root``."""
    status, output = cli(root, "--baseline", "HEAD", "--format", "json", "--fail-on", "never")
    assert status == 0, output
    return [
        (item["file"], item["range"]["start"]["line"] + 1, item["message"])
        for item in json.loads(output)["diagnostics"]
        if item["code"] == code
    ]


BOARDROOM = """Title: Boardroom
Episode: {number}

INT. HE GROUP - OFFICE - DAY

{action}

BOSS HE
Episode {number}. You are late.

SU QING
The lift broke, sir.

BOSS HE
Then take the stairs tomorrow.
"""


def boardroom() -> dict[str, str]:
    """Three episodes in which BOSS HE speaks twice each (lines 8 and 14), introduced in the
    first."""
    return {
        f"ep0{number}.fountain": BOARDROOM.format(
            number=number,
            action="BOSS HE, 60s, and SU QING, 20s, face off." if number == 1 else "Rain.",
        )
        for number in (1, 2, 3)
    }

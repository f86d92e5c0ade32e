"""The README's two commands stay true: CI runs the test command verbatim, and the main job's
scriptlens commands work on the bundled example workspace."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section, flags=re.DOTALL)


def test_quick_start_has_two_commands():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)


def test_ci_runs_the_readme_test_command_verbatim():
    test_command = quick_start_commands()[1]
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_main_job_runs_on_the_example_workspace(tmp_path: Path):
    """Every step of the main command after the install (which CI itself has just done), run
    through this interpreter in a copy of the repository's examples, so nothing is written into
    the checkout."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    cwd = tmp_path
    steps = [step.strip() for step in quick_start_commands()[0].split("&&")]
    outputs: dict[str, str] = {}
    assert steps[0].startswith("python -m pip install")
    for step in steps[1:]:
        argv = shlex.split(step)
        if argv[0] == "cd":
            cwd = cwd / argv[1]
            continue
        assert argv[0] == "scriptlens", step
        result = subprocess.run(
            [sys.executable, "-m", "scriptlens", *argv[1:]],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        assert result.returncode == 0, f"{step}\n{result.stdout}\n{result.stderr}"
        outputs[argv[1]] = result.stdout
    assert ": vocal minority" in outputs["signals"]  # the themes listing
    # the job ends by explaining a line the audience motivated, with when it was written
    assert "Mr. Li, please sign for your twins" in outputs["explain"]
    assert "inferred" in outputs["explain"] and "Introduced 2024-06-05" in outputs["explain"]

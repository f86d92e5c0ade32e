"""Every command of ``scriptlens`` answers ``--help`` and ``--version``."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from scriptlens import __version__
from scriptlens.cli import main


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            paths += command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


COMMANDS = command_paths(main)


def test_the_commands_the_readme_names_exist():
    assert {("parse",), ("check",), ("lsp",), ("signals", "import"), ("signals", "themes")} <= set(
        COMMANDS
    )


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "scriptlens")
@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_every_command_answers(path: tuple[str, ...], flag: str):
    result = CliRunner().invoke(main, [*path, flag])
    assert result.exit_code == 0, result.output
    if flag == "--version":
        assert result.output.strip() == f"scriptlens, version {__version__}"
    else:
        assert "Usage: " in result.output

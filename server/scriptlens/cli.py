"""The ``scriptlens`` command line: a thin face over the same functions the server uses."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from scriptlens import __version__
from scriptlens.parser import parse_file


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scriptlens")
def main() -> None:
    """scriptlens: audience-signal provenance and character continuity for Fountain scripts."""


@main.command("parse")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON contract.")
def parse_command(file: Path, as_json: bool) -> None:
    """Parse FILE and list its elements (1-based line:col)."""
    from scriptlens.report import script_to_json, script_to_text

    script = parse_file(file)
    if script.decode_errors:
        click.echo(
            f"{file}: warning: {script.decode_errors} invalid UTF-8 byte(s) replaced", err=True
        )
    if as_json:
        json.dump(script_to_json(script, file.name), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        click.echo(script_to_text(script, str(file)))


# Subcommands live in their own modules; registered here so `scriptlens --help` lists them all.
from scriptlens.cli_check import check  # noqa: E402
from scriptlens.cli_lsp import lsp  # noqa: E402
from scriptlens.cli_signals import signals  # noqa: E402

for command in (check, lsp, signals):
    main.add_command(command)


def _print_version(context: click.Context, _parameter: click.Parameter, value: bool) -> None:
    if value and not context.resilient_parsing:
        click.echo(f"scriptlens, version {__version__}")
        context.exit()


def _add_version_everywhere(group: click.Group) -> None:
    """Every subcommand answers ``--version`` as the top-level command does."""
    for command in group.commands.values():
        command.params.append(
            click.Option(
                ["--version"],
                is_flag=True,
                expose_value=False,
                is_eager=True,
                callback=_print_version,
                help="Show the version and exit.",
            )
        )
        if isinstance(command, click.Group):
            _add_version_everywhere(command)


_add_version_everywhere(main)

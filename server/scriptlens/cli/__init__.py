"""The ``scriptlens`` command line: a thin face over the same functions the server uses."""

from __future__ import annotations

import click

from scriptlens import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scriptlens")
def main() -> None:
    """scriptlens: audience-signal provenance and character continuity for Fountain scripts."""


# Subcommands live in their own modules; registered here so `scriptlens --help` lists them all.
from scriptlens.cli.check import check  # noqa: E402
from scriptlens.cli.explain import explain  # noqa: E402
from scriptlens.cli.history import history, snapshot  # noqa: E402
from scriptlens.cli.lsp import lsp  # noqa: E402
from scriptlens.cli.parse import parse_command  # noqa: E402
from scriptlens.cli.signals import signals  # noqa: E402

for command in (parse_command, check, lsp, signals, explain, snapshot, history):
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

"""``scriptlens lsp``: the language server, for editors to start."""

from __future__ import annotations

import logging

import click


def _address(
    _context: click.Context, _parameter: click.Parameter, value: str | None
) -> tuple[str, int] | None:
    """``HOST:PORT`` as a host and a port number, or a clear error."""
    if value is None:
        return None
    host, colon, port = value.rpartition(":")
    if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise click.BadParameter(f"{value!r} is not HOST:PORT (e.g. 127.0.0.1:2087)")
    return host.strip("[]"), int(port)


@click.command("lsp")
# vscode-languageclient appends --stdio to the command; stdio is the default transport.
@click.option("--stdio", is_flag=True, help="Talk LSP over stdin/stdout (the default).")
@click.option(
    "--tcp",
    metavar="HOST:PORT",
    callback=_address,
    help="Listen on HOST:PORT instead, for one client at a time (for debugging).",
)
@click.option(
    "--log-level",
    type=click.Choice(["error", "warning", "info", "debug"]),
    default="warning",
    show_default=True,
    help="What the server logs to stderr.",
)
def lsp(stdio: bool, tcp: tuple[str, int] | None, log_level: str) -> None:
    """Run the scriptlens language server over stdio (for VS Code, Neovim and other editors),
    or over TCP with --tcp."""
    from scriptlens.lsp.server import main

    if stdio and tcp:
        raise click.UsageError("--stdio and --tcp exclude each other")
    main(getattr(logging, log_level.upper()), tcp)

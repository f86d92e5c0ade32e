"""``scriptlens lsp``: the language server, for editors to start."""

from __future__ import annotations

import logging

import click


@click.command("lsp")
# vscode-languageclient appends --stdio to the command; stdio is the only transport.
@click.option("--stdio", is_flag=True, help="Talk LSP over stdin/stdout (always).")
@click.option(
    "--log-level",
    type=click.Choice(["error", "warning", "info", "debug"]),
    default="warning",
    show_default=True,
    help="What the server logs to stderr.",
)
def lsp(stdio: bool, log_level: str) -> None:
    """Run the scriptlens language server over stdio (for VS Code, Neovim and other editors)."""
    from scriptlens.lsp.server import main

    main(getattr(logging, log_level.upper()))

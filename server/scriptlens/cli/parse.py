"""``scriptlens parse``: one script's elements, for people or as the stable JSON contract."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from scriptlens.fountain.parser import parse
from scriptlens.fountain.text_reader import invalid_bytes_warning, read_source


@click.command("parse")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON contract.")
def parse_command(file: Path, as_json: bool) -> None:
    """Parse FILE and list its elements (1-based line:col)."""
    from scriptlens.fountain.report import script_to_json, script_to_text

    source = read_source(file)
    script = parse(source.text, str(file))
    if source.invalid is not None:
        click.echo(invalid_bytes_warning(str(file), source.invalid), err=True)
    if as_json:
        json.dump(script_to_json(script, file.name), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        click.echo(script_to_text(script, str(file)))

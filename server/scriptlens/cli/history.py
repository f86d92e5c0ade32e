"""``scriptlens snapshot`` and ``scriptlens history replay``: scriptlens's own revision history
of the scripts, for workspaces without git (``[provenance] history = "snapshots"``).

``history replay FOLDER`` reads dated revisions, ``FOLDER/<YYYY-MM-DDTHHMMZ>/<file>.fountain``
with an optional ``MESSAGE`` beside them, oldest first, into the store's snapshot history, so
that provenance knows when each line was introduced. Replaying again adds nothing.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from scriptlens import workspace
from scriptlens.fountain.text_reader import read_source
from scriptlens.provenance.engine import Provenance
from scriptlens.provenance.history import ReplayedRevision, replay
from scriptlens.signals import SignalsError

EXIT_ERROR = 2
DEFAULT_HISTORY = "history"


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(EXIT_ERROR)


@click.command("snapshot")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def snapshot(paths: tuple[Path, ...]) -> None:
    """Record the current text of the series' scripts (or of PATHS) as a snapshot revision."""
    try:
        space = workspace.load(paths[0] if paths else Path.cwd())
        engine = Provenance(space)
        files = [
            path
            for path in space.fountain_files()
            if not paths or any(path.resolve().is_relative_to(p.resolve()) for p in paths)
        ]
        recorded = 0
        for path in files:
            recorded += engine.record_save(path, read_source(path).text)
        engine.close()
    except (SignalsError, workspace.ConfigError) as error:
        _fail(str(error))
    click.echo(f"snapshot: {recorded} of {len(files)} file(s) changed since the last snapshot")


@click.group("history")
def history() -> None:
    """scriptlens's own revision history of the scripts."""


@history.command("replay")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
def replay_command(folder: Path | None) -> None:
    """Replay dated revisions (FOLDER/<YYYY-MM-DDTHHMMZ>/<file>.fountain, default: the
    workspace's history/) into the snapshot history."""
    try:
        space = workspace.load(folder or Path.cwd())
        source = folder or space.root / DEFAULT_HISTORY
        if not source.is_dir():
            _fail(f"{source}: no such folder of dated revisions")
        with Provenance(space).writable() as store:
            done: list[ReplayedRevision] = replay(store, source)
    except (SignalsError, workspace.ConfigError, ValueError) as error:
        _fail(str(error))
    added = [revision for revision in done if revision.files]
    for revision in added:
        stamp = datetime.fromtimestamp(revision.at, timezone.utc).strftime("%Y-%m-%d %H:%M")
        click.echo(f"{revision.label} ({stamp} UTC): {', '.join(revision.files)}")
    click.echo(f"replayed {len(added)} of {len(done)} revision(s) from {source}")

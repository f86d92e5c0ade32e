"""``scriptlens check``: the continuity rules over a workspace, for people, CI and pre-commit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from scriptlens.continuity.diagnostics import Diagnostic, Related
from scriptlens.continuity.engine import Engine, settings_for
from scriptlens.continuity.formats import to_github, to_json, to_sarif, to_text
from scriptlens.continuity.rules import SPECS
from scriptlens.fountain.parser import decode
from scriptlens.workspace import ConfigError, Workspace, load
from scriptlens.workspace.baseline import (
    BaselineError,
    git_baseline,
    read_snapshot,
    write_snapshot,
)

FAIL_ON = {"error": {"error"}, "warning": {"error", "warning"}, "never": set()}


class CheckError(click.ClickException):
    """A usage or I/O problem: exit status 2, as for a usage error."""

    exit_code = 2


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CheckError(f"{path}: cannot read: {error.strerror}") from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        click.echo(f"{path}: warning: invalid UTF-8 at byte {error.start}, replaced", err=True)
        return decode(data)[0]  # replaced as the language server replaces them: same columns


def _shown(root: Path, name: str, cwd: Path) -> str:
    """A workspace path as the user should see it: relative to the working directory when
    inside it (so CI annotations and editors find it), absolute otherwise."""
    path = root / name
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def _targets(workspace: Workspace, path: Path, names: list[str]) -> list[str]:
    path = path.resolve()
    if path.is_dir():
        return [name for name in names if (workspace.root / name).resolve().is_relative_to(path)]
    if path.suffix != ".fountain":
        raise CheckError(f"{path}: not a .fountain file")
    return [path.relative_to(workspace.root).as_posix()]


def _check_workspace(
    workspace: Workspace, paths: list[Path], revision: str | None, snapshot: bool, cwd: Path
) -> list[Diagnostic]:
    settings = settings_for(workspace)
    files = workspace.fountain_files()
    texts = {path.relative_to(workspace.root).as_posix(): _read(path) for path in files}
    wanted = [name for path in paths for name in _targets(workspace, path, list(texts))]
    baseline = (
        git_baseline(workspace.root, revision)
        if revision is not None
        else read_snapshot(workspace.root)
    )
    engine = Engine(settings)
    engine.set_files(texts)
    engine.set_baseline(baseline)
    found = engine.check(wanted)
    if snapshot:
        try:
            write_snapshot(workspace.root, texts)
        except OSError as error:
            raise CheckError(f"{workspace.root}: cannot write the snapshot: {error}") from error

    def shown(item: Diagnostic | Related) -> str:
        return _shown(workspace.root, item.file, cwd)

    return [
        replace(
            item,
            file=shown(item),
            related=tuple(replace(rel, file=shown(rel)) for rel in item.related),
        )
        for item in found
    ]


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, file_okay=True, path_type=Path))
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
    help="text for people, json (stable contract), sarif (code scanning), github (annotations).",
)
@click.option(
    "--baseline",
    "revision",
    metavar="REV",
    help="Git revision the edit-aware rules compare against. Default: the snapshot that "
    "--snapshot last wrote, if any.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="warning",
    show_default=True,
    help="Lowest severity that makes the exit status 1.",
)
@click.option(
    "--snapshot",
    is_flag=True,
    help="After checking, store the current texts as the baseline of the next check.",
)
def check(
    paths: tuple[Path, ...], output: str, revision: str | None, fail_on: str, snapshot: bool
) -> None:
    """Check character continuity in PATHs (files or folders; default: the current folder).

    The whole series of each workspace is read for context; findings are reported for the files
    under PATHs. Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O errors.
    """
    cwd = Path.cwd().resolve()
    groups: dict[Path, tuple[Workspace, list[Path]]] = {}
    try:
        for path in paths or (Path("."),):
            workspace = load(path)
            groups.setdefault(workspace.root, (workspace, []))[1].append(path)
        found: list[Diagnostic] = []
        for workspace, targets in groups.values():
            found += _check_workspace(workspace, targets, revision, snapshot, cwd)
    except (ConfigError, BaselineError) as error:
        raise CheckError(str(error)) from error
    found.sort(key=Diagnostic.sort_key)
    if output == "json":
        click.echo(to_json(found))
    elif output == "sarif":
        click.echo(to_sarif(found, list(SPECS.values())))
    elif output == "github":
        if found:
            click.echo(to_github(found))
    else:
        click.echo(to_text(found))
    failing = FAIL_ON[fail_on]
    raise SystemExit(1 if any(item.severity in failing for item in found) else 0)

"""``scriptlens check``: the continuity rules over a workspace, for people, CI and pre-commit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import click

from scriptlens.continuity.diagnostics import Diagnostic, Related
from scriptlens.continuity.formats import to_github, to_json, to_sarif, to_text
from scriptlens.continuity.rules import SPECS
from scriptlens.workspace import ConfigError, group_by_series
from scriptlens.workspace.baseline import BaselineError, git_baseline, write_snapshot
from scriptlens.workspace.series import INVALID_UTF8, Baseline, Series

FAIL_ON = {"error": {"error"}, "warning": {"error", "warning"}, "never": set()}


class CheckError(click.ClickException):
    """A usage or I/O problem: exit status 2, as for a usage error."""

    exit_code = 2


def _shown(root: Path, name: str, cwd: Path) -> str:
    """A workspace path as the user should see it: relative to the working directory when
    inside it (so CI annotations and editors find it), absolute otherwise."""
    path = root / name
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def _targets(series: Series, path: Path) -> list[str]:
    path = path.resolve()
    if path.is_dir():
        return [key for key in series.saved if series.path(key).is_relative_to(path)]
    if path.suffix != ".fountain":
        raise CheckError(f"{path}: not a .fountain file")
    key = series.key(path)
    return [key] if key is not None else []


def _check_series(
    series: Series, paths: list[Path], revision: str | None, snapshot: bool, cwd: Path
) -> list[Diagnostic]:
    wanted = sorted({key for path in paths for key in _targets(series, path)})
    baseline: Mapping[str, str] | Baseline = (
        git_baseline(series.root, revision) if revision is not None else "auto"
    )
    found = series.check(wanted, baseline=baseline)
    if snapshot:
        try:
            write_snapshot(series.root, series.saved)
        except OSError as error:
            raise CheckError(f"{series.root}: cannot write the snapshot: {error}") from error

    def shown(item: Diagnostic | Related) -> str:
        return _shown(series.root, item.file, cwd)

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
    help="Git revision the edit-aware rules compare against. Default, as in the editor: git "
    "HEAD for tracked files, else the snapshot that --snapshot last wrote.",
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
    found: list[Diagnostic] = []
    checked = 0
    try:
        for root, targets in group_by_series(paths or (Path("."),)).items():
            series = Series.load(root)
            checked += sum(len(_targets(series, path)) for path in targets)
            found += _check_series(series, targets, revision, snapshot, cwd)
    except (ConfigError, BaselineError) as error:
        raise CheckError(str(error)) from error
    if not checked:
        where = ", ".join(str(path) for path in paths) or str(cwd)
        raise CheckError(f"{where}: no Fountain file to check")
    found.sort(key=Diagnostic.sort_key)
    if output == "json":
        click.echo(to_json(found))
    elif output == "sarif":
        click.echo(to_sarif(found, [*SPECS.values(), INVALID_UTF8]))
    elif output == "github":
        if found:
            click.echo(to_github(found))
    else:
        click.echo(to_text(found))
    failing = FAIL_ON[fail_on]
    raise SystemExit(1 if any(item.severity in failing for item in found) else 0)

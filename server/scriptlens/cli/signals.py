"""``scriptlens signals``: import audience exports, inspect themes, forget a person.

A thin face over ``scriptlens.signals``; the language server reads the same store through the
same functions. Errors print ``file:line: reason`` and exit with status 2, store unchanged.
"""

from __future__ import annotations

import json
import shlex
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import click

from scriptlens import workspace
from scriptlens.signals import (
    Defaults,
    ImportOptions,
    SignalsError,
    SignalSettings,
    Store,
    check_store,
    default_db_path,
    ensure_themes,
    forget_author,
    import_metrics,
    import_signals,
    list_themes,
    open_store,
    read_store,
    store_stats,
)
from scriptlens.signals.canonical import parse_column_map
from scriptlens.signals.detect import FORMATS
from scriptlens.signals.ingest import FileReport
from scriptlens.signals.names import series_cast
from scriptlens.signals.rebuild import KeptTable, RebuildPlan, Source, plan_rebuild, rebuild_store
from scriptlens.signals.themes import cast_changed
from scriptlens.text_facts import terminal_safe

EXIT_ERROR = 2
EXIT_DAMAGED = 1
# What makes a spreadsheet read a cell as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(EXIT_ERROR)


def _say(message: str) -> None:
    click.echo(message, err=True)


@contextmanager
def _session(db: Path | None, *, write: bool) -> Iterator[tuple[Store, SignalSettings]]:
    """The workspace's store and settings: opened for writing (waiting, and saying so, while
    another command writes) or for reading only. User errors, raised here or in the command's
    body, print their message and exit with status 2; a store this command created goes away
    with its failure while nothing is in it."""
    try:
        space = workspace.load(Path.cwd())
        settings = space.config.signals
        path = db or default_db_path(space.root)
        if write:
            store = open_store(path, space.state_dir, on_wait=_say)
        else:
            store = read_store(path, space.state_dir)
        with store:
            yield store, settings
    except (SignalsError, workspace.ConfigError) as error:
        _fail(str(error))


def _db_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Signal store file [default: $SCRIPTLENS_DB or .scriptlens/signals.db].",
    )(command)


class _ProgressBars:
    """Byte-based progress bars on stderr, one per file, only when a person is watching them.
    A bar is closed when its file is read to the end, when the next file starts, or when the
    import ends, by an error too: an open bar would swallow the error message's line."""

    def __init__(self) -> None:
        self._open: AbstractContextManager[object] | None = None

    def __enter__(self) -> _ProgressBars:
        return self

    def __exit__(self, *_: object) -> None:
        self._close()

    def _close(self) -> None:
        bar, self._open = self._open, None
        if bar is not None:
            bar.__exit__(None, None, None)

    def __call__(self, path: Path) -> Callable[[int], None] | None:
        if not sys.stderr.isatty():
            return None
        self._close()
        size = path.stat().st_size
        bar = self._open = click.progressbar(length=size, label=path.name, file=sys.stderr)
        bar.__enter__()
        done = 0

        def advance(position: int) -> None:
            nonlocal done
            if self._open is not bar:
                return  # finished: a closed bar must not be drawn again
            bar.update(position - done)
            done = position
            if done >= size:
                self._close()

        return advance


def _report_rebuild(store: Store, settings: SignalSettings) -> bool:
    """Themes are rebuilt by the command that changed the signals, never by a read; they read
    the names of the cast of the scripts here."""
    cast = series_cast(workspace.load(Path.cwd()))
    if (store.themes_stale or cast_changed(store, cast)) and sys.stderr.isatty():
        _say("rebuilding themes…")
    if not ensure_themes(store, settings, cast):
        return False
    themes = store.conn.execute("SELECT count(*) FROM themes").fetchone()[0]
    click.echo(f"themes: {themes} rebuilt")
    return True


@click.group("signals")
def signals() -> None:
    """Audience signals: import platform exports privately, see themes and how representative
    they are."""


def _summary(name: Path | str, report: FileReport) -> str:
    """What one export's import did, as ``import``, ``import-metrics`` and ``rebuild`` say."""
    if report.format == "metrics":
        return f"{name}: {report.rows_added} episode(s) of metrics, {len(report.skipped)} skipped"
    return (
        f"{name}: {report.format}, {report.encoding}: {report.rows_read} rows, "
        f"{report.rows_added} added, {report.duplicates} duplicate, {len(report.skipped)} skipped"
    )


@signals.command("import")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--platform", help="Platform of rows that do not name one (e.g. douyin).")
@click.option("--episode", type=click.IntRange(min=1), help="Episode of rows that do not say.")
@click.option(
    "--format", "fmt", type=click.Choice(["auto", *FORMATS]), default="auto", show_default=True
)
@click.option("--encoding", help="Text encoding [default: UTF-8, else GBK/GB18030].")
@click.option("--map", "column_map", default="", help="FIELD=COLUMN,...: rename export columns.")
@click.option("--skip-invalid", is_flag=True, help="Import valid rows; report each skipped one.")
@_db_option
def import_command(
    paths: tuple[Path, ...],
    platform: str | None,
    episode: int | None,
    fmt: str,
    encoding: str | None,
    column_map: str,
    skip_invalid: bool,
    db: Path | None,
) -> None:
    """Import exports (canonical CSV/JSONL, YouTube commentThreads JSON, Bilibili danmaku XML)
    in one transaction: all rows, or nothing."""
    with _session(db, write=True) as (store, settings):
        options = ImportOptions(
            format=fmt,
            defaults=Defaults(platform=(platform or "other").lower(), episode=episode),
            encoding=encoding,
            column_map=parse_column_map(column_map),
            skip_invalid=skip_invalid,
        )
        with _ProgressBars() as progress:
            reports = import_signals(store, list(paths), options, progress)
        for report in reports:
            for skipped in report.skipped:
                click.echo(f"{skipped} (skipped)", err=True)
            click.echo(_summary(report.path, report))
        total = sum(report.rows_added for report in reports)
        click.echo(f"imported {total} new signal(s) from {len(reports)} file(s) into {store.path}")
        _report_rebuild(store, settings)


@signals.command("import-metrics")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--platform", help="Platform of rows that do not name one.")
@click.option("--encoding", help="Text encoding [default: UTF-8, else GBK/GB18030].")
@click.option("--skip-invalid", is_flag=True, help="Import valid rows; report each skipped one.")
@_db_option
def import_metrics_command(
    file: Path, platform: str | None, encoding: str | None, skip_invalid: bool, db: Path | None
) -> None:
    """Import episode metrics (views, completion, retention curve) from a CSV."""
    with _session(db, write=True) as (store, settings):
        options = ImportOptions(
            defaults=Defaults(platform=(platform or "other").lower()),
            encoding=encoding,
            skip_invalid=skip_invalid,
        )
        report = import_metrics(store, file, options)
        for skipped in report.skipped:
            click.echo(f"{skipped} (skipped)", err=True)
        click.echo(_summary(file, report))
        _report_rebuild(store, settings)


@signals.command("stats")
@_db_option
def stats_command(db: Path | None) -> None:
    """What the store holds."""
    with _session(db, write=False) as (store, _):
        _note_stale_themes(store)
        stats = store_stats(store)

        def listing(counts: dict[Any, int]) -> str:
            return ", ".join(f"{key} {count}" for key, count in counts.items()) or "none"

        click.echo(f"store: {store.path} (schema {stats.schema_version})")
        click.echo(f"signals: {stats.signals} from {stats.authors} author(s)")
        click.echo(f"platforms: {listing(stats.by_platform)}")
        click.echo(f"kinds: {listing(stats.by_kind)}")
        click.echo(f"episodes: {listing(stats.by_episode)}")
        click.echo(f"themes: {stats.themes} ({stats.vocal_minority_themes} vocal minority)")
        click.echo(f"imports: {stats.imports}; episodes with metrics: {stats.metric_episodes}")


def _note_stale_themes(store: Store) -> None:
    if store.themes_stale:
        _say(
            "note: themes predate the latest signals (the command that changed them was "
            "interrupted); `scriptlens signals rebuild-themes` brings them up to date"
        )


def _shown(text: str) -> str:
    """Text from an export as printed: terminal escapes made visible, and a leading formula
    character quoted, so a spreadsheet this output is pasted into does not run it."""
    safe = terminal_safe(text)
    return f"'{safe}" if safe.startswith(FORMULA_STARTS) else safe


def _fit(text: str, width: int) -> str:
    """``text`` in ``width`` terminal columns (Chinese and Japanese characters take two), cut
    with an ellipsis when longer, padded when shorter."""
    sizes = [2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text]
    if sum(sizes) <= width:
        return text + " " * (width - sum(sizes))
    kept, used = [], 0
    for character, size in zip(text, sizes, strict=True):
        if used + size > width - 1:
            break
        kept.append(character)
        used += size
    return "".join(kept) + "…" + " " * (width - 1 - used)


LABEL_WIDTH = 44


@signals.command("themes")
@click.option("--episode", type=click.IntRange(min=1), help="Measure within one episode.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@_db_option
def themes_command(episode: int | None, as_json: bool, limit: int, db: Path | None) -> None:
    """Themes largest first: what the audience said (the quote most of them wrote, or the
    hashtag), how many people said it, and whether it is a vocal minority. Cite a theme in a
    script by its id: [[theme: ID]]."""
    with _session(db, write=False) as (store, _):
        _note_stale_themes(store)
        if cast_changed(store, series_cast(workspace.load(Path.cwd()))):
            _say(
                "note: the scripts' cast changed since the themes were built; "
                "`scriptlens signals rebuild-themes` reads the names again"
            )
        themes = list_themes(store, episode, limit)
        if as_json:
            payload = {"episode": episode, "themes": [theme.to_json() for theme in themes]}
            json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return
        click.echo(f"{'theme':<10}{_fit('what viewers said', LABEL_WIDTH)}{'people':>7}  who")
        for theme in themes:
            click.echo(
                f"{theme.id:<10}{_fit(_shown(theme.label), LABEL_WIDTH)}{theme.authors:>7}  "
                f"{theme.summary}"
            )


@signals.command("forget")
@click.option("--author", "author", required=True, help="The person's platform account id.")
@_db_option
def forget_command(author: str, db: Path | None) -> None:
    """Erase every signal of one person."""
    with _session(db, write=True) as (store, settings):
        deleted = forget_author(store, author)
        click.echo(f"forgot {deleted} signal(s) of that author")
        _report_rebuild(store, settings)


@signals.command("rebuild-themes")
@_db_option
def rebuild_themes_command(db: Path | None) -> None:
    """Rebuild the themes if the signals changed since they were built (after an interrupted
    import, metrics import or forget)."""
    with _session(db, write=True) as (store, settings):
        if not _report_rebuild(store, settings):
            click.echo("themes: up to date")


@signals.command("check")
@_db_option
def check_command(db: Path | None) -> None:
    """Check the store's integrity (every page and index) without changing it; exit status 1
    when it is damaged."""
    try:
        space = workspace.load(Path.cwd())
        path = db or default_db_path(space.root)
        if not path.exists():
            raise SignalsError(f"{path}: no signal store yet; nothing to check")
        problems = check_store(path, space.state_dir)
    except (SignalsError, workspace.ConfigError) as error:
        _fail(str(error))
    if not problems:
        click.echo(f"{path}: ok")
        return
    for problem in problems:
        click.echo(f"{path}: {terminal_safe(problem)}")
    click.echo(
        f"{path}: damaged; rebuild it from the exports its import log names "
        "(`scriptlens signals rebuild`; `--dry-run` shows what that takes), or restore it from "
        "a backup"
    )
    sys.exit(EXIT_DAMAGED)


def _repeating_command(source: Source) -> str:
    """The command line that repeats a logged import, as ``rebuild --dry-run`` shows it."""
    options, name = source.options, source.logged.name
    assert options is not None
    metrics = source.logged.format == "metrics"
    words = ["import-metrics" if metrics else "import", name]
    if options.defaults.platform != Defaults.platform:
        words += ["--platform", options.defaults.platform]
    if not metrics:
        if options.defaults.episode is not None:
            words += ["--episode", str(options.defaults.episode)]
        if options.format != "auto":
            words += ["--format", options.format]
        if options.column_map:
            mapping = ",".join(f"{key}={value}" for key, value in options.column_map.items())
            words += ["--map", mapping]
    if options.encoding:
        words += ["--encoding", options.encoding]
    if options.skip_invalid:
        words.append("--skip-invalid")
    return "scriptlens signals " + " ".join(shlex.quote(terminal_safe(word)) for word in words)


def _kept(table: KeptTable, *, planned: bool = False) -> str:
    kept, lost = ("would be kept", "would be lost") if planned else ("kept", "lost")
    if table.problem is None:
        return f"{table.name}: {table.rows} row(s) {kept}"
    return f"{table.name}: {lost}, {table.problem}; {table.recovery}".rstrip("; ")


def _show_plan(plan: RebuildPlan, skip_missing: bool) -> None:
    click.echo(f"{plan.path}: {len(plan.sources)} logged import(s), in order:")
    for source in plan.sources:
        at = source.logged.imported_at
        if source.problem is None:
            click.echo(f"  {at}  {_repeating_command(source)}")
        else:
            skipped = "skipped" if skip_missing else "cannot be repeated"
            click.echo(f"  {at}  {skipped}: {terminal_safe(source.logged.name)}: {source.problem}")
    for table in plan.kept:
        click.echo(_kept(table, planned=True))


@signals.command("rebuild")
@click.option("--dry-run", is_flag=True, help="Say what a rebuild would do; change nothing.")
@click.option(
    "--skip-missing",
    is_flag=True,
    help="Rebuild without the logged imports that cannot be repeated (missing or changed "
    "export, options not logged); their signals are lost. Default: name them and stop.",
)
@_db_option
def rebuild_command(dry_run: bool, skip_missing: bool, db: Path | None) -> None:
    """Rebuild the store from the exports its import log names, in their order and with their
    options (the way out of a damaged store): into a new file that then takes the store's
    place; the old one is kept beside it as a dated backup. Snapshot history, dismissed
    motivations and forgotten people are kept as far as the old store can be read."""
    try:
        space = workspace.load(Path.cwd())
        path = db or default_db_path(space.root)
        if dry_run:
            plan = plan_rebuild(path, space.state_dir)
            _show_plan(plan, skip_missing)
            if plan.unavailable and not skip_missing:
                raise plan.refusal()
            return
        with _ProgressBars() as progress:
            result = rebuild_store(
                path,
                space.state_dir,
                space.config.signals,
                series_cast(space),
                skip_missing=skip_missing,
                on_wait=_say,
                progress=progress,
            )
    except (SignalsError, workspace.ConfigError) as error:
        _fail(str(error))
    for source, report in result.reports:
        click.echo(_summary(terminal_safe(source.logged.name), report))
    for source in result.plan.unavailable:
        click.echo(f"{terminal_safe(source.logged.name)}: skipped, {source.problem}", err=True)
    for table in result.kept:
        click.echo(_kept(table))
    if result.forgotten_signals:
        click.echo(f"forgot again {result.forgotten_signals} signal(s) of forgotten people")
    click.echo(f"themes: {result.themes} rebuilt")
    click.echo(
        f"rebuilt {path} from {len(result.reports)} of {len(result.plan.sources)} logged "
        f"import(s); the old store is kept as {result.backup} (delete it once the new one "
        "serves: `forget` does not reach it)"
    )

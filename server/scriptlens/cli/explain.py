"""``scriptlens explain``: why a line is there, per scene the audience-driven lines, and what
the audience raised that no line answers. The same ``Provenance`` functions as the editor's
hover; errors are one sentence on stderr and exit status 2."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from scriptlens import workspace
from scriptlens.provenance import Explanation, Provenance
from scriptlens.signals import SignalsError
from scriptlens.text_facts import terminal_safe

EXIT_ERROR = 2
_FILE_LINE = re.compile(r"^(?P<file>.+):(?P<line>-?\d+)$")


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(EXIT_ERROR)


@contextmanager
def _provenance(anchor: Path, db: Path | None) -> Iterator[Provenance]:
    try:
        engine = Provenance(workspace.load(anchor), db_path=db)
        try:
            problem = engine.history_problem()
            if problem:
                _fail(problem)
            yield engine
        finally:
            engine.close()
    except (SignalsError, workspace.ConfigError) as error:
        _fail(str(error))


def _echo_json(value: object) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _listing(explanation: Explanation) -> str:
    head = f"{explanation.file}:{explanation.line + 1}: {explanation.text}"
    body = explanation.to_markdown() or "no audience signal explains this line"
    return "\n".join(terminal_safe(line) for line in [head, *body.split("\n")])


def _driven(explanation: Explanation, where: str) -> str:
    """One audience-driven line: where, its confidence, its text, and who drove it."""
    top = explanation.top
    assert top is not None
    return terminal_safe(
        f"  {where} {top.confidence:>4.0%}  {explanation.text[:60]}  <- {top.theme_label} "
        f"({top.support.authors} people, {top.support.signals} signals"
        f"{', vocal minority' if top.support.vocal_minority else ''})"
    )


@click.command("explain")
@click.argument("target", required=False)
@click.option("--summary", is_flag=True, help="Per scene of FILE, its audience-driven lines.")
@click.option(
    "--unanswered",
    is_flag=True,
    help="Themes the audience raised that no line answers, and lines answering a vocal minority.",
)
@click.option("--json", "as_json", is_flag=True, help="The stable JSON contract.")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Signal store file [default: $SCRIPTLENS_DB or .scriptlens/signals.db].",
)
def explain(
    target: str | None, summary: bool, unanswered: bool, as_json: bool, db: Path | None
) -> None:
    """Why a line is there: `explain FILE:LINE` (LINE counts from 1), `explain FILE --summary`,
    `explain --unanswered`."""
    if unanswered:
        if target is not None or summary:
            _fail("--unanswered takes no FILE and no --summary")
        with _provenance(Path.cwd(), db) as engine:
            result = engine.unanswered()
            if as_json:
                _echo_json(result.to_json())
                return
            click.echo("Raised by the audience, answered by no line (most people first):")
            for theme in result.themes:
                click.echo(
                    terminal_safe(
                        f"  {theme.label}  [{theme.theme_id}] {theme.support.authors} people, "
                        f"{theme.support.signals} signals, episodes "
                        f"{', '.join(map(str, theme.episodes))}"
                    )
                )
            click.echo("Lines whose main reason is a vocal minority:")
            for explanation in result.vocal_minority_lines:
                click.echo(_driven(explanation, f"{explanation.file}:{explanation.line + 1}:"))
            for hint in result.hints:
                click.echo(hint, err=True)
        return
    if target is None:
        _fail("say what to explain: FILE:LINE, FILE --summary, or --unanswered")
        return
    if summary:
        path = Path(target)
        if not path.is_file():
            _fail(f"{target}: no such file")
        with _provenance(path, db) as engine:
            summarized = engine.summary([path])
            if as_json:
                _echo_json(summarized.to_json())
                return
            for scene in summarized.scenes:
                click.echo(terminal_safe(f"{scene.file}: {scene.heading or '(before any scene)'}"))
                for explanation in scene.lines:
                    click.echo(_driven(explanation, f"{explanation.line + 1:>4}"))
            if not summarized.scenes:
                click.echo(f"{target}: no audience-driven line")
        return
    match = _FILE_LINE.match(target)
    if match is None:
        _fail(f"{target}: expected FILE:LINE (LINE counts from 1), or FILE --summary")
        return
    path, line = Path(match["file"]), int(match["line"])
    if not path.is_file():
        _fail(f"{match['file']}: no such file")
    if line < 1:
        _fail(f"{target}: LINE counts from 1")
    with _provenance(path, db) as engine:
        explanation = engine.explain_line(path, line - 1)
        if as_json:
            _echo_json(explanation.to_json())
        else:
            click.echo(_listing(explanation))

"""Provenance: for every line of a script, which audience signals motivated it, how
representative they were, and what happened on screen. The CLI and the language server call
the same functions, so they never disagree.

Public API (stable; lines are 0-based, files are paths or workspace-relative POSIX keys)::

    Provenance(space: Workspace | Path, *, db_path: Path | None = None)
        One per workspace; keeps caches (theme index, blame, parsed scripts). Not thread-safe:
        the language server calls it from a single worker thread.
    Provenance.explain_line(file, line: int, *, buffer_text: str | None = None) -> Explanation
        Why one line is there. ``buffer_text``: the editor's unsaved text (lines that differ
        from the last commit or snapshot count as introduced now). Raises ``SignalsError`` for
        a missing file or a line past the end (the message names the file and line).
    Provenance.explain_file(file, *, buffer_text=None) -> list[Explanation]
        The audience-driven lines of a file (an explicit link, or an inferred motivation with
        confidence >= 0.5), in order: what inlay hints and code lenses show.
    Provenance.link_findings(file, *, buffer_text=None) -> list[LinkFinding]
        ``[[signal: …]]`` / ``[[theme: …]]`` notes citing ids the store does not know, with the
        note's range (``LinkFinding.range``, a model ``Range``) and a message.
    Provenance.summary(files: Sequence[Path | str] | None = None) -> Summary
        Per scene of each file (all the series' files by default), its audience-driven lines.
    Provenance.unanswered(limit: int = 10) -> Unanswered
        The most representative themes no line answers, and lines answering a vocal minority.
    Provenance.dismiss(file, line: int, theme_id: str, *, buffer_text=None) -> None
        "Not why this line is there": that theme is no longer inferred for that line's text.
    Provenance.restore(file, line: int, theme_id: str, *, buffer_text=None) -> bool
        Undoes ``dismiss`` (whether the theme had been dismissed); ``Explanation.dismissed``
        lists a line's dismissed themes (``Dismissal``: theme_id, theme_label).
    Provenance.record_save(file, text: str, *, at=None, label=None, message="") -> bool
        Adds a snapshot revision (``scriptlens snapshot`` calls it; the server writes the same
        revision through ``provenance.history.record_revision`` on its writer thread).
    Provenance.keeps_snapshots(file) -> bool
        Whether saves of the file belong in the snapshot history (history mode, git tracking).
    Provenance.history_problem() -> str | None
        Why the configured history cannot be read (``history = "git"`` outside a repository).
    Provenance.calibration_samples(file, line: int, *, buffer_text=None)
        -> list[tuple[str, tuple[float, ...]]]
        Every candidate the engine weighs for a line, as (theme id, features): what
        ``calibration.fit`` learns confidence from (tests/test_provenance_quality.py).
    Provenance.writable() -> Store
        The store opened for writing (a context manager), for history and dismissals.
    Provenance.close() -> None

    The language server's face is ``scriptlens.lsp.provenance.EditorProvenance``, ``ls.provenance``:
    ``await ls.provenance.run(opened, job)`` runs ``job(engine, key, text)`` on the store's
    reader thread for an open document and drops stale answers; ``hover``, ``inlay_hints``,
    ``refresh_findings``/``findings`` (diagnostics), ``saved``, ``closed``.

    Explanation: file, line, text, episode, introduced (Introduced: at, revision, source),
        motivations / reactions (tuple[Motivation]), outcome (Outcome | None), hints,
        dismissed (tuple[Dismissal]; in the Markdown, not the JSON),
        .top, .audience_driven, .to_json() (the contract in docs/provenance.md),
        .to_markdown() (the hover's text).
    Motivation: kind ("explicit" | "inferred" | "reaction" | "danmaku"), confidence,
        theme_id, theme_label, signal_ids, support (Support: signals, authors,
        top_author_share, viewer_share, vocal_minority), quotes, evidence, .to_json().

    explain_line(space: Workspace | Path, file, line: int, *, buffer_text=None) -> Explanation
        One-shot form: opens a ``Provenance``, explains, closes.
"""

from __future__ import annotations

from pathlib import Path

from scriptlens.provenance.engine import Provenance
from scriptlens.provenance.model import (
    Dismissal,
    Explanation,
    Introduced,
    LinkFinding,
    Motivation,
    Outcome,
    Support,
)
from scriptlens.workspace import Workspace


def explain_line(
    space: Workspace | Path, file: Path | str, line: int, *, buffer_text: str | None = None
) -> Explanation:
    provenance = Provenance(space)
    try:
        return provenance.explain_line(file, line, buffer_text=buffer_text)
    finally:
        provenance.close()


__all__ = [
    "Dismissal",
    "Explanation",
    "Introduced",
    "LinkFinding",
    "Motivation",
    "Outcome",
    "Provenance",
    "Support",
    "explain_line",
]

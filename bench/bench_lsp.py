"""Language server benchmarks: what the server does for one keystroke in an open episode of a
100-episode series (issue: continuity engine, "re-checking after a keystroke in one open episode
under 20 ms"), through the server's own path: the open ``Document`` takes the change with
``tree.edit`` and an incremental reparse, and the series re-checks from the cached indexes of the
other files; the same path is also timed for a feature film written as one 120-page file, whose
whole model is rebuilt at each keystroke. Semantic tokens (target: under 30 ms for a 120-page
script) are timed from the open document's model, which every feature shares, built once per
version (its cost is the "parse + model" row of bench_parse). Publishing over stdio is left out: it
is pygls' serialisation, not our work.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench_continuity import series
from corpus import script
from harness import Row, below, median_seconds
from scriptlens.fountain.document import Document
from scriptlens.fountain.model import Position
from scriptlens.lsp.semantic_tokens import encode, semantic_tokens
from scriptlens.workspace.series import Series


def rows(quick: bool) -> list[Row]:
    return [keystroke_row(quick), feature_keystroke_row(quick), semantic_tokens_row(quick)]


def keystroke_row(quick: bool) -> Row:
    episodes = 20 if quick else 100
    seconds = _keystroke_seconds(series(episodes), f"ep{episodes // 2:03}.fountain", quick)
    return below(
        "lsp: keystroke, incremental reparse + re-check",
        seconds * 1000,
        "ms",
        20,
        f"{episodes} episodes, ~{episodes * 3} pages, baseline = last save",
    )


def feature_keystroke_row(quick: bool) -> Row:
    """A feature film written as one file: every keystroke rebuilds its whole model."""
    pages = 12 if quick else 120
    seconds = _keystroke_seconds({"film.fountain": script(pages)}, "film.fountain", quick)
    return Row(
        "lsp: keystroke, one-file feature script",
        seconds * 1000,
        "ms",
        "(reported)",
        True,
        f"{pages} pages in one file, baseline = last save",
    )


def _keystroke_seconds(files: dict[str, str], key: str, quick: bool) -> float:
    """Median time for the server's path after a keystroke in the open file ``key``."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8")
        workspace = Series.load(root)
        document = Document((root / key).read_text(encoding="utf-8"), key)
        workspace.opened(key, document)
        workspace.check(baseline="save")
        middle = Position(document.text.count("\n") // 2, 0)
        state = {"typed": False}

        def keystroke() -> object:
            # Alternate typing and deleting one character in the middle of the open file.
            state["typed"] = not state["typed"]
            if state["typed"]:
                document.apply_change(middle, middle, "x")
            else:
                document.apply_change(middle, Position(middle.line, 1), "")
            workspace.changed(key)
            return workspace.check(baseline="save")

        return median_seconds(keystroke, repeat=5 if quick else 21, warmup=2)


def semantic_tokens_row(quick: bool) -> Row:
    pages = 12 if quick else 120
    document = Document(script(pages))
    model, text = document.script, document.text

    def full() -> list[int]:
        return encode(semantic_tokens(model, text))

    seconds = median_seconds(full, repeat=5 if quick else 21, warmup=2)
    tokens = len(full()) // 5
    return below(
        "lsp: semantic tokens, full document",
        seconds * 1000,
        "ms",
        30,
        f"{pages} pages, {tokens:,} tokens, relative encoding",
    )

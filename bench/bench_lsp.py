"""Language server benchmarks: what the server does for one keystroke in an open episode of a
100-episode series (issue: continuity engine, "re-checking after a keystroke in one open episode
under 20 ms"), through the server's own path: the open ``Document`` takes the change with
``tree.edit`` and an incremental reparse, and the series re-checks from the cached indexes of the
other files. Semantic tokens (target: under 30 ms for a 120-page script) are timed from the open
document's model, which every feature shares, built once per version (its cost is the "parse +
model" row of bench_parse). Publishing over stdio is left out: it is pygls' serialisation, not our
work.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench_continuity import series
from corpus import script
from harness import Row, below, median_seconds
from scriptlens.document import Document
from scriptlens.lsp.semantic_tokens import encode, semantic_tokens
from scriptlens.lsp.series import WorkspaceSeries
from scriptlens.model import Position


def rows(quick: bool) -> list[Row]:
    return [keystroke_row(quick), semantic_tokens_row(quick)]


def keystroke_row(quick: bool) -> Row:
    episodes = 20 if quick else 100
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, text in series(episodes).items():
            (root / name).write_text(text, encoding="utf-8")
        workspace = WorkspaceSeries.at(root)
        key = f"ep{episodes // 2:03}.fountain"
        document = Document((root / key).read_text(encoding="utf-8"), key)
        workspace.opened(key, document)
        workspace.check("save")
        middle = Position(document.text.count("\n") // 2, 0)
        state = {"typed": False}

        def keystroke() -> object:
            # Alternate typing and deleting one character in the middle of the open episode.
            state["typed"] = not state["typed"]
            if state["typed"]:
                document.apply_change(middle, middle, "x")
            else:
                document.apply_change(middle, Position(middle.line, 1), "")
            workspace.changed(key)
            return workspace.check("save")

        seconds = median_seconds(keystroke, repeat=5 if quick else 21, warmup=2)
    pages = episodes * 3
    return below(
        "lsp: keystroke, incremental reparse + re-check",
        seconds * 1000,
        "ms",
        20,
        f"{episodes} episodes, ~{pages} pages, baseline = last save",
    )


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

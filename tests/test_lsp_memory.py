"""Why the server may freeze what a check leaves alive (``scriptlens.lsp.memory``): a check of
an edited series leaves no cyclic garbage, so objects frozen after it are all freed by their
reference counts once a newer version replaces them."""

from __future__ import annotations

import gc
from pathlib import Path

from scriptlens.fountain.document import Document
from scriptlens.fountain.model import Position
from scriptlens.lsp import memory
from scriptlens.workspace.series import Series

EPISODE = (
    "INT. HOSPITAL - NIGHT\n\nSU QING, 24, waits by the door. MR. LI walks in.\n\n"
    "SU QING\nYou came.\n\nMR. LI\nWhere do I sign?\n\n"
)


def test_checks_of_an_edited_series_leave_no_cyclic_garbage(tmp_path: Path) -> None:
    for number in range(1, 4):
        (tmp_path / f"ep{number:02}.fountain").write_text(EPISODE * 20, "utf-8")
    series = Series.load(tmp_path)
    document = Document(EPISODE * 20, "ep01.fountain")
    series.opened("ep01.fountain", document)
    series.check()
    gc.collect()
    for keystroke in range(40):
        line = keystroke * 3 % 100
        if keystroke % 2:
            document.apply_change(Position(line, 0), Position(line, 1), "")
        else:
            document.apply_change(Position(line, 0), Position(line, 0), "x")
        series.changed("ep01.fountain")
        series.recent_cast()
        series.check()
        assert gc.collect() == 0


def test_a_check_runs_with_the_collector_off_and_leaves_it_as_it_was() -> None:
    frozen = gc.get_freeze_count()
    kept = [[index] for index in range(1_000)]
    with memory.long_lived_objects_made():
        assert not gc.isenabled()
        kept += [[index] for index in range(1_000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen + 2_000
    gc.unfreeze()

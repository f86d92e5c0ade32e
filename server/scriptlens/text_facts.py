"""Facts about text that every core shares, defined once so the cores never disagree: which
characters are CJK, how a character's name is keyed, how a duration is written, and how text
from a user's file is made safe to print on a terminal."""

from __future__ import annotations

import re
import unicodedata

# Hiragana and katakana, CJK unified ideographs (extension A and the main block), Hangul
# syllables and CJK compatibility ideographs: the characters a line is timed and matched by one
# at a time, because the scripts that use them put no spaces between words.
CJK_RANGES = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
CJK_CHARACTER = re.compile(f"[{CJK_RANGES}]")
CJK_RUN = re.compile(f"[{CJK_RANGES}]+")

_SPACE = re.compile(r"\s+")


def cue_key(name: str) -> str:
    """A character's name as the cores compare it: upper case, runs of white space collapsed.
    ``MR. LI`` and ``MR LI`` stay two keys: telling them apart is the name-variant rule's job."""
    return _SPACE.sub(" ", name.strip()).upper()


def duration(seconds: float) -> str:
    """``M:SS``, or ``H:MM:SS`` from an hour on: the one way screen time is written."""
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """Text from a user's file as a terminal may show it: control and format characters (escape
    sequences, bidirectional overrides, NUL) become visible ``\\xNN``/``\\uNNNN`` escapes; tabs
    stay."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(
        _escape(character)
        if character != "\t" and unicodedata.category(character) in ("Cc", "Cf", "Cs")
        else character
        for character in text
    )

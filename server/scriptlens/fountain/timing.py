"""Estimated screen time, so that time-stamped bullet comments can be aligned with lines.

The model, documented in the README:

- Dialogue and lyrics are spoken: 2.5 words a second for spaced languages (150 words a minute,
  brisk for drama) plus 4 characters a second for Chinese, Japanese and Korean, which have no
  spaces. A spoken block lasts at least one second.
- Action plays out at the screenplay rule of a page a minute: a page holds 55 printed lines and an
  action line wraps at 61 characters, so each printed line of action is 60 / 55 seconds.
- Headings, transitions, notes, sections, synopses, boneyard, page breaks and the title page take
  no screen time, nor does a note written inside dialogue or action; parentheticals are acted
  over their dialogue.
"""

from __future__ import annotations

import re

from scriptlens.text_facts import CJK_CHARACTER

WORDS_PER_SECOND = 2.5
CJK_CHARACTERS_PER_SECOND = 4.0
MINIMUM_SPOKEN_SECONDS = 1.0
ACTION_LINE_WIDTH = 61
SECONDS_PER_ACTION_LINE = 60 / 55

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NOTE = re.compile(r"\[\[.*?\]\]", re.DOTALL)


def _unnoted(text: str) -> str:
    """The text as it plays: notes are for the writers, never spoken or shown."""
    return _NOTE.sub("", text) if "[[" in text else text


def spoken_seconds(text: str) -> float:
    text = _unnoted(text)
    cjk = 0 if text.isascii() else len(CJK_CHARACTER.findall(text))
    words = len(_WORD.findall(CJK_CHARACTER.sub(" ", text))) if cjk else len(_WORD.findall(text))
    seconds = words / WORDS_PER_SECOND + cjk / CJK_CHARACTERS_PER_SECOND
    return max(seconds, MINIMUM_SPOKEN_SECONDS)


def action_seconds(text: str) -> float:
    text = _unnoted(text)
    printed_lines = sum(
        max(1, -(-len(line.strip()) // ACTION_LINE_WIDTH)) for line in text.split("\n")
    )
    return printed_lines * SECONDS_PER_ACTION_LINE

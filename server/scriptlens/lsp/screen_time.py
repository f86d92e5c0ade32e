"""How estimated screen time reads in the editor."""

from __future__ import annotations


def duration(seconds: float) -> str:
    """``0:42``, ``12:05``, ``1:02:03``: rounded to the second, as a timecode reads."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def estimate(seconds: float) -> str:
    return f"≈ {duration(seconds)}"

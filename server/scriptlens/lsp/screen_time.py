"""How estimated screen time reads in the editor."""

from __future__ import annotations

from scriptlens.text_facts import duration


def estimate(seconds: float) -> str:
    return f"≈ {duration(seconds)}"

"""``--format auto``: which importer an export needs, judged from its first bytes of content."""

from __future__ import annotations

import json
from pathlib import Path

from scriptlens.signals.errors import SignalsError

FORMATS = ("csv", "jsonl", "youtube", "bilibili")
PEEK = 65536


def detect_format(head: str, path: Path) -> str:
    """``head`` is the start of the decoded export."""
    start = head.lstrip("\ufeff \t\r\n")
    if start.startswith("<"):
        if "<d p=" in start or "<i>" in start or "<i " in start:
            return "bilibili"
        raise SignalsError(f"{path}: XML but not Bilibili danmaku (<i> with <d p=...>)")
    if start.startswith(("{", "[")):
        if "topLevelComment" in start or "youtube#commentThread" in start:
            return "youtube"
        first_line = start.split("\n", 1)[0]
        try:
            json.loads(first_line)
        except json.JSONDecodeError:
            raise SignalsError(
                f"{path}: JSON that is neither JSONL (one object a line) nor YouTube "
                "commentThreads; pass --format"
            ) from None
        return "jsonl"
    return "csv"

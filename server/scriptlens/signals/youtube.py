"""YouTube Data API ``commentThreads`` responses: one response, a list of pages, or a list of
thread items, each thread yielding its top-level comment and the replies it carries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from scriptlens.signals.errors import RowError
from scriptlens.signals.rows import SourceRow


def _threads(document: Any) -> Iterator[Any]:
    pages = document if isinstance(document, list) else [document]
    for page in pages:
        if isinstance(page, dict) and "items" in page:
            yield from page["items"] or []
        else:
            yield page  # a bare thread item


def _comment_fields(comment: dict[str, Any], kind: str, parent: str | None) -> dict[str, Any]:
    snippet = comment.get("snippet") or {}
    channel = snippet.get("authorChannelId") or {}
    return {
        "id": comment.get("id"),
        "kind": kind,
        "platform": "youtube",
        "text": snippet.get("textOriginal") or snippet.get("textDisplay"),
        "author": channel.get("value") if isinstance(channel, dict) else None,
        "likes": snippet.get("likeCount"),
        "posted_at": snippet.get("publishedAt"),
        "parent_id": snippet.get("parentId") or parent,
    }


class _LineFinder:
    """Line of each thread id in the source, searched forward so the whole file is scanned once."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.offset = 0
        self.line = 1

    def find(self, needle: str | None) -> int:
        if needle:
            found = self.source.find(json.dumps(needle), self.offset)
            if found >= 0:
                self.line += self.source.count("\n", self.offset, found)
                self.offset = found
        return self.line


def read_youtube(stream: TextIO, path: Path) -> Iterator[SourceRow]:
    source = stream.read()
    try:
        document = json.loads(source)
    except json.JSONDecodeError as error:
        raise RowError(path, error.lineno, f"invalid JSON: {error.msg}") from None
    lines = _LineFinder(source)
    for thread in _threads(document):
        thread_id = thread.get("id") if isinstance(thread, dict) else None
        line = lines.find(thread_id)
        snippet = thread.get("snippet") if isinstance(thread, dict) else None
        top = snippet.get("topLevelComment") if isinstance(snippet, dict) else None
        if not isinstance(top, dict):
            yield SourceRow(line, {}, "not a commentThread: no snippet.topLevelComment")
            continue
        fields = _comment_fields(top, "comment", None)
        fields["replies"] = snippet.get("totalReplyCount") if isinstance(snippet, dict) else None
        yield SourceRow(line, fields)
        replies = thread.get("replies") if isinstance(thread, dict) else None
        for reply in (replies or {}).get("comments") or []:
            if isinstance(reply, dict):
                yield SourceRow(line, _comment_fields(reply, "reply", top.get("id")))
            else:
                yield SourceRow(line, {}, "reply is not an object")

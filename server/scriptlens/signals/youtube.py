"""YouTube Data API ``commentThreads`` responses: one response, a list of pages, or a list of
thread items, each thread yielding its top-level comment and the replies it carries.

Anything shaped unlike the API's documented types is refused per thread, naming its JSON path
(``$.items[3].replies``), so a thread is imported whole or, with ``--skip-invalid``, not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from scriptlens.signals.errors import RowError
from scriptlens.signals.rows import SourceRow

_EXPECTED: dict[str, type] = {
    "an object": dict,
    "an array": list,
    "a string": str,
    "an integer": int,
}


class _Malformed(Exception):
    """A value in the document is not of the type the API documents; the message names it."""


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def _expect(value: Any, expected: str, where: str, *, required: bool = False) -> Any:
    """``value`` if it is ``expected`` (absent or null only when not ``required``)."""
    if value is None:
        if required:
            raise _Malformed(f"{where} is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, _EXPECTED[expected]):
        raise _Malformed(f"{where}: expected {expected}, found {_json_type(value)}")
    return value


def _comment_fields(
    comment: dict[str, Any], kind: str, parent: str | None, where: str
) -> dict[str, Any]:
    snippet = _expect(comment.get("snippet"), "an object", f"{where}.snippet") or {}

    def snippet_value(key: str, expected: str) -> Any:
        return _expect(snippet.get(key), expected, f"{where}.snippet.{key}")

    channel = snippet_value("authorChannelId", "an object") or {}
    original = snippet_value("textOriginal", "a string")
    display = snippet_value("textDisplay", "a string")
    return {
        "id": _expect(comment.get("id"), "a string", f"{where}.id"),
        "kind": kind,
        "platform": "youtube",
        "text": original or display,
        "author": _expect(
            channel.get("value"), "a string", f"{where}.snippet.authorChannelId.value"
        ),
        "likes": snippet_value("likeCount", "an integer"),
        "posted_at": snippet_value("publishedAt", "a string"),
        "parent_id": snippet_value("parentId", "a string") or parent,
    }


def _thread_rows(thread: Any, where: str, line: int) -> list[SourceRow]:
    """The thread's top-level comment and its replies, or ``_Malformed`` for the first bad value."""
    thread = _expect(thread, "an object", where, required=True)
    _expect(thread.get("id"), "a string", f"{where}.id")
    snippet = _expect(thread.get("snippet"), "an object", f"{where}.snippet", required=True)
    top_where = f"{where}.snippet.topLevelComment"
    top = _expect(snippet.get("topLevelComment"), "an object", top_where, required=True)
    fields = _comment_fields(top, "comment", None, top_where)
    fields["replies"] = _expect(
        snippet.get("totalReplyCount"), "an integer", f"{where}.snippet.totalReplyCount"
    )
    rows = [SourceRow(line, fields)]
    replies = _expect(thread.get("replies"), "an object", f"{where}.replies") or {}
    comments_where = f"{where}.replies.comments"
    comments = _expect(replies.get("comments"), "an array", comments_where) or []
    for index, reply in enumerate(comments):
        reply_where = f"{comments_where}[{index}]"
        reply = _expect(reply, "an object", reply_where, required=True)
        rows.append(SourceRow(line, _comment_fields(reply, "reply", fields["id"], reply_where)))
    return rows


class _LineFinder:
    """Line of each thread id in the source, searched forward so the whole file is scanned once.
    A thread with nothing to search for gets the line reached so far; its JSON path tells it."""

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


def _pages(document: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(document, list):
        for index, page in enumerate(document):
            yield f"$[{index}]", page
    else:
        yield "$", document


def _rows_of_thread(thread: Any, where: str, lines: _LineFinder) -> list[SourceRow]:
    # Located by its id; a string in place of a thread by the string itself.
    needle = thread.get("id") if isinstance(thread, dict) else thread
    line = lines.find(needle if isinstance(needle, str) else None)
    try:
        return _thread_rows(thread, where, line)
    except _Malformed as error:
        return [SourceRow(line, {}, str(error))]


def read_youtube(stream: TextIO, path: Path) -> Iterator[SourceRow]:
    source = stream.read()
    try:
        document = json.loads(source)
    except json.JSONDecodeError as error:
        raise RowError(path, error.lineno, f"invalid JSON: {error.msg}") from None
    lines = _LineFinder(source)
    for page_where, page in _pages(document):
        if not (isinstance(page, dict) and "items" in page):
            yield from _rows_of_thread(page, page_where, lines)  # a bare thread item
            continue
        try:
            items = _expect(page["items"], "an array", f"{page_where}.items") or []
        except _Malformed as error:
            yield SourceRow(lines.find("items"), {}, str(error))
            continue
        for index, thread in enumerate(items):
            yield from _rows_of_thread(thread, f"{page_where}.items[{index}]", lines)

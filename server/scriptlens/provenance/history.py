"""When each line of a script was introduced: from git's blame, or from scriptlens's own snapshot
history in the store, or unknown.

Both sources answer for a *base* text (the file at the last commit, or its last snapshot); the
current text (an open buffer, or the file on disk) is then aligned with the base line by line,
and lines that are not in the base count as introduced now (source ``working``).

Git blame runs ``git blame --porcelain`` on the committed file; its answer is kept per file and
commit in memory and under ``.scriptlens/blame/``, so a file is blamed once per commit.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal

from scriptlens.fountain.text_reader import read_source
from scriptlens.provenance.model import Introduced
from scriptlens.signals.store import Store
from scriptlens.workspace import STATE_DIR

HistoryMode = Literal["auto", "git", "snapshots"]
HISTORY_MODES: tuple[HistoryMode, ...] = ("auto", "git", "snapshots")
BLAME_DIR = "blame"
UNKNOWN = Introduced(None, None, "unknown")


class HistoryError(RuntimeError):
    """The history cannot be read; the message names the file and the reason."""


@dataclass(frozen=True)
class BaseHistory:
    """A text the history knows, and when each of its lines was introduced."""

    lines: tuple[str, ...]
    introduced: tuple[Introduced, ...]


def _git(root: Path, *args: str) -> str | None:
    """git's output, or None when git is missing or says no (not a repository, untracked)."""
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except FileNotFoundError:
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="replace")


def parse_porcelain(output: str) -> BaseHistory:
    """``git blame --porcelain``: a header ``sha orig final [count]`` per line, the commit's
    details the first time it appears, then the line itself after a tab."""
    times: dict[str, int] = {}
    lines: list[str] = []
    introduced: list[Introduced] = []
    sha = ""
    expect_header = True
    for raw in output.split("\n"):
        if expect_header:
            if not raw:
                continue
            sha = raw.split(" ", 1)[0]
            expect_header = False
        elif raw.startswith("\t"):
            lines.append(raw[1:])
            introduced.append(Introduced(times.get(sha), sha[:7], "git"))
            expect_header = True
        elif raw.startswith("author-time "):
            times[sha] = int(raw.split(" ", 1)[1])
    return BaseHistory(tuple(lines), tuple(introduced))


class GitHistory:
    """Blame of committed files, cached per file and commit in memory and on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._memory: dict[tuple[str, str], BaseHistory] = {}
        self._head: tuple[float, str | None] | None = None

    def head(self) -> str | None:
        """HEAD's commit; asked of git at most once a second, as hovers come in bursts."""
        now = time.monotonic()
        if self._head is None or now - self._head[0] > 1.0:
            out = _git(self.root, "rev-parse", "--verify", "--quiet", "HEAD")
            self._head = (now, out.strip() if out else None)
        return self._head[1]

    def base(self, key: str) -> BaseHistory | None:
        """The committed text of ``key`` (relative to the root) with its blame; None when the
        workspace is not a git repository or git does not track the file."""
        commit = self.head()
        if commit is None:
            return None
        cached = self._memory.get((key, commit))
        if cached is not None:
            return cached
        cache_file = (
            self.root
            / STATE_DIR
            / BLAME_DIR
            / f"{commit}-{hashlib.blake2b(key.encode(), digest_size=8).hexdigest()}.json"
        )
        try:
            data = json.loads(cache_file.read_text(encoding="utf-8"))
            found = BaseHistory(
                tuple(data["lines"]),
                tuple(Introduced(at, rev, "git") for at, rev in data["introduced"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            output = _git(self.root, "blame", "--porcelain", commit, "--", key)
            if output is None:
                return None
            found = parse_porcelain(output)
            try:
                cache_file.parent.mkdir(parents=True, exist_ok=True)
                cache_file.write_text(
                    json.dumps(
                        {
                            "lines": list(found.lines),
                            "introduced": [[i.at, i.revision] for i in found.introduced],
                        }
                    ),
                    encoding="utf-8",
                )
            except OSError:
                pass  # a read-only workspace still gets the memory cache
        self._memory[(key, commit)] = found
        return found


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _carry_over(old_lines: Sequence[str], new_lines: Sequence[str]) -> list[int | None]:
    """For each new line, the index of the same line in the old text, or None if it is new."""
    matched: list[int | None] = [None] * len(new_lines)
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            matched[block.b + offset] = block.a + offset
    return matched


def record_revision(
    store: Store,
    key: str,
    text: str,
    *,
    at: int | None = None,
    label: str | None = None,
    message: str = "",
) -> bool:
    """Add ``text`` as the newest snapshot of ``key``, unless it equals the last one; returns
    whether a revision was recorded. Lines carried over from the last snapshot keep their
    introducing revision; the others are introduced by this one."""
    sha = text_sha(text)
    conn = store.conn
    last = conn.execute(
        "SELECT text_sha, text, introductions FROM revisions WHERE file = ? "
        "ORDER BY id DESC LIMIT 1",
        (key,),
    ).fetchone()
    if last is not None and last[0] == sha:
        return False
    lines = text.split("\n")
    with store.db.atomic():
        cursor = conn.execute(
            "INSERT INTO revisions (file, recorded_at, label, message, text_sha, text, "
            "introductions) VALUES (?, ?, ?, ?, ?, ?, '[]')",
            (key, int(time.time()) if at is None else at, label, message, sha, text),
        )
        revision = cursor.lastrowid
        if last is None:
            introductions = [revision] * len(lines)
        else:
            before = json.loads(last[2])
            introductions = [
                revision if old is None else before[old]
                for old in _carry_over(last[1].split("\n"), lines)
            ]
        conn.execute(
            "UPDATE revisions SET introductions = ? WHERE id = ?",
            (json.dumps(introductions), revision),
        )
    return True


REVISION_NAME = "%Y-%m-%dT%H%MZ"  # a dated revision's folder: 2026-03-02T1000Z
MESSAGE_NAME = "MESSAGE"


@dataclass(frozen=True)
class ReplayedRevision:
    label: str
    at: int
    files: tuple[str, ...]  # the files it added a revision of (none when replayed before)


def replay(store: Store, folder: Path) -> list[ReplayedRevision]:
    """Dated revisions (``folder/<YYYY-MM-DDTHHMMZ>/<file>.fountain`` and ``MESSAGE``), oldest
    first, into the snapshot history; a revision already replayed is skipped."""
    dated: list[tuple[int, Path]] = []
    for child in folder.iterdir():
        if not child.is_dir():
            continue
        try:
            stamp = datetime.strptime(child.name, REVISION_NAME).replace(tzinfo=timezone.utc)
        except ValueError:
            raise ValueError(
                f"{child}: a revision folder is named by its UTC time, as 2026-03-02T1000Z"
            ) from None
        dated.append((int(stamp.timestamp()), child))
    replayed = []
    for at, revision in sorted(dated):
        message_file = revision / MESSAGE_NAME
        message = message_file.read_text(encoding="utf-8").strip() if message_file.is_file() else ""
        added = []
        for script in sorted(revision.rglob("*.fountain")):
            key = script.relative_to(revision).as_posix()
            seen = store.conn.execute(
                "SELECT 1 FROM revisions WHERE file = ? AND label = ?", (key, revision.name)
            ).fetchone()
            text = read_source(script).text
            if seen is None and record_revision(
                store, key, text, at=at, label=revision.name, message=message
            ):
                added.append(key)
        replayed.append(ReplayedRevision(revision.name, at, tuple(added)))
    return replayed


def last_revision(store: Store, key: str) -> int | None:
    row = store.conn.execute("SELECT max(id) FROM revisions WHERE file = ?", (key,)).fetchone()
    return row[0] if row else None


def snapshot_base(store: Store, revision: int) -> BaseHistory:
    """A snapshot with when each of its lines was introduced."""
    conn = store.conn
    text, introductions = conn.execute(
        "SELECT text, introductions FROM revisions WHERE id = ?", (revision,)
    ).fetchone()
    ids: list[int] = json.loads(introductions)
    distinct = sorted(set(ids))
    placeholders = ",".join("?" for _ in distinct)
    known = {
        revision: Introduced(recorded_at, label or str(revision), "snapshots")
        for revision, recorded_at, label in conn.execute(
            f"SELECT id, recorded_at, label FROM revisions WHERE id IN ({placeholders})",
            distinct,
        )
    }
    return BaseHistory(tuple(text.split("\n")), tuple(known[i] for i in ids))


class Introductions:
    """Per line of a current text, when it was introduced, under the workspace's history mode
    (``auto``: git where git tracks the file, else snapshots)."""

    def __init__(self, root: Path, mode: HistoryMode) -> None:
        self.root = root
        self.mode = mode
        self.git = GitHistory(root)
        # per file: the sha of its last text asked about, the base, and the answer
        self._aligned: dict[str, tuple[str, BaseHistory, list[Introduced]]] = {}
        self._snapshots: dict[str, tuple[int, BaseHistory]] = {}

    def base(self, key: str, store: Store | None) -> BaseHistory | None:
        if self.mode in ("auto", "git"):
            found = self.git.base(key)
            if found is not None or self.mode == "git":
                return found
        if store is None:
            return None
        revision = last_revision(store, key)
        if revision is None:
            return None
        cached = self._snapshots.get(key)
        if cached is None or cached[0] != revision:
            cached = (revision, snapshot_base(store, revision))
            self._snapshots[key] = cached
        return cached[1]

    def of_text(self, key: str, text: str, store: Store | None) -> list[Introduced]:
        """One ``Introduced`` per line of ``text``."""
        base = self.base(key, store)
        lines = text.split("\n")
        if base is None:
            return [UNKNOWN] * len(lines)
        sha = text_sha(text)
        cached = self._aligned.get(key)
        if cached is not None and cached[0] == sha and cached[1] is base:
            return cached[2]
        if list(base.lines) == lines:  # unchanged since the commit or snapshot
            self._aligned[key] = (sha, base, list(base.introduced))
            return self._aligned[key][2]
        now = Introduced(int(time.time()), None, "working")
        result = [
            now if old is None else base.introduced[old] for old in _carry_over(base.lines, lines)
        ]
        self._aligned[key] = (sha, base, result)
        return result

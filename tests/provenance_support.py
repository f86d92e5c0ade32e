"""What the provenance tests share: a small series whose episode 4 was rewritten after the
audience asked for a line, with the signals in a real store and the history in git or in the
snapshot store."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from continuity_support import git
from scriptlens.fountain.parser import parse
from scriptlens.provenance.history import record_revision
from scriptlens.signals import (
    ImportOptions,
    SignalSettings,
    ensure_themes,
    import_metrics,
    import_signals,
    open_store,
)

EP04_BEFORE = """\
Title: Twins
Episode: 4

INT. HOSPITAL - DAY

MR. LI
Where is the report?

NURSE CHEN
On your desk, sir.
"""

# Line 12 (0-based) answers the audience; line 14 links its signals explicitly.
EP04_AFTER = (
    EP04_BEFORE
    + """
ZHOU MING
Mr. Li, your twins are waiting. Sign the papers and they come home.

SU QING
Nobody leaves this room. [[signal: #twins, c3, nosuchid]]
"""
)
ANSWER_LINE = 12
LINKED_LINE = 15
OLD_LINE = 6  # "Where is the report?", written before any signal

CONFIG = """\
[cast.aliases]
"MR. LI" = ["LI WEI", "李总"]
"""

COLUMNS = (
    "id",
    "kind",
    "platform",
    "episode",
    "posted_at",
    "text",
    "author",
    "likes",
    "video_time",
)
# Where the answer line starts playing in episode 4, by the screen-time estimate.
ANSWER_STARTS = sum(
    element.seconds
    for element in parse(EP04_AFTER).elements
    if element.range.start.line < ANSWER_LINE - 1  # its cue plays no time of its own
)
# Before the rewrite (2026-03-05): twelve people ask Mr. Li to sign for his twins, in English
# and Chinese; a hashtag. After it: reactions to the new line and to the old one.
SIGNALS: list[tuple[str, ...]] = [
    *[
        (
            f"c{n}",
            "comment",
            "weibo",
            "3",
            f"2026-03-0{2 + n % 2}T1{n % 10}:00:00Z",
            "Mr. Li should sign for his twins already" if n % 2 else "李总快给双胞胎签字吧",
            f"wb-a{n}",
            str(10 + n),
        )
        for n in range(1, 13)
    ],
    ("h1", "hashtag", "weibo", "3", "2026-03-02T12:00:00Z", "#twins", "wb-a1", "3"),
    ("h2", "hashtag", "weibo", "3", "2026-03-02T13:00:00Z", "#twins", "wb-a2", "3"),
    *[
        (
            f"r{n}",
            "comment",
            "weibo",
            "4",
            "2026-03-08T12:00:00Z",
            "where is the report lol",
            f"wb-r{n}",
            "1",
        )
        for n in range(1, 6)
    ],
    # Bullet comments while the answer line plays in episode 4, after it aired.
    *[
        (
            f"d{n}",
            "danmaku",
            "bilibili",
            "4",
            "2026-03-09T20:00:00Z",
            "签了签了！",
            f"bl-{n}",
            "0",
            f"{ANSWER_STARTS + 2:.1f}",
        )
        for n in range(1, 5)
    ],
    # Asked by many before the rewrite, answered by no line.
    *[
        (
            f"u{n}",
            "comment",
            "weibo",
            "3",
            "2026-03-03T09:00:00Z",
            "Give Nurse Chen a backstory please",
            f"wb-u{n}",
            "2",
        )
        for n in range(1, 9)
    ],
]
METRICS = """\
episode,platform,views,completion_rate,comments,retention_0s,retention_30s,retention_60s
3,douyin,1000,0.40,50,1,0.7,0.5
4,douyin,1200,0.52,80,1,0.8,0.6
"""
BEFORE_AT = "2026-03-01T10:00:00Z"
AFTER_AT = "2026-03-05T10:00:00Z"


def write_signals(root: Path, rows: Sequence[tuple[str, ...]] = SIGNALS) -> None:
    """The signals as a canonical CSV export, imported into the workspace's store, with the
    episode metrics."""
    export = root / "comments.csv"
    with export.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows((*row, *[""] * (len(COLUMNS) - len(row))) for row in rows)
    metrics = root / "metrics.csv"
    metrics.write_text(METRICS, encoding="utf-8")
    with open_store(root / ".scriptlens" / "signals.db", root / ".scriptlens") as store:
        import_signals(store, [export], ImportOptions())
        import_metrics(store, metrics, ImportOptions())
        ensure_themes(store, SignalSettings())


def series(root: Path, history: str) -> Path:
    """The series in ``root``, episode 4 rewritten on 2026-03-05, its history kept in ``git``
    (two dated commits) or in ``snapshots`` (two dated revisions)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "scriptlens.toml").write_text(
        CONFIG + f'\n[provenance]\nhistory = "{history}"\n', encoding="utf-8"
    )
    ep04 = root / "ep04.fountain"
    ep04.write_text(EP04_BEFORE, encoding="utf-8")
    write_signals(root)
    if history == "git":
        git(root, "init", "-q")
        git(root, "add", "ep04.fountain")
        # blame reads the author date
        git(root, "commit", "-q", "-m", "first draft", f"--date={BEFORE_AT}")
        ep04.write_text(EP04_AFTER, encoding="utf-8")
        git(root, "commit", "-q", "-am", "the twins", f"--date={AFTER_AT}")
    else:
        with open_store(root / ".scriptlens" / "signals.db", root / ".scriptlens") as store:
            for text, at in ((EP04_BEFORE, BEFORE_AT), (EP04_AFTER, AFTER_AT)):
                stamp = int(datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp())
                record_revision(store, "ep04.fountain", text, at=stamp, label=at[:10])
        ep04.write_text(EP04_AFTER, encoding="utf-8")
    return root

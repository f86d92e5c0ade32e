"""Turning one export row (canonical field names, raw values) into a stored signal.

Every importer yields the canonical fields; this module is the single place that validates
them, scrubs the text and replaces identities by keyed digests, so no format can bypass privacy.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, NamedTuple

from scriptlens.signals.normalize import fingerprint, hashtag_text, normalize
from scriptlens.signals.privacy import Keyed, scrub

FIELDS = (
    "id",
    "kind",
    "platform",
    "episode",
    "posted_at",
    "text",
    "author",
    "likes",
    "replies",
    "reposts",
    "video_time",
    "parent_id",
    "lang",
)
KINDS = frozenset({"comment", "reply", "danmaku", "repost", "hashtag", "meme"})
# Column order of ``StoredRow`` tuples, as inserted into ``signals``.
STORED_COLUMNS = (
    "uid",
    "platform",
    "kind",
    "episode",
    "posted_at",
    "text",
    "author",
    "likes",
    "replies",
    "reposts",
    "video_time",
    "parent",
    "lang",
    "norm",
    "import_id",
)
StoredRow = tuple[Any, ...]


class SourceRow(NamedTuple):
    """What an importer read at one line: canonical fields, or why the row is unusable."""

    line: int
    fields: Mapping[str, Any]
    problem: str | None = None


_EPISODE = re.compile(r"^(?:e|ep|episode)?\s*0*(\d+)$|^第\s*(\d+)\s*集$", re.IGNORECASE)
_COUNT = re.compile(r"^(\d+(?:\.\d+)?)\s*([kKwW万]?)$")
_SCALE = {"": 1, "k": 1_000, "K": 1_000, "w": 10_000, "W": 10_000, "万": 10_000}
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")
MILLISECONDS_FROM = 10**11  # epoch values above this are milliseconds (year 5138 in seconds)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_episode(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        match = _EPISODE.match(str(value).strip())
        if match is None:
            raise ValueError(f"episode {str(value)[:20]!r} is not an episode number")
        number = int(match.group(1) or match.group(2))
    if number < 1:
        raise ValueError(f"episode {number} must be 1 or more")
    return number


def parse_count(name: str, value: Any) -> int:
    """Non-negative counts, including the ``1.2万`` / ``3.4w`` / ``1.5k`` of Chinese exports."""
    if _blank(value):
        return 0
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    match = _COUNT.match(str(value).strip().replace(",", ""))
    if match is None:
        raise ValueError(f"{name} {str(value)[:20]!r} is not a count")
    return round(float(match.group(1)) * _SCALE[match.group(2)])


def parse_instant(value: Any) -> int | None:
    """Epoch seconds from ISO 8601 (UTC when no offset) or epoch seconds / milliseconds."""
    if _blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip()
        try:
            number = float(text)
        except ValueError:
            try:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(f"posted_at {text[:30]!r} is neither ISO 8601 nor epoch") from None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            return int(moment.timestamp())
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"posted_at {value!r} is not a time")
    return int(number / 1000 if number > MILLISECONDS_FROM else number)


def parse_seconds(value: Any) -> float | None:
    """Seconds into the episode: ``83.5``, ``1:23.5`` or ``0:01:23``."""
    if _blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    else:
        text = str(value).strip()
        clock = _CLOCK.match(text)
        if clock:
            hours, minutes, rest = clock.groups()
            seconds = int(hours or 0) * 3600 + int(minutes) * 60 + float(rest)
        else:
            try:
                seconds = float(text)
            except ValueError:
                raise ValueError(f"video_time {text[:20]!r} is not seconds") from None
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"video_time {value!r} must be 0 or more seconds")
    return seconds


@dataclass(frozen=True)
class Defaults:
    """What the command line supplies for rows that do not say."""

    platform: str = "other"
    episode: int | None = None


class RowMaker:
    """Validates canonical fields and produces the privacy-safe tuple to store."""

    def __init__(self, keyed: Keyed, defaults: Defaults, import_id: int) -> None:
        self.keyed = keyed
        self.defaults = defaults
        self.import_id = import_id
        # Reactions repeat ("前方高能", "omg"), so normalizing each distinct text once pays.
        self._fingerprints: dict[str, int] = {}

    def _fingerprint(self, text: str) -> int:
        known = self._fingerprints.get(text)
        if known is None:
            if len(self._fingerprints) > 100_000:  # bound memory on huge imports
                self._fingerprints.clear()
            known = self._fingerprints[text] = fingerprint(normalize(text))
        return known

    def make(self, fields: Mapping[str, Any]) -> StoredRow:
        """The stored row, or ``ValueError`` with a reason that quotes no personal data."""
        raw_text = fields.get("text")
        if _blank(raw_text):
            raise ValueError("text is empty")
        kind = str(fields.get("kind") or "comment").strip().lower()
        if kind not in KINDS:
            raise ValueError(f"kind {kind[:20]!r} is not one of {', '.join(sorted(KINDS))}")
        platform = str(fields.get("platform") or self.defaults.platform).strip().lower()
        episode_value = fields.get("episode")
        if _blank(episode_value):
            if self.defaults.episode is None:
                raise ValueError("no episode: add an episode column or pass --episode")
            episode = self.defaults.episode
        else:
            episode = parse_episode(episode_value)
        text = scrub(str(raw_text).strip())
        if kind == "hashtag":
            text = hashtag_text(text)
        posted_at = parse_instant(fields.get("posted_at"))
        video_time = parse_seconds(fields.get("video_time"))
        author_value = fields.get("author")
        author = None if _blank(author_value) else self.keyed.author(str(author_value).strip())
        parent_value = fields.get("parent_id")
        parent = (
            None if _blank(parent_value) else self.keyed.signal_uid(platform, str(parent_value))
        )
        external_id = fields.get("id")
        if _blank(external_id):
            uid = self.keyed.content_uid(
                f"{platform}\0{episode}\0{kind}\0{text}\0{author}\0{posted_at}\0{video_time}"
            )
        else:
            uid = self.keyed.signal_uid(platform, str(external_id).strip())
        lang = fields.get("lang")
        return (
            uid,
            platform,
            kind,
            episode,
            posted_at,
            text,
            author,
            parse_count("likes", fields.get("likes")),
            parse_count("replies", fields.get("replies")),
            parse_count("reposts", fields.get("reposts")),
            video_time,
            parent,
            None if _blank(lang) else str(lang).strip()[:16],
            self._fingerprint(text),
            self.import_id,
        )

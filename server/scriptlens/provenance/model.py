"""What provenance says about a line, as plain values with a stable JSON form.

``Explanation.to_json`` is the contract documented in ``docs/provenance.md``: lines 0-based,
times ISO 8601 in UTC, no author identity anywhere (only counts and shares).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

from scriptlens.fountain.model import Range
from scriptlens.provenance.render import markdown

MotivationKind = Literal["explicit", "inferred", "reaction", "danmaku"]
HistorySource = Literal["git", "snapshots", "working", "unknown"]
AUDIENCE_DRIVEN = 0.5  # an inferred motivation this likely makes a line audience-driven


def iso(epoch: int | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Introduced:
    """When a line entered the script. ``working``: it differs from the last commit or
    snapshot (an unsaved or uncommitted edit), so it is being introduced now."""

    at: int | None  # epoch seconds
    revision: str | None
    source: HistorySource

    def to_json(self) -> dict[str, Any]:
        return {"at": iso(self.at), "revision": self.revision, "source": self.source}


@dataclass(frozen=True)
class Support:
    """Who stands behind a motivation or reaction: counts and shares, never identities."""

    signals: int
    authors: int
    top_author_share: float  # share of the signals written by the most active author
    viewer_share: float | None  # unique authors / views of their episodes, when known
    vocal_minority: bool


@dataclass(frozen=True)
class Motivation:
    kind: MotivationKind
    confidence: float
    theme_id: str | None
    theme_label: str
    signal_ids: tuple[str, ...]  # citable ids of the most representative signals, up to 20
    support: Support
    quotes: tuple[str, ...]  # stored (scrubbed) texts, up to 3
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "confidence": round(self.confidence, 2),
            "theme": {"id": self.theme_id, "label": self.theme_label},
            "signal_ids": list(self.signal_ids),
            "signals": self.support.signals,
            "authors": self.support.authors,
            "top_author_share": round(self.support.top_author_share, 3),
            "viewer_share": self.support.viewer_share,
            "vocal_minority": self.support.vocal_minority,
            "evidence": self.evidence,
            "quotes": list(self.quotes),
        }


@dataclass(frozen=True)
class Outcome:
    """The episode's figures beside the series' median and the episode before it."""

    episode: int
    figures: dict[str, dict[str, float | None]]  # metric -> value, series_median, previous
    retention: dict[str, float] | None  # position_seconds, fraction still watching

    def to_json(self) -> dict[str, Any]:
        completion = self.figures.get("completion_rate", {})
        return {
            "episode": self.episode,
            "completion_rate": completion.get("value"),
            "series_median": completion.get("series_median"),
            "previous": completion.get("previous"),
            **{
                name: figures for name, figures in self.figures.items() if name != "completion_rate"
            },
            "retention": self.retention,
        }


@dataclass(frozen=True)
class Dismissal:
    """A theme the writers said is not why a line is there (``Provenance.dismiss``)."""

    theme_id: str
    theme_label: str  # the theme's id when the themes were rebuilt without it


@dataclass(frozen=True)
class Explanation:
    file: str
    line: int  # 0-based
    text: str
    episode: int | None
    introduced: Introduced
    motivations: tuple[Motivation, ...]
    reactions: tuple[Motivation, ...]
    outcome: Outcome | None
    hints: tuple[str, ...] = ()  # what the writer can do to learn more (e.g. import signals)
    # The themes the writers dismissed for this line (shown in the Markdown, not in the JSON).
    dismissed: tuple[Dismissal, ...] = ()

    @property
    def top(self) -> Motivation | None:
        return self.motivations[0] if self.motivations else None

    @property
    def audience_driven(self) -> bool:
        """An explicit link, or an inferred motivation more likely right than wrong."""
        top = self.top
        return top is not None and (top.kind == "explicit" or top.confidence >= AUDIENCE_DRIVEN)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "text": self.text,
            "episode": self.episode,
            "introduced": self.introduced.to_json(),
            "motivations": [motivation.to_json() for motivation in self.motivations],
            "reactions": [reaction.to_json() for reaction in self.reactions],
            "outcome": self.outcome.to_json() if self.outcome else None,
            "hints": list(self.hints),
        }

    def to_markdown(self) -> str:
        return markdown(self)


@dataclass(frozen=True)
class LinkFinding:
    """A note links to a signal or theme the store does not know."""

    file: str
    range: Range
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "range": self.range.to_json(), "message": self.message}


@dataclass(frozen=True)
class SceneSummary:
    file: str
    scene: int | None  # index into the script's scenes; None before the first heading
    heading: str
    lines: tuple[Explanation, ...]  # the audience-driven lines

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "scene": self.scene,
            "heading": self.heading,
            "lines": [
                {
                    "line": explanation.line,
                    "text": explanation.text,
                    "top": explanation.top.to_json() if explanation.top else None,
                    "outcome": explanation.outcome.to_json() if explanation.outcome else None,
                }
                for explanation in self.lines
            ],
        }


@dataclass(frozen=True)
class Summary:
    scenes: tuple[SceneSummary, ...]

    def to_json(self) -> dict[str, Any]:
        return {"scenes": [scene.to_json() for scene in self.scenes]}


@dataclass(frozen=True)
class UnansweredTheme:
    theme_id: str
    label: str
    support: Support
    episodes: tuple[int, ...]
    signal_ids: tuple[str, ...]
    quotes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "theme": {"id": self.theme_id, "label": self.label},
            "signals": self.support.signals,
            "authors": self.support.authors,
            "top_author_share": round(self.support.top_author_share, 3),
            "viewer_share": self.support.viewer_share,
            "vocal_minority": self.support.vocal_minority,
            "episodes": list(self.episodes),
            "signal_ids": list(self.signal_ids),
            "quotes": list(self.quotes),
        }


@dataclass(frozen=True)
class Unanswered:
    themes: tuple[UnansweredTheme, ...]  # most authors first
    vocal_minority_lines: tuple[Explanation, ...]
    hints: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "unanswered": [theme.to_json() for theme in self.themes],
            "vocal_minority_lines": [
                {
                    "file": explanation.file,
                    "line": explanation.line,
                    "text": explanation.text,
                    "top": explanation.top.to_json() if explanation.top else None,
                }
                for explanation in self.vocal_minority_lines
            ],
            "hints": list(self.hints),
        }

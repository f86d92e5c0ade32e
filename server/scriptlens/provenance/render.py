"""An explanation as concise Markdown, for the hover and ``scriptlens explain``'s listing."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scriptlens.provenance.model import Explanation, Motivation, Outcome

KIND_WORDS = {
    "explicit": "linked in a note",
    "inferred": "inferred",
    "reaction": "reaction",
    "danmaku": "bullet comments while it plays",
}


def _people(motivation: Motivation) -> str:
    backing = motivation.support
    words = (
        f"{backing.authors:,} {'person' if backing.authors == 1 else 'people'}, "
        f"{backing.signals:,} signal{'s' if backing.signals != 1 else ''}"
    )
    if backing.vocal_minority:
        return (
            f"{words}; ⚠ **vocal minority**: the most active account wrote "
            f"{backing.top_author_share:.0%} of it"
        )
    if backing.authors > 1:
        words += f"; the most active account wrote {backing.top_author_share:.0%}"
    return words


def _span(days: float) -> str:
    """A span of time as a writer says it: hours under a day, days after."""
    if days < 1:
        hours = round(days * 24)
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{days:.1f} days" if days < 10 else f"{days:.0f} days"


def motivation_lines(motivation: Motivation) -> list[str]:
    head = f"**{motivation.theme_label}**: {KIND_WORDS[motivation.kind]}"
    if motivation.kind != "explicit":
        head += f", {motivation.confidence:.0%} confidence"
    lines = [head + "  ", _people(motivation) + "  "]
    evidence = motivation.evidence
    facts = []
    if evidence.get("matched_terms"):
        facts.append("matched: " + ", ".join(evidence["matched_terms"]))
    if evidence.get("episodes"):
        facts.append("episode " + ", ".join(str(e) for e in evidence["episodes"]))
    if evidence.get("days_before_edit") is not None:
        facts.append(f"{_span(evidence['days_before_edit'])} before the edit")
    if evidence.get("time_filter"):
        facts.append("when the line was written is unknown")
    if evidence.get("window_seconds"):
        start, end = evidence["window_seconds"]
        facts.append(f"at {start:g}–{end:g} s")
    if facts:
        lines.append("_" + "; ".join(facts) + "_  ")
    lines += [f"> {quote}" for quote in motivation.quotes]
    return lines


def outcome_line(outcome: Outcome) -> str:
    completion = outcome.figures.get("completion_rate", {})
    views = outcome.figures.get("views", {})
    parts = []
    if completion.get("value") is not None:
        part = f"completion {completion['value']:.0%}"
        extra = []
        if completion.get("series_median") is not None:
            extra.append(f"series median {completion['series_median']:.0%}")
        if completion.get("previous") is not None:
            extra.append(f"previous episode {completion['previous']:.0%}")
        parts.append(part + (f" ({', '.join(extra)})" if extra else ""))
    if views.get("value") is not None:
        parts.append(f"{views['value']:,.0f} views")
    if outcome.retention is not None:
        parts.append(
            f"{outcome.retention['fraction']:.0%} still watching here "
            f"(≈{outcome.retention['position_seconds']:g} s)"
        )
    return f"**Episode {outcome.episode}:** " + "; ".join(parts)


def markdown(explanation: Explanation) -> str:
    lines: list[str] = []
    if explanation.motivations:
        lines.append("**Why this line is here**")
        for motivation in explanation.motivations:
            lines += ["", *motivation_lines(motivation)]
    introduced = explanation.introduced
    if introduced.source != "unknown":
        when = (introduced.to_json()["at"] or "")[:10]
        origin = {"git": "git", "snapshots": "snapshot", "working": "unsaved or uncommitted"}[
            introduced.source
        ]
        revision = f" {introduced.revision}" if introduced.revision else ""
        lines += ["", f"_Introduced {when} ({origin}{revision})_"]
    if explanation.reactions:
        lines += ["", "**Reactions**"]
        for reaction in explanation.reactions:
            lines += ["", *motivation_lines(reaction)]
    if explanation.outcome is not None:
        lines += ["", outcome_line(explanation.outcome)]
    if explanation.dismissed:
        labels = ", ".join(dismissal.theme_label for dismissal in explanation.dismissed)
        lines += ["", f"_Dismissed by the writers: {labels}_"]
    lines += [f"_{hint}_" for hint in explanation.hints]
    return "\n".join(lines).strip()

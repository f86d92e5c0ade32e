"""How representative a theme is: is it many viewers, or a few loud accounts?

Per-author signal counts give the share written by the top 1% and top 10% of authors and a
Gini coefficient; episode views give the share of the audience the theme's authors represent.
A signal without an author counts as its own author, so unattributed data never looks like a
vocal minority. ``describe`` says it all in the words a writer reads, the same in the CLI and
the editor.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Protocol

from scriptlens.workspace.config import SignalSettings


@dataclass(frozen=True)
class Representativeness:
    signals: int
    authors: int
    likes: int
    top1_share: float
    top10_share: float
    gini: float
    viewer_share: float | None
    vocal_minority: bool

    def as_row(self) -> tuple[int, int, int, float, float, float, float | None, int]:
        return (
            self.signals,
            self.authors,
            self.likes,
            self.top1_share,
            self.top10_share,
            self.gini,
            self.viewer_share,
            int(self.vocal_minority),
        )


# The measure columns of ``themes`` and ``theme_episodes``, in ``as_row`` order.
MEASURE_COLUMNS = tuple(field.name for field in fields(Representativeness))


def top_share(counts_descending: list[int], fraction: float, total: int) -> float:
    """Share of all signals written by the top ``fraction`` of authors (at least one author)."""
    top = max(1, math.ceil(len(counts_descending) * fraction))
    return sum(counts_descending[:top]) / total


def gini(counts_descending: list[int]) -> float:
    """How unequally a theme's signals are spread over the people who could have written them:
    0 when each signal has an author of its own, towards 1 when one account wrote them all.

    The population is one voice per signal, not the accounts that wrote: over those accounts
    alone, 3 accounts writing 5 signals each are perfectly equal (0), which hid exactly the
    concentration the figure is for. Accounts beyond the writers count as having written 0."""
    total = sum(counts_descending)
    if total < 2:
        return 0.0
    # sum over ascending ranks i (1-based, among ``total`` voices, the silent ones first) of
    # i * x_i, with the list given descending
    weighted = sum((total - position) * count for position, count in enumerate(counts_descending))
    return (2 * weighted) / (total * total) - (total + 1) / total


def measure(
    author_counts: Iterable[int], likes: int, views: int | None, settings: SignalSettings
) -> Representativeness:
    counts = sorted(author_counts, reverse=True)
    total = sum(counts)
    authors = len(counts)
    top10 = top_share(counts, 0.10, total)
    vocal = total >= settings.vocal_minority_min_signals and (
        top10 >= settings.vocal_minority_top10_share
        or total / authors >= settings.vocal_minority_signals_per_author
    )
    return Representativeness(
        signals=total,
        authors=authors,
        likes=likes,
        top1_share=round(top_share(counts, 0.01, total), 4),
        top10_share=round(top10, 4),
        gini=round(gini(counts), 4),
        viewer_share=round(authors / views, 6) if views else None,
        vocal_minority=vocal,
    )


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def viewer_phrase(viewer_share: float | None) -> str | None:
    """``1 in 4,900 viewers``: the theme's authors against the views of its episodes."""
    if not viewer_share:
        return None
    one_in = 1 / viewer_share
    if one_in < 1.5:
        return "about every viewer"
    digits = len(str(int(one_in)))
    rounded = round(one_in, 2 - digits) if digits > 2 else round(one_in)
    return f"1 in {int(rounded):,} viewers"


class Backing(Protocol):
    """What ``describe`` reads: a theme's figures, or any motivation's carrying the same."""

    @property
    def signals(self) -> int: ...
    @property
    def authors(self) -> int: ...
    @property
    def top10_share(self) -> float: ...
    @property
    def viewer_share(self) -> float | None: ...
    @property
    def vocal_minority(self) -> bool: ...


def describe(measures: Backing) -> str:
    """How representative a theme is, in plain words: ``312 people (1 in 4,900 viewers); the
    top 10% of them wrote 14% of it``, or ``3 accounts wrote all 15 of it, 5 each: vocal
    minority``. The CLI listing and the editor's hover both show this sentence."""
    signals, authors = measures.signals, measures.authors
    if measures.vocal_minority:
        # Whichever says it with fewer accounts for the whole theme: the top 10% of them and
        # their share, or all of them.
        top = max(1, math.ceil(authors * 0.10))
        if top / measures.top10_share < authors:
            share = _percent(measures.top10_share)
            return f"{_count(top, 'account')} wrote {share} of it: vocal minority"
        each = round(signals / authors, 1)
        return (
            f"{_count(authors, 'account')} wrote all {signals:,} of it, "
            f"{each:g} each on average: vocal minority"
        )
    people = "1 person" if authors == 1 else f"{authors:,} people"
    viewers = viewer_phrase(measures.viewer_share)
    if viewers:
        people += f" ({viewers})"
    if signals == authors:
        return people if authors == 1 else f"{people}, one each"
    if authors >= 10:
        return f"{people}; the top 10% of them wrote {_percent(measures.top10_share)} of it"
    return (
        f"{people} wrote {signals:,}; the most active wrote {_percent(measures.top10_share)} of it"
    )

"""How representative a theme is: is it many viewers, or a few loud accounts?

Per-author signal counts give the share written by the top 1% and top 10% of authors and a
Gini coefficient; episode views give the share of the audience the theme's authors represent.
A signal without an author counts as its own author, so unattributed data never looks like a
vocal minority.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, fields

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
    """0 when every author wrote as much as the others; towards 1 when one wrote everything."""
    n = len(counts_descending)
    total = sum(counts_descending)
    if n < 2 or total == 0:
        return 0.0
    # sum over ascending ranks i (1-based) of i * x_i, with the list given descending
    weighted = sum((n - position) * count for position, count in enumerate(counts_descending))
    return (2 * weighted) / (n * total) - (n + 1) / n


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

"""Confidence of an inferred motivation: a logistic map from a handful of features, fit on the
training half of the labelled set in ``tests/fixtures/provenance/`` and measured on the other
half (``tests/test_provenance_quality.py`` refits it and checks the shipped weights).

A confidence of 0.8 means that, on held-out labelled lines, about eight in ten motivations
given 0.8 were the real reason for the line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scriptlens.provenance.matching import TextMatch

FEATURES = (
    "bias",
    "similarity",  # rapidfuzz score of the closest exemplar, 0-1
    "overlap",  # shared terms, normalized, 0-1
    "shared_terms",  # how many terms are shared, capped at 3, as 0-1
    "characters",  # 1 same character, 0.5 one of the scene's, 0 none named, -1 others only
    "support",  # log of the authors behind the signals, 0 for one author, 1 for a thousand
    "time_known",  # 1 when the line's introduction is known, so the time filter applied
)
# Fit by ``fit`` on the training half of the labelled set (see docs/provenance.md).
WEIGHTS = (-6.0, 3.0, 6.0, 3.0, 2.0, 1.0, 0.5)


def features(match: TextMatch, authors: int, time_known: bool) -> tuple[float, ...]:
    return (
        1.0,
        match.similarity,
        match.overlap,
        min(len(match.shared_terms) + len(match.shared_characters), 3) / 3,
        match.characters,
        min(math.log(max(authors, 1)) / math.log(1000), 1.0),
        1.0 if time_known else 0.0,
    )


def _sigmoid(value: float) -> float:
    if value < -30:
        return 0.0
    return 1 / (1 + math.exp(-value))


def confidence(values: Sequence[float], weights: Sequence[float] = WEIGHTS) -> float:
    return _sigmoid(sum(w * x for w, x in zip(weights, values, strict=True)))


def fit(
    samples: Sequence[tuple[Sequence[float], bool]],
    *,
    l2: float = 0.01,
    steps: int = 3000,
    rate: float = 0.5,
) -> tuple[float, ...]:
    """Logistic regression by full-batch gradient descent with a small L2 penalty (not on the
    bias), deterministic, so the same samples always give the same weights."""
    weights = [0.0] * len(FEATURES)
    count = max(len(samples), 1)
    for _ in range(steps):
        gradient = [0.0] * len(weights)
        for values, label in samples:
            error = confidence(values, weights) - (1.0 if label else 0.0)
            for i, value in enumerate(values):
                gradient[i] += error * value
        for i in range(len(weights)):
            penalty = l2 * weights[i] if i else 0.0
            weights[i] -= rate * (gradient[i] / count + penalty)
    return tuple(round(weight, 2) for weight in weights)

"""Confidence of an inferred motivation: a logistic map from a handful of features of a
candidate theme (see docs/provenance.md), fit by ``fit`` on every candidate the engine weighs
for the lines of the labelled set in ``tests/fixtures/provenance/``. A candidate under
``SHOWN_SCORE`` is not shown.

``tests/test_provenance_quality.py`` measures it out of sample (two folds: fit on one half,
explain the other, and the other way round), and checks that the shipped weights are what the
fit on the whole set gives: a confidence of 0.8 means that about eight in ten motivations given
0.8 were the real reason for the line.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence

from scriptlens.provenance.matching import TextMatch

FEATURES = (
    "bias",
    "similarity",  # rapidfuzz score of the closest exemplar, 0-1
    "overlap",  # shared terms, normalized, 0-1
    "shared_terms",  # how many terms are shared, capped at 3, as 0-1
    "same_character",  # 1 when the theme names a character the line names or speaks
    "other_character",  # 1 when it names characters, none of them the line's
    "support",  # log of the authors behind the signals, 0 for one author, 1 for a thousand
)
WEIGHTS = (-4.04, 2.82, 1.66, 3.07, 1.93, -1.78, 0.0)
SHOWN_SCORE = 0.2
# When a line's introduction is unknown, signals after it cannot be told from those before it,
# so some text matches are reactions, not causes: on the labelled set with its history withheld,
# the motivations shown were right this share of what their confidences promised.
UNKNOWN_TIME_FACTOR = 0.59


def features(match: TextMatch, authors: int) -> tuple[float, ...]:
    return (
        1.0,
        match.similarity,
        match.overlap,
        min(len(match.shared_terms), 3) / 3,
        1.0 if match.characters > 0 else 0.0,
        1.0 if match.characters < 0 else 0.0,
        min(math.log(max(authors, 1)) / math.log(1000), 1.0),
    )


def _sigmoid(value: float) -> float:
    if value < -30:
        return 0.0
    return 1 / (1 + math.exp(-value))


def logistic(values: Sequence[float], weights: Sequence[float]) -> float:
    return _sigmoid(sum(map(operator.mul, weights, values)))


def confidence(values: Sequence[float]) -> float:
    return logistic(values, WEIGHTS)


def motivation_confidence(match: TextMatch, authors: int, *, time_known: bool) -> float | None:
    """How likely the theme behind ``match``, backed by ``authors`` people, motivated the line;
    None when it is too unlikely to be shown."""
    value = confidence(features(match, authors))
    if value < SHOWN_SCORE:
        return None
    return value if time_known else value * UNKNOWN_TIME_FACTOR


def ceiling(match: TextMatch) -> float:
    """The most confidence any number of authors behind ``match`` could give it."""
    most = 1000 if WEIGHTS[FEATURES.index("support")] >= 0 else 1
    return confidence(features(match, most))


def could_reach(match: TextMatch, threshold: float) -> bool:
    """Whether ``match`` could reach a confidence of ``threshold``: when not, its signals need
    not be read."""
    return ceiling(match) >= threshold


def fit(
    samples: Sequence[tuple[Sequence[float], bool]],
    *,
    l2: float = 0.003,
    steps: int = 3000,
    rate: float = 0.5,
) -> tuple[float, ...]:
    """Logistic regression by full-batch gradient descent with a small L2 penalty (not on the
    bias; the smallest that keeps the weights stable between the two halves of the labelled
    set), deterministic, so the same samples always give the same weights."""
    weights = [0.0] * len(samples[0][0])
    count = len(samples)
    for _ in range(steps):
        gradient = [0.0] * len(weights)
        for values, label in samples:
            error = logistic(values, weights) - (1.0 if label else 0.0)
            for i, value in enumerate(values):
                gradient[i] += error * value
        for i in range(len(weights)):
            penalty = l2 * weights[i] if i else 0.0
            weights[i] -= rate * (gradient[i] / count + penalty)
    return tuple(round(weight, 2) for weight in weights)

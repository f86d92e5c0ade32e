"""Candidate themes for a script line, and signals containing a phrase, via the trigram FTS
indexes (substring matching, so Chinese works without word segmentation).

Theme rows are numbered largest first and FTS5 returns matches in rowid order, so taking the
first matches of each term yields the biggest matching themes without ranking them all: the
cost stays flat however many signals are stored.

Candidates are scored on what they say beside the characters' names (the cast the themes were
built with, ``themes.stored_cast``): a line about Su Qing's slap should not rank "why did Su
Qing forgive her" as high as a comment about the slap only because both name her.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from scriptlens.signals.names import CastNames, fold
from scriptlens.signals.normalize import normalize, query_terms
from scriptlens.signals.store import Store
from scriptlens.signals.themes import stored_cast

MATCHES_PER_TERM = 16  # the largest themes containing each term
MATCHES_ALL_TERMS = 48  # the largest themes containing every term
MIN_SCORE = 55.0


@dataclass(frozen=True)
class ThemeMatch:
    theme_id: str
    label: str
    score: float  # rapidfuzz similarity of the line to the theme's closest text, 0-100
    signals: int
    authors: int
    likes: int
    vocal_minority: bool


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _beside_names(norm: str, cast: CastNames | None) -> str:
    """A normalized text without the cast's names (the text itself when that leaves nothing)."""
    folded = fold(norm)
    if cast is None:
        return folded
    rest = folded
    for start, end, _ in reversed(cast.spans(folded)):
        rest = rest[:start] + " " + rest[end:]
    return " ".join(rest.split()) or folded


def lookup(
    store: Store, line: str, limit: int = 5, min_score: float = MIN_SCORE
) -> list[ThemeMatch]:
    """Themes whose texts resemble ``line``, best first."""
    norm = normalize(line)
    terms = query_terms(norm)
    if not terms:
        return []
    conn = store.conn
    ranks: set[int] = set()
    queries = [(_quoted(term), MATCHES_PER_TERM) for term in terms]
    if len(terms) > 1:
        queries.append((" AND ".join(_quoted(term) for term in terms), MATCHES_ALL_TERMS))
    for query, cap in queries:
        ranks.update(
            rank
            for (rank,) in conn.execute(
                "SELECT rowid FROM themes_fts WHERE themes_fts MATCH ? LIMIT ?", (query, cap)
            )
        )
    if not ranks:
        return []
    placeholders = ",".join("?" for _ in ranks)
    rows = conn.execute(
        "SELECT id, label, signals, authors, likes, vocal_minority, exemplars "
        f"FROM themes WHERE rank IN ({placeholders})",
        sorted(ranks),
    ).fetchall()
    cast = stored_cast(store)
    owners: list[int] = []
    texts: list[str] = []
    for position, row in enumerate(rows):
        for exemplar in row[6].split("\n"):
            owners.append(position)
            texts.append(_beside_names(exemplar, cast))
    best: dict[int, float] = {}
    # One call into rapidfuzz's C loop scores every candidate text.
    for _, score, index in process.extract(
        _beside_names(norm, cast), texts, scorer=fuzz.WRatio, limit=None, score_cutoff=min_score
    ):
        owner = owners[index]
        best[owner] = max(score, best.get(owner, 0.0))
    matches = [
        ThemeMatch(row[0], row[1], round(best[position], 1), row[2], row[3], row[4], bool(row[5]))
        for position, row in enumerate(rows)
        if position in best
    ]
    matches.sort(key=lambda match: (-match.score, -match.signals, match.theme_id))
    return matches[:limit]


@dataclass(frozen=True)
class SignalHit:
    signal_id: int
    episode: int
    kind: str
    text: str


def search_signals(store: Store, phrase: str, limit: int = 20) -> list[SignalHit]:
    """Stored (scrubbed) signals containing ``phrase`` (three characters or more), newest first."""
    if len(phrase.strip()) < 3:
        return []
    rows = store.conn.execute(
        "SELECT s.id, s.episode, s.kind, s.text "
        "FROM signals_fts f JOIN signals s ON s.id = f.rowid "
        "WHERE signals_fts MATCH ? ORDER BY s.id DESC LIMIT ?",
        (_quoted(phrase.strip()), limit),
    )
    return [SignalHit(*row) for row in rows]

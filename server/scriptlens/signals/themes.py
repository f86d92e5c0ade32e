"""Clustering signals into themes, and measuring each theme overall and per episode.

Exact near-duplicates share a normalized-text fingerprint (computed at import), so clustering
works on distinct texts, largest first. Each text joins the most similar existing theme leader
(rapidfuzz, at least ``theme_similarity``) among leaders that share one of its rarest tokens
(a blocking key), or leads a new theme. That keeps the work near-linear instead of comparing
every pair. Hashtags are themes of their own, never merged fuzzily.

Texts are compared as the cast would read them: traditional Chinese folded to simplified, and
every name of a character (``苏晴``, ``蘇晴``, ``Su Qing``, ``#SuQing``) written as that
character's cue name, so a reaction in two writings of the same words meets in one theme.

A reaction in two languages meets too (``bridge``): a Chinese theme joins an English one when
both name the same characters and the Chinese words, glossed by CC-CEDICT (``glosses``), and
the English words say at least half of each other (``李总，请签收你的龙凤胎`` and "Mr. Li, please
sign for your twins, a boy and a girl").

A theme's id is a short hash of its leader's normalized text, so it is stable across re-imports
and rebuilds of the same data and can be cited in a script (``[[theme: t4k9xm2qa]]``); its label
is the text most of its people wrote, word for word.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from scriptlens.signals.glosses import SAME_MEANING, Glossary, coverage
from scriptlens.signals.names import CastNames, fold
from scriptlens.signals.normalize import content_terms, has_cjk, is_hashtag, normalize, tokens
from scriptlens.signals.representativeness import MEASURE_COLUMNS, measure
from scriptlens.signals.store import Store, insert_sql
from scriptlens.workspace.config import SignalSettings

# Blocking (prefix filtering): two texts sharing at least ``KEEP`` of their distinct tokens share
# one of the rarest ``n - ceil(KEEP * n) + 1`` tokens of each, so those are the only keys needed.
KEEP = 0.6
MAX_KEYS = 6
LEADERS_PER_KEY = 16  # largest leaders kept per key: bounds the work per text
EXEMPLARS = 4  # distinct texts per theme kept for lookup
# Themes of one signal are voices, not themes (the provenance engine does not index them
# either): they are not bridged across languages, which keeps the bridge's work small.
BRIDGED_SIGNALS = 2
# Theme ids: Crockford's base32 (no i, l, o, u to misread), 8 characters (40 bits) after a ``t``;
# the rare theme whose id another already has takes more characters of the same hash.
ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
ID_LENGTH = 8
CAST_META = "themes_cast"  # the cast names the themes were last built with
INSERT_THEME = insert_sql(
    "themes", ("rank", "id", "label", "is_hashtag", "exemplars", *MEASURE_COLUMNS)
)
INSERT_THEME_EPISODE = insert_sql("theme_episodes", ("theme_id", "episode", *MEASURE_COLUMNS))


@dataclass(slots=True)
class _Group:
    """All signals sharing one normalized text."""

    fingerprint: int
    count: int
    text: str  # the smallest raw (scrubbed) text, so labels do not depend on import order
    norm: str = ""
    key: str = ""  # the text as clustering compares it, when it differs from ``norm``

    @property
    def compared(self) -> str:
        return self.key or self.norm


def theme_id(leader_norm: str, length: int = ID_LENGTH) -> str:
    """``t`` and ``length`` base32 characters of a hash of the leader's normalized text."""
    digest = int.from_bytes(hashlib.blake2b(leader_norm.encode(), digest_size=10).digest(), "big")
    characters = []
    for _ in range(length):
        digest, digit = divmod(digest, len(ID_ALPHABET))
        characters.append(ID_ALPHABET[digit])
    return "t" + "".join(characters)


def name_word(main: str) -> str:
    """The one word a character's names become in a clustering key (``su_qing``: normalized
    comments hold no underscore, so no word of theirs is mistaken for it)."""
    return main.casefold().replace(" ", "_")


def clustering_key(norm: str, cast: CastNames | None) -> str:
    """A normalized text as clustering compares it: simplified Chinese, and each name of a
    character replaced by its ``name_word``."""
    folded = fold(norm)
    if cast is None:
        return folded
    spans = cast.spans(folded)
    if not spans:
        return folded
    parts: list[str] = []
    last = 0
    for start, end, main in spans:
        parts.extend((folded[last:start], f" {name_word(main)} "))
        last = end
    parts.append(folded[last:])
    return " ".join("".join(parts).split())


def _comparable(text: str, words: list[str]) -> str:
    """What rapidfuzz compares: sorted words for spaced text (word order matters little in a
    comment); the characters themselves for Chinese/Japanese."""
    if has_cjk(text):
        return text.replace(" ", "")
    return " ".join(sorted(words))


def cluster(groups: list[_Group], similarity: float) -> list[int]:
    """Index of each group's leader; ``groups`` sorted largest first, then by text."""
    frequency: Counter[str] = Counter()
    for group in groups:
        frequency.update(set(tokens(group.compared)))
    leaders_by_key: defaultdict[str, list[int]] = defaultdict(list)
    comparable: dict[int, str] = {}
    hashtag_leaders: dict[str, int] = {}  # one theme per tag, however it spells the names
    leader_of: list[int] = []
    for index, group in enumerate(groups):
        # Tokens are computed again rather than kept: holding them all costs more memory
        # than recomputing costs time.
        text = group.compared
        words = tokens(text)
        if is_hashtag(group.norm):
            leader_of.append(hashtag_leaders.setdefault(text, index))
            continue
        if not words:
            leader_of.append(index)
            continue
        distinct = set(words)
        prefix = min(MAX_KEYS, len(distinct) - math.ceil(KEEP * len(distinct)) + 1)
        keys = sorted(distinct, key=lambda word: (frequency[word], word))[:prefix]
        candidates = list(dict.fromkeys(c for key in keys for c in leaders_by_key.get(key, ())))
        text = _comparable(text, words)
        if candidates:
            best = process.extractOne(
                text,
                [comparable[candidate] for candidate in candidates],
                scorer=fuzz.ratio,
                score_cutoff=similarity,
            )
            if best is not None:
                leader_of.append(candidates[best[2]])
                continue
        leader_of.append(index)
        comparable[index] = text
        for key in keys:
            postings = leaders_by_key[key]
            if len(postings) < LEADERS_PER_KEY:
                postings.append(index)
    return leader_of


def bridge(
    groups: list[_Group], leader_of: list[int], cast: CastNames | None
) -> dict[int, list[int]]:
    """Join each Chinese theme to the English theme that says the same of the same characters,
    if one does: both name the same (non-empty) set of characters, and the Chinese words'
    glosses and the English content words cover at least ``SAME_MEANING`` of each other
    (``glosses.coverage``); of several, the closest, then the largest. A joined theme is led by
    the largest group of its parts. Updates ``leader_of``; returns each joined theme's leader
    with its parts' leaders, largest first."""
    if cast is None:
        return {}
    sizes = [0] * len(groups)  # signals per theme, by its leader's index
    for group, leader in zip(groups, leader_of, strict=True):
        sizes[leader] += group.count
    characters_of = {name_word(main): main for main in cast.characters}
    chinese: list[tuple[int, frozenset[str], str]] = []
    english: defaultdict[tuple[frozenset[str], str], list[int]] = defaultdict(list)
    english_terms: dict[int, frozenset[str]] = {}
    for leader, size in enumerate(sizes):
        if size < BRIDGED_SIGNALS:  # a group that leads no theme has size 0
            continue
        group = groups[leader]
        if is_hashtag(group.norm) or not group.key:
            continue
        words = group.key.split()
        named = frozenset(characters_of[word] for word in words if word in characters_of)
        if not named:
            continue
        said = " ".join(word for word in words if word not in characters_of)
        if has_cjk(said):
            chinese.append((leader, named, said))
            continue
        terms = frozenset(content_terms(said))
        english_terms[leader] = terms
        for term in terms:
            english[named, term].append(leader)
    if not chinese or not english:
        return {}
    glossary = Glossary.of(said for *_, said in chinese)
    joined: defaultdict[int, list[int]] = defaultdict(list)
    for leader, named, said in chinese:
        glossed = glossary.gloss(said)
        candidates = {
            partner
            for gloss in glossed
            for term in gloss
            for partner in english.get((named, term), ())[:LEADERS_PER_KEY]  # largest first
        }
        scored = [
            (coverage(glossed, english_terms[partner]), sizes[partner], -partner)
            for partner in candidates
        ]
        best = max(scored, default=None)
        if best is not None and best[0] >= SAME_MEANING:
            joined[-best[2]].append(leader)
    parts: dict[int, list[int]] = {}
    for partner, leaders in joined.items():
        members = sorted([partner, *leaders])
        for member in members:
            parts[member] = members
    for index, leader in enumerate(leader_of):
        joined_with = parts.get(leader)
        if joined_with is not None:
            leader_of[index] = joined_with[0]
    return {members[0]: members for members in parts.values()}


def _groups(store: Store, cast: CastNames | None) -> list[_Group]:
    """Distinct normalized texts, largest first. Counted in Python: one streaming pass over
    the table beats SQLite sorting every row for a GROUP BY, in time and in memory."""
    found: dict[int, _Group] = {}
    for fingerprint, text in store.conn.execute("SELECT norm, text FROM signals"):
        group = found.get(fingerprint)
        if group is None:
            found[fingerprint] = _Group(fingerprint, 1, text)
        else:
            group.count += 1
            if text < group.text:
                group.text = text
    groups = list(found.values())
    del found
    for group in groups:
        group.norm = normalize(group.text)
        key = clustering_key(group.norm, cast)
        if key != group.norm:
            group.key = key
    groups.sort(key=lambda group: (-group.count, group.norm))
    return groups


@dataclass(slots=True)
class _Theme:
    leader: int  # index in ``groups`` of the group that leads the theme
    id: str
    label: str
    is_hashtag: bool
    exemplars: list[str]
    size: int = 0
    rank: int = 0


def _themes_of(
    groups: list[_Group], leader_of: list[int], parts: dict[int, list[int]]
) -> list[_Theme]:
    """Themes largest first, with their ranks (1 = largest). ``parts``: the leaders of the
    themes ``bridge`` joined, whose texts come first among the exemplars, so that a line is
    compared with each language's."""
    themes: dict[int, _Theme] = {}
    for group, leader in zip(groups, leader_of, strict=True):
        theme = themes.get(leader)
        if theme is None:
            seeded = [groups[part].norm for part in parts.get(leader, ())][:EXEMPLARS]
            theme = _Theme(leader, "", group.text, is_hashtag(group.norm), seeded)
            themes[leader] = theme
        theme.size += group.count
        if len(theme.exemplars) < EXEMPLARS and group.norm not in theme.exemplars:
            theme.exemplars.append(group.norm)
    # Ids are handed out in the order of the leaders' texts, not of sizes that change with
    # every import, so a theme keeps its id unless a colliding text sorts before it.
    used: set[str] = set()
    for theme in sorted(themes.values(), key=lambda theme: groups[theme.leader].norm):
        norm, length = groups[theme.leader].norm, ID_LENGTH
        while (candidate := theme_id(norm, length)) in used:
            length += 1
        used.add(candidate)
        theme.id = candidate
    ordered = sorted(themes.values(), key=lambda theme: (-theme.size, theme.id))
    for rank, theme in enumerate(ordered, start=1):
        theme.rank = rank
    return ordered


def _label_themes(store: Store, groups: list[_Group], themes: list[_Theme]) -> None:
    """Label each theme with the text most of its leading group wrote word for word (ties: the
    most liked, then the smallest), rather than whichever variant sorts first. Only groups of
    two or more signals have variants, so only they are counted, in one more pass."""
    label_of = {
        groups[theme.leader].fingerprint: theme
        for theme in themes
        if groups[theme.leader].count > 1
    }
    written: Counter[tuple[int, str]] = Counter()
    liked: Counter[tuple[int, str]] = Counter()
    for fingerprint, text, likes in store.conn.execute("SELECT norm, text, likes FROM signals"):
        if fingerprint in label_of:
            written[fingerprint, text] += 1
            liked[fingerprint, text] += likes or 0
    best: dict[int, tuple[int, int, str]] = {}
    for (fingerprint, text), count in written.items():
        rank = (-count, -liked[fingerprint, text], text)
        if fingerprint not in best or rank < best[fingerprint]:
            best[fingerprint] = rank
    for fingerprint, (*_, text) in best.items():
        label_of[fingerprint].label = text


def _leader_ranks(
    groups: list[_Group], leader_of: list[int], themes: list[_Theme]
) -> Iterator[tuple[int, int]]:
    """(fingerprint, rank of its theme) for every group, found by leader index rather than by
    hashing the leader's text once per group."""
    rank_of = {theme.leader: theme.rank for theme in themes}
    for group, leader in zip(groups, leader_of, strict=True):
        yield group.fingerprint, rank_of[leader]


def _episode_views(store: Store) -> dict[int, int]:
    rows = store.conn.execute(
        "SELECT episode, sum(views) FROM episode_metrics WHERE views IS NOT NULL GROUP BY episode"
    )
    return {episode: views for episode, views in rows}


def _author_counts(store: Store) -> Iterator[tuple[int, list[tuple[int, int | None, int, int]]]]:
    """Per theme rank: its (episode, author, signals, likes) groups, one theme at a time."""
    cursor = store.conn.execute(
        "SELECT tn.rank, s.episode, s.author, count(*), sum(s.likes) "
        "FROM signals s JOIN theme_norms tn ON tn.norm = s.norm "
        "GROUP BY tn.rank, s.episode, s.author"
    )
    current = 0
    rows: list[tuple[int, int | None, int, int]] = []
    for rank, episode, author, count, likes in cursor:
        if rank != current:
            if current:
                yield current, rows
            current, rows = rank, []
        rows.append((episode, author, count, likes))
    if current:
        yield current, rows


def _counts(items: Iterator[tuple[int | None, int]] | list[tuple[int | None, int]]) -> list[int]:
    """Signals per author; each unattributed signal counts as an author of its own."""
    per_author: Counter[int] = Counter()
    anonymous = 0
    for author, count in items:
        if author is None:
            anonymous += count
        else:
            per_author[author] += count
    return [*per_author.values(), *[1] * anonymous]


def _write_measures(
    store: Store, identities: list[tuple[str, str, bool, str]], settings: SignalSettings
) -> None:
    """Measure every theme overall and per episode, writing in batches as themes stream by."""
    views = _episode_views(store)
    theme_rows: list[tuple[object, ...]] = []
    episode_rows: list[tuple[object, ...]] = []

    def flush() -> None:
        store.conn.executemany(INSERT_THEME, theme_rows)
        store.conn.executemany(INSERT_THEME_EPISODE, episode_rows)
        theme_rows.clear()
        episode_rows.clear()

    for rank, rows in _author_counts(store):
        theme, label, hashtag, exemplars = identities[rank - 1]
        by_episode: defaultdict[int, list[tuple[int | None, int, int]]] = defaultdict(list)
        for episode, author, count, likes in rows:
            by_episode[episode].append((author, count, likes))
        counts = _counts([(author, count) for _, author, count, _ in rows])
        likes_total = sum(likes for *_, likes in rows)
        seen_views = sum(views.get(episode, 0) for episode in by_episode) or None
        overall = measure(counts, likes_total, seen_views, settings)
        theme_rows.append((rank, theme, label, int(hashtag), exemplars, *overall.as_row()))
        for episode, items in by_episode.items():
            episode_counts = _counts([(author, count) for author, count, _ in items])
            likes_episode = sum(likes for *_, likes in items)
            stats = measure(episode_counts, likes_episode, views.get(episode), settings)
            episode_rows.append((theme, episode, *stats.as_row()))
        if len(theme_rows) >= 5_000:
            flush()
    flush()


def stored_cast(store: Store) -> CastNames | None:
    """The cast names the themes were last built with, if any."""
    signature = store.meta(CAST_META)
    return CastNames.from_signature(signature) if signature else None


def build_themes(store: Store, settings: SignalSettings, cast: CastNames | None = None) -> int:
    """Recluster every signal and recompute every theme's figures; returns the theme count.
    ``cast``: the series' character names, so that a theme gathers every writing of a name;
    without it, the cast of the last build (an import does not know the scripts)."""
    cast = cast or stored_cast(store)
    groups = _groups(store, cast)
    leader_of = cluster(groups, settings.theme_similarity)
    parts = bridge(groups, leader_of, cast)
    themes = _themes_of(groups, leader_of, parts)
    _label_themes(store, groups, themes)
    conn = store.conn
    with store.db.atomic():
        # Emptying the external-content index first is O(1); deleting rows would update it
        # entry by entry.
        conn.execute("INSERT INTO themes_fts (themes_fts) VALUES ('delete-all')")
        for table in ("themes", "theme_episodes", "theme_norms"):
            conn.execute(f"DELETE FROM {table}")
        conn.executemany(
            "INSERT INTO theme_norms (norm, rank) VALUES (?, ?)",
            _leader_ranks(groups, leader_of, themes),
        )
        del groups, leader_of
        identities = [
            (theme.id, theme.label, theme.is_hashtag, "\n".join(theme.exemplars))
            for theme in themes
        ]
        del themes
        _write_measures(store, identities, settings)
        conn.execute("INSERT INTO themes_fts (themes_fts) VALUES ('rebuild')")
        store.set_meta("themes_generation", store.meta("generation", "0"))
        store.set_meta(CAST_META, cast.signature if cast else "")
    return len(identities)


def cast_changed(store: Store, cast: CastNames | None) -> bool:
    """Whether ``cast`` names the characters otherwise than the cast the themes were built
    with (no cast: nothing to compare)."""
    return cast is not None and cast.signature != store.meta(CAST_META)


def ensure_themes(store: Store, settings: SignalSettings, cast: CastNames | None = None) -> bool:
    """Rebuild themes when signals or metrics changed since the last build, or when ``cast``
    names the characters otherwise than then; True if rebuilt."""
    if not (store.themes_stale or cast_changed(store, cast)):
        return False
    build_themes(store, settings, cast)
    return True

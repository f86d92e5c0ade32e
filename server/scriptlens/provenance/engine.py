"""The provenance engine: the one entry point the CLI and the language server both call.

A ``Provenance`` belongs to one workspace. It reads the signal store (read-only, opened on first
use), the history of each script (``history``) and the series' scripts, and keeps what is costly
to rebuild (the theme index, blame, parsed scripts, each theme's signals) until the store or the
text changes. It is not thread-safe: the language server calls it from one worker thread.
"""

from __future__ import annotations

import gc
import json
import statistics
import time
from bisect import bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

from scriptlens.continuity.series import excluded
from scriptlens.fountain.model import Element, Script
from scriptlens.fountain.parser import parse
from scriptlens.fountain.text_reader import clean, read_source
from scriptlens.provenance import calibration
from scriptlens.provenance.audience import (
    ORDERED,
    SELECTED,
    Backing,
    Row,
    Signals,
    ThemeRow,
    theme_of_signals,
    theme_rows,
)
from scriptlens.provenance.history import HistoryMode, Introductions, record_revision, text_sha
from scriptlens.provenance.links import NoteLink, Resolved, note_links, resolve, without_notes
from scriptlens.provenance.matching import (
    IndexedTheme,
    TextMatch,
    ThemeIndex,
    analyse,
    compare,
)
from scriptlens.provenance.model import (
    AUDIENCE_DRIVEN,
    Dismissal,
    Explanation,
    Introduced,
    LinkFinding,
    Motivation,
    Outcome,
    SceneSummary,
    Summary,
    Unanswered,
    UnansweredTheme,
)
from scriptlens.signals.errors import SignalsError
from scriptlens.signals.names import CastNames, cast_names
from scriptlens.signals.store import Store, default_db_path, open_store, read_store
from scriptlens.workspace import Workspace, load
from scriptlens.workspace.config import SignalSettings

CONTENT = frozenset({"action", "dialogue", "lyrics", "centered"})
MAX_MOTIVATIONS = 3
MAX_REACTIONS = 3
TEXT_CANDIDATES = 5  # candidate themes weighed per line, those sharing the rarest terms first
REACTION_CONFIDENCE = 0.5  # a later theme must match this well to count as a reaction
DANMAKU_CONFIDENCE = 0.5  # bullet comments are placed by estimated screen time, not by text
# Viewers type after they see: a bullet comment sent this many seconds into the video is about
# what played this long before, so each one belongs to exactly one line.
DANMAKU_DELAY = 1.5
CACHED_SIGNALS = 1_000_000  # theme signals kept in memory, about 44 bytes each
ANY_EPISODE = 1 << 30
SERIES_RECHECK_S = 1.0
NO_STORE_HINT = (
    "no signal store yet: import the audience's exports with `scriptlens signals import`"
)
METRICS = ("completion_rate", "views", "comments")


def history_config(space: Workspace) -> tuple[HistoryMode, Mapping[str, str], SignalSettings]:
    """The workspace settings provenance reads: ``[provenance] history``, ``[cast] aliases``
    and ``[signals]``."""
    config = space.config
    return config.provenance.history, config.cast.aliases, config.signals


@dataclass
class FileView:
    """One version of one script, with what every explanation of its lines needs."""

    key: str
    text: str
    lines: list[str]
    script: Script
    element_at: list[Element | None]  # per line, the element covering it
    speaker_at: dict[int, str]  # per dialogue line, the speaker
    start_seconds: dict[int, float]  # per element (by id), where it starts in its episode
    links: list[NoteLink]
    # per line, its text matches, for the theme index they were found in
    matches: dict[int, tuple[ThemeIndex, list[TextMatch]]] = field(default_factory=dict)

    def episode(self, line: int) -> int | None:
        for episode in self.script.episodes:
            if episode.range.start.line <= line <= episode.range.last_line:
                return episode.number
        return None


def view_of(key: str, text: str) -> FileView:
    script = parse(text, key)
    lines = text.split("\n")
    element_at: list[Element | None] = [None] * len(lines)
    for element in script.elements:
        if element.type == "note":
            continue
        for number in range(element.range.start.line, min(element.range.last_line + 1, len(lines))):
            if element_at[number] is None:
                element_at[number] = element
    speaker_at: dict[int, str] = {}
    for block in script.dialogue:
        for element in block.lines:
            for number in range(element.range.start.line, element.range.last_line + 1):
                speaker_at[number] = block.speaker
    start_seconds: dict[int, float] = {}
    episode_of: dict[int, float] = defaultdict(float)
    starts = [episode.range.start.line for episode in script.episodes]
    for element in script.elements:
        slot = bisect_right(starts, element.range.start.line) - 1
        start_seconds[id(element)] = episode_of[slot]
        episode_of[slot] += element.seconds
    return FileView(
        key, text, lines, script, element_at, speaker_at, start_seconds, note_links(script, lines)
    )


class Provenance:
    def __init__(
        self, space: Workspace | Path, *, db_path: Path | None = None, store: Store | None = None
    ) -> None:
        """``store``: an open store to read instead of opening one (the language server's
        reader thread has one); it stays open when this closes."""
        self.workspace = space if isinstance(space, Workspace) else load(space)
        self.root = self.workspace.root
        mode, self.aliases, self.settings = history_config(self.workspace)
        self.history = Introductions(self.root, mode)
        self.db_path = db_path or default_db_path(self.root)
        self._store = store
        self._owns_store = store is None
        self._views: dict[str, tuple[str, FileView]] = {}  # per file: its last text's sha
        self._series: dict[str, tuple[tuple[int, int], FileView]] = {}
        self._series_seen: tuple[float, list[FileView]] | None = None
        self._names: CastNames | None = None
        self._metrics_of: dict[int, EpisodeMetrics] | None = None
        self._data_version: int | None = None
        self._views_per_episode: dict[int, int] = {}  # views per episode, all platforms
        self._dismissals: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
        self._generation: str | None = None
        self._index: ThemeIndex | None = None
        self._index_names: str | None = None
        self._theme_signals: OrderedDict[int, Signals] = OrderedDict()
        self._cached_signals = 0
        self._resolved: dict[tuple[str, str], Resolved] = {}
        self._platforms: list[str] = []

    # -- what the engine reads --------------------------------------------------------------

    def store(self) -> Store | None:
        """The store, read-only, opened on first use; None while there is none. What is read
        from it once is read again only after another connection wrote to it (SQLite's
        ``data_version``), and the themes only when they were rebuilt."""
        if self._store is None and self.db_path.exists():
            self._store = read_store(self.db_path, self.workspace.state_dir)
        if self._store is None:
            return None
        version = self._store.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self._data_version = version
            self._refresh(self._store)
        return self._store

    def _refresh(self, store: Store) -> None:
        self._views_per_episode = {
            episode: views
            for episode, views in store.conn.execute(
                "SELECT episode, sum(views) FROM episode_metrics WHERE views IS NOT NULL "
                "GROUP BY episode"
            )
        }
        self._dismissals = defaultdict(set)
        for file, line_text, theme in store.conn.execute(
            "SELECT file, line_text, theme_id FROM dismissals"
        ):
            self._dismissals[(file, line_text)].add(theme)
        self._metrics_of = None
        generation = store.meta("themes_generation", "-1")
        if generation == self._generation:
            return
        self._generation = generation
        self._index = None
        self._theme_signals.clear()
        self._cached_signals = 0
        self._resolved.clear()
        # The platforms a cited comment id may come from, for its keyed digest.
        self._platforms = [
            platform for (platform,) in store.conn.execute("SELECT DISTINCT platform FROM signals")
        ]

    def history_problem(self) -> str | None:
        """Why the configured history cannot be read, when it cannot."""
        if self.history.mode == "git" and self.history.git.head() is None:
            return (
                f"{self.root}: not a git repository (or one without commits), but "
                f'{self.workspace.config_path.name} sets [provenance] history = "git"'
            )
        return None

    def close(self) -> None:
        if self._store is not None and self._owns_store:
            self._store.close()
        self._store = None

    def key(self, file: Path | str) -> str:
        """A script's name in the workspace: its POSIX path relative to the root. A relative
        path is taken from the current folder when it names a file there, else from the root."""
        path = Path(file)
        if not path.is_absolute():
            here = Path.cwd() / path
            path = here if here.exists() else self.root / path
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.resolve().as_posix()

    def view(self, file: Path | str, buffer_text: str | None = None) -> FileView:
        key = self.key(file)
        if buffer_text is None:
            path = self.root / key
            try:
                buffer_text = read_source(path).text
            except FileNotFoundError:
                raise SignalsError(f"{path}: no such file") from None
        else:
            buffer_text = clean(buffer_text)
        sha = text_sha(buffer_text)
        known = self._views.get(key)
        if known is not None and known[0] == sha:
            return known[1]
        found = view_of(key, buffer_text)
        self._views[key] = (sha, found)
        return found

    def series(self) -> list[FileView]:
        """Every script of the series as on disk (``[series] exclude`` left out), re-read when
        a file changed; the folder is looked at again at most once a second, as explanations
        come in bursts (a hover, a file's inlay hints, a summary)."""
        now = time.monotonic()
        if self._series_seen is not None and now - self._series_seen[0] < SERIES_RECHECK_S:
            return self._series_seen[1]
        views: list[FileView] = []
        seen: set[str] = set()
        for path in self.workspace.fountain_files():
            key = path.relative_to(self.root).as_posix()
            if excluded(key, self.workspace.config.series):
                continue
            seen.add(key)
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            cached = self._series.get(key)
            if cached is None or cached[0] != stamp:
                cached = (stamp, view_of(key, read_source(path).text))
                self._series[key] = cached
            views.append(cached[1])
        for gone in set(self._series) - seen:
            del self._series[gone]
        cast = {speaker for view in views for speaker in view.script.characters}
        self._names = cast_names(cast, self.aliases)
        self._series_seen = (now, views)
        return views

    def names(self) -> CastNames:
        """The series' cast, as comments may name it (``signals.names``)."""
        self.series()
        assert self._names is not None
        return self._names

    def index(self, store: Store) -> ThemeIndex:
        names = self.names()
        if self._index is None or self._index_names != names.signature:
            self._index = ThemeIndex.build(store, names)
            self._index_names = names.signature
            # Hundreds of thousands of long-lived objects: the cyclic collector need not walk
            # them again at every full collection (a pause of a third of a second in a hover).
            # They hold no cycles, so reference counting still frees them when rebuilt; garbage
            # is collected first, so none is kept for good.
            gc.collect()
            gc.freeze()
        return self._index

    def theme_signals(self, store: Store, rank: int) -> Signals:
        """A theme's signals, kept (least recently used out) up to ``CACHED_SIGNALS`` in all."""
        found = self._theme_signals.get(rank)
        if found is None:
            found = Signals.of_theme(store, rank)
            self._theme_signals[rank] = found
            self._cached_signals += found.count
            while self._cached_signals > CACHED_SIGNALS and len(self._theme_signals) > 1:
                _, dropped = self._theme_signals.popitem(last=False)
                self._cached_signals -= dropped.count
        else:
            self._theme_signals.move_to_end(rank)
        return found

    # -- explaining ---------------------------------------------------------------------------

    def explain_line(
        self, file: Path | str, line: int, *, buffer_text: str | None = None
    ) -> Explanation:
        """Why line ``line`` (0-based) of ``file`` is there. ``buffer_text``: the editor's
        unsaved text, whose lines that differ from the last commit or snapshot count as new."""
        view = self._line_view(file, line, buffer_text)
        store = self.store()
        introduced = self.history.of_text(view.key, view.text, store)
        return self._explain(view, line, introduced, store)

    def _line_view(self, file: Path | str, line: int, buffer_text: str | None) -> FileView:
        """The file's view, once ``line`` is known to be one of its lines."""
        view = self.view(file, buffer_text)
        if not 0 <= line < len(view.lines):
            raise SignalsError(
                f"{self.root / view.key}:{line + 1}: past the end of the file "
                f"({len(view.lines)} lines)"
            )
        return view

    def explain_file(
        self, file: Path | str, *, buffer_text: str | None = None
    ) -> list[Explanation]:
        """The audience-driven lines of a file, explained, in order."""
        view = self.view(file, buffer_text)
        return self._audience_driven(view)

    def _audience_driven(self, view: FileView) -> list[Explanation]:
        store = self.store()
        if store is None and not view.links:
            return []
        introduced = self.history.of_text(view.key, view.text, store)
        linked = {line for link in view.links for line in link.lines}
        explained = []
        for line, element in enumerate(view.element_at):
            if element is None or (element.type not in CONTENT and element.type != "character"):
                continue
            # Most lines answer nobody: a text match that no support could make likely enough
            # rules a line out before any signal is read.
            if line not in linked and (
                store is None
                or not any(
                    calibration.could_reach(match, AUDIENCE_DRIVEN)
                    for match in self._matches(store, view, line)
                )
            ):
                continue
            explanation = self._explain(view, line, introduced, store, reactions=False)
            if explanation.audience_driven:
                explained.append(explanation)
        return explained

    def _explain(
        self,
        view: FileView,
        line: int,
        introduced: Sequence[Introduced],
        store: Store | None,
        *,
        reactions: bool = True,
    ) -> Explanation:
        """``reactions``: False when only the motivations and the outcome are wanted."""
        text = without_notes(view.lines[line])
        episode = view.episode(line)
        when = introduced[line] if line < len(introduced) else Introduced(None, None, "unknown")
        if store is None:
            return Explanation(
                view.key, line, text, episode, when, (), (), None, hints=(NO_STORE_HINT,)
            )
        explicit = self._explicit(store, view, line)
        element = view.element_at[line]
        inferred: list[Motivation] = []
        reacted: list[Motivation] = []
        if element is not None and element.type in CONTENT and text:
            inferred, reacted = self._inferred(store, view, line, when, reactions=reactions)
        linked = {m.theme_id for m in explicit}
        motivations = [*explicit, *(m for m in inferred if m.theme_id not in linked)]
        if reactions and element is not None and element.type in CONTENT and episode is not None:
            reacted += self._danmaku(store, view, element, episode, when)
        return Explanation(
            view.key,
            line,
            text,
            episode,
            when,
            tuple(motivations[: max(MAX_MOTIVATIONS, len(explicit))]),
            tuple(reacted[:MAX_REACTIONS]),
            self._outcome(store, view, element, episode),
            dismissed=self._dismissals_of(store, view.key, text),
        )

    # -- explicit links -----------------------------------------------------------------------

    def _resolve(self, store: Store, link: NoteLink, cited: str) -> Resolved:
        key = (link.kind, cited)
        found = self._resolved.get(key)
        if found is None:
            found = resolve(store, store.keyed, self._platforms, link.kind, cited)
            self._resolved[key] = found
        return found

    def _explicit(self, store: Store, view: FileView, line: int) -> list[Motivation]:
        ranks: dict[int, dict[str, None]] = {}  # theme -> the ids citing it, in note order
        loose: dict[str, list[int]] = {}  # cited signals that belong to no theme yet
        for link in view.links:
            if line not in link.lines:
                continue
            for cited in link.ids:
                resolved = self._resolve(store, link, cited)
                for rank in resolved.theme_ranks:
                    ranks.setdefault(rank, {})[cited] = None
                themes_of = theme_of_signals(store, resolved.signal_ids)
                for signal in resolved.signal_ids:
                    if signal in themes_of:
                        ranks.setdefault(themes_of[signal], {})[cited] = None
                    else:
                        loose.setdefault(cited, []).append(signal)
        motivations: list[Motivation] = []
        views = self._views_per_episode
        for rank, citing in ranks.items():
            [theme] = theme_rows(store, "rank = ?", (rank,))
            backing = self.theme_signals(store, rank).backing(store, views, self.settings)
            if backing is not None:
                motivations.append(
                    self._motivation("explicit", 1.0, theme, backing, {"cited": list(citing)})
                )
        for cited, signals in loose.items():
            backing = Signals.of_ids(store, signals).backing(store, views, self.settings)
            assert backing is not None  # resolved ids are stored signals
            motivations.append(self._motivation("explicit", 1.0, None, backing, {"cited": [cited]}))
        return motivations

    def _motivation(
        self,
        kind: str,
        confidence: float,
        theme: ThemeRow | IndexedTheme | None,
        backing: Backing,
        evidence: Mapping[str, object],
    ) -> Motivation:
        quotes = backing.quotes
        label = theme.label if theme is not None else (quotes[0] if quotes else "")
        return Motivation(
            kind,  # type: ignore[arg-type]
            confidence,
            theme.id if theme is not None else None,
            label,
            backing.signal_ids,
            backing.support,
            quotes,
            {"episodes": list(backing.episodes), **evidence},
        )

    def link_findings(
        self, file: Path | str, *, buffer_text: str | None = None
    ) -> list[LinkFinding]:
        """Notes that link to a signal or theme the store does not know (none without a store:
        nothing can be checked yet)."""
        view = self.view(file, buffer_text)
        store = self.store()
        if store is None:
            return []
        findings = []
        for link in view.links:
            unknown = [cited for cited in link.ids if not self._resolve(store, link, cited).found]
            if unknown:
                what = "signal" if link.kind == "signal" else "theme"
                findings.append(
                    LinkFinding(
                        view.key,
                        link.range,
                        f"unknown {what}{'s' if len(unknown) > 1 else ''} "
                        f"{', '.join(unknown)}: not in the signal store",
                    )
                )
        return findings

    # -- inferred motivations and reactions ----------------------------------------------------

    def _matches(self, store: Store, view: FileView, line: int) -> list[TextMatch]:
        """How the line compares with the themes sharing its rarest and most terms (chosen
        without the confidence's weights, so the weights can be fit on what they will be
        applied to); remembered per version of the file and theme index."""
        index = self.index(store)
        known = view.matches.get(line)
        if known is not None and known[0] is index:
            return known[1]
        element = view.element_at[line]
        text = without_notes(view.lines[line])
        matches: list[TextMatch] = []
        analysed = analyse(text, self.names()) if element and element.type in CONTENT else None
        if analysed is not None and analysed.terms:
            speaker = view.speaker_at.get(line)
            if speaker is not None:
                speaker_key = self.aliases.get(speaker, speaker)
                analysed = replace(analysed, characters=analysed.characters | {speaker_key})
            candidates = index.candidates(analysed, TEXT_CANDIDATES)
            matches = [compare(analysed, theme) for theme in candidates]
        view.matches[line] = (index, matches)
        return matches

    def _candidates(
        self,
        store: Store,
        view: FileView,
        line: int,
        when: Introduced,
        *,
        threshold: float | None = calibration.SHOWN_SCORE,
        reactions: bool = True,
    ) -> list[Candidate]:
        """Themes whose text matches the line, with their signals split at the line's
        introduction: before it (and about an episode up to the line's), after it (and about an
        episode from the line's on; only when ``reactions``). ``threshold``: leave out, without
        reading their signals, those that no number of authors could lift to it. Without
        reactions only the top one is wanted: the best text matches are read first, and those
        that could not beat the best found are not read."""
        ceilings = [(calibration.ceiling(m), m) for m in self._matches(store, view, line)]
        if threshold is not None:
            ceilings = [(ceiling, m) for ceiling, m in ceilings if ceiling >= threshold]
        if not reactions:
            ceilings.sort(key=lambda pair: -pair[0])
        episode = view.episode(line)
        up_to = (0, ANY_EPISODE if episode is None else episode)
        from_on = (0 if episode is None else episode, ANY_EPISODE)
        views = self._views_per_episode
        found = []
        best = 0.0
        for ceiling, match in ceilings:
            if not reactions and ceiling < best:
                break
            signals = self.theme_signals(store, match.theme.rank)
            before = signals.backing(store, views, self.settings, before=when.at, episodes=up_to)
            if before is not None:
                reached = calibration.motivation_confidence(
                    match, before.support.authors, time_known=when.at is not None
                )
                best = max(best, reached or 0.0)
            after = None
            if reactions and when.at is not None:
                after = signals.backing(
                    store, views, self.settings, since=when.at, episodes=from_on
                )
            found.append(Candidate(match, before, after))
        return found

    def calibration_samples(
        self, file: Path | str, line: int, *, buffer_text: str | None = None
    ) -> list[tuple[str, tuple[float, ...]]]:
        """The candidate motivations of a line that explaining it weighs, as (theme id,
        calibration features): what ``calibration.fit`` learns the confidence from."""
        view = self.view(file, buffer_text)
        store = self.store()
        if store is None:
            return []
        when = self.history.of_text(view.key, view.text, store)[line]
        return [
            (
                candidate.match.theme.id,
                calibration.features(candidate.match, candidate.before.support.authors),
            )
            for candidate in self._candidates(store, view, line, when, threshold=None)
            if candidate.before is not None
        ]

    def _inferred(
        self, store: Store, view: FileView, line: int, when: Introduced, *, reactions: bool
    ) -> tuple[list[Motivation], list[Motivation]]:
        dismissed = self._dismissed(view.key, without_notes(view.lines[line]))
        time_known = when.at is not None
        motivations: list[Motivation] = []
        reacted: list[Motivation] = []
        # Without reactions only the top motivation matters, and only if likely enough.
        threshold = calibration.SHOWN_SCORE if reactions else AUDIENCE_DRIVEN
        found = self._candidates(store, view, line, when, threshold=threshold, reactions=reactions)
        for candidate in found:
            match, before, after = candidate.match, candidate.before, candidate.after
            evidence = {
                "matched_terms": [*match.shared_characters, *match.shared_terms],
                "similarity": round(match.similarity, 2),
            }
            if before is not None and match.theme.id not in dismissed:
                confidence = calibration.motivation_confidence(
                    match, before.support.authors, time_known=time_known
                )
                if confidence is not None:
                    motivations.append(
                        self._motivation(
                            "inferred",
                            confidence,
                            match.theme,
                            before,
                            {**evidence, **_timing(before, when)},
                        )
                    )
            if reactions and after is not None and when.at is not None:
                confidence = calibration.motivation_confidence(
                    match, after.support.authors, time_known=True
                )
                if confidence is not None and confidence >= REACTION_CONFIDENCE:
                    first = after.first if after.first is not None else when.at
                    reacted.append(
                        self._motivation(
                            "reaction",
                            confidence,
                            match.theme,
                            after,
                            {**evidence, "days_after_edit": round((first - when.at) / 86400, 2)},
                        )
                    )
        motivations.sort(key=lambda m: (-m.confidence, -m.support.authors))
        reacted.sort(key=lambda m: (-m.confidence, -m.support.authors))
        return motivations, reacted

    def _dismissed(self, key: str, text: str) -> set[str]:
        """The themes the writer dismissed for this line's text."""
        return self._dismissals.get((key, text), set())

    def _dismissals_of(self, store: Store, key: str, text: str) -> tuple[Dismissal, ...]:
        """The themes dismissed for this line's text, with their labels."""
        dismissed = sorted(self._dismissed(key, text))
        if not dismissed:
            return ()
        where = f"id IN ({', '.join('?' for _ in dismissed)})"
        labels = {row.id: row.label for row in theme_rows(store, where, dismissed)}
        return tuple(Dismissal(theme, labels.get(theme, theme)) for theme in dismissed)

    def _danmaku(
        self, store: Store, view: FileView, element: Element, episode: int, when: Introduced
    ) -> list[Motivation]:
        """Bullet comments sent while the line played (a typing delay later), by the
        screen-time estimate."""
        start = view.start_seconds.get(id(element), 0.0) + DANMAKU_DELAY
        end = start + element.seconds
        rows = [
            row
            for row in store.conn.execute(
                f"{SELECTED} FROM signals s "
                "WHERE s.episode = ? AND s.video_time >= ? AND s.video_time < ? "
                f"AND s.kind = 'danmaku' {ORDERED}",
                (episode, start, end),
            )
            if when.at is None or row[3] >= when.at
        ]
        if not rows:
            return []
        views = self._views_per_episode
        by_theme = theme_of_signals(store, (row[0] for row in rows))
        grouped: dict[int | None, list[Row]] = defaultdict(list)
        for row in rows:
            grouped[by_theme.get(row[0])].append(row)
        reactions = []
        window = {"window_seconds": [round(start, 1), round(end, 1)]}
        for rank, group in sorted(grouped.items(), key=lambda item: -len(item[1])):
            theme = theme_rows(store, "rank = ?", (rank,))[0] if rank is not None else None
            backing = Signals(group).backing(store, views, self.settings)
            assert backing is not None  # a group is never empty
            reactions.append(
                self._motivation("danmaku", DANMAKU_CONFIDENCE, theme, backing, window)
            )
        return reactions

    # -- outcomes -----------------------------------------------------------------------------

    def _outcome(
        self, store: Store, view: FileView, element: Element | None, episode: int | None
    ) -> Outcome | None:
        if episode is None:
            return None
        per_episode = self._metrics(store)
        current = per_episode.get(episode)
        if current is None:
            return None
        figures: dict[str, dict[str, float | None]] = {}
        before = per_episode.get(episode - 1)
        for name in METRICS:
            values = [value for m in per_episode.values() if (value := m.get(name)) is not None]
            figures[name] = {
                "value": current.get(name),
                "series_median": round(statistics.median(values), 4) if values else None,
                "previous": before.get(name) if before else None,
            }
        retention = None
        curve = current.retention
        if element is not None and curve:
            unit, points = curve
            position = view.start_seconds.get(id(element), 0.0)
            total = sum(e.seconds for e in view.script.episodes if e.number == episode)
            at = position if unit == "second" else 100 * position / total if total else 0.0
            fraction = _interpolate(points, at)
            if fraction is not None:
                retention = {"position_seconds": round(position, 1), "fraction": round(fraction, 3)}
        return Outcome(episode, figures, retention)

    def _metrics(self, store: Store) -> dict[int, EpisodeMetrics]:
        """Per episode, all platforms together: views and comments summed, completion weighted
        by views, and the retention curve of the platform with the most views; read again
        after the store changed."""
        if self._metrics_of is not None:
            return self._metrics_of
        per: dict[int, EpisodeMetrics] = {}
        rows = store.conn.execute(
            "SELECT episode, views, completion_rate, comments, retention_unit, retention "
            "FROM episode_metrics ORDER BY episode, views DESC"
        )
        for episode, views, completion, comments, unit, retention in rows:
            per.setdefault(episode, EpisodeMetrics()).add(
                views, completion, comments, unit, retention
            )
        self._metrics_of = per
        return per

    # -- the series ------------------------------------------------------------------------------

    def summary(self, files: Sequence[Path | str] | None = None) -> Summary:
        """Per scene, the audience-driven lines (all the series' files by default)."""
        views = self.series() if files is None else [self.view(file) for file in files]
        scenes: list[SceneSummary] = []
        for view in views:
            by_scene: dict[int | None, list[Explanation]] = defaultdict(list)
            for explanation in self._audience_driven(view):
                element = view.element_at[explanation.line]
                by_scene[element.scene if element else None].append(explanation)
            for scene, explained in by_scene.items():
                heading = view.script.scenes[scene].heading if scene is not None else ""
                scenes.append(SceneSummary(view.key, scene, heading, tuple(explained)))
        return Summary(tuple(scenes))

    def unanswered(self, limit: int = 10) -> Unanswered:
        """The most representative themes (most authors, not a vocal minority) that no line of
        the series was motivated by or drew as a reaction; and the lines whose top motivation
        is a vocal minority."""
        store = self.store()
        if store is None:
            return Unanswered((), (), hints=(NO_STORE_HINT,))
        touched: set[str] = set()
        vocal: list[Explanation] = []
        for view in self.series():
            introduced = self.history.of_text(view.key, view.text, store)
            for line, element in enumerate(view.element_at):
                if element is None or element.type not in CONTENT:
                    continue
                explanation = self._explain(view, line, introduced, store)
                touched.update(
                    m.theme_id
                    for m in explanation.motivations
                    if m.confidence >= AUDIENCE_DRIVEN and m.theme_id
                )
                touched.update(m.theme_id for m in explanation.reactions if m.theme_id)
                top = explanation.top
                if explanation.audience_driven and top is not None and top.support.vocal_minority:
                    vocal.append(explanation)
        views = self._views_per_episode
        themes: list[UnansweredTheme] = []
        for theme in self.index(store).largest_first():
            if theme.id in touched:
                continue
            backing = self.theme_signals(store, theme.rank).backing(store, views, self.settings)
            if backing is None or backing.support.vocal_minority:
                continue
            themes.append(
                UnansweredTheme(
                    theme.id,
                    theme.label,
                    backing.support,
                    backing.episodes,
                    backing.signal_ids,
                    backing.quotes,
                )
            )
            if len(themes) >= limit:
                break
        themes.sort(key=lambda theme: (-theme.support.authors, theme.theme_id))
        return Unanswered(tuple(themes), tuple(vocal))

    # -- history ------------------------------------------------------------------------------

    def record_save(
        self,
        file: Path | str,
        text: str,
        *,
        at: int | None = None,
        label: str | None = None,
        message: str = "",
    ) -> bool:
        """Record a saved version of a script in the snapshot history (for workspaces whose
        history is not git); returns whether a revision was added."""
        key = self.key(file)
        with self.writable() as store:
            return record_revision(store, key, text, at=at, label=label, message=message)

    def keeps_snapshots(self, file: Path | str) -> bool:
        """Whether saves of ``file`` go into the snapshot history: under ``snapshots``, and
        under ``auto`` when git does not track the file."""
        mode = self.history.mode
        return mode == "snapshots" or (
            mode == "auto" and self.history.git.base(self.key(file)) is None
        )

    def writable(self) -> Store:
        """The store opened for writing (history, dismissals), waiting for other writers; use
        it as a context manager, which closes it."""
        return open_store(self.db_path, self.workspace.state_dir)

    def dismiss(
        self, file: Path | str, line: int, theme_id: str, *, buffer_text: str | None = None
    ) -> None:
        """The writer says a theme is not why this line is there: it is no longer inferred."""
        key, text = self._line_text(file, line, buffer_text)
        with self.writable() as store, store.db.atomic():
            store.conn.execute(
                "INSERT OR REPLACE INTO dismissals (file, line_text, theme_id, dismissed_at) "
                "VALUES (?, ?, ?, ?)",
                (key, text, theme_id, int(time.time())),
            )

    def restore(
        self, file: Path | str, line: int, theme_id: str, *, buffer_text: str | None = None
    ) -> bool:
        """Undo ``dismiss``: the theme may be inferred for this line again. Whether it had been
        dismissed (``Explanation.dismissed`` lists what was)."""
        key, text = self._line_text(file, line, buffer_text)
        with self.writable() as store, store.db.atomic():
            deleted = store.conn.execute(
                "DELETE FROM dismissals WHERE file = ? AND line_text = ? AND theme_id = ?",
                (key, text, theme_id),
            )
            return deleted.rowcount > 0

    def _line_text(self, file: Path | str, line: int, buffer_text: str | None) -> tuple[str, str]:
        """A line as dismissals remember it: its file's key and its text without notes."""
        view = self._line_view(file, line, buffer_text)
        return view.key, without_notes(view.lines[line])


@dataclass
class Candidate:
    match: TextMatch
    before: Backing | None  # the signals that could have motivated the line
    after: Backing | None  # those that could be reactions to it


def _timing(before: Backing, when: Introduced) -> dict[str, object]:
    """How long before the edit the motivating signals came; or why that is unknown."""
    if when.at is None:
        return {
            "days_before_edit": None,
            "time_filter": "not applied: when this line was introduced is unknown "
            "(no git history or snapshot for the file)",
        }
    latest = before.latest
    return {"days_before_edit": round((when.at - latest) / 86400, 2) if latest else None}


@dataclass
class EpisodeMetrics:
    views: int | None = None
    comments: int | None = None
    completion_rate: float | None = None
    retention: tuple[str, list[list[float]]] | None = None
    _weight: int = 0

    def add(
        self,
        views: int | None,
        completion: float | None,
        comments: int | None,
        unit: str | None,
        retention: str | None,
    ) -> None:
        if views is not None:
            self.views = (self.views or 0) + views
        if comments is not None:
            self.comments = (self.comments or 0) + comments
        if completion is not None:
            weight = views or 1
            total = self._weight + weight
            earlier = (self.completion_rate or 0.0) * self._weight
            self.completion_rate = round((earlier + completion * weight) / total, 4)
            self._weight = total
        if self.retention is None and unit and retention:
            self.retention = (unit, json.loads(retention))

    def get(self, name: str) -> float | None:
        value = getattr(self, name)
        return None if value is None else float(value)


def _interpolate(points: Iterable[Sequence[float]], at: float) -> float | None:
    ordered = sorted((float(p), float(f)) for p, f in points)
    if not ordered:
        return None
    if at <= ordered[0][0]:
        return ordered[0][1]
    for (x0, y0), (x1, y1) in pairwise(ordered):
        if x0 <= at <= x1:
            return y0 + (y1 - y0) * (at - x0) / (x1 - x0) if x1 > x0 else y0
    return ordered[-1][1]

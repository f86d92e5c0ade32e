"""The continuity engine: one object behind ``scriptlens check`` and the language server.

Paths are the keys the caller gives (the CLI uses paths relative to the workspace root, POSIX
style); texts are whole documents. The engine keeps the index of every file it has seen for as
long as that file's text stays the same, so re-checking after a keystroke in one document parses
and indexes that document alone::

    engine = Engine(settings)
    engine.set_files({"ep01.fountain": text1, "ep02.fountain": text2})
    engine.set_baseline({"ep01.fountain": saved1, "ep02.fountain": saved2})  # or None
    diagnostics = engine.check()
    engine.update("ep02.fountain", edited)
    diagnostics = engine.check()

A caller that already holds a file's model (the language server reparses open documents
incrementally) gives it with ``update_script`` so that the text is not parsed again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from scriptlens.continuity.cast import Cast
from scriptlens.continuity.context import Context, State
from scriptlens.continuity.diagnostics import Diagnostic
from scriptlens.continuity.index import FileIndex, MentionFinder, build_index
from scriptlens.continuity.rules import RULES
from scriptlens.continuity.series import build_series
from scriptlens.fountain.model import Script
from scriptlens.fountain.parser import parse
from scriptlens.workspace.config import Config


class Cancelled(Exception):
    """A check stopped because its result was no longer wanted."""


class Engine:
    def __init__(self, settings: Config | None = None) -> None:
        self.settings = settings if settings is not None else Config()
        self._current: dict[str, FileIndex] = {}
        self._baseline: dict[str, FileIndex] | None = None
        self._baseline_state: State | None = None
        self._finder: MentionFinder | None = None
        self._resolutions: dict[tuple[tuple[str, str], ...], dict[str, str | None]] = {}

    # The documents.

    def update(self, path: str, text: str) -> None:
        """Sets one document's current text; parses and indexes it only if the text changed."""
        self._current[path] = self._index(path, text)

    def update_script(self, path: str, text: str, script: Script) -> None:
        """Sets one document's current text from ``script``, its model, which the caller already
        has; indexes it only if the text changed."""
        self._current[path] = self._index(path, text, script)

    def remove(self, path: str) -> None:
        self._current.pop(path, None)

    def set_files(self, texts: Mapping[str, str]) -> None:
        """Replaces the whole current series, reusing what is unchanged."""
        self._current = {path: self._index(path, text) for path, text in texts.items()}

    def set_baseline(self, texts: Mapping[str, str] | None) -> None:
        """The version the edit-aware rules compare against; ``None`` turns them off."""
        if texts is None:
            self._baseline, self._baseline_state = None, None
            return
        old = self._baseline or {}
        fresh = {
            path: self._index(path, text, previous=old.get(path)) for path, text in texts.items()
        }
        if fresh.keys() != old.keys() or any(fresh[path] is not old[path] for path in fresh):
            self._baseline, self._baseline_state = fresh, None

    def texts(self) -> dict[str, str]:
        """The current text of every document, by path."""
        return {path: index.text for path, index in self._current.items()}

    def scripts(self) -> dict[str, Script]:
        """The current model of every document, by path."""
        return {path: index.script for path, index in self._current.items()}

    def _index(
        self,
        path: str,
        text: str,
        script: Script | None = None,
        previous: FileIndex | None = None,
    ) -> FileIndex:
        """The index of ``text``: a known one while the text stays the same, else one built from
        ``script`` (parsed here when not given)."""
        text = text.removeprefix("\ufeff")
        known = self._known(path, text, previous)
        if known is not None:
            return known
        return build_index(path, text, script if script is not None else parse(text, path))

    def _known(self, path: str, text: str, previous: FileIndex | None = None) -> FileIndex | None:
        baseline = self._baseline or {}
        for known in (self._current.get(path), baseline.get(path), previous):
            if known is not None and known.text == text:
                return known
        return None

    # Checking.

    def check(
        self,
        files: Iterable[str] | None = None,
        cancelled: Callable[[], bool] | None = None,
        cast: Cast | None = None,
    ) -> list[Diagnostic]:
        """Every diagnostic of the series, or of ``files`` only (the rest still gives context).
        Between rules, raises ``Cancelled`` once ``cancelled()`` is true; ``cast`` is the
        series' cast when the caller already has it."""
        wanted = None if files is None else set(files)
        cast = cast if cast is not None else self.cast()
        indexes = cast.indexes
        baseline = self._baseline_state_now()
        context = Context(self.settings, State(indexes, cast), baseline)
        found = []
        for rule in RULES:
            code = rule.spec.code
            rule_settings = self.settings.rules[code]
            if not rule_settings.enabled or (rule.spec.needs_baseline and baseline is None):
                continue
            if cancelled is not None and cancelled():
                raise Cancelled
            for finding in rule.run(context, rule_settings):
                if wanted is not None and finding.file not in wanted:
                    continue
                if indexes[finding.file].suppressed(finding.range.start.line, code):
                    continue
                found.append(
                    Diagnostic(
                        finding.file,
                        finding.range,
                        rule_settings.severity,
                        code,
                        finding.message,
                        finding.related,
                        finding.fixes,
                    )
                )
        return sorted(found, key=Diagnostic.sort_key)

    def cast(self) -> Cast:
        """The current series' cast, mentions included: the one ``check`` judges, which hover and
        workspace symbols show."""
        indexes = dict(self._current)
        series = build_series(indexes, self.settings.series)
        cast = Cast(series, indexes, self.settings.cast, shared=self._resolutions)
        baseline = self._baseline_state_now()
        cast.finder = self._mention_finder(cast, baseline.cast if baseline else None)
        return cast

    def _baseline_state_now(self) -> State | None:
        if self._baseline is None:
            return None
        if self._baseline_state is None:
            indexes = self._baseline
            series = build_series(indexes, self.settings.series)
            self._baseline_state = State(indexes, Cast(series, indexes, self.settings.cast))
        return self._baseline_state

    def _mention_finder(self, cast: Cast, before: Cast | None) -> MentionFinder:
        """One finder for the names of now and of the baseline, kept while they stay the same,
        so that each file's mentions stay cached."""
        names = {name for character in cast.characters.values() for name in character.names}
        if before is not None:
            names |= {name for character in before.characters.values() for name in character.names}
        finder = MentionFinder(names)
        if self._finder is None or self._finder.signature != finder.signature:
            self._finder = finder
        return self._finder


def check_texts(
    current: Mapping[str, str],
    baseline: Mapping[str, str] | None = None,
    settings: Config | None = None,
) -> list[Diagnostic]:
    """One-shot check of a series given as ``{path: text}``."""
    engine = Engine(settings)
    engine.set_files(current)
    engine.set_baseline(baseline)
    return engine.check()

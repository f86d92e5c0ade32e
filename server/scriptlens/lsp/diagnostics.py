"""Continuity diagnostics, published for every file of the series.

Opening, saving or closing a file re-checks at once; typing re-checks when it pauses for
``diagnostics.debounceMs``. A check reuses the engine's index of every file whose text did not
change, so it costs about one file's indexing plus the series-level rules. Files that had
diagnostics and have none now get an empty list, so the editor clears them.

The check runs in a worker thread, so that the event loop answers other requests meanwhile (a
10 MB script takes seconds). It starts as soon as a change arrives while the worker is free,
so its findings are ready when the debounce delay ends and are shown then, not a check's time
later. What it reads is taken on the loop when it starts; an edit that arrives while it runs
makes it stale: it stops at the next rule, nothing of it is published, and the newer text is
checked when the typing pauses.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.continuity.diagnostics import Diagnostic, documentation
from scriptlens.continuity.engine import Cancelled
from scriptlens.lsp import memory, pull_diagnostics
from scriptlens.lsp.convert import lsp_range
from scriptlens.workspace.series import CheckJob, Series

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer

logger = logging.getLogger(__name__)
SOURCE = "scriptlens"
MAX_PER_DOCUMENT = 500
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}


def to_lsp(diagnostic: Diagnostic, uri_of: Callable[[str], str]) -> types.Diagnostic:
    """One engine diagnostic as LSP sees it. Its quick fix stays on the server, which answers
    ``textDocument/codeAction`` from the diagnostics it last published."""
    return types.Diagnostic(
        range=lsp_range(diagnostic.range),
        severity=SEVERITY[diagnostic.severity],
        code=diagnostic.code,
        code_description=types.CodeDescription(href=documentation(diagnostic.code)),
        source=SOURCE,
        message=diagnostic.message,
        related_information=[
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=uri_of(related.file), range=lsp_range(related.range)),
                message=related.message,
            )
            for related in diagnostic.related
        ]
        or None,
    )


def capped(diagnostics: list[Diagnostic], limit: int = MAX_PER_DOCUMENT) -> list[Diagnostic]:
    """At most ``limit`` of one document's diagnostics, the most severe first (then in text
    order): on a 10 MB script ten thousand of them took seconds to send and to draw."""
    if len(diagnostics) <= limit:
        return diagnostics
    ranked = sorted(
        diagnostics,
        key=lambda d: (SEVERITY[d.severity], d.range.start.line, d.range.start.character),
    )
    return sorted(ranked[:limit], key=lambda d: (d.range.start.line, d.range.start.character))


def left_out(shown: int, found: int) -> types.Diagnostic:
    """Says, at the top of the document, how many diagnostics were not shown."""
    return types.Diagnostic(
        range=types.Range(types.Position(0, 0), types.Position(0, 0)),
        severity=types.DiagnosticSeverity.Information,
        code="more-diagnostics",
        source=SOURCE,
        message=f"{found - shown:,} more diagnostic(s) in this file are not shown (the "
        f"{shown} most severe of {found:,} are); `scriptlens check` lists them all",
    )


def for_document(
    diagnostics: list[Diagnostic], uri_of: Callable[[str], str]
) -> list[types.Diagnostic]:
    """One document's diagnostics as published: capped, with a note of what was left out."""
    shown = capped(diagnostics)
    converted = [to_lsp(d, uri_of) for d in shown]
    if len(shown) < len(diagnostics):
        converted.insert(0, left_out(len(shown), len(diagnostics)))
    return converted


def by_file(diagnostics: list[Diagnostic]) -> dict[str, list[Diagnostic]]:
    grouped: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        grouped.setdefault(diagnostic.file, []).append(diagnostic)
    return grouped


Found = dict[tuple[Path, str], list[Diagnostic]]  # by (series root, file key)


class DiagnosticsPublisher:
    def __init__(self, server: ScriptlensServer) -> None:
        self.server = server
        self.latest: Found = {}  # what was last published
        self._generation = 0  # counts requests for a re-check: a check of an older one is stale
        self._shown = 0  # the request ``latest`` answers
        self._due = 0.0  # loop time from which the findings of the latest request may be shown
        self._timer: asyncio.TimerHandle | None = None  # wakes at ``_due``
        self._running: asyncio.Future[Found | None] | None = None  # the check in the worker
        self._held: tuple[Found, int] | None = None  # findings ready before their due time
        self._checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scriptlens-check")
        self._stopped = False
        self.give_back_memory = False  # a large document closed: after the next check, free

    @property
    def pending(self) -> bool:
        """Whether the text changed since the findings last published."""
        return self._shown != self._generation

    def schedule(self, immediately: bool = False) -> None:
        """Re-check for a change: at once when the worker is free (else when the check it runs,
        now stale, stops), and publish once the typing has paused for the debounce delay (or
        at once). A keystroke only moves the deadline of the timer already set (which then
        sets itself again), rather than cancelling it for a new one: fifty thousand cancelled
        timers are garbage to collect."""
        self._generation += 1
        self._held = None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not serving (a direct call from a test or the CLI)
            found = self._check(self._prepare(), self._generation)
            if found is not None:
                self._publish(found, self._generation)
            return
        delay = 0.0 if immediately else self.server.settings.debounce_ms / 1000
        self._due = loop.time() + delay
        if self._running is None:
            self._start()
        if self._timer is not None and self._timer.when() <= self._due:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = loop.call_at(self._due, self._when_due)

    def _when_due(self) -> None:
        loop = asyncio.get_running_loop()
        if loop.time() < self._due:  # typing went on: wait for its pause
            self._timer = loop.call_at(self._due, self._when_due)
            return
        self._timer = None
        if self._held is not None:
            self._publish(*self._held)
        elif self.pending and self._running is None:
            self._start()  # due now: it publishes when done (as a running check does)

    def _start(self) -> None:
        if self._stopped:
            return
        generation = self._generation
        jobs = self._prepare()
        running = asyncio.get_running_loop().run_in_executor(
            self._checker, self._check, jobs, generation
        )
        self._running = running
        running.add_done_callback(lambda done: self._finished(done, generation))

    def _finished(self, done: asyncio.Future[Found | None], generation: int) -> None:
        self._running = None
        if done.cancelled():  # the server is stopping
            return
        found = done.result()
        if found is None or generation != self._generation:  # stale
            if self._timer is None:  # else the timer starts the check of the newer text
                self._start()
        elif asyncio.get_running_loop().time() < self._due:
            self._held = (found, generation)  # typing may go on: the timer shows them
        else:
            self._publish(found, generation)

    async def current(self) -> None:
        """Waits until ``latest`` holds the findings of the text as it is now (for quick fixes
        and pulls), publishing them before their due time if need be."""
        while self.pending and not self._stopped:
            if self._held is not None:
                self._publish(*self._held)
                break
            if self._running is None:
                self._start()
            if self._running is not None:
                await asyncio.shield(self._running)
            await asyncio.sleep(0)  # a check just done hands its result over first

    def read_files(self, series: Series) -> None:
        """Reads a series' files in the worker, before any check it runs next, so that a large
        series does not hold the event loop while it loads."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not serving
            series.read_files()
            return
        if not self._stopped:
            loop.run_in_executor(self._checker, self._read_files, series)

    @staticmethod
    def _read_files(series: Series) -> None:
        with memory.long_lived_objects_made():
            try:
                series.read_files()
            except Exception:  # the editor's server stays up; the check says what it can
                logger.exception("reading the series at %s failed", series.root)

    def stop(self) -> None:
        """The server is shutting down: a running check stops at its next rule, so that the
        process does not wait for it to exit."""
        self._generation += 1
        self._stopped = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._checker.shutdown(wait=False, cancel_futures=True)

    def _prepare(self) -> list[CheckJob]:
        """On the event loop: what each series' check reads, taken from the documents."""
        self.server.documents.settle()  # check the text as typed so far
        if not self.server.settings.diagnostics_enabled:
            return []
        baseline = self.server.settings.baseline
        return [series.prepare_check(baseline) for series in self.server.loaded_series()]

    def _check(self, jobs: list[CheckJob], generation: int) -> Found | None:
        """In the worker: the findings of every series, or None when a newer request for a
        re-check made them stale before they were complete."""
        found: Found = {}
        with memory.long_lived_objects_made():
            for job in jobs:
                try:
                    checked = job.run(cancelled=lambda: generation != self._generation)
                except Cancelled:
                    return None
                except Exception:  # a bug in one rule must not take the editor's server down
                    logger.exception("continuity check failed in %s", job.series.root)
                    continue
                root = job.series.root
                found.update({(root, key): items for key, items in by_file(checked).items()})
        return found

    def _publish(self, found: Found, generation: int) -> None:
        """On the event loop: sends what changed (or tells a pulling client to pull)."""
        self._shown, self._held = generation, None
        if self.give_back_memory:  # the check let go of the closed document's model
            self.give_back_memory = False
            memory.give_back()
        by_root = {series.root: series for series in self.server.loaded_series()}
        if self.server.settings.diagnostics_enabled:
            # Links to unknown signals or themes, checked off the event loop (lsp/provenance).
            self.server.provenance.refresh_findings()
            for where, items in self.server.provenance.findings.items():
                if items and where[0] in by_root:
                    found[where] = sorted([*found.get(where, []), *items], key=Diagnostic.sort_key)
        if pull_diagnostics.pulled_by(self.server):  # the client pulls: never push too
            if found != self.latest:
                pull_diagnostics.changed(self.server)
            self.latest = found
            return
        for root, key in sorted(set(found) | set(self.latest)):
            diagnostics = found.get((root, key), [])
            if not diagnostics and not self.latest.get((root, key)):
                continue
            owner = by_root.get(root)
            if owner is None:  # a series that split or merged away: its findings are cleared
                uri, converted = (root / key).as_uri(), []
            else:
                uri = self.server.uri_of(owner, key)
                converted = for_document(diagnostics, self.server.uris(owner))
            opened = self.server.documents.get(uri)
            if opened is None and diagnostics == self.latest.get((root, key)):
                continue  # the client has them: a closed file's findings, unchanged, never moved
            self.server.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri,
                    diagnostics=converted,
                    version=opened.version if opened else None,
                )
            )
        self.latest = found

"""Provenance in the editor: why a line is there (hover), an inlay hint at the end of each
audience-driven line, warnings for notes that link to unknown signals or themes, and each save
recorded in the snapshot history where git does not keep it.

Everything runs ``scriptlens.provenance.Provenance`` (the same functions as ``scriptlens
explain``) on the store's reader thread, one engine per series, so the event loop never waits
for SQLite; an answer computed for a document version that has since changed is dropped.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types

from scriptlens.continuity.diagnostics import Diagnostic
from scriptlens.fountain import utf16
from scriptlens.fountain.model import Range
from scriptlens.workspace import Workspace

if TYPE_CHECKING:  # the provenance core loads on the reader thread, when first used
    from scriptlens.lsp.documents import OpenDocument
    from scriptlens.lsp.server import ScriptlensServer
    from scriptlens.provenance import Explanation, Provenance
    from scriptlens.signals import Store

logger = logging.getLogger(__name__)
Result = TypeVar("Result")
UNKNOWN_LINK = "unknown-link"
HINT_LABEL_WIDTH = 32


class EditorProvenance:
    def __init__(self, ls: ScriptlensServer) -> None:
        self.ls = ls
        # Touched on the reader thread only: one engine per series root, for its workspace and
        # the store's read connection.
        self._engines: dict[Path, tuple[Workspace, Store, Provenance]] = {}
        # Touched on the event loop only: link findings per (root, key), and the document
        # version each was computed for.
        self.findings: dict[tuple[Path, str], list[Diagnostic]] = {}
        self._checked: dict[str, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()  # running, kept so none is collected

    def _spawn(self, job: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _engine(self, workspace: Workspace, store: Store) -> Provenance:
        known = self._engines.get(workspace.root)
        # First use, scriptlens.toml changed, or the store's connection was reopened.
        if known is None or known[0] is not workspace or known[1] is not store:
            if known is not None:
                known[2].close()
            from scriptlens.provenance import Provenance

            known = (workspace, store, Provenance(workspace, store=store))
            self._engines[workspace.root] = known
        return known[2]

    async def run(
        self, opened: OpenDocument, job: Callable[[Provenance, str, str], Result]
    ) -> Result | None:
        """``job(engine, key, text)`` on the reader thread for the document as it is now;
        None when it is outside a series, the series has no store, or the document changed
        while the job ran."""
        series, key = opened.series, opened.key
        if series is None or key is None:
            return None
        version, text, workspace = opened.version, opened.document.text, series.workspace
        result = await self.ls.store.read(
            series.root, lambda store: job(self._engine(workspace, store), key, text)
        )
        if self.ls.documents.get(opened.uri) is not opened or opened.version != version:
            return None
        return result

    # -- hover and inlay hints ------------------------------------------------------------------

    async def explain(self, opened: OpenDocument, line: int) -> Explanation | None:
        """The line's explanation; None past the end of the document or without a store."""
        if line >= opened.document.text.count("\n") + 1:
            return None
        return await self.run(
            opened, lambda engine, key, text: engine.explain_line(key, line, buffer_text=text)
        )

    async def hover(self, opened: OpenDocument, line: int) -> Explanation | None:
        """The line's explanation, when it has motivations or reactions to show."""
        found = await self.explain(opened, line)
        if found is None or not (found.motivations or found.reactions):
            return None
        return found

    async def inlay_hints(self, opened: OpenDocument, visible: Range) -> list[types.InlayHint]:
        found = await self.run(
            opened, lambda engine, key, text: engine.explain_file(key, buffer_text=text)
        )
        lines = opened.document.text.split("\n")
        hints = []
        for explanation in found or []:
            if not visible.start.line <= explanation.line <= visible.end.line:
                continue
            top = explanation.top
            assert top is not None
            label = top.theme_label
            if len(label) > HINT_LABEL_WIDTH:
                label = label[: HINT_LABEL_WIDTH - 1] + "…"
            how = "linked" if top.kind == "explicit" else f"{top.confidence:.0%}"
            end = utf16.units(lines[explanation.line].rstrip("\r"))
            hints.append(
                types.InlayHint(
                    position=types.Position(line=explanation.line, character=end),
                    label=f"← {label} · {how}",
                    padding_left=True,
                    tooltip=types.MarkupContent(
                        kind=types.MarkupKind.Markdown, value=explanation.to_markdown()
                    ),
                )
            )
        return hints

    # -- diagnostics ------------------------------------------------------------------------------

    def refresh_findings(self) -> None:
        """Re-check the links of open documents whose text changed since they were checked; a
        check that finds something new asks the diagnostics publisher to publish again."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # not serving (a direct call from a test)
            return
        for opened in self.ls.documents:
            if opened.series is None or opened.key is None:
                continue
            if self._checked.get(opened.uri) == opened.version:
                continue
            self._checked[opened.uri] = opened.version
            self._spawn(self._check_links(opened))

    async def _check_links(self, opened: OpenDocument) -> None:
        try:
            found = await self.run(
                opened, lambda engine, key, text: engine.link_findings(key, buffer_text=text)
            )
        except Exception:  # a broken store must not take the editor's server down
            logger.exception("checking provenance links of %s failed", opened.uri)
            return
        if found is None or opened.series is None or opened.key is None:
            return
        where = (opened.series.root, opened.key)
        diagnostics = [
            Diagnostic(f.file, f.range, "warning", UNKNOWN_LINK, f.message) for f in found
        ]
        if diagnostics != self.findings.get(where, []):
            self.findings[where] = diagnostics
            self.ls.diagnostics.schedule(immediately=True)

    def closed(self, closed: OpenDocument) -> None:
        """A closed document's links are no longer checked: its warnings go with it."""
        self._checked.pop(closed.uri, None)
        if closed.series is not None and closed.key is not None:
            self.findings.pop((closed.series.root, closed.key), None)

    # -- history ----------------------------------------------------------------------------------

    def saved(self, opened: OpenDocument) -> None:
        """Record the saved text in the snapshot history, where that is the file's history and
        the workspace has a store (saving never creates one)."""
        self._spawn(self._record(opened))

    async def _record(self, opened: OpenDocument) -> None:
        from scriptlens.provenance.history import record_revision  # a save needs the core

        series, key = opened.series, opened.key
        if series is None or key is None or not self.ls.store.path(series.root).is_file():
            return
        text = opened.document.text
        try:
            keeps = await self.run(opened, lambda engine, key, _text: engine.keeps_snapshots(key))
            if keeps:
                await self.ls.store.write(
                    series.root,
                    lambda store: record_revision(store, key, text),
                    threading.Event(),
                )
        except Exception:  # the history is a convenience: saving goes on without it
            logger.exception("recording a snapshot of %s failed", opened.uri)

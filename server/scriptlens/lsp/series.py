"""The workspace's series as the server sees it: every ``.fountain`` file under the root, open
documents at their current text and the others as on disk, with the baseline the edit-aware
continuity rules compare against.

Baseline (setting ``baseline``): ``auto`` takes a file's text at git ``HEAD`` where the workspace
is a git repository tracking that file, and otherwise its last saved text (as opened, then as of
each save); ``git`` takes ``HEAD`` only; ``save`` the last saved text only. A file unchanged since
its baseline cannot trip an edit-aware rule, so an untouched workspace stays quiet.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from scriptlens.continuity.cast import Cast
from scriptlens.continuity.diagnostics import Diagnostic
from scriptlens.continuity.engine import Engine, settings_for
from scriptlens.fountain.document import Document
from scriptlens.fountain.model import Script
from scriptlens.fountain.parser import decode
from scriptlens.lsp.settings import Baseline
from scriptlens.workspace import ConfigError, Workspace, find_root, is_script, load
from scriptlens.workspace.baseline import BaselineError, git_baseline

logger = logging.getLogger(__name__)


class WorkspaceSeries:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.workspace = Workspace(self.root, {})
        self.config_error: str | None = None
        self.engine = Engine()
        self.saved: dict[str, str] = {}  # the last saved text of every file, open or not
        self.head: dict[str, str] | None = None  # texts at git HEAD; None outside a repository
        self.documents: dict[str, Document] = {}  # the open ones, by key
        self._stale: set[str] = set()  # open documents edited since the engine last saw them

    @classmethod
    def at(cls, start: Path) -> WorkspaceSeries:
        series = cls(find_root(start))
        series.reload_config()
        series.scan()
        series.reload_head()
        return series

    def key(self, path: Path) -> str | None:
        """The series' name for a file: its POSIX path relative to the root, or ``None`` for a
        file outside the root (such a file gets every feature but continuity)."""
        try:
            relative = path.resolve().relative_to(self.root)
        except ValueError:
            return None
        if not is_script(relative):
            return None
        return relative.as_posix()

    def path(self, key: str) -> Path:
        return self.root / key

    # -- what changes -------------------------------------------------------------------------

    def reload_config(self) -> None:
        """Reads ``scriptlens.toml`` again; a broken one leaves the defaults and says why."""
        self.config_error = None
        try:
            self.workspace = load(self.root)
            settings = settings_for(self.workspace)
        except ConfigError as error:
            self.config_error = str(error)
            self.workspace = Workspace(self.root, {})
            settings = settings_for(self.workspace)
        engine = Engine(settings)
        engine.set_files(self.engine.texts())
        self.engine = engine
        self._stale.update(self.documents)

    def scan(self) -> None:
        """Reads every file that is not open from disk."""
        on_disk = {self.key(path) for path in self.workspace.fountain_files()}
        for key in sorted(k for k in on_disk if k is not None and k not in self.documents):
            self.reload_file(key)

    def reload_file(self, key: str) -> None:
        """A file that is not open changed on disk (or appeared, or went away)."""
        if key in self.documents:
            return
        try:
            text, _invalid = decode(self.path(key).read_bytes())
        except FileNotFoundError:
            self.saved.pop(key, None)
            self.engine.remove(key)
            return
        except OSError as error:
            logger.warning("%s: cannot read: %s", self.path(key), error)
            return
        self.saved[key] = text
        self.engine.update(key, text)

    def reload_head(self) -> None:
        try:
            self.head = git_baseline(self.root, "HEAD")
        except BaselineError as error:
            logger.info("no git baseline: %s", error)
            self.head = None

    def opened(self, key: str, document: Document) -> None:
        self.documents[key] = document
        self.saved[key] = document.text
        self._stale.add(key)

    def changed(self, key: str) -> None:
        """An open document was edited; the engine reads it when something is next asked."""
        self._stale.add(key)

    def was_saved(self, key: str) -> None:
        self.saved[key] = self.documents[key].text
        self.reload_head()

    def closed(self, key: str) -> None:
        self.documents.pop(key, None)
        self._stale.discard(key)
        self.reload_file(key)  # unsaved edits are dropped with the buffer

    def _sync(self) -> None:
        for key in self._stale:
            document = self.documents[key]
            self.engine.update_script(key, document.text, document.script)
        self._stale.clear()

    # -- what the features read ---------------------------------------------------------------

    def baseline(self, mode: Baseline) -> dict[str, str]:
        head = self.head or {}
        if mode == "git":
            return dict(head)
        if mode == "save":
            return dict(self.saved)
        merged = dict(self.saved)
        merged.update({key: text for key, text in head.items() if key in merged})
        return merged

    def check(self, mode: Baseline) -> list[Diagnostic]:
        self._sync()
        self.engine.set_baseline(self.baseline(mode))
        return self.engine.check()

    def cast(self) -> Cast:
        self._sync()
        return self.engine.cast()

    def scripts(self) -> Mapping[str, Script]:
        self._sync()
        return self.engine.scripts()

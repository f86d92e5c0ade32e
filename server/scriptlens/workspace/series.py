"""A series as both faces see it: every script of one workspace root, open documents at their
current text and the others as on disk, read by the one text reader, checked against the one
default baseline. ``scriptlens check`` and the language server both hold a ``Series``, so they
never disagree.

Baseline (``auto``, the default of both faces): a file's text at git ``HEAD`` where the root is
in a git repository tracking it; else its text in the snapshot that ``scriptlens check
--snapshot`` took; else its last saved text (for the CLI, the file on disk: nothing to compare).
``git`` takes ``HEAD`` only; ``save`` the last saved text only. A file unchanged since its
baseline cannot trip an edit-aware rule, so an untouched workspace stays quiet.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal

from scriptlens.continuity.cast import Cast
from scriptlens.continuity.diagnostics import Diagnostic
from scriptlens.continuity.engine import Engine
from scriptlens.continuity.rules.base import RuleSpec
from scriptlens.fountain.document import Document
from scriptlens.fountain.model import Range, Script
from scriptlens.fountain.text_reader import InvalidBytes, read_source
from scriptlens.workspace import ConfigError, Workspace, is_script, read_config
from scriptlens.workspace.baseline import BaselineError, git_baseline, read_snapshot
from scriptlens.workspace.config import Config

logger = logging.getLogger(__name__)

Baseline = Literal["auto", "git", "save"]
BASELINES: tuple[Baseline, ...] = ("auto", "git", "save")
# Not a continuity rule, but reported beside them by both faces (and listed in SARIF).
INVALID_UTF8 = RuleSpec(
    code="invalid-utf8",
    severity="warning",
    summary="The file is not valid UTF-8: its invalid bytes were read as U+FFFD.",
)


def invalid_bytes_diagnostic(key: str, invalid: InvalidBytes) -> Diagnostic:
    return Diagnostic(
        file=key,
        range=Range(invalid.first, invalid.first),
        severity=INVALID_UTF8.severity,
        code=INVALID_UTF8.code,
        message=invalid.message(),
    )


class Series:
    def __init__(self, root: Path, config: Config | None = None) -> None:
        self.root = root.resolve()
        self.workspace = Workspace(self.root, config or Config())
        self.config_error: str | None = None
        self.engine = Engine(self.workspace.config)
        self.saved: dict[str, str] = {}  # the last saved text of every file, open or not
        self.invalid: dict[str, InvalidBytes] = {}  # files on disk that were not UTF-8
        self.head: dict[str, str] | None = None  # texts at git HEAD; None outside a repository
        self.snapshot: dict[str, str] | None = None  # texts of the last `check --snapshot`
        self.documents: dict[str, Document] = {}  # the open ones, by key
        self._stale: set[str] = set()  # open documents edited since the engine last saw them

    @classmethod
    def load(cls, root: Path, *, strict: bool = True) -> Series:
        """The series at ``root``, every file read. A broken ``scriptlens.toml`` raises
        ``ConfigError``, or with ``strict=False`` (the editor) leaves the defaults and says why
        in ``config_error``."""
        series = cls(root)
        series.reload_config(strict=strict)
        series.scan()
        series.reload_baselines()
        return series

    def key(self, path: Path) -> str | None:
        """The series' name for a file: its POSIX path relative to the root, or ``None`` for a
        file outside the series."""
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

    def reload_config(self, *, strict: bool = False) -> None:
        """Reads ``scriptlens.toml`` again."""
        self.config_error = None
        try:
            config = read_config(self.root)
        except ConfigError as error:
            if strict:
                raise
            self.config_error = str(error)
            config = Config()
        self.workspace = Workspace(self.root, config)
        engine = Engine(config)
        engine.set_files(self.engine.texts())
        self.engine = engine
        self._stale.update(self.documents)

    def scan(self) -> None:
        """Reads every file that is not open from disk, and forgets those that went away."""
        on_disk = {key for path in self.workspace.fountain_files() if (key := self.key(path))}
        for key in sorted(set(self.saved) - on_disk - set(self.documents)):
            self.reload_file(key)
        for key in sorted(on_disk - set(self.documents)):
            self.reload_file(key)

    def reload_file(self, key: str) -> None:
        """A file that is not open changed on disk (or appeared, or went away)."""
        if key in self.documents:
            return
        try:
            source = read_source(self.path(key))
        except FileNotFoundError:
            self.saved.pop(key, None)
            self.invalid.pop(key, None)
            self.engine.remove(key)
            return
        except OSError as error:
            logger.warning("%s: cannot read: %s", self.path(key), error)
            return
        self.saved[key] = source.text
        if source.invalid is None:
            self.invalid.pop(key, None)
        else:
            self.invalid[key] = source.invalid
        self.engine.update(key, source.text)

    def reload_baselines(self) -> None:
        """Reads git ``HEAD`` and the snapshot again (after a commit, a checkout, a snapshot)."""
        try:
            self.head = git_baseline(self.root, "HEAD")
        except BaselineError as error:
            logger.info("no git baseline: %s", error)
            self.head = None
        self.snapshot = read_snapshot(self.root)

    def opened(self, key: str, document: Document) -> None:
        self.documents[key] = document
        self.saved[key] = document.text
        self._stale.add(key)

    def changed(self, key: str) -> None:
        """An open document was edited; the engine reads it when something is next asked."""
        self._stale.add(key)

    def was_saved(self, key: str) -> None:
        self.saved[key] = self.documents[key].text
        self.invalid.pop(key, None)  # written back by the editor, as UTF-8
        self.reload_baselines()

    def closed(self, key: str) -> None:
        self.documents.pop(key, None)
        self._stale.discard(key)
        self.reload_file(key)  # unsaved edits are dropped with the buffer

    def _sync(self) -> None:
        for key in self._stale:
            document = self.documents[key]
            self.engine.update_script(key, document.text, document.script)
        self._stale.clear()

    # -- what the faces read ------------------------------------------------------------------

    def baseline(self, mode: Baseline = "auto") -> dict[str, str]:
        head = self.head or {}
        if mode == "git":
            return dict(head)
        if mode == "save":
            return dict(self.saved)
        merged = dict(self.saved)
        for earlier in (self.snapshot or {}, head):
            merged.update({key: text for key, text in earlier.items() if key in merged})
        return merged

    def check(
        self, files: Iterable[str] | None = None, *, baseline: Mapping[str, str] | Baseline = "auto"
    ) -> list[Diagnostic]:
        """The findings for ``files`` (every file by default), the whole series read for
        context: continuity against the baseline (a mode, or texts the caller chose), and
        files whose bytes were not UTF-8."""
        self._sync()
        self.engine.set_baseline(self.baseline(baseline) if isinstance(baseline, str) else baseline)
        wanted = None if files is None else list(files)
        found = self.engine.check(wanted)
        keys = self.invalid if wanted is None else [key for key in wanted if key in self.invalid]
        found += [invalid_bytes_diagnostic(key, self.invalid[key]) for key in keys]
        return sorted(found, key=Diagnostic.sort_key)

    def cast(self) -> Cast:
        self._sync()
        return self.engine.cast()

    def scripts(self) -> Mapping[str, Script]:
        self._sync()
        return self.engine.scripts()

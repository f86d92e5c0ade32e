"""A series as both faces see it: every script of one workspace root, open documents at their
current text and the others as on disk, read by the one text reader, checked against the one
default baseline. ``scriptlens check`` and the language server both hold a ``Series``, so they
never disagree.

Baseline (``auto``, the default of both faces): a file's text at git ``HEAD`` where the root is
in a git repository tracking it; else its text in the snapshot that ``scriptlens check
--snapshot`` took; else its last saved text (for the CLI, the file on disk: nothing to compare).
``git`` takes ``HEAD`` only; ``save`` the last saved text only. A file unchanged since its
baseline cannot trip an edit-aware rule, so an untouched workspace stays quiet.

The language server edits documents on its event loop and reads files and checks in a worker
thread: ``configured`` makes a series at once and ``read_files`` reads it in the worker;
``prepare_check`` takes each edited document's text and model on the editing thread and
``CheckJob.run`` checks them in the worker. The engine is only touched under the series' lock;
requests that must not wait seconds for a long check read ``recent_cast``, the cast as of the
check before.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
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
# How long a request waits for a running check before it reads the cast as of the check before:
# a keystroke's check takes a few milliseconds, a 10 MB script's seconds.
RECENT_CAST_WAIT = 0.05
# Per edited open document: when its edit was taken (a count), its text and its model.
Edits = dict[str, tuple[int, str, Script]]
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
        self._lock = threading.RLock()  # held by whoever reads or changes the engine
        self._taken = 0  # counts the edits taken for the engine, so that an older never wins
        self._applied: dict[str, int] = {}  # per open document, the count of its edit applied
        self._recent: Cast | None = None  # the cast the last check or request saw

    @classmethod
    def load(cls, root: Path, *, strict: bool = True) -> Series:
        """The series at ``root``, every file read. A broken ``scriptlens.toml`` raises
        ``ConfigError``, or with ``strict=False`` (the editor) leaves the defaults and says why
        in ``config_error``."""
        series = cls.configured(root, strict=strict)
        series.read_files()
        return series

    @classmethod
    def configured(cls, root: Path, *, strict: bool = True) -> Series:
        """The series at ``root`` with its configuration read and no file yet: the language
        server reads the files (``read_files``) in its worker, off the event loop."""
        series = cls(root)
        series.reload_config(strict=strict)
        return series

    def read_files(self) -> None:
        """Reads and indexes every file, and the baselines: the long part of loading a series
        (seconds for a 10 MB one)."""
        with self._lock:
            self.scan()
            self.reload_baselines()

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
        with self._lock:
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
            with self._lock:
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
        with self._lock:
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
        with self._lock:  # an edit taken before the close is not applied after it
            self._taken += 1
            self._applied[key] = self._taken
        self.reload_file(key)  # unsaved edits are dropped with the buffer

    def take_edits(self) -> Edits:
        """On the thread that edits the documents: the text and model of each one edited since
        the engine last saw them (a model, once made, never changes, so another thread may read
        it while the document is edited on)."""
        self._taken += 1
        edits = {
            key: (self._taken, self.documents[key].text, self.documents[key].script)
            for key in self._stale
        }
        self._stale.clear()
        return edits

    def _apply(self, edits: Edits) -> None:
        """Gives the engine the edits taken, unless it already has a later one of the same
        document (a request may take and apply edits while a check waits for the lock)."""
        for key, (taken, text, script) in edits.items():
            if self._applied.get(key, 0) < taken:
                self._applied[key] = taken
                self.engine.update_script(key, text, script)

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

    def prepare_check(self, baseline: Mapping[str, str] | Baseline = "auto") -> CheckJob:
        """On the thread that edits the documents: the edits a check of the series reads
        (against a baseline mode, or texts the caller chose), for ``CheckJob.run`` to check on
        any thread, after the files are read."""
        return CheckJob(self, self.take_edits(), baseline)

    def check(
        self, files: Iterable[str] | None = None, *, baseline: Mapping[str, str] | Baseline = "auto"
    ) -> list[Diagnostic]:
        """The findings for ``files`` (every file by default), the whole series read for
        context: continuity against the baseline (a mode, or texts the caller chose), and
        files whose bytes were not UTF-8."""
        return self.prepare_check(baseline).run(files)

    def cast(self) -> Cast:
        """The cast of the series as it is now, waiting for a running check if need be."""
        with self._lock:
            self._apply(self.take_edits())
            self._recent = self.engine.cast()
            return self._recent

    def recent_cast(self) -> Cast:
        """The cast as it is now, or, while a long check holds the series, as the last check
        or request saw it: for requests that show it (hovers, completion, navigation), which
        must not wait seconds behind a check of a 10 MB script."""
        recent = self._recent
        if recent is None:  # nothing seen yet: wait
            return self.cast()
        if not self._lock.acquire(timeout=RECENT_CAST_WAIT):
            return recent
        try:
            return self.cast()
        finally:
            self._lock.release()

    def scripts(self) -> Mapping[str, Script]:
        with self._lock:
            self._apply(self.take_edits())
            return self.engine.scripts()


@dataclass
class CheckJob:
    """One check of a series, with the edits and baseline taken when it was asked for."""

    series: Series
    edits: Edits
    baseline: Mapping[str, str] | Baseline

    def run(
        self, files: Iterable[str] | None = None, cancelled: Callable[[], bool] | None = None
    ) -> list[Diagnostic]:
        """The findings; raises the engine's ``Cancelled`` as soon as ``cancelled()`` says the
        result is no longer wanted (a newer edit made it stale)."""
        series = self.series
        wanted = None if files is None else list(files)
        with series._lock:
            series._apply(self.edits)
            # Read here, not when the check was asked for: the files may have been read since.
            # The editing thread replaces these mappings or sets single keys, which a copy
            # made under the interpreter lock sees whole.
            baseline = self.baseline
            series.engine.set_baseline(
                series.baseline(baseline) if isinstance(baseline, str) else baseline
            )
            invalid = dict(series.invalid)
            series._recent = cast = series.engine.cast()
            found = series.engine.check(wanted, cancelled, cast)
        keys = invalid if wanted is None else [key for key in wanted if key in invalid]
        found += [invalid_bytes_diagnostic(key, invalid[key]) for key in keys]
        return sorted(found, key=Diagnostic.sort_key)

"""Where the edit-aware rules' baseline comes from in the CLI: a git revision, or the snapshot
store that ``scriptlens check --snapshot`` writes under ``.scriptlens/snapshots/``.

Both give ``{path: text}`` with paths relative to the workspace root, the same keys as the
current texts. (The language server passes the last saved texts instead.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from scriptlens.fountain.text_reader import decode
from scriptlens.workspace import STATE_DIR, is_script

SNAPSHOT_DIR = "snapshots"


class BaselineError(RuntimeError):
    """The baseline cannot be read; the message says which and why."""


def _git_text(data: bytes) -> str:
    """Git's own output: paths and messages. Scripts are read by the one text reader, as the CLI
    and the language server read the current files, so an unchanged file equals its baseline."""
    return data.decode("utf-8", errors="replace")


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError as error:
        raise BaselineError("git is not installed") from error
    if done.returncode != 0:
        reason = _git_text(done.stderr).strip() or f"git {args[0]} failed"
        raise BaselineError(f"{root}: {reason}")
    return done.stdout


def git_baseline(root: Path, revision: str) -> dict[str, str]:
    """The workspace's ``.fountain`` files as they were at ``revision``."""
    root = root.resolve()
    top = Path(_git_text(_git(root, "rev-parse", "--show-toplevel")).strip()).resolve()
    prefix = root.relative_to(top).as_posix()
    try:
        commit = _git_text(_git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"))
    except BaselineError as error:
        raise BaselineError(f"{root}: unknown git revision {revision!r}") from error
    commit = commit.strip()
    scope = [] if prefix == "." else [prefix]
    listing = _git(root, "ls-tree", "-r", "-z", "--full-tree", "--name-only", commit, "--", *scope)
    full = [name for name in _git_text(listing).split("\0") if is_script(PurePosixPath(name))]
    if not full:
        return {}
    names = [name if prefix == "." else name[len(prefix) + 1 :] for name in full]
    request = "".join(f"{commit}:{name}\n" for name in full).encode()
    batch = _git(root, "cat-file", "--batch", stdin=request)
    texts: dict[str, str] = {}
    at = 0
    for name in names:
        header_end = batch.index(b"\n", at)
        size = int(batch[at:header_end].split()[2])
        start = header_end + 1
        texts[name] = decode(batch[start : start + size]).text
        at = start + size + 1
    return texts


def snapshot_dir(root: Path) -> Path:
    return root / STATE_DIR / SNAPSHOT_DIR


def read_snapshot(root: Path) -> dict[str, str] | None:
    """The snapshot store's texts, or ``None`` when no snapshot was ever taken."""
    folder = snapshot_dir(root)
    if not folder.is_dir():
        return None
    return {
        path.relative_to(folder).as_posix(): decode(path.read_bytes()).text
        for path in sorted(folder.rglob("*.fountain"))
    }


def write_snapshot(root: Path, texts: Mapping[str, str]) -> None:
    """Replaces the snapshot with ``texts``: written beside it, then swapped in, so that an
    interrupted write leaves the previous snapshot whole."""
    state = root / STATE_DIR
    state.mkdir(exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix="snapshots-new-", dir=state))
    try:
        for name, text in texts.items():
            target = fresh / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        folder = snapshot_dir(root)
        retired = None
        if folder.exists():
            retired = Path(tempfile.mkdtemp(prefix="snapshots-old-", dir=state))
            os.replace(folder, retired / SNAPSHOT_DIR)
        os.replace(fresh, folder)
        if retired is not None:
            shutil.rmtree(retired)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh)

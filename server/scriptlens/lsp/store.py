"""The workspace's signal store as the server uses it, never on the event loop: reads on one
worker thread, which owns the cached read connections (a SQLite connection stays on the thread
that opened it); writes (imports) on another, each with a connection of its own, so that reading
goes on while an import runs (the store is in WAL mode). A workspace without a store reads as
``None``; only a write creates one."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from scriptlens.workspace import STATE_DIR

if TYPE_CHECKING:  # the store's code loads on its threads, when first used
    from scriptlens.signals import Store

Result = TypeVar("Result")


class StoreAccess:
    def __init__(self) -> None:
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scriptlens-read")
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scriptlens-write")
        self._stores: dict[Path, Store] = {}  # by workspace root; touched by the reader only

    async def read(self, root: Path, query: Callable[[Store], Result]) -> Result | None:
        """``query`` run on the reader with the store of the workspace at ``root``; ``None``
        when that workspace has no store (or one this scriptlens cannot read)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._reader, self._read, root, query)

    def _read(self, root: Path, query: Callable[[Store], Result]) -> Result | None:
        import sqlite3

        store = self._stores.get(root) or self._open(root)
        if store is None:
            return None
        try:
            return query(store)
        except sqlite3.DatabaseError:
            # A cached connection can go stale where a new one reads the file (another process
            # took its locks for gone and deleted the WAL under it): reopen once and retry.
            del self._stores[root]
            store.close()
            store = self._open(root)
            return None if store is None else query(store)

    def _open(self, root: Path) -> Store | None:
        from scriptlens.signals import SignalsError, default_db_path, read_store

        path = default_db_path(root)
        if not path.is_file():
            return None
        try:
            store = read_store(path, root / STATE_DIR)
        except SignalsError:
            return None
        self._stores[root] = store
        return store

    async def write(
        self, root: Path, job: Callable[[Store], Result], stop: threading.Event
    ) -> Result:
        """``job`` run on the writer with the workspace's store, created if need be. Cancelling
        the caller sets ``stop``, which the job is to check, and returns only once the job has
        ended, so that the store is never left mid-transaction behind the caller's back."""
        running = self._writer.submit(self._write, root, job)
        try:
            return await asyncio.wrap_future(running)
        except asyncio.CancelledError:
            stop.set()
            await asyncio.wait([asyncio.wrap_future(running)])
            raise

    def _write(self, root: Path, job: Callable[[Store], Result]) -> Result:
        from scriptlens.signals import default_db_path, open_store

        with open_store(default_db_path(root), root / STATE_DIR) as store:
            return job(store)

    @staticmethod
    def path(root: Path) -> Path:
        from scriptlens.signals import default_db_path

        return default_db_path(root)

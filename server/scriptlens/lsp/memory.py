"""The server's memory: what the cyclic garbage collector looks at, and giving memory back to
the system once a large document is gone.

A series' models and indexes are many long-lived objects without reference cycles (a check
leaves no cyclic garbage; refcounting frees each old version). The collector still traversed
them: on a 2 MB script a single collection took up to a second, holding the interpreter lock,
so the event loop stood still in the middle of a check running in its worker thread. So a
check runs with automatic collection off, and what it leaves alive is then frozen (moved where
the collector no longer looks; refcounting still frees it).

Python's and the C library's allocators keep what was freed for reuse, so a server that once
held a 10 MB script would otherwise stay that large for the rest of the session."""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

LARGE_DOCUMENT = 1_000_000  # bytes of text: below it, what is freed is not worth a collection


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, which returns the free memory at the heap's end and in its
    arenas; None where there is none (another C library or system)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


TRIM = _malloc_trim()


def give_back() -> None:
    """Collects what cycles hold and hands the free memory back to the system."""
    gc.collect()
    if TRIM is not None:
        TRIM(0)


@contextmanager
def long_lived_objects_made() -> Iterator[None]:
    """Automatic collection off while the block makes a series' models and indexes; what it
    leaves alive frozen after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()

"""Giving memory back to the system once a large document is gone: Python's and the C
library's allocators keep what was freed for reuse, so a server that once held a 10 MB script
would otherwise stay that large for the rest of the session."""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable

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

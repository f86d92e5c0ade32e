"""Timing helpers shared by the benchmarks: medians of repeated runs, and the table they print."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    name: str
    value: float  # the measured median, in ``unit``
    unit: str  # "ms", "s", "MB", "x" (a speed-up ratio)
    target: str  # the bar, as text, e.g. "< 30 ms"
    ok: bool
    detail: str = ""


def median_seconds(
    run: Callable[[], object],
    repeat: int = 7,
    warmup: int = 1,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Median time of ``run`` over ``repeat`` runs, garbage collection kept out of the way. The
    ``clock`` is wall time, or ``time.process_time`` for the CPU time of in-process work, which
    other processes on a busy machine disturb far less."""
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = clock()
            run()
            times.append(clock() - start)
        finally:
            gc.enable()
    return statistics.median(times)


def keystroke(version: int, lines: int) -> tuple[int, bool]:
    """Edit ``version`` of a typing session: the line it is at, and whether it types (one
    character at the line's start) or deletes what the edit before it typed there. Each pair
    leaves the script as it was, so findings do not pile up over a session of edits."""
    return (version + 1) // 2 * 7 % lines, version % 2 == 1


def below(name: str, value: float, unit: str, limit: float, detail: str = "") -> Row:
    return Row(name, value, unit, f"< {limit:g} {unit}", value < limit, detail)


def at_least(name: str, value: float, unit: str, floor: float, detail: str = "") -> Row:
    return Row(name, value, unit, f">= {floor:g} {unit}", value >= floor, detail)


def format_table(rows: list[Row]) -> str:
    header = ("benchmark", "median", "target", "ok", "detail")
    body = [
        (
            row.name,
            f"{row.value:,.2f} {row.unit}",
            row.target,
            "yes" if row.ok else "NO",
            row.detail,
        )
        for row in rows
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *body, strict=True)]
    lines = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
        for r in body
    ]
    return "\n".join(lines)

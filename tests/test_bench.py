"""The benchmark harness runs end to end on small inputs, so the README's figures stay
reproducible: every module prints its rows, each with a positive, finite measure, and every
target is met at that size."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parents[1] / "bench"


def test_quick_run_prints_every_benchmark_row_and_meets_its_targets() -> None:
    run = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    rows = [line for line in run.stdout.splitlines() if line.startswith("| ")][1:]
    cells = [[cell.strip() for cell in row.split("|")[1:-1]] for row in rows]
    names = [row[0] for row in cells]
    for module in BENCH.glob("bench_*.py"):
        feature = module.stem.removeprefix("bench_")
        assert any(name.startswith(feature) for name in names), f"no row from {module.name}"
    for name, median, target, ok, *_ in cells:
        value = float(median.split()[0].replace(",", ""))
        assert math.isfinite(value) and value > 0, f"{name}: {median}"
        assert ok == "yes", f"{name}: {median} misses its target {target}"
    assert run.returncode == 0, run.stderr

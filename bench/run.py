"""Runs every benchmark in ``bench/`` and prints one table of medians against the issues' targets.

Each ``bench/bench_*.py`` module exposes ``rows(quick: bool) -> list[Row]``. ``--quick`` shrinks
the inputs so the harness itself can be smoke-tested; the README's figures come from a full run.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from harness import Row, format_table  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small inputs, for a smoke test")
    parser.add_argument("only", nargs="*", help="benchmark modules to run, e.g. parse signals")
    args = parser.parse_args()
    names = args.only or sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))
    rows: list[Row] = []
    for name in names:
        module = importlib.import_module(f"bench_{name}")
        rows.extend(module.rows(quick=args.quick))
    print(format_table(rows))
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

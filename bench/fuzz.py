"""The fuzzing properties of ``tests/test_fuzz_*.py`` with a longer budget than CI's.

    python bench/fuzz.py [--examples N] [pytest arguments...]

Runs each property for N examples (default 5,000; CI runs 60) and exits with pytest's status.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=5_000, help="examples per property")
    args, rest = parser.parse_known_args()
    env = {**os.environ, "SCRIPTLENS_FUZZ_EXAMPLES": str(args.examples)}
    tests = sorted(str(path) for path in (ROOT / "tests").glob("test_fuzz_*.py"))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests, *rest]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())

"""nyousefi's element fixtures (from the reference Objective-C parser): each parses without ERROR
or MISSING nodes, and the script model builds from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from grammar_support import SHARED_CORPUS, syntax_errors
from scriptlens import parse
from scriptlens.fountain.text_reader import decode

NYOUSEFI = SHARED_CORPUS / "conformance" / "nyousefi"

if not NYOUSEFI.is_dir():
    pytest.skip(f"conformance corpus not found at {NYOUSEFI}", allow_module_level=True)

FIXTURES = sorted(NYOUSEFI.glob("*.fountain"))


def test_fixtures_are_present() -> None:
    assert len(FIXTURES) >= 15


@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_fixture_parses_without_errors(fixture: Path) -> None:
    data = fixture.read_bytes()
    assert syntax_errors(data) == []
    assert parse(decode(data).text, str(fixture)).elements

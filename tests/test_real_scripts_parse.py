"""Every real script in the shared corpus parses without ERROR or MISSING nodes."""

from __future__ import annotations

from pathlib import Path

import pytest

from grammar_support import SHARED_CORPUS, syntax_errors
from scriptlens import parse
from scriptlens.fountain.text_reader import decode

REAL_SCRIPTS = SHARED_CORPUS / "real-scripts"

if not REAL_SCRIPTS.is_dir():
    pytest.skip(f"real-script corpus not found at {REAL_SCRIPTS}", allow_module_level=True)

SCRIPTS = sorted(REAL_SCRIPTS.rglob("*.fountain"))


def test_scripts_are_present() -> None:
    assert SCRIPTS


@pytest.mark.parametrize(
    "script", SCRIPTS, ids=[str(path.relative_to(REAL_SCRIPTS)) for path in SCRIPTS]
)
def test_real_script_parses_without_errors(script: Path) -> None:
    data = script.read_bytes()
    assert syntax_errors(data) == []
    model = parse(decode(data).text, str(script))
    assert model.scenes or model.elements

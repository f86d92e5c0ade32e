"""Every diagnostic's codeDescription (and SARIF helpUri) points at a section of
docs/continuity.md that exists."""

from __future__ import annotations

import re
from pathlib import Path

from scriptlens.continuity.diagnostics import RULES_DOCUMENTATION, documentation
from scriptlens.continuity.rules import SPECS
from scriptlens.workspace.series import INVALID_UTF8

DOCS = Path(__file__).resolve().parents[1] / "docs" / "continuity.md"


def github_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings: lower case, punctuation but - and _ dropped,
    spaces as -."""
    headings = re.findall(r"^#+ (.+)$", markdown, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_each_rule_has_a_section_its_diagnostics_link_to():
    anchors = github_anchors(DOCS.read_text(encoding="utf-8"))
    assert RULES_DOCUMENTATION.endswith("/docs/continuity.md")
    for code in [*SPECS, INVALID_UTF8.code]:
        assert documentation(code) == f"{RULES_DOCUMENTATION}#{code}"
        assert code in anchors, code

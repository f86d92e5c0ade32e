"""Every diagnostic's codeDescription (and SARIF helpUri) points at a section that exists: a
rule's in docs/continuity.md, another finding's on its own page."""

from __future__ import annotations

import re
from pathlib import Path

from scriptlens.continuity.diagnostics import (
    DOCS,
    DOCUMENTED_ELSEWHERE,
    RULES_DOCUMENTATION,
    documentation,
)
from scriptlens.continuity.rules import SPECS
from scriptlens.lsp.provenance import UNKNOWN_LINK
from scriptlens.workspace.series import INVALID_UTF8

FOLDER = Path(__file__).resolve().parents[1] / "docs"


def github_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings: lower case, punctuation but - and _ dropped,
    spaces as -."""
    headings = re.findall(r"^#+ (.+)$", markdown, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_each_rule_has_a_section_its_diagnostics_link_to():
    anchors = github_anchors((FOLDER / "continuity.md").read_text(encoding="utf-8"))
    assert RULES_DOCUMENTATION.endswith("/docs/continuity.md")
    for code in [*SPECS, INVALID_UTF8.code]:
        assert documentation(code) == f"{RULES_DOCUMENTATION}#{code}"
        assert code in anchors, code


def test_codes_documented_on_other_pages_link_to_sections_there():
    assert UNKNOWN_LINK in DOCUMENTED_ELSEWHERE  # the editor's provenance warnings
    for code, place in DOCUMENTED_ELSEWHERE.items():
        page, anchor = place.split("#")
        assert documentation(code) == f"{DOCS}/{page}#{anchor}"
        assert anchor in github_anchors((FOLDER / page).read_text(encoding="utf-8")), code

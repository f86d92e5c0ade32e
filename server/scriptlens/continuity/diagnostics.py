"""What the continuity engine reports: plain data, no LSP types.

The language server maps these one to one onto LSP diagnostics (``related`` onto
relatedInformation, each of ``fixes`` onto a quick-fix code action, the rule's documentation onto
codeDescription); the CLI prints them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scriptlens.fountain.model import Range

Severity = Literal["error", "warning", "information", "hint"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "information", "hint")
# Lower is more severe, as in LSP's DiagnosticSeverity.
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES, start=1)}
DOCS = "https://github.com/scriptlens/scriptlens/blob/main/docs"
# Each rule has a section of this page whose anchor is the rule's code.
RULES_DOCUMENTATION = f"{DOCS}/continuity.md"
# Codes reported beside the rules and explained on another page: page and anchor.
DOCUMENTED_ELSEWHERE = {"unknown-link": "provenance.md#in-the-editor"}


def documentation(code: str) -> str:
    """Where the finding ``code`` is explained."""
    if code in DOCUMENTED_ELSEWHERE:
        return f"{DOCS}/{DOCUMENTED_ELSEWHERE[code]}"
    return f"{RULES_DOCUMENTATION}#{code}"


@dataclass(frozen=True, slots=True)
class Related:
    file: str
    range: Range
    message: str


@dataclass(frozen=True, slots=True)
class TextEdit:
    file: str
    range: Range
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """The edits of a quick fix, with the title an editor shows for it."""

    title: str
    edits: tuple[TextEdit, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found; the engine adds the rule's code and configured severity."""

    file: str
    range: Range
    message: str
    related: tuple[Related, ...] = ()
    fixes: tuple[Fix, ...] = ()


@dataclass(frozen=True, slots=True)
class Diagnostic:
    file: str
    range: Range
    severity: Severity
    code: str
    message: str
    related: tuple[Related, ...] = ()
    fixes: tuple[Fix, ...] = ()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        start = self.range.start
        return (self.file, start.line, start.character, self.code, self.message)

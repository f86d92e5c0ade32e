"""What the continuity engine reports: plain data, no LSP types.

The language server maps these one to one onto LSP diagnostics (``related`` onto
relatedInformation, ``fix`` onto a quick-fix code action); the CLI prints them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from scriptlens.model import Range

Severity = Literal["error", "warning", "information", "hint"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "information", "hint")
# Lower is more severe, as in LSP's DiagnosticSeverity.
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES, start=1)}


@dataclass(frozen=True, slots=True)
class Related:
    file: str
    range: Range
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "range": self.range.to_json(), "message": self.message}


@dataclass(frozen=True, slots=True)
class TextEdit:
    file: str
    range: Range
    new_text: str

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "range": self.range.to_json(), "newText": self.new_text}


@dataclass(frozen=True, slots=True)
class Fix:
    """The edits of a quick fix, with the title an editor shows for it."""

    title: str
    edits: tuple[TextEdit, ...]

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "edits": [edit.to_json() for edit in self.edits]}


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found; the engine adds the rule's code and configured severity."""

    file: str
    range: Range
    message: str
    related: tuple[Related, ...] = ()
    fix: Fix | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    file: str
    range: Range
    severity: Severity
    code: str
    message: str
    related: tuple[Related, ...] = ()
    fix: Fix | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        start = self.range.start
        return (self.file, start.line, start.character, self.code, self.message)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file": self.file,
            "range": self.range.to_json(),
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "related": [related.to_json() for related in self.related],
        }
        if self.fix is not None:
            data["fix"] = self.fix.to_json()
        return data

"""The outputs of ``scriptlens check``: text, the JSON contract, SARIF 2.1.0, GitHub annotations.

Each takes diagnostics whose ``file`` is already the path to show (the CLI makes it relative to
the working directory), and ranges in LSP coordinates; text, SARIF and GitHub print them 1-based.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from scriptlens import __version__
from scriptlens.continuity.diagnostics import Diagnostic, Related, documentation
from scriptlens.continuity.rules.base import RuleSpec
from scriptlens.fountain.model import Range
from scriptlens.text_facts import terminal_safe

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}


def _start(where: Range) -> str:
    return f"{where.start.line + 1}:{where.start.character + 1}"


def to_text(diagnostics: Sequence[Diagnostic]) -> str:
    lines = []
    for item in diagnostics:
        head = f"{item.file}:{_start(item.range)}: {item.severity} [{item.code}]"
        lines.append(terminal_safe(f"{head} {item.message}"))
        lines += [
            terminal_safe(f"    {rel.file}:{_start(rel.range)}: {rel.message}")
            for rel in item.related
        ]
    counts = Counter(item.severity for item in diagnostics)
    if diagnostics:
        summary = ", ".join(f"{count} {severity}" for severity, count in sorted(counts.items()))
        lines.append(f"{len(diagnostics)} finding(s): {summary}")
    else:
        lines.append("No continuity findings.")
    return "\n".join(lines)


def _related_json(related: Related) -> dict[str, Any]:
    return {"file": related.file, "range": related.range.to_json(), "message": related.message}


def to_json(diagnostics: Sequence[Diagnostic]) -> str:
    """The stable contract: ``{"diagnostics": [...]}``, each with exactly ``file``, ``range``,
    ``severity``, ``code``, ``message`` and ``related``."""
    data = {
        "diagnostics": [
            {
                "file": item.file,
                "range": item.range.to_json(),
                "severity": item.severity,
                "code": item.code,
                "message": item.message,
                "related": [_related_json(related) for related in item.related],
            }
            for item in diagnostics
        ]
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _sarif_location(file: str, where: Range) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": quote(file)},
            "region": {
                "startLine": where.start.line + 1,
                "startColumn": where.start.character + 1,
                "endLine": where.end.line + 1,
                "endColumn": where.end.character + 1,
            },
        }
    }


def to_sarif(diagnostics: Sequence[Diagnostic], specs: Sequence[RuleSpec]) -> str:
    rule_index = {spec.code: index for index, spec in enumerate(specs)}
    rules = [
        {
            "id": spec.code,
            "name": spec.code,
            "shortDescription": {"text": spec.summary},
            "helpUri": documentation(spec.code),
            "defaultConfiguration": {"level": _SARIF_LEVEL[spec.severity]},
        }
        for spec in specs
    ]
    results = []
    for item in diagnostics:
        result: dict[str, Any] = {
            "ruleId": item.code,
            "ruleIndex": rule_index[item.code],
            "level": _SARIF_LEVEL[item.severity],
            "message": {"text": item.message},
            "locations": [_sarif_location(item.file, item.range)],
        }
        if item.related:
            result["relatedLocations"] = [
                {
                    "id": number,
                    **_sarif_location(rel.file, rel.range),
                    "message": {"text": rel.message},
                }
                for number, rel in enumerate(item.related, start=1)
            ]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "scriptlens", "version": __version__, "rules": rules}},
                "columnKind": "utf16CodeUnits",
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one annotation per diagnostic."""
    lines = []
    for item in diagnostics:
        where = item.range
        properties = ",".join(
            [
                f"file={_escape_property(item.file)}",
                f"line={where.start.line + 1}",
                f"col={where.start.character + 1}",
                f"endLine={where.end.line + 1}",
                f"endColumn={where.end.character + 1}",
                f"title={_escape_property(f'scriptlens [{item.code}]')}",
            ]
        )
        lines.append(f"::{_GITHUB_LEVEL[item.severity]} {properties}::{_escape_data(item.message)}")
    return "\n".join(lines)

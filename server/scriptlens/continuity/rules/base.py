"""A rule: its spec (code, default severity, options) and the function that finds its cases."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from scriptlens.continuity.cast import Located
from scriptlens.continuity.context import Context
from scriptlens.continuity.diagnostics import Finding, Fix, Related, Severity, TextEdit
from scriptlens.fountain.model import Range
from scriptlens.workspace.config import RuleSettings


@dataclass(frozen=True)
class RuleSpec:
    """What a rule is before configuration: its code, default severity and tunable numbers."""

    code: str
    severity: Severity
    summary: str
    needs_baseline: bool = False
    options: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    spec: RuleSpec
    run: Callable[[Context, RuleSettings], Iterable[Finding]]


def related(located: Located, message: str) -> Related:
    return Related(located.file, located.item.range, message)


def replace_fix(title: str, file: str, where: Range, new_text: str) -> Fix:
    return Fix(title, (TextEdit(file, where, new_text),))


def as_written(name: str, like: str) -> str:
    """``name`` in the case style of ``like``: upper case stays upper, else each word capitalised
    (a mention ``Mr. Li`` renamed to ``LI WEI`` reads ``Li Wei``)."""
    return name if like.isupper() else " ".join(word.capitalize() for word in name.split(" "))

"""``dual-dialogue-orphan``: a ``^`` cue (the second half of dual dialogue) with no dialogue block
right before it to pair with. The quick fix removes the ``^``.
"""

from __future__ import annotations

from collections.abc import Iterator

from scriptlens.continuity.context import Context
from scriptlens.continuity.diagnostics import Finding, Fix
from scriptlens.continuity.index import span
from scriptlens.continuity.rules.base import Rule, RuleSpec, replace_fix
from scriptlens.fountain import utf16
from scriptlens.workspace.config import RuleSettings

SPEC = RuleSpec(
    "dual-dialogue-orphan",
    "warning",
    "a ^ cue with no dialogue block right before it",
)


def run(context: Context, settings: RuleSettings) -> Iterator[Finding]:
    for path in context.current.series.files:
        index = context.current.indexes[path]
        for cue, reason in index.dual_orphans:
            line_number = cue.cue_range.start.line
            line = index.line(line_number)
            caret = line.rfind("^")
            fixes: tuple[Fix, ...] = ()
            if caret >= 0:
                start = len(line[:caret].rstrip())
                where = span(line_number, utf16.column(line, start), utf16.column(line, caret + 1))
                fixes = (replace_fix("Remove ^ (not dual dialogue)", path, where, ""),)
            yield Finding(
                path,
                cue.range,
                f"{cue.name} is marked ^ for dual dialogue, but {reason}",
                (),
                fixes,
            )


RULE = Rule(SPEC, run)

"""``contd-mismatch``: a cue marked ``(CONT'D)`` whose previous speaker in the scene is someone
else, or who is the scene's first speaker. ``CONT'D`` says the same character goes on after an
interruption. The quick fix removes the ``(CONT'D)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scriptlens.continuity.context import Context
from scriptlens.continuity.diagnostics import Finding, Fix, Related
from scriptlens.continuity.index import span
from scriptlens.continuity.rules.base import Rule, RuleSpec, replace_fix
from scriptlens.fountain import utf16
from scriptlens.workspace.config import RuleSettings

SPEC = RuleSpec(
    "contd-mismatch",
    "warning",
    "(CONT'D) on a cue whose previous speaker in the scene is someone else",
)

_CONTD_EXTENSION = re.compile(r"\s*\(\s*CONT(?:['’]?D|\.|INUED)\s*\)", re.IGNORECASE)


def run(context: Context, settings: RuleSettings) -> Iterator[Finding]:
    cast = context.current.cast
    for path in context.current.series.files:
        index = context.current.indexes[path]
        for cue, previous in index.contd:
            if previous is not None and (
                cast.same(previous.name, cue.name)
                or context.standing_for(previous.name) == context.standing_for(cue.name)
            ):
                continue  # the same character, or a misspelling the name-variant rule reports
            line_number = cue.cue_range.start.line
            line = index.line(line_number)
            extension = _CONTD_EXTENSION.search(line)
            fixes: tuple[Fix, ...] = ()
            if extension is not None:
                start, end = (utf16.column(line, at) for at in extension.span())
                fixes = (replace_fix("Remove (CONT'D)", path, span(line_number, start, end), ""),)
            if previous is None:
                message = f"{cue.name} is marked (CONT'D) but is the first to speak in this scene"
                related: tuple[Related, ...] = ()
            else:
                message = (
                    f"{cue.name} is marked (CONT'D) but the previous speaker in this scene is "
                    f"{previous.name}"
                )
                related = (Related(path, previous.range, f"{previous.name} speaks here"),)
            yield Finding(path, cue.range, message, related, fixes)


RULE = Rule(SPEC, run)

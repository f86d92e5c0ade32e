"""Code actions from provenance, on the line under the cursor when an inferred motivation is
shown for it: "Link this line to its top signal" (a ``WorkspaceEdit`` appending
``[[signal: ID]]`` to the line, or ``[[theme: ID]]`` when no single signal is citable) and
"Dismiss this inferred motivation" (the ``scriptlens.dismissMotivation`` command; the provenance
core remembers it in the store); and on a line with dismissed themes, "Restore dismissed
motivation" for each (``scriptlens.restoreMotivation``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.fountain import utf16
from scriptlens.lsp.commands import DISMISS_MOTIVATION, RESTORE_MOTIVATION
from scriptlens.lsp.documents import OpenDocument

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer
    from scriptlens.provenance import Motivation

KIND = types.CodeActionKind.RefactorRewrite


def link_note(motivation: Motivation) -> str | None:
    """The note citing ``motivation``: its most representative signal, else its theme."""
    if motivation.signal_ids:
        return f"[[signal: {motivation.signal_ids[0]}]]"
    if motivation.theme_id:
        return f"[[theme: {motivation.theme_id}]]"
    return None


def _command_action(
    opened: OpenDocument, line: int, action: str, command: str, theme_id: str, theme_label: str
) -> types.CodeAction:
    """A code action running ``command`` on ``{"uri", "line", "themeId"}``."""
    argument = {"uri": opened.uri, "line": line, "themeId": theme_id}
    return types.CodeAction(
        title=f"{action}: {theme_label}",
        kind=KIND,
        command=types.Command(title=action, command=command, arguments=[argument]),
    )


async def provenance_actions(
    ls: ScriptlensServer, opened: OpenDocument, line: int
) -> list[types.CodeAction]:
    explanation = await ls.provenance.explain(opened, line)
    if explanation is None:
        return []
    actions = []
    top = explanation.top
    if top is not None and top.kind == "inferred":
        note = link_note(top)
        if note is not None:
            text = opened.document.text.split("\n")[line].rstrip("\r")
            end = types.Position(line=line, character=utf16.units(text))
            separator = "" if not text or text.endswith(" ") else " "
            actions.append(
                types.CodeAction(
                    title=f"Link this line to its top signal: {top.theme_label}",
                    kind=KIND,
                    edit=types.WorkspaceEdit(
                        changes={
                            opened.uri: [
                                types.TextEdit(
                                    range=types.Range(start=end, end=end),
                                    new_text=separator + note,
                                )
                            ]
                        }
                    ),
                )
            )
        if top.theme_id is not None:
            actions.append(
                _command_action(
                    opened,
                    line,
                    "Dismiss this inferred motivation",
                    DISMISS_MOTIVATION,
                    top.theme_id,
                    top.theme_label,
                )
            )
    actions += [
        _command_action(
            opened,
            line,
            "Restore dismissed motivation",
            RESTORE_MOTIVATION,
            dismissal.theme_id,
            dismissal.theme_label,
        )
        for dismissal in explanation.dismissed
    ]
    return actions

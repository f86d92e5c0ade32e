"""Code actions from provenance, on the line under the cursor when an inferred motivation is
shown for it: "Link this line to its top signal" (a ``WorkspaceEdit`` appending
``[[signal: ID]]`` to the line, or ``[[theme: ID]]`` when no single signal is citable) and
"Dismiss this inferred motivation" (the ``scriptlens.dismissMotivation`` command; the provenance
core remembers it in the store)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.fountain import utf16
from scriptlens.lsp.commands import DISMISS_MOTIVATION
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


async def provenance_actions(
    ls: ScriptlensServer, opened: OpenDocument, line: int
) -> list[types.CodeAction]:
    explanation = await ls.provenance.hover(opened, line)
    top = explanation.top if explanation is not None else None
    if top is None or top.kind != "inferred":
        return []
    actions = []
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
                                range=types.Range(start=end, end=end), new_text=separator + note
                            )
                        ]
                    }
                ),
            )
        )
    if top.theme_id is not None:
        argument = {"uri": opened.uri, "line": line, "themeId": top.theme_id}
        actions.append(
            types.CodeAction(
                title=f"Dismiss this inferred motivation: {top.theme_label}",
                kind=KIND,
                command=types.Command(
                    title="Dismiss this inferred motivation",
                    command=DISMISS_MOTIVATION,
                    arguments=[argument],
                ),
            )
        )
    return actions

"""Code actions: the continuity engine's quick fixes for each diagnostic under the cursor, as a
``WorkspaceEdit`` for the editor to apply (the server never writes the user's files), and the
provenance actions of the line (``provenance_actions``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.continuity.diagnostics import Diagnostic, TextEdit
from scriptlens.fountain.model import Range
from scriptlens.lsp import provenance_actions
from scriptlens.lsp.convert import lsp_range, model_range, overlaps
from scriptlens.lsp.diagnostics import to_lsp

if TYPE_CHECKING:
    from scriptlens.lsp.server import ScriptlensServer


def workspace_edit(edits: Iterable[TextEdit], uri_of: Callable[[str], str]) -> types.WorkspaceEdit:
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in edits:
        changes.setdefault(uri_of(edit.file), []).append(
            types.TextEdit(range=lsp_range(edit.range), new_text=edit.new_text)
        )
    return types.WorkspaceEdit(changes=changes)


def quick_fixes(
    diagnostics: Iterable[Diagnostic], where: Range, uri_of: Callable[[str], str]
) -> list[types.CodeAction]:
    """The quick fixes of each diagnostic whose range meets ``where``, in the order the rule
    gives them; when one diagnostic is there, its first fix is preferred."""
    met = [d for d in diagnostics if d.fixes and overlaps(d.range, where)]
    return [
        types.CodeAction(
            title=fix.title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[to_lsp(diagnostic, uri_of)],
            edit=workspace_edit(fix.edits, uri_of),
            is_preferred=True if len(met) == 1 and fix is diagnostic.fixes[0] else None,
        )
        for diagnostic in met
        for fix in diagnostic.fixes
    ]


def wants(only: Sequence[str] | None, kind: str) -> bool:
    """Whether a request filtered to ``only`` kinds covers ``kind`` (kinds are hierarchical:
    ``refactor`` covers ``refactor.rewrite``; ``""`` covers everything)."""
    return not only or any(k in ("", kind) or kind.startswith(f"{k}.") for k in only)


async def code_action(
    ls: ScriptlensServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    opened = ls.documents.get(params.text_document.uri)
    if opened is None or opened.series is None or opened.key is None:
        return None
    actions = []
    if wants(params.context.only, types.CodeActionKind.QuickFix):
        await ls.diagnostics.current()  # fixes for the text as it is now, not as of the pause
        found = ls.diagnostics.latest.get((opened.series.root, opened.key), [])
        actions += quick_fixes(found, model_range(params.range), ls.uris(opened.series))
    if wants(params.context.only, provenance_actions.KIND):
        actions += await provenance_actions.provenance_actions(ls, opened, params.range.start.line)
    return actions or None


def register(ls: ScriptlensServer) -> None:
    ls.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, provenance_actions.KIND]
        ),
    )(code_action)

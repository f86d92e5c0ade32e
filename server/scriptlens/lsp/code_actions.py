"""Quick fixes: the continuity engine's fix for each diagnostic under the cursor, as a
``WorkspaceEdit`` for the editor to apply. The server never writes the user's files."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from scriptlens.continuity.diagnostics import Diagnostic, TextEdit
from scriptlens.fountain.model import Range
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


def wants_quick_fixes(only: Sequence[str] | None) -> bool:
    """Whether a request filtered to ``only`` kinds covers quick fixes (kinds are hierarchical:
    ``quickfix`` covers ``quickfix``, nothing covers its parent but itself and ``""``)."""
    return not only or any(kind in ("", types.CodeActionKind.QuickFix) for kind in only)


def code_action(
    ls: ScriptlensServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    if not wants_quick_fixes(params.context.only):
        return None
    opened = ls.documents.get(params.text_document.uri)
    if opened is None or opened.series is None or opened.key is None:
        return None
    ls.diagnostics.flush()  # fixes for the text as it is now, not as of the last pause
    found = ls.diagnostics.latest.get((opened.series.root, opened.key), [])
    return quick_fixes(found, model_range(params.range), ls.uris(opened.series)) or None


def register(ls: ScriptlensServer) -> None:
    ls.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )(code_action)

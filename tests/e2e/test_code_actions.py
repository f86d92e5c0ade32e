"""Quick fixes over stdio: the engine's fix as a WorkspaceEdit the editor applies; the server
never writes the file itself."""

from __future__ import annotations

from pathlib import Path

from lsp_support import EP02, codes, diagnostics_until, edit, open_file
from lsprotocol import types
from pytest_lsp import LanguageClient


def _range(line: int, start: int, end: int) -> types.Range:
    return types.Range(
        start=types.Position(line=line, character=start),
        end=types.Position(line=line, character=end),
    )


async def _code_actions(
    client: LanguageClient, uri: str, where: types.Range, only: list[str] | None = None
) -> list[types.Command | types.CodeAction] | None:
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=where,
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )


async def test_name_variant_offers_a_rename_quick_fix_that_the_editor_applies(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep02.fountain")
    await diagnostics_until(client, uri, lambda ds: "name-variant" in codes(ds))
    actions = await _code_actions(client, uri, _range(7, 2, 2))
    assert actions is not None
    [action] = [a for a in actions if isinstance(a, types.CodeAction)]
    assert action.title == "Did you mean 'MR. LI'?"
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.is_preferred
    assert [d.code for d in action.diagnostics or []] == ["name-variant"]
    assert action.edit is not None and action.edit.changes is not None
    assert {u: list(edits) for u, edits in action.edit.changes.items()} == {
        uri: [types.TextEdit(range=_range(7, 0, 6), new_text="MR. LI")]
    }

    # The editor applies the edit; the warning goes, and the file on disk is untouched.
    [text_edit] = action.edit.changes[uri]
    edit(client, uri, 2, (7, 0), (7, 6), text_edit.new_text)
    await diagnostics_until(client, uri, lambda ds: "name-variant" not in codes(ds))
    assert (workspace / "ep02.fountain").read_text(encoding="utf-8") == EP02


async def test_no_quick_fix_away_from_a_diagnostic_or_for_other_kinds(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep02.fountain")
    await diagnostics_until(client, uri, lambda ds: "name-variant" in codes(ds))
    elsewhere = await _code_actions(client, uri, _range(4, 0, 3))
    assert not elsewhere
    refactors = await _code_actions(
        client, uri, _range(7, 2, 2), only=[types.CodeActionKind.Refactor]
    )
    assert not refactors


async def test_a_quick_fix_requested_mid_typing_matches_the_text_as_it_is_now(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep02.fountain")
    await diagnostics_until(client, uri, lambda ds: "name-variant" in codes(ds))
    # Two blank lines pushed in above the cue: the fix must follow it to line 9 even when asked
    # for before the debounced re-check has published.
    edit(client, uri, 2, (3, 0), (3, 0), "\n\n")
    actions = await _code_actions(client, uri, _range(9, 1, 1))
    assert actions is not None
    [action] = actions
    assert isinstance(action, types.CodeAction) and action.edit and action.edit.changes
    assert action.edit.changes[uri][0].range == _range(9, 0, 6)

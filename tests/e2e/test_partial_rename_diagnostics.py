"""Diagnostics where the writer is, over stdio, in a git workspace: a rename done in one episode
only is reported at the edited cue and where the old name still speaks, a typo in a cue at the
typo; each once, with the quick fixes that settle it and a link to the rule's documentation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lsp_support import codes, diagnostics_until, edit, open_file
from lsprotocol import types
from pytest_lsp import LanguageClient

from continuity_support import boardroom, git_workspace
from scriptlens.continuity.diagnostics import documentation


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """Three committed episodes in which BOSS HE speaks twice each."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    return git_workspace(tmp_path / "series", boardroom(), boardroom())


async def quick_fix_titles(client: LanguageClient, uri: str, line: int) -> list[str]:
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=line, character=1),
                end=types.Position(line=line, character=1),
            ),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    return [action.title for action in actions or [] if isinstance(action, types.CodeAction)]


async def test_a_rename_in_one_episode_is_reported_at_the_edited_cue_and_nothing_restates_it(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep02.fountain")
    edit(client, uri, 2, (7, 0), (7, 7), "BOSS HO")
    edit(client, uri, 3, (13, 0), (13, 7), "BOSS HO")
    found = await diagnostics_until(
        client, uri, lambda ds: len([d for d in ds if d.code == "partial-rename"]) == 2
    )
    assert codes(found) == {"partial-rename"}  # no "never introduced", no screen-time shift
    first = found[0]
    assert first.range.start.line == 7
    assert first.message == (
        "'BOSS HE' is renamed to 'BOSS HO' here, but 'BOSS HE' still speaks in 4 other cue(s) "
        "since the baseline"
    )
    others = [
        (Path(r.location.uri).name, r.location.range.start.line)
        for r in first.related_information or []
    ]
    assert others == [
        ("ep01.fountain", 7),
        ("ep01.fountain", 13),
        ("ep03.fountain", 7),
        ("ep03.fountain", 13),
    ]
    assert first.code_description is not None
    assert first.code_description.href == documentation("partial-rename")
    assert await quick_fix_titles(client, uri, 7) == [
        "Rename all to 'BOSS HO'",
        "Revert to 'BOSS HE'",
    ]
    # Where the old name still speaks, in episodes that are not open.
    elsewhere = await diagnostics_until(
        client, (workspace / "ep03.fountain").as_uri(), lambda ds: len(ds) == 2
    )
    assert [(d.code, d.range.start.line) for d in elsewhere] == [
        ("partial-rename", 7),
        ("partial-rename", 13),
    ]


async def test_a_typo_in_a_cue_is_one_name_variant_with_did_you_mean(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep02.fountain")
    edit(client, uri, 2, (13, 0), (13, 7), "BOSS JE")
    found = await diagnostics_until(client, uri, lambda ds: "name-variant" in codes(ds))
    assert [(d.code, d.range.start.line) for d in found] == [("name-variant", 13)]
    assert (
        found[0].message == "'BOSS JE' is probably a misspelling of 'BOSS HE' (1 cue(s) against 5)"
    )
    assert await quick_fix_titles(client, uri, 13) == [
        "Did you mean 'BOSS HE'?",
        "Rename all to 'BOSS JE'",  # in case the edit was meant as a rename
    ]
    # Nothing is left for the episodes the typo is not in: no partial rename of BOSS HE.
    assert not client.diagnostics.get((workspace / "ep01.fountain").as_uri())

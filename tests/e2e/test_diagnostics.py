"""Continuity diagnostics over stdio: published on open, updated as edits land, with
relatedInformation; outside git the edit-aware rules compare against the last saved text (git
HEAD is test_git_baseline.py's)."""

from __future__ import annotations

from pathlib import Path

from lsp_support import (
    codes,
    diagnostics_until,
    edit,
    open_file,
    save,
)
from lsprotocol import types
from pytest_lsp import LanguageClient


async def test_open_file_with_a_misspelt_cue_gets_name_variant_with_related(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep02.fountain")
    found = await diagnostics_until(client, uri, lambda ds: "name-variant" in codes(ds))
    [variant] = [d for d in found if d.code == "name-variant"]
    assert variant.source == "scriptlens"
    assert variant.severity == types.DiagnosticSeverity.Warning
    assert variant.range == types.Range(
        start=types.Position(line=7, character=0), end=types.Position(line=7, character=6)
    )
    assert "MR. LI" in variant.message
    [related] = variant.related_information or []
    assert related.location.uri == (workspace / "ep01.fountain").as_uri()
    assert related.location.range.start == types.Position(line=9, character=0)
    assert "first speaks here" in related.message


async def test_editing_the_misspelling_away_clears_the_diagnostic(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep02.fountain")
    await diagnostics_until(client, uri, lambda ds: "name-variant" in codes(ds))
    edit(client, uri, 2, (7, 0), (7, 6), "MR. LI")
    await diagnostics_until(client, uri, lambda ds: "name-variant" not in codes(ds))


async def test_partial_rename_fires_after_renaming_one_cue_and_clears_on_save(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep01.fountain")
    await diagnostics_until(client, (workspace / "ep02.fountain").as_uri(), bool)
    edit(client, uri, 2, (9, 0), (9, 6), "BOSS LI")
    found = await diagnostics_until(client, uri, lambda ds: "partial-rename" in codes(ds))
    # At the edited cue, and where the old name still speaks; each links to the other.
    edited, rename = [d for d in found if d.code == "partial-rename"]
    assert edited.range.start == types.Position(line=9, character=0)
    assert rename.range.start == types.Position(line=18, character=0)
    [related] = rename.related_information or []
    assert related.location.uri == uri
    assert related.location.range.start == types.Position(line=9, character=0)
    assert "renamed from 'MR. LI' to 'BOSS LI'" in related.message
    # The other episode's MR. LI is left behind too.
    other = (workspace / "ep02.fountain").as_uri()
    await diagnostics_until(client, other, lambda ds: "partial-rename" in codes(ds))

    save(client, uri)  # without git, the saved text becomes the baseline
    await diagnostics_until(client, uri, lambda ds: "partial-rename" not in codes(ds))


async def test_closing_an_unsaved_rename_restores_the_file_as_on_disk(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep01.fountain")
    edit(client, uri, 2, (9, 0), (9, 6), "BOSS LI")
    await diagnostics_until(client, uri, lambda ds: "partial-rename" in codes(ds))
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await diagnostics_until(client, uri, lambda ds: "partial-rename" not in codes(ds))


async def test_turning_diagnostics_off_clears_them(client: LanguageClient, workspace: Path):
    uri = open_file(client, workspace / "ep02.fountain")
    await diagnostics_until(client, uri, bool)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"scriptlens": {"diagnostics": {"enabled": False}}}
        )
    )
    await diagnostics_until(client, uri, lambda ds: not ds)


async def test_a_client_that_pulls_but_takes_no_refresh_gets_pushes_and_empty_pulls(
    client: LanguageClient, workspace: Path
):
    """Neovim 0.11 pulls diagnostics but cannot be told to pull again: it is pushed the
    findings, and its pulls are answered empty, so that each finding shows once."""
    uri = open_file(client, workspace / "ep02.fountain")
    await diagnostics_until(client, uri, lambda ds: "name-variant" in codes(ds))
    pulled = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert isinstance(pulled, types.RelatedFullDocumentDiagnosticReport)
    assert list(pulled.items) == []
    everything = await client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[])
    )
    assert list(everything.items) == []


async def test_a_closed_files_unchanged_findings_are_not_sent_again(
    client: LanguageClient, workspace: Path
):
    """A keystroke in one episode re-checks the series but re-sends only what changed: the
    closed ep02's name variant stands where it stood, so the client already has it."""
    ep01 = open_file(client, workspace / "ep01.fountain")
    ep02 = (workspace / "ep02.fountain").as_uri()
    await diagnostics_until(client, ep02, lambda ds: "name-variant" in codes(ds))
    del client.diagnostics[ep02]
    edit(client, ep01, 2, (26, 14), (26, 14), "\n\nZED\nHi.\n")  # a stranger speaks in ep01
    await diagnostics_until(client, ep01, lambda ds: "unintroduced-speaker" in codes(ds))
    assert ep02 not in client.diagnostics

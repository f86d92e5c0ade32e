"""Pull diagnostics over stdio, for a client that pulls and takes refresh requests (as VS Code
does): findings answered for a document and for the whole workspace, unchanged ones said to be
unchanged, a refresh request when they change, and no ``publishDiagnostics`` at all. A client
that cannot be told to pull again (Neovim 0.11) keeps getting pushes: the other e2e tests."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsp_support import SERVER, TIMEOUT, edit, initialize_params, open_file, write_series
from lsprotocol import types
from pytest_lsp import LanguageClient


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path: Path):
    root = tmp_path / "series"
    root.mkdir()
    write_series(root)
    params = initialize_params(root)
    assert params.capabilities.workspace is not None
    params.capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
        refresh_support=True
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return tmp_path / "series"


async def _pull(
    client: LanguageClient, uri: str, previous: str | None = None
) -> types.DocumentDiagnosticReport:
    return await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=previous
        )
    )


def _codes(report: types.DocumentDiagnosticReport) -> list[str]:
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    return [str(d.code) for d in report.items]


async def test_a_document_pulls_its_findings_and_nothing_is_pushed(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep02.fountain")
    report = await _pull(client, uri)
    assert "name-variant" in _codes(report)
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    again = await _pull(client, uri, report.result_id)
    assert again == types.RelatedUnchangedDocumentDiagnosticReport(result_id=report.result_id)

    # The fix: MR LEE becomes MR. LI. The client is asked to pull again, and finds it gone.
    before = client.diagnostic_refresh_count
    edit(client, uri, 2, (7, 0), (7, 6), "MR. LI")
    deadline = asyncio.get_running_loop().time() + TIMEOUT
    while client.diagnostic_refresh_count == before:
        assert asyncio.get_running_loop().time() < deadline, "no workspace/diagnostic/refresh"
        await asyncio.sleep(0.02)
    assert "name-variant" not in _codes(await _pull(client, uri, report.result_id))
    assert client.diagnostics == {}  # never pushed


async def test_the_workspace_pull_covers_files_that_are_not_open(
    client: LanguageClient, workspace: Path
):
    report = await client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[])
    )
    ep02 = (workspace / "ep02.fountain").as_uri()
    found = {item.uri: item for item in report.items}
    assert set(found) == {ep02}
    item = found[ep02]
    assert isinstance(item, types.WorkspaceFullDocumentDiagnosticReport)
    assert "name-variant" in [str(d.code) for d in item.items]
    unchanged = await client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(
            previous_result_ids=[types.PreviousResultId(uri=ep02, value=item.result_id or "")]
        )
    )
    assert isinstance(unchanged.items[0], types.WorkspaceUnchangedDocumentDiagnosticReport)

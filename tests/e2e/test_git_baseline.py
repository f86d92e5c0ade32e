"""In a git repository the server's "auto" baseline is HEAD: a rename stays reported after the
file is saved, until the baseline is switched to the last save."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lsp_support import codes, diagnostics_until, edit, open_file, save
from lsprotocol import types
from pytest_lsp import LanguageClient

from continuity_support import git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def workspace(workspace: Path) -> Path:
    """The shared two-episode series, committed: HEAD holds what the server compares against."""
    git(workspace, "init", "-q")
    git(workspace, "add", ".")
    git(workspace, "commit", "-q", "-m", "episodes")
    return workspace


async def test_in_a_git_repository_the_baseline_is_head_so_saving_keeps_the_warning(
    client: LanguageClient, workspace: Path
):
    uri = open_file(client, workspace / "ep01.fountain")
    edit(client, uri, 2, (9, 0), (9, 6), "BOSS LI")
    await diagnostics_until(client, uri, lambda ds: "partial-rename" in codes(ds))
    (workspace / "ep01.fountain").write_text(
        (workspace / "ep01.fountain").read_text().replace("MR. LI\nYou're", "BOSS LI\nYou're")
    )
    save(client, uri)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"scriptlens": {"baseline": "auto"}})
    )
    found = await diagnostics_until(client, uri, lambda ds: "partial-rename" in codes(ds))
    assert any(d.range.start.line == 18 for d in found if d.code == "partial-rename")

    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"scriptlens": {"baseline": "save"}})
    )
    await diagnostics_until(client, uri, lambda ds: "partial-rename" not in codes(ds))

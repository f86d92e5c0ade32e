"""Typos in cues on the example workspace, over stdio: each is one name-variant warning at the
typo, with nothing that restates it (the misspelt name "never introduced", a CONT'D across the
two spellings). The workspace is not in git: the baseline is the text as opened."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lsp_support import codes, diagnostics_until, edit, open_file
from pytest_lsp import LanguageClient

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "micro-drama"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "micro-drama"
    shutil.copytree(EXAMPLE, root)
    return root


@pytest.mark.parametrize(
    ("episode", "cue", "typo", "speaker"),
    [
        ("ep05.fountain", "SU QING", "SU QNG", "SU QING"),
        ("ep04.fountain", "LIN YAN", "LIN YAM", "LIN YAN"),
        ("ep05.fountain", "ZHOU MING", "ZH0U MING", "ZHOU MING"),
    ],
)
async def test_a_typo_on_the_example_workspace_is_one_name_variant_at_the_typo(
    client: LanguageClient, workspace: Path, episode: str, cue: str, typo: str, speaker: str
):
    uri = open_file(client, workspace / episode)
    line = (workspace / episode).read_text(encoding="utf-8").split("\n").index(cue)
    edit(client, uri, 2, (line, 0), (line, len(cue)), typo)
    found = await diagnostics_until(
        client,
        uri,
        lambda ds: any(d.range.start.line == line and d.code == "name-variant" for d in ds),
    )
    at_the_typo = [(d.code, d.message.split(" (")[0]) for d in found if d.range.start.line == line]
    assert at_the_typo == [("name-variant", f"'{typo}' is probably a misspelling of '{speaker}'")]
    assert "contd-mismatch" not in codes(found) and "unintroduced-speaker" not in codes(found)

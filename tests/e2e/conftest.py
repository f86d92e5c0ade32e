"""End-to-end language server tests: the real server as a subprocess, spoken to over stdio by
pytest-lsp's client, on a small two-episode series written into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsp_support import SERVER, answer_inlay_hint_refresh, initialize_params, write_series
from pytest_lsp import LanguageClient


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "series"
    root.mkdir()
    write_series(root)
    return root


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, workspace: Path):
    answer_inlay_hint_refresh(lsp_client)
    await lsp_client.initialize_session(initialize_params(workspace))
    yield
    await lsp_client.shutdown_session()

"""Commands over stdio (``workspace/executeCommand``), as the editors' extensions call them:
importing audience exports into the workspace's store with work-done progress, cancellable
both ways and then leaving the store as it was, and the store's status."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsp_support import TIMEOUT
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

IMPORT = "scriptlens.importSignals"
STATUS = "scriptlens.status"


async def _command(
    client: LanguageClient, command: str, *arguments: object, token: str | None = None
):
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command=command, arguments=list(arguments), work_done_token=token
        )
    )


def _export(folder: Path, rows: int) -> Path:
    """A canonical CSV export of ``rows`` comments (a large one takes a while to import)."""
    path = folder / f"export-{rows}.csv"
    lines = ["id,kind,platform,episode,text,author,likes"]
    lines += [
        f"b{n},comment,douyin,{n % 7 + 1},line {n} was too slow {n % 97},u{n % 5000},{n % 50}"
        for n in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def test_import_reports_progress_and_the_status_then_counts_it(
    client: LanguageClient, workspace: Path, tmp_path: Path
):
    export = _export(tmp_path, 40)
    assert await _command(client, STATUS) == {"signals": 0, "themes": 0, "store": None}
    token = "import-1"
    client.progress_reports[token] = []
    result = await _command(
        client,
        IMPORT,
        {"paths": [str(export)], "episode": None, "platform": None},
        token=token,
    )
    assert result["added"] == 40
    assert result["message"].startswith("imported 40 new signal(s) of 40 row(s) from 1 file(s)")
    kinds = [type(report).__name__ for report in client.progress_reports[token]]
    assert kinds[0] == "WorkDoneProgressBegin" and kinds[-1] == "WorkDoneProgressEnd"
    assert "WorkDoneProgressReport" in kinds
    status = await _command(client, STATUS)
    assert status["signals"] == 40 and status["themes"] > 0
    assert status["store"] == str(workspace / ".scriptlens" / "signals.db")

    again = await _command(client, IMPORT, {"paths": [str(export)]})
    assert again["added"] == 0  # the same rows are not imported twice


async def test_bad_arguments_and_bad_files_are_refused_with_the_reason(
    client: LanguageClient, workspace: Path
):
    with pytest.raises(JsonRpcException, match="paths must be a list of file paths"):
        await _command(client, IMPORT, {"paths": "comments.csv"})
    with pytest.raises(JsonRpcException, match="paths must be absolute"):
        await _command(client, IMPORT, {"paths": ["comments.csv"]})
    broken = workspace / "broken.csv"
    broken.write_text("id,kind,text\nx1,comment,\n", encoding="utf-8")
    with pytest.raises(JsonRpcException, match=f"{broken}:2"):
        await _command(client, IMPORT, {"paths": [str(broken)]})


async def _wait_for_a_report(client: LanguageClient, token: str) -> None:
    async def reported() -> None:
        while not any(
            isinstance(r, types.WorkDoneProgressReport) for r in client.progress_reports[token]
        ):
            await asyncio.sleep(0.01)

    await asyncio.wait_for(reported(), TIMEOUT)


async def test_cancel_request_stops_the_import_and_leaves_the_store_as_it_was(
    client: LanguageClient, workspace: Path, tmp_path: Path
):
    await _command(client, IMPORT, {"paths": [str(_export(tmp_path, 40))]})
    big = _export(tmp_path, 150_000)
    token = "import-2"
    client.progress_reports[token] = []
    request = client.protocol.send_request(
        types.WORKSPACE_EXECUTE_COMMAND,
        types.ExecuteCommandParams(
            command=IMPORT, arguments=[{"paths": [str(big)]}], work_done_token=token
        ),
        msg_id="the-import",
    )
    await _wait_for_a_report(client, token)
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="the-import"))
    with pytest.raises(JsonRpcException, match="cancel"):
        await asyncio.wait_for(asyncio.wrap_future(request), TIMEOUT)
    assert (await _command(client, STATUS))["signals"] == 40
    ended = client.progress_reports[token][-1]
    assert isinstance(ended, types.WorkDoneProgressEnd) and "cancelled" in (ended.message or "")


async def test_cancelling_the_progress_stops_the_import_too(
    client: LanguageClient, workspace: Path, tmp_path: Path
):
    big = _export(tmp_path, 150_000)
    token = "import-3"
    client.progress_reports[token] = []
    running = asyncio.ensure_future(_command(client, IMPORT, {"paths": [str(big)]}, token=token))
    await _wait_for_a_report(client, token)
    client.protocol.notify(
        types.WINDOW_WORK_DONE_PROGRESS_CANCEL, types.WorkDoneProgressCancelParams(token=token)
    )
    with pytest.raises(JsonRpcException, match="import cancelled: the store is unchanged"):
        await asyncio.wait_for(running, TIMEOUT)
    assert (await _command(client, STATUS))["signals"] == 0

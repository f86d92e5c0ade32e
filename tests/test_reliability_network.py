"""Issue 12, "Also": the language server and the CLI make no network connection. Each runs in
a subprocess whose Python audit hook records every network attempt (connect, name lookup,
send, bind, HTTP) into a file; a full editing session and every CLI command leave it empty. A
deliberate connection shows that the observer sees one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from signals_support import EXPORTS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "micro-drama"

# Run in the subprocess before the code under test: records network attempts, one a line.
OBSERVER = textwrap.dedent(
    """
    import os, sys
    NETWORK = {
        "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
        "socket.sendto", "socket.bind", "http.client.connect", "urllib.Request",
    }
    log = open(os.environ["NETWORK_LOG"], "a", buffering=1)

    def hook(event, args):
        if event in NETWORK:
            log.write(f"{event} {args[1:]!r}\\n")

    sys.addaudithook(hook)
    """
)


def observed(tmp_path: Path, code: str) -> list[str]:
    """``python -c OBSERVER + code`` in ``tmp_path``; the network attempts it made."""
    log = tmp_path / "network.log"
    log.write_text("")
    env = {**os.environ, "NETWORK_LOG": str(log), "PYTHONIOENCODING": "utf-8"}
    env.pop("SCRIPTLENS_DB", None)
    subprocess.run(
        [sys.executable, "-c", OBSERVER + code], cwd=tmp_path, env=env, check=True, timeout=300
    )
    return log.read_text().splitlines()


def test_the_observer_sees_a_connection(tmp_path: Path) -> None:
    code = (
        "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\n"
        "except OSError:\n    pass\n"
    )
    attempts = observed(tmp_path, code)
    assert any(line.startswith("socket.connect") for line in attempts), attempts


def test_the_cli_makes_no_network_connection(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "show", ignore=shutil.ignore_patterns(".scriptlens"))
    commands = [
        ["parse", "ep01.fountain", "--json"],
        ["check", "--fail-on", "never"],
        ["signals", "import", "exports/comments.csv", "exports/kuaishou_ep3_gbk.csv"],
        ["signals", "import", "exports/bilibili_ep3_danmaku.xml", "--episode", "3"],
        ["signals", "import", "exports/youtube_ep1_commentThreads.json", "--episode", "1"],
        ["signals", "import-metrics", "exports/metrics.csv", "--platform", "douyin"],
        ["signals", "stats"],
        ["signals", "themes"],
        ["signals", "check"],
        ["signals", "forget", "--author", "nobody"],
        ["signals", "rebuild"],
    ]
    code = (
        "import os\nfrom click.testing import CliRunner\nfrom scriptlens.cli import main\n"
        "os.chdir('show')\n"
        f"for args in {commands!r}:\n"
        "    result = CliRunner().invoke(main, args)\n"
        "    assert result.exit_code == 0, (args, result.output, result.exception)\n"
    )
    assert EXPORTS.is_dir()
    assert observed(tmp_path, code) == []


def _frame(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_the_language_server_makes_no_network_connection(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "show", ignore=shutil.ignore_patterns(".scriptlens"))
    root = tmp_path / "show"
    uri = (root / "ep05.fountain").as_uri()
    text = (root / "ep05.fountain").read_text("utf-8")
    position = {"line": 25, "character": 2}
    document = {"textDocument": {"uri": uri}}
    at = {**document, "position": position}
    session = [
        {"id": 1, "method": "initialize", "params": {"rootUri": root.as_uri(), "capabilities": {}}},
        {"method": "initialized", "params": {}},
        {
            "method": "textDocument/didOpen",
            "params": {
                "textDocument": {"uri": uri, "languageId": "fountain", "version": 1, "text": text}
            },
        },
        {"id": 2, "method": "textDocument/hover", "params": at},
        {"id": 3, "method": "textDocument/completion", "params": at},
        {"id": 4, "method": "textDocument/definition", "params": at},
        {"id": 5, "method": "textDocument/documentSymbol", "params": document},
        {"id": 6, "method": "textDocument/semanticTokens/full", "params": document},
        {"id": 7, "method": "textDocument/codeLens", "params": document},
        {"id": 8, "method": "shutdown"},
        {"method": "exit"},
    ]
    stream = b"".join(_frame({"jsonrpc": "2.0", **message}) for message in session)
    (tmp_path / "session.bin").write_bytes(stream)
    code = (
        "import sys, runpy\n"
        "sys.stdin = open('session.bin')\n"  # the server reads sys.stdin.buffer
        "sys.stdout = open('answers.bin', 'w')\n"
        "runpy.run_module('scriptlens.lsp', run_name='__main__')\n"
    )
    assert observed(tmp_path, code) == []
    answers = (tmp_path / "answers.bin").read_bytes()
    assert b'"id": 8' in answers or b'"id":8' in answers  # the session ran to its shutdown

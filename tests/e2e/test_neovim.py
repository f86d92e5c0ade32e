"""Real Neovim as the client: ``nvim --headless`` with clients/neovim on its runtimepath opens an
episode with a continuity problem, waits for the server's diagnostics and writes them out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lsp_support import write_series

PLUGIN = Path(__file__).resolve().parents[2] / "clients" / "neovim"
NVIM = shutil.which("nvim")

pytestmark = pytest.mark.skipif(
    NVIM is None, reason="nvim is not installed (apt-get install neovim) to run a real client"
)

SCRIPT = """
local plugin, file, out = _G.arg_plugin, _G.arg_file, _G.arg_out
vim.opt.runtimepath:prepend(plugin)
vim.cmd("filetype on")
require("scriptlens").setup({ settings = { diagnostics = { debounceMs = 50 } } })
vim.cmd("edit " .. vim.fn.fnameescape(file))
local arrived = vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local found = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = (d.user_data and d.user_data.lsp) or {}
  table.insert(found, {
    code = d.code or lsp.code,
    source = d.source,
    lnum = d.lnum,
    col = d.col,
    message = d.message,
    related = #(lsp.relatedInformation or {}),
  })
end
local clients = {}
for _, client in pairs(vim.lsp.get_active_clients()) do table.insert(clients, client.name) end
vim.fn.writefile({ vim.fn.json_encode({
  arrived = arrived, filetype = vim.bo.filetype, clients = clients, diagnostics = found,
}) }, out)
vim.cmd("qa!")
"""


def test_neovim_receives_the_continuity_diagnostic(tmp_path: Path):
    root = tmp_path / "series"
    root.mkdir()
    write_series(root)
    (root / "scriptlens.toml").write_text("", encoding="utf-8")
    out = tmp_path / "result.json"
    script = tmp_path / "init.lua"
    script.write_text(
        f"_G.arg_plugin, _G.arg_file, _G.arg_out = {json.dumps(str(PLUGIN))}, "
        f"{json.dumps(str(root / 'ep02.fountain'))}, {json.dumps(str(out))}\n" + SCRIPT,
        encoding="utf-8",
    )
    env = {
        **os.environ,
        # The plugin starts `scriptlens lsp`: the one installed next to this Python.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        **{
            f"XDG_{kind}_HOME": str(tmp_path / kind.lower())
            for kind in ("CONFIG", "DATA", "STATE", "CACHE")
        },
    }
    assert NVIM is not None
    done = subprocess.run(
        [NVIM, "--headless", "--clean", "-u", str(script)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert out.exists(), f"nvim wrote nothing (exit {done.returncode}):\n{done.stderr}{done.stdout}"
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["filetype"] == "fountain"
    assert result["clients"] == ["scriptlens"]
    assert result["arrived"], result
    variants = [d for d in result["diagnostics"] if d["code"] == "name-variant"]
    assert variants, result
    [variant] = variants
    assert (variant["lnum"], variant["col"], variant["source"]) == (7, 0, "scriptlens")
    assert variant["related"] == 1

"""Real Neovim 0.11 as the client, configured with exactly the README's Lua block: it opens
episode 5 of (a copy of) the example workspace, waits for the continuity diagnostics, asks for a
hover and a completion through its own LSP client, applies a quick fix and a rename, and writes
down what it received and what its buffers hold afterwards."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scriptlens.continuity.diagnostics import documentation

ROOT = Path(__file__).resolve().parents[2]
NVIM = shutil.which("nvim")
MINIMUM = (0, 11)


def nvim_version() -> tuple[int, int]:
    assert NVIM is not None
    first = subprocess.run([NVIM, "--version"], capture_output=True, text=True).stdout
    found = re.match(r"NVIM v(\d+)\.(\d+)", first)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


pytestmark = pytest.mark.skipif(
    NVIM is None or nvim_version() < MINIMUM,
    reason="Neovim 0.11+ is not installed (pip install '.[test]' installs it)",
)


def readme_configuration() -> str:
    """The Lua block of the README's Neovim section, pointed at this checkout."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Neovim\n", 1)[1].split("\n#", 1)[0]
    (block,) = re.findall(r"```lua\n(.+?)```", section, flags=re.DOTALL)
    return block.replace("/path/to/scriptlens", ROOT.as_posix())


def nvim_environment(home: Path) -> dict[str, str]:
    """Neovim with nothing of this machine's own configuration, finding the `scriptlens` command
    installed next to this Python."""
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        **{f"XDG_{kind}_HOME": str(home / kind.lower()) for kind in ("CONFIG", "DATA", "STATE")},
    }


# Lines are 0-based, as Neovim's API counts them. In ep05.fountain line 25 is the misspelt cue
# `MR. LEE` and line 28 the cue `ZHOU MING`.
SESSION = """
local out = _G.arg_out
local result = {}
local function finish()
  vim.fn.writefile({ vim.json.encode(result) }, out)
  vim.cmd("qa!")
end
local buffer = vim.api.nvim_get_current_buf()
result.filetype = vim.bo.filetype
result.tree_sitter = vim.treesitter.highlighter.active[buffer] ~= nil
result.language = pcall(vim.treesitter.language.inspect, "fountain")
vim.cmd("normal! zx")
result.fold_level = vim.fn.foldlevel(27) -- a line of dialogue, inside its scene
result.arrived = vim.wait(30000, function() return #vim.diagnostic.get(buffer) > 0 end, 50)
-- Neovim 0.11 both takes pushed diagnostics and pulls them: were the server to answer both
-- ways, the second copy would arrive within this pause.
vim.wait(2000)
result.clients = vim.tbl_map(function(c) return c.name end, vim.lsp.get_clients({ bufnr = buffer }))
result.virtual_text = vim.diagnostic.config().virtual_text and true or false
result.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buffer)) do
  local lsp = d.user_data.lsp
  table.insert(result.diagnostics, {
    code = d.code, lnum = d.lnum, col = d.col, message = d.message,
    href = lsp.codeDescription and lsp.codeDescription.href,
  })
end

local function at(line, character)
  return { textDocument = vim.lsp.util.make_text_document_params(buffer),
           position = { line = line, character = character } }
end
local function line_becomes(line, text)
  return vim.wait(10000, function()
    return vim.api.nvim_buf_get_lines(buffer, line, line + 1, false)[1] == text
  end, 50)
end
local function first_result(method, params)
  for _, answer in pairs(vim.lsp.buf_request_sync(buffer, method, params, 10000) or {}) do
    if answer.result then return answer.result end
  end
end

local hover = first_result("textDocument/hover", at(28, 2))
result.hover = hover and hover.contents.value

-- A new cue being typed at the end of the episode: "ZH" after a blank line.
local last = vim.api.nvim_buf_line_count(buffer)
vim.api.nvim_buf_set_lines(buffer, last, last, false, { "", "ZH", "Sir?" })
local completion = first_result("textDocument/completion", at(last + 1, 2))
local items = completion and (completion.items or completion) or {}
result.completion = vim.tbl_map(function(item) return item.label end, items)
vim.api.nvim_buf_set_lines(buffer, last, last + 3, false, {})

-- The "did you mean" quick fix on the misspelt cue, applied by Neovim.
vim.api.nvim_win_set_cursor(0, { 26, 0 })
local fixed = false
vim.lsp.buf.code_action({
  apply = true,
  filter = function(action)
    fixed = fixed or action.title:match("^Did you mean") ~= nil
    return action.title:match("^Did you mean") ~= nil
  end,
})
line_becomes(25, "MR. LI")
result.quick_fix_offered = fixed
result.after_fix = vim.api.nvim_buf_get_lines(buffer, 25, 26, false)[1]

-- A rename on the cue ZHOU MING, applied by Neovim to this buffer and to the other episodes.
vim.api.nvim_win_set_cursor(0, { 29, 2 })
vim.lsp.buf.rename("ZHOU MEI")
line_becomes(28, "ZHOU MEI")
result.after_rename = vim.api.nvim_buf_get_lines(buffer, 28, 29, false)[1]
local renamed = {}
for _, other in ipairs(vim.api.nvim_list_bufs()) do
  local text = table.concat(vim.api.nvim_buf_get_lines(other, 0, -1, false), "\\n")
  if other ~= buffer and text:find("ZHOU MEI", 1, true) then
    table.insert(renamed, vim.fs.basename(vim.api.nvim_buf_get_name(other)))
  end
end
table.sort(renamed)
result.renamed_elsewhere = renamed
finish()
"""


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> dict:
    home = tmp_path_factory.mktemp("neovim")
    workspace = home / "micro-drama"
    shutil.copytree(ROOT / "examples" / "micro-drama", workspace)
    init = home / "init.lua"
    init.write_text(readme_configuration(), encoding="utf-8")
    out = home / "session.json"
    driver = home / "session.lua"
    driver.write_text(f"_G.arg_out = {json.dumps(str(out))}\n{SESSION}", encoding="utf-8")
    assert NVIM is not None
    done = subprocess.run(
        [NVIM, "--headless", "-u", str(init), "-c", f"luafile {driver}", "ep05.fountain"],
        cwd=workspace,
        env=nvim_environment(home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.exists(), f"nvim wrote nothing (exit {done.returncode}):\n{done.stderr}{done.stdout}"
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_readme_configuration_attaches_the_server_and_the_grammar(session: dict):
    assert session["filetype"] == "fountain"
    assert session["clients"] == ["scriptlens"]
    assert session["language"] and session["tree_sitter"]
    assert session["fold_level"] >= 1  # the grammar's folds: the scene
    assert session["virtual_text"]  # 0.11 shows none unless configured, as the README does


def test_neovim_receives_the_diagnostics_with_their_documentation(session: dict):
    assert session["arrived"], session
    variants = [d for d in session["diagnostics"] if d["code"] == "name-variant"]
    assert [(d["lnum"], d["col"]) for d in variants] == [(25, 0), (36, 0)]  # once each
    assert {d["href"] for d in variants} == {documentation("name-variant")}


def test_hover_on_a_cue_describes_the_character(session: dict):
    assert session["hover"] and "ZHOU MING" in session["hover"]


def test_completion_at_a_new_cue_offers_the_speaker(session: dict):
    assert "ZHOU MING" in session["completion"]


def test_neovim_applies_the_did_you_mean_quick_fix(session: dict):
    assert session["quick_fix_offered"]
    assert session["after_fix"] == "MR. LI"


def test_neovim_applies_the_rename_across_the_episodes(session: dict):
    assert session["after_rename"] == "ZHOU MEI"
    assert "ep02.fountain" in session["renamed_elsewhere"]

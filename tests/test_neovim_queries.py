"""Neovim's own tree-sitter loads the grammar that ``pip install`` compiled into the package and
runs the grammar's highlight and fold queries, as an editor user would wire them up."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from scriptlens import _fountain

QUERIES = Path(__file__).resolve().parents[1] / "grammars" / "tree-sitter-fountain" / "queries"
NVIM = shutil.which("nvim")

pytestmark = pytest.mark.skipif(
    NVIM is None, reason="nvim is not installed (pip install '.[test]' installs it)"
)

SAMPLE = """Title: The Heiress Returns

INT. LI GROUP - BOARDROOM - DAY #12A#

SU QING enters. [[exit: GRANDMA SU]]

MR. LI (V.O.)
(coldly)
Sign it. *Now.*
"""

SCRIPT = """
local library, queries, sample, out = _G.arg_library, _G.arg_queries, _G.arg_sample, _G.arg_out
assert(vim.treesitter.language.add("fountain", { path = library }))
local root = vim.treesitter.get_string_parser(sample, "fountain"):parse()[1]:root()
local found = {}
for _, name in ipairs({ "highlights", "folds" }) do
  local file = io.open(queries .. "/" .. name .. ".scm")
  local query = vim.treesitter.query.parse("fountain", file:read("*a"))
  file:close()
  for id, node in query:iter_captures(root, sample, 0, -1) do
    table.insert(found, { name, query.captures[id], node:type() })
  end
end
vim.fn.writefile({ vim.fn.json_encode({ root = root:type(), captures = found }) }, out)
vim.cmd("qa!")
"""


def test_neovim_loads_the_grammar_and_runs_its_queries(tmp_path: Path) -> None:
    out = tmp_path / "captures.json"
    script = tmp_path / "queries.lua"
    arguments = {
        "arg_library": _fountain.__file__,
        "arg_queries": str(QUERIES),
        "arg_sample": SAMPLE,
        "arg_out": str(out),
    }
    script.write_text(
        "".join(f"_G.{name} = {json.dumps(value)}\n" for name, value in arguments.items()) + SCRIPT,
        encoding="utf-8",
    )
    assert NVIM is not None
    run = subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-c", f"luafile {script}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.exists(), run.stderr or run.stdout
    result = json.loads(out.read_text(encoding="utf-8"))
    captures = {tuple(capture) for capture in result["captures"]}
    assert result["root"] == "document"
    assert {
        ("highlights", "property", "title_key"),
        ("highlights", "markup.heading", "scene_heading"),
        ("highlights", "label", "scene_number"),
        ("highlights", "comment.note", "note"),
        ("highlights", "constant", "character_name"),
        ("highlights", "attribute", "character_extension"),
        ("highlights", "string.special", "parenthetical"),
        ("highlights", "markup.italic", "italic"),
        ("folds", "fold", "scene"),
    } <= captures

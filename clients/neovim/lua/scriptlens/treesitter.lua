-- The Fountain tree-sitter grammar for Neovim's own tree-sitter: the parser that
-- `pip install scriptlens` compiled into the package (scriptlens/_fountain*.so, which exports
-- tree_sitter_fountain) and the queries of grammars/tree-sitter-fountain/queries in this
-- repository. A parser or queries already on the runtimepath (nvim-treesitter's, your own) win.

local M = {}

-- This file is clients/neovim/lua/scriptlens/treesitter.lua: four folders below the repository.
local repository = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h:h:h:h:h")
M.queries = repository .. "/grammars/tree-sitter-fountain/queries"

-- The Python that runs the language server: the interpreter of the `scriptlens` script, or the
-- command itself when it is a Python (`{ "python3", "-m", "scriptlens.lsp" }`).
local function server_python()
  local config = vim.lsp.config.scriptlens or {}
  local program = vim.fn.exepath((config.cmd or { "scriptlens" })[1])
  if program == "" then
    return nil
  end
  if vim.fs.basename(program):match("^python") then
    return program
  end
  local head = vim.fn.readfile(program, "", 2)
  local shebang, second = head[1] or "", head[2] or ""
  -- pip writes `#!/bin/sh` and `'''exec' "/path/to/python" "$0" "$@"` for interpreter paths
  -- too long for a shebang line.
  local interpreter = second:match([[^'''exec' "([^"]+)"]]) or shebang:match("^#!%s*(%S+)")
  if interpreter and vim.fs.basename(interpreter) == "env" then
    interpreter = vim.fn.exepath(shebang:match("^#!%s*%S+%s+(%S+)") or "")
  end
  return interpreter
end

-- Where the installed package keeps the compiled grammar, or nil and why not.
function M.library()
  local python = server_python()
  if not python or python == "" then
    return nil, "cannot find the Python of the scriptlens command"
  end
  local done = vim
    .system({ python, "-c", "import scriptlens._fountain as grammar; print(grammar.__file__)" })
    :wait()
  if done.code ~= 0 then
    return nil, vim.trim(done.stderr)
  end
  return vim.trim(done.stdout)
end

local registered = nil -- nil: not tried yet; then true, or the reason it failed

-- Makes the language "fountain" and its highlight and fold queries known to Neovim.
function M.register()
  if registered == nil then
    registered = true
    if not vim.treesitter.language.add("fountain") then
      local library, why = M.library()
      local added, failure = false, nil
      if library then
        added, failure = vim.treesitter.language.add("fountain", { path = library })
      end
      if not added then
        registered = "scriptlens: no Fountain tree-sitter grammar: " .. (why or failure)
      end
    end
    for _, name in ipairs({ "highlights", "folds" }) do
      local path = M.queries .. "/" .. name .. ".scm"
      if #vim.treesitter.query.get_files("fountain", name) == 0 and vim.uv.fs_stat(path) then
        vim.treesitter.query.set("fountain", name, table.concat(vim.fn.readfile(path), "\n"))
      end
    end
  end
  if registered ~= true then
    vim.notify_once(registered, vim.log.levels.WARN)
    return false
  end
  return true
end

-- Highlighting and folding from the grammar in buffer `bufnr` (0: the current one) and the
-- current window. Folds start open.
function M.attach(bufnr)
  if not M.register() then
    return
  end
  vim.treesitter.start(bufnr, "fountain")
  vim.wo[0][0].foldmethod = "expr"
  vim.wo[0][0].foldexpr = "v:lua.vim.treesitter.foldexpr()"
  vim.wo[0][0].foldlevel = 99
end

return M

-- scriptlens for Neovim: starts `scriptlens lsp` for Fountain buffers.
--
--   require("scriptlens").setup({
--     cmd = { "scriptlens", "lsp" },          -- how to start the server
--     settings = { baseline = "auto" },        -- see docs/editor.md
--   })
--
-- Works on Neovim 0.9+ through vim.lsp.start, and on 0.7/0.8 through vim.lsp.start_client and
-- vim.lsp.buf_attach_client (one client per workspace root).

local M = {}

M.defaults = {
  cmd = { "scriptlens", "lsp" },
  -- The folder holding one of these is the workspace root: the series is every .fountain
  -- file under it. Without one, the file's own folder.
  root_markers = { "scriptlens.toml", ".scriptlens", ".git" },
  settings = {},
  on_attach = nil,
  capabilities = nil,
}

local legacy_clients = {} -- root -> client id, for Neovim before 0.9

local function find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  while true do
    for _, marker in ipairs(markers) do
      if vim.loop.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return nil
    end
    dir = parent
  end
end

local function client_config(options, root)
  return {
    name = "scriptlens",
    cmd = options.cmd,
    root_dir = root,
    init_options = { scriptlens = options.settings },
    settings = { scriptlens = options.settings },
    on_attach = options.on_attach,
    capabilities = options.capabilities,
  }
end

function M.start(bufnr, options)
  options = options or M.options or M.defaults
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == "" then
    return
  end
  local root = find_root(path, options.root_markers) or vim.fn.fnamemodify(path, ":p:h")
  local config = client_config(options, root)
  if vim.lsp.start then
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  local id = legacy_clients[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(config)
    legacy_clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

-- The filetype itself comes from ftdetect/fountain.lua, which Neovim loads from the runtimepath.
function M.setup(options)
  M.options = vim.tbl_deep_extend("force", {}, M.defaults, options or {})
  local group = vim.api.nvim_create_augroup("scriptlens", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = "fountain",
    callback = function(event)
      M.start(event.buf, M.options)
    end,
  })
end

return M

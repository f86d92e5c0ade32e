-- scriptlens, the language server for Fountain screenplays, in Neovim 0.11's `vim.lsp.config`
-- format (the layout nvim-lspconfig uses). With this folder on the runtimepath,
-- `vim.lsp.enable("scriptlens")` starts `scriptlens lsp` for every `fountain` buffer, one client
-- per workspace root. Override any field with `vim.lsp.config("scriptlens", { ... })`, e.g.
-- `settings = { scriptlens = { baseline = "git" } }` (the settings are in docs/editor.md).
return {
  cmd = { "scriptlens", "lsp" },
  filetypes = { "fountain" },
  -- The folder holding one of these is the workspace root: the series is every .fountain file
  -- under it.
  root_markers = { "scriptlens.toml", ".scriptlens", ".git" },
}

-- Fountain screenplays: *.fountain files get the "fountain" filetype.
vim.filetype.add({ extension = { fountain = "fountain" } })

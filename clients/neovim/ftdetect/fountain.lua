-- Fountain screenplays: *.fountain files get the "fountain" filetype.
vim.cmd([[autocmd BufRead,BufNewFile *.fountain setfiletype fountain]])

"""``python -m scriptlens.lsp``: run the language server over stdio."""

from scriptlens.lsp.server import main

main()

"""``python -m scriptlens``: the command line."""

from scriptlens.cli import main

main()

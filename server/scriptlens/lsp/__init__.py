"""The language server: a thin LSP face over the script model and the continuity engine.

One module per LSP feature (``documents``, ``diagnostics``, ``code_actions``, ``symbols``,
``folding``, ``hover``, ``inlay_hints``); each computes its results with pure functions over
the model and registers handlers that only translate. ``server`` puts them together.
"""

"""The compiled Fountain grammar (grammars/tree-sitter-fountain, built by setup.py)."""

def language() -> object:
    """The tree-sitter ``TSLanguage`` as a ``tree_sitter.Language`` capsule."""

"""Shared by the grammar tests: where the shared corpus lives, and how to find syntax errors."""

from __future__ import annotations

from pathlib import Path

from tree_sitter import Parser

from scriptlens.fountain.parser import LANGUAGE

SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def syntax_errors(source: bytes) -> list[str]:
    """Where the tree has ERROR or MISSING nodes, as ``line:column type``."""
    found: list[str] = []
    stack = [Parser(LANGUAGE).parse(source).root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            found.append(f"{node.start_point[0] + 1}:{node.start_point[1] + 1} {node.type}")
        elif node.has_error:
            stack.extend(node.children)
    return found

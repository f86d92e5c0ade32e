"""Parsing benchmarks (issue: foundation): scriptlens against jouvence and screenplain.

Every row builds the whole model: ``parse`` returns a complete ``Script``, and the peers are
timed through their own full parse of the same text.
"""

from __future__ import annotations

import io

from corpus import script, series
from harness import Row, at_least, below, median_seconds
from scriptlens import parse
from scriptlens.fountain.document import Document
from scriptlens.fountain.model import Position
from scriptlens.fountain.parser import model_nodes, new_parser


def _jouvence(text: str) -> object:
    from jouvence.parser import JouvenceParser

    return JouvenceParser().parseString(text)


def _screenplain(text: str) -> object:
    from screenplain.parsers.fountain import parse as screenplain_parse

    return screenplain_parse(io.StringIO(text))


def _no_model(text: str) -> object:
    """The least any model built from a py-tree-sitter tree costs: parse, run the model's one
    query and read each node's span and kind, building nothing from them."""
    tree = new_parser().parse(text.encode("utf-8"))
    return [(node.start_byte, node.end_byte, node.kind_id) for node in model_nodes(tree.root_node)]


def _keystroke_ms(text: str) -> float:
    """Median time to apply a one-character insertion in the middle and reparse incrementally."""
    document = Document(text)
    middle = text.count("\n") // 2
    state = {"typed": False}

    def type_or_delete() -> None:
        if state["typed"]:
            document.apply_change(Position(middle, 0), Position(middle, 1), "")
        else:
            document.apply_change(Position(middle, 0), Position(middle, 0), "x")
        state["typed"] = not state["typed"]

    return median_seconds(type_or_delete, repeat=41) * 1000


def rows(quick: bool) -> list[Row]:
    feature = script(120)
    big = series(1.0 if quick else 10.0)
    big_mb = len(big.encode("utf-8")) / 1_000_000
    repeat_big = 1 if quick else 3

    ours_feature = median_seconds(lambda: parse(feature), repeat=15) * 1000
    jouvence_feature = median_seconds(lambda: _jouvence(feature), repeat=5) * 1000
    screenplain_feature = median_seconds(lambda: _screenplain(feature), repeat=5) * 1000
    no_model_feature = median_seconds(lambda: _no_model(feature), repeat=15) * 1000
    ours_big = median_seconds(lambda: parse(big), repeat=repeat_big, warmup=0)
    jouvence_big = median_seconds(lambda: _jouvence(big), repeat=repeat_big, warmup=0)
    screenplain_big = median_seconds(lambda: _screenplain(big), repeat=repeat_big, warmup=0)
    keystroke = _keystroke_ms(feature)

    return [
        below("parse + model, 120-page script", ours_feature, "ms", 30),
        Row(f"parse + model, {big_mb:.0f} MB series", ours_big, "s", "(reported)", True),
        Row(
            "parse + query, no model (the floor)",
            no_model_feature,
            "ms",
            "(reported)",
            True,
            f"120 pages: {jouvence_feature / no_model_feature:.1f}x jouvence, "
            f"{screenplain_feature / no_model_feature:.1f}x screenplain",
        ),
        below("keystroke: edit + incremental reparse", keystroke, "ms", 5, "120-page script"),
        at_least(
            "speed-up vs jouvence, 120 pages",
            jouvence_feature / ours_feature,
            "x",
            5,
            f"jouvence {jouvence_feature:.0f} ms",
        ),
        at_least(
            "speed-up vs screenplain, 120 pages",
            screenplain_feature / ours_feature,
            "x",
            5,
            f"screenplain {screenplain_feature:.0f} ms",
        ),
        at_least(
            f"speed-up vs jouvence, {big_mb:.0f} MB",
            jouvence_big / ours_big,
            "x",
            5,
            f"jouvence {jouvence_big:.1f} s",
        ),
        at_least(
            f"speed-up vs screenplain, {big_mb:.0f} MB",
            screenplain_big / ours_big,
            "x",
            5,
            f"screenplain {screenplain_big:.1f} s",
        ),
    ]

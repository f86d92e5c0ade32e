"""The pure functions behind the language server's features, checked without a server: folding,
outline and workspace symbols, hovers, screen-time inlay hints and quick fixes. The e2e tests
only check that the protocol carries what these compute."""

from __future__ import annotations

from lsprotocol import types

from scriptlens import parse
from scriptlens.continuity.engine import Engine
from scriptlens.fountain.model import Position, Range
from scriptlens.lsp.code_actions import quick_fixes, wants
from scriptlens.lsp.folding import folding_ranges
from scriptlens.lsp.hover import character_at, character_hover, element_at, scene_hover
from scriptlens.lsp.inlay_hints import screen_time_hints
from scriptlens.lsp.symbols import document_symbols, matches, workspace_symbols
from series_support import EP01, EP02

EVERYTHING = Range(Position(0, 0), Position(10_000, 0))


def engine() -> Engine:
    checked = Engine()
    checked.set_files({"ep01.fountain": EP01, "ep02.fountain": EP02})
    return checked


def test_folding_covers_the_title_page_sections_scenes_and_boneyard() -> None:
    folds = {(fold.start_line, fold.end_line, fold.kind) for fold in folding_ranges(parse(EP01))}
    region, comment = types.FoldingRangeKind.Region, types.FoldingRangeKind.Comment
    assert (0, 1, region) in folds  # title page
    assert (3, 26, region) in folds  # "# Act One" to the last line of the act
    assert (5, 19, region) in folds  # the office scene, boneyard included
    assert (15, 16, comment) in folds  # the boneyard
    assert (21, 26, region) in folds  # the rooftop scene


def test_the_outline_nests_scenes_under_their_section() -> None:
    (act,) = [symbol for symbol in document_symbols(parse(EP01)) if symbol.name == "Act One"]
    assert [child.name for child in act.children or []] == [
        "INT. OFFICE - DAY",
        "EXT. ROOFTOP - NIGHT",
    ]


def test_workspace_symbols_find_characters_and_scenes_by_loose_query() -> None:
    assert matches("rooft", "EXT. ROOFTOP - NIGHT")
    assert not matches("kitchen", "EXT. ROOFTOP - NIGHT")
    checked = engine()
    scripts = {f"file:///{key}": (key, script) for key, script in checked.scripts().items()}
    found = workspace_symbols("su", scripts, checked.cast(), lambda key: f"file:///{key}")
    assert ("SU QING", "character") in {(symbol.name, symbol.container_name) for symbol in found}
    introduced = next(symbol for symbol in found if symbol.name == "SU QING")
    assert introduced.location.uri == "file:///ep01.fountain"
    assert introduced.location.range.start.line == 7  # her introduction in action


def test_scene_hover_gives_screen_time_and_speakers() -> None:
    script = parse(EP01)
    text = scene_hover(script, script.scenes[0])
    assert text.startswith("**INT. OFFICE - DAY**")
    assert "Estimated screen time ≈ 0:" in text
    assert text.endswith("Speaking: MR. LI, SU QING")


def test_character_hover_on_a_cue_and_on_a_mention() -> None:
    checked = engine()
    cast, script = checked.cast(), checked.scripts()["ep01.fountain"]
    on_cue = character_at(cast, "ep01.fountain", script, Position(9, 3))
    assert on_cue is not None and on_cue[0] == "MR. LI"
    on_mention = character_at(cast, "ep01.fountain", script, Position(23, 2))
    assert on_mention is not None and on_mention[0] == "SU QING"
    assert element_at(script, Position(23, 2)) is not None
    text = character_hover(cast, "SU QING")
    assert "Introduced in ep01.fountain:8" in text
    assert "Episodes: 2 of 2 (ep01.fountain, ep02.fountain)" in text


def test_screen_time_hints_only_for_headings_in_view() -> None:
    script = parse(EP01)
    every = screen_time_hints(script, EVERYTHING)
    assert [(hint.position.line, hint.position.character) for hint in every] == [(5, 17), (21, 20)]
    assert all(str(hint.label).startswith("≈ 0:") for hint in every)
    assert screen_time_hints(script, Range(Position(20, 0), Position(30, 0))) == every[1:]


def test_a_quick_fix_for_a_name_variant_renames_the_cue() -> None:
    checked = engine()
    checked.set_baseline(None)
    found = [d for d in checked.check() if d.code == "name-variant"]
    assert found, "MR LEE is a variant of MR. LI"
    variant = found[0]
    actions = quick_fixes(found, variant.range, lambda key: f"file:///{key}")
    assert actions and actions[0].kind == types.CodeActionKind.QuickFix
    edits = actions[0].edit.changes["file:///ep02.fountain"] if actions[0].edit else []
    assert [edit.new_text for edit in edits] == ["MR. LI"]
    assert quick_fixes(found, Range(Position(0, 0), Position(0, 1)), str) == []
    assert wants(None, "quickfix") and wants(["quickfix"], "quickfix")
    assert not wants(["refactor"], "quickfix")
    assert wants(["refactor"], "refactor.rewrite") and not wants(["refactor.extract"], "refactor")

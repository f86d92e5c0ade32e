from continuity_support import found, run


def test_caret_cue_right_after_dialogue_is_a_pair():
    text = """INT. HALL - DAY

BRICK and STEEL face off.

BRICK
Screw retirement.

STEEL ^
Screw retirement.
"""
    assert found(run({"ep01.fountain": text}), "dual-dialogue-orphan") == []


def test_caret_cue_after_action_is_an_orphan_with_a_fix():
    text = """INT. HALL - DAY

BRICK and STEEL face off.

BRICK
Screw retirement.

They glare.

STEEL ^
Screw retirement.
"""
    diagnostics = run({"ep01.fountain": text})
    assert found(diagnostics, "dual-dialogue-orphan") == [
        (
            "ep01.fountain",
            10,
            "STEEL is marked ^ for dual dialogue, but other elements stand between it and the "
            "dialogue before it",
        )
    ]
    (item,) = diagnostics
    (fix,) = item.fixes
    (edit,) = fix.edits
    assert (edit.range.start.character, edit.range.end.character) == (5, 7)


def test_caret_cue_first_in_a_scene_and_third_in_a_row_are_orphans():
    text = """INT. HALL - DAY

BRICK, STEEL and STONE face off.

BRICK ^
One.

STEEL
Two.

STONE ^
Three.

BRICK ^
Four.
"""
    assert [line for _, line, _ in found(run({"a.fountain": text}), "dual-dialogue-orphan")] == [
        5,
        14,
    ]

from continuity_support import found, run


def test_contd_after_another_speaker_is_reported_with_a_fix():
    text = """INT. OFFICE - DAY

ZHOU MING, an assistant, and MR. LI argue.

ZHOU MING
The board meeting.

MR. LI
Cancel it.

ZHOU MING (CONT'D)
Sir!
"""
    diagnostics = run({"ep01.fountain": text})
    (item,) = [item for item in diagnostics if item.code == "contd-mismatch"]
    assert (item.range.start.line, item.severity) == (10, "warning")
    assert item.message == (
        "ZHOU MING is marked (CONT'D) but the previous speaker in this scene is MR. LI"
    )
    assert item.related[0].range.start.line == 7
    (fix,) = item.fixes
    (edit,) = fix.edits
    assert (edit.range.start.character, edit.range.end.character, edit.new_text) == (9, 18, "")


def test_contd_by_the_same_speaker_after_action_is_fine():
    text = """INT. OFFICE - DAY

ZHOU MING waits.

ZHOU MING
The board meeting.

Mr. Li grabs his coat.

ZHOU MING (CONT'D)
Sir!
"""
    assert found(run({"ep01.fountain": text}), "contd-mismatch") == []


def test_contd_on_the_first_speaker_of_a_scene_is_reported():
    text = """INT. OFFICE - DAY

SU QING waits.

SU QING
Hello.

EXT. STREET - DAY

SU QING (CONT'D)
Goodbye.
"""
    assert found(run({"ep01.fountain": text}), "contd-mismatch") == [
        ("ep01.fountain", 10, "SU QING is marked (CONT'D) but is the first to speak in this scene")
    ]


def test_contd_across_aliases_is_fine():
    text = "INT. OFFICE - DAY\n\nMR. LI sits.\n\nMR. LI\nSit.\n\nLI WEI (CONT'D)\nPlease.\n"
    config = '[cast.aliases]\n"MR. LI" = ["LI WEI"]\n'
    assert found(run({"a.fountain": text}, config=config), "contd-mismatch") == []

from continuity_support import found, run

EP1 = """INT. HALL - NIGHT

LIN YAN stands at the podium.

LIN YAN
I am the heiress.

The officer leads Lin Yan out. [[exit: LIN YAN]]

SU QING
Goodbye.
"""


def test_speaking_and_being_named_in_action_after_exit_are_reported():
    ep2 = """EXT. GARDEN - DAY

Across the street, Lin Yan watches.

LIN YAN
Enjoy it while it lasts.
"""
    diagnostics = run({"ep01.fountain": EP1, "ep02.fountain": ep2})
    assert found(diagnostics, "exit-reappearance") == [
        (
            "ep02.fountain",
            3,
            "LIN YAN is named in action here after being written out, with no "
            "[[return: LIN YAN]] in between",
        ),
        (
            "ep02.fountain",
            5,
            "LIN YAN speaks here after being written out, with no [[return: LIN YAN]] in between",
        ),
    ]
    item = next(item for item in diagnostics if item.code == "exit-reappearance")
    assert item.severity == "error"
    assert (item.related[0].file, item.related[0].range.start.line) == ("ep01.fountain", 7)


def test_return_note_ends_the_exit():
    ep2 = """EXT. GARDEN - DAY

[[return: LIN YAN]]

Lin Yan watches.

LIN YAN
I'm back.
"""
    assert found(run({"ep01.fountain": EP1, "ep02.fountain": ep2}), "exit-reappearance") == []


def test_being_talked_about_in_dialogue_is_not_a_reappearance():
    ep2 = """EXT. GARDEN - DAY

SU QING
Lin Yan will never hurt us again.
"""
    assert found(run({"ep01.fountain": EP1, "ep02.fountain": ep2}), "exit-reappearance") == []


def test_exit_uses_aliases_and_series_order():
    ep1 = """INT. OFFICE - DAY

MR. LI signs. [[exit: MR. LI]]
"""
    ep2 = """INT. OFFICE - DAY

LI WEI
I'm still here.
"""
    config = '[cast.aliases]\n"MR. LI" = ["LI WEI"]\n'
    # ep2's file name sorts first, but its title page says episode 2.
    files = {"b.fountain": "Episode: 1\n\n" + ep1, "a.fountain": "Episode: 2\n\n" + ep2}
    assert [line for _, line, _ in found(run(files, config=config), "exit-reappearance")] == [5]
    files = {"b.fountain": "Episode: 2\n\n" + ep1, "a.fountain": "Episode: 1\n\n" + ep2}
    assert found(run(files, config=config), "exit-reappearance") == []

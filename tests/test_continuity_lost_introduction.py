from continuity_support import baseline_findings, git_workspace, run

EP1 = """INT. HOSPITAL - NIGHT

NURSE CHEN, 40s, careful eyes, checks a clipboard.

NURSE CHEN
Two healthy babies.
"""
EP2 = """INT. ROOFTOP - NIGHT

Nurse Chen meets a stranger.

NURSE CHEN
The price went up.
"""


def test_deleted_introduction_is_reported_on_the_first_remaining_appearance(tmp_path):
    cut = EP1.replace("NURSE CHEN, 40s, careful eyes, checks a clipboard.", "A nurse checks.")
    root = git_workspace(
        tmp_path / "series",
        {"ep01.fountain": EP1, "ep02.fountain": EP2},
        {"ep01.fountain": cut, "ep02.fountain": EP2},
    )
    assert baseline_findings(root, "lost-introduction") == [
        (
            "ep01.fountain",
            5,
            "NURSE CHEN was introduced in the baseline, but that introduction is gone and "
            "NURSE CHEN still appears here",
        )
    ]


def test_fix_capitalises_a_mention_in_action():
    before = {"ep01.fountain": EP1, "ep02.fountain": EP2}
    after = {"ep02.fountain": EP2}  # the pilot was cut; ep02 names her in action first
    (item,) = [item for item in run(after, before) if item.code == "lost-introduction"]
    assert (item.file, item.range.start.line) == ("ep02.fountain", 2)
    assert item.related[0].file == "ep01.fountain"
    assert [fix.edits[0].new_text for fix in item.fixes] == ["NURSE CHEN"]


def test_introduction_moved_elsewhere_is_fine():
    moved = EP2.replace("Nurse Chen meets", "NURSE CHEN meets")
    before = {"ep01.fountain": EP1, "ep02.fountain": EP2}
    after = {"ep01.fountain": EP1.replace("NURSE CHEN, 40s,", "A nurse,"), "ep02.fountain": moved}
    assert [item for item in run(after, before) if item.code == "lost-introduction"] == []


def test_character_gone_entirely_is_not_a_lost_introduction():
    before = {"ep01.fountain": EP1}
    after = {"ep01.fountain": "INT. HOSPITAL - NIGHT\n\nThe ward is empty.\n"}
    assert [item for item in run(after, before) if item.code == "lost-introduction"] == []

from hypothesis import given
from hypothesis import strategies as st

from continuity_support import baseline_findings, git_workspace, run
from scriptlens.continuity.edits import aligned_opcodes

EP1 = """INT. OFFICE - DAY

MR. LI looks up. ZHOU MING waits.

MR. LI
Who are you?

ZHOU MING
The new secretary.

MR. LI
Sit.
"""
EP2 = """INT. CAR - NIGHT

MR. LI
Where to?

ZHOU MING
Home.
"""


def test_rename_in_one_episode_but_not_another_is_reported_in_a_git_workspace(tmp_path):
    renamed = EP1.replace("MR. LI\n", "PRESIDENT LI\n")
    root = git_workspace(
        tmp_path / "series",
        {"ep01.fountain": EP1, "ep02.fountain": EP2},
        {"ep01.fountain": renamed, "ep02.fountain": EP2},
    )
    assert baseline_findings(root, "partial-rename") == [
        (
            "ep02.fountain",
            3,
            "'MR. LI' still speaks here, but since the baseline 2 of its cue(s) were renamed to "
            "'PRESIDENT LI'",
        )
    ]


def test_related_locations_and_fix():
    renamed = EP1.replace("MR. LI\n", "PRESIDENT LI\n")
    before = {"ep01.fountain": EP1, "ep02.fountain": EP2}
    diagnostics = run({"ep01.fountain": renamed, "ep02.fountain": EP2}, before)
    (item,) = [item for item in diagnostics if item.code == "partial-rename"]
    assert [(rel.file, rel.range.start.line) for rel in item.related] == [
        ("ep01.fountain", 4),
        ("ep01.fountain", 10),
    ]
    assert item.fix is not None and item.fix.edits[0].new_text == "PRESIDENT LI"


def test_complete_rename_is_fine():
    before = {"ep01.fountain": EP1, "ep02.fountain": EP2}
    after = {name: text.replace("MR. LI\n", "PRESIDENT LI\n") for name, text in before.items()}
    assert [item for item in run(after, before) if item.code == "partial-rename"] == []


def test_giving_a_line_to_an_existing_character_is_not_a_rename():
    before = {"ep01.fountain": EP1, "ep02.fountain": EP2}
    after = {"ep01.fountain": EP1.replace("MR. LI\nSit.", "ZHOU MING\nSit."), "ep02.fountain": EP2}
    assert [item for item in run(after, before) if item.code == "partial-rename"] == []


def test_without_a_baseline_the_rule_is_off():
    renamed = EP1.replace("MR. LI\n", "PRESIDENT LI\n")
    diagnostics = run({"ep01.fountain": renamed, "ep02.fountain": EP2})
    assert [item for item in diagnostics if item.code == "partial-rename"] == []


@given(st.lists(st.sampled_from("abc"), max_size=12), st.lists(st.sampled_from("abc"), max_size=12))
def test_block_alignment_covers_both_versions_and_pairs_only_equal_blocks(old, new):
    # the head and tail shortcut must still hand back one whole, valid alignment
    old_cursor = new_cursor = 0
    for tag, i1, i2, j1, j2 in aligned_opcodes(old, new):
        assert (i1, j1) == (old_cursor, new_cursor)
        if tag == "equal":
            assert old[i1:i2] == new[j1:j2]
        old_cursor, new_cursor = i2, j2
    assert (old_cursor, new_cursor) == (len(old), len(new))

from hypothesis import given
from hypothesis import strategies as st

from continuity_support import baseline_findings, boardroom, git_workspace, run
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
    at_the_edit = (
        "'MR. LI' is renamed to 'PRESIDENT LI' here, but 'MR. LI' still speaks in 1 other cue(s) "
        "since the baseline"
    )
    assert baseline_findings(root, "partial-rename") == [
        ("ep01.fountain", 5, at_the_edit),
        ("ep01.fountain", 11, at_the_edit),
        (
            "ep02.fountain",
            3,
            "'MR. LI' still speaks here, but since the baseline 2 of its cue(s) were renamed to "
            "'PRESIDENT LI'",
        ),
    ]


def test_each_side_links_the_other_and_offers_rename_all_and_revert():
    renamed = EP1.replace("MR. LI\n", "PRESIDENT LI\n")
    before = {"ep01.fountain": EP1, "ep02.fountain": EP2}
    diagnostics = run({"ep01.fountain": renamed, "ep02.fountain": EP2}, before)
    edited, _, old = [item for item in diagnostics if item.code == "partial-rename"]
    assert [(rel.file, rel.range.start.line) for rel in edited.related] == [("ep02.fountain", 2)]
    assert [(rel.file, rel.range.start.line) for rel in old.related] == [
        ("ep01.fountain", 4),
        ("ep01.fountain", 10),
    ]
    assert edited.fixes == old.fixes
    rename_all, revert = old.fixes
    assert rename_all.title == "Rename all to 'PRESIDENT LI'"
    assert [(e.file, e.range.start.line, e.new_text) for e in rename_all.edits] == [
        ("ep02.fountain", 2, "PRESIDENT LI")
    ]
    assert revert.title == "Revert to 'MR. LI'"
    assert [(e.file, e.range.start.line, e.new_text) for e in revert.edits] == [
        ("ep01.fountain", 4, "MR. LI"),
        ("ep01.fountain", 10, "MR. LI"),
    ]


def test_one_cause_one_diagnostic_for_a_rename_in_one_episode():
    """Renaming BOSS HE to BOSS HO in episode 2 only: the partial rename, at the edited cues and
    where the old name still speaks, and nothing that restates it (BOSS HO "never introduced",
    the screen time that went from one name to the other, BOSS HO as a misspelling)."""
    before = boardroom()
    after = {**before, "ep02.fountain": before["ep02.fountain"].replace("BOSS HE\n", "BOSS HO\n")}
    found = [(item.file, item.range.start.line + 1, item.code) for item in run(after, before)]
    assert found == [
        ("ep01.fountain", 8, "partial-rename"),
        ("ep01.fountain", 14, "partial-rename"),
        ("ep02.fountain", 8, "partial-rename"),
        ("ep02.fountain", 14, "partial-rename"),
        ("ep03.fountain", 8, "partial-rename"),
        ("ep03.fountain", 14, "partial-rename"),
    ]


def test_a_single_cue_renamed_by_choice_is_a_rename():
    """BOSS HO is one keystroke from BOSS HE, but no finger slips from E to O."""
    before = boardroom()
    after = {
        **before,
        "ep02.fountain": before["ep02.fountain"].replace("BOSS HE\n", "BOSS HO\n", 1),
    }
    found = [(item.file, item.range.start.line + 1, item.code) for item in run(after, before)]
    assert ("ep02.fountain", 8, "partial-rename") in found
    assert {code for _, _, code in found} == {"partial-rename"}


def test_a_single_cue_renamed_to_a_typo_is_a_misspelling_not_a_rename():
    before = boardroom()
    after = {
        **before,
        "ep02.fountain": before["ep02.fountain"].replace("BOSS HE\n", "BOSS HW\n", 1),
    }
    diagnostics = run(after, before)
    found = [(item.file, item.range.start.line + 1, item.code) for item in diagnostics]
    assert found == [("ep02.fountain", 8, "name-variant")]
    # In case the writer meant it, the warning also offers to finish the rename.
    did_you_mean, rename_all = diagnostics[0].fixes
    assert did_you_mean.title == "Did you mean 'BOSS HE'?"
    assert rename_all.title == "Rename all to 'BOSS HW'"
    assert [(e.file, e.range.start.line + 1) for e in rename_all.edits] == [
        ("ep01.fountain", 8),
        ("ep01.fountain", 14),
        ("ep02.fountain", 14),
        ("ep03.fountain", 8),
        ("ep03.fountain", 14),
    ]


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

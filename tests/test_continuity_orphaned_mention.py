from continuity_support import baseline_findings, git_workspace, run

EP1 = """INT. OFFICE - DAY

MR. LI looks up. SU QING enters.

MR. LI
Who are you?

SU QING
You owe me something, Mr. Li.
"""


def test_mentions_of_a_character_with_no_cue_left_are_reported(tmp_path):
    after = EP1.replace("MR. LI\n", "PRESIDENT ZHAO\n")
    root = git_workspace(tmp_path / "series", {"ep01.fountain": EP1}, {"ep01.fountain": after})
    assert baseline_findings(root, "orphaned-mention") == [
        (
            "ep01.fountain",
            3,
            "MR. LI is mentioned in action, but has no cue left since the baseline",
        ),
        (
            "ep01.fountain",
            9,
            "MR. LI is mentioned in dialogue, but has no cue left since the baseline",
        ),
    ]


def test_fix_follows_the_rename_in_the_mentions_case():
    after = EP1.replace("MR. LI\n", "PRESIDENT ZHAO\n")
    diagnostics = [
        item
        for item in run({"a.fountain": after}, {"a.fountain": EP1})
        if item.code == "orphaned-mention"
    ]
    assert [fix.edits[0].new_text for item in diagnostics for fix in item.fixes] == [
        "PRESIDENT ZHAO",
        "President Zhao",
    ]
    assert diagnostics[0].related[0].range.start.line == 4


def test_character_still_speaking_under_an_alias_is_fine():
    after = EP1.replace("MR. LI\n", "LI WEI\n")
    config = '[cast.aliases]\n"MR. LI" = ["LI WEI"]\n'
    diagnostics = run({"a.fountain": after}, {"a.fountain": EP1}, config=config)
    assert [item for item in diagnostics if item.code == "orphaned-mention"] == []


def test_mentions_of_a_character_who_never_spoke_are_fine():
    text = "INT. OFFICE - DAY\n\nSU QING sits.\n\nSU QING\nGrandma Su knows.\n"
    diagnostics = run({"a.fountain": text}, {"a.fountain": text})
    assert [item for item in diagnostics if item.code == "orphaned-mention"] == []

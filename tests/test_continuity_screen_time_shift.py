from continuity_support import baseline_findings, git_workspace, run

EP1 = """INT. OFFICE - DAY

SU QING and MR. LI talk.

SU QING
One two three four five six seven eight nine ten.

MR. LI
One two three four five six seven eight nine ten.
"""


def test_share_change_beyond_the_threshold_is_reported(tmp_path):
    longer = EP1 + "\nSU QING\nOne two three four five six seven eight nine ten.\n"
    root = git_workspace(tmp_path / "series", {"ep01.fountain": EP1}, {"ep01.fountain": longer})
    assert baseline_findings(root, "screen-time-shift") == [
        (
            "ep01.fountain",
            5,
            "SU QING's share of the dialogue in ep01.fountain went from 50% to 67% since the "
            "baseline (+17 points)",
        ),
        (
            "ep01.fountain",
            8,
            "MR. LI's share of the dialogue in ep01.fountain went from 50% to 33% since the "
            "baseline (-17 points)",
        ),
    ]


def test_small_change_and_threshold_setting():
    longer = EP1.replace("nine ten.\n\nMR. LI", "nine ten eleven.\n\nMR. LI")
    diagnostics = run({"a.fountain": longer}, {"a.fountain": EP1})
    assert [item for item in diagnostics if item.code == "screen-time-shift"] == []
    much_longer = EP1 + "\nSU QING\nOne two three four five six seven eight nine ten.\n"
    config = "[rules.screen-time-shift]\npoints = 20\n"
    diagnostics = run({"a.fountain": much_longer}, {"a.fountain": EP1}, config=config)
    assert [item for item in diagnostics if item.code == "screen-time-shift"] == []


def test_unchanged_file_is_not_compared():
    diagnostics = run({"a.fountain": EP1}, {"a.fountain": EP1})
    assert [item for item in diagnostics if item.code == "screen-time-shift"] == []

from continuity_support import found, run

EP1 = """INT. OFFICE - DAY

SU QING enters. MR. LI looks up.

MR. LI
Who are you?

SU QING
Nobody.

MR. LI
Sit.
"""

EP2_TYPO = """INT. CAR - NIGHT

Su Qing drives.

MR. LEE
Where to?

SU QING
Home.
"""


def test_misspelt_cue_is_reported_on_the_rare_spelling_with_a_fix():
    diagnostics = run({"ep01.fountain": EP1, "ep02.fountain": EP2_TYPO})
    variants = [item for item in diagnostics if item.code == "name-variant"]
    assert [(item.file, item.range.start.line) for item in variants] == [("ep02.fountain", 4)]
    item = variants[0]
    assert item.severity == "warning"
    assert item.message == "'MR. LEE' is probably a misspelling of 'MR. LI' (1 cue(s) against 2)"
    assert item.related[0].file == "ep01.fountain" and item.related[0].range.start.line == 4
    assert item.fix is not None
    (edit,) = item.fix.edits
    assert (edit.range.start.character, edit.range.end.character, edit.new_text) == (0, 7, "MR. LI")


def test_punctuation_only_variant_is_reported():
    text = EP1 + "\nINT. HALL - DAY\n\nMR LI\nLater.\n"
    assert found(run({"ep01.fountain": text}), "name-variant") == [
        ("ep01.fountain", 16, "'MR LI' is probably a misspelling of 'MR. LI' (1 cue(s) against 2)")
    ]


def test_short_and_long_form_of_one_name_is_not_a_variant():
    text = """INT. PARK - DAY

CYBER BOB strolls.

BOB
Hi hello.

MARGARET
Hiii.

CYBER BOB
New instructions!
"""
    assert found(run({"ep01.fountain": text}), "name-variant") == []


def test_names_differing_by_a_number_word_are_two_people():
    text = """INT. MIND - DAY

BOOGER ONE
Hence feigned!

BOOGER TWO
Yes.
"""
    assert found(run({"ep01.fountain": text}), "name-variant") == []


def test_separately_introduced_names_are_two_people():
    ep2 = """INT. CAR - NIGHT

MR. LEE, the driver, waits.

MR. LEE
Where to?
"""
    assert found(run({"ep01.fountain": EP1, "ep02.fountain": ep2}), "name-variant") == []


def test_names_the_text_uses_and_that_share_a_scene_are_two_people():
    text = """INT. CLASS - DAY

Jon sits beside John.

JON
Hi.

MARGARET
Quiet.

JOHN
Hello.
"""
    assert found(run({"ep01.fountain": text}), "name-variant") == []


def test_a_misspelt_cue_in_the_same_scene_is_still_a_variant():
    text = """INT. STAGE - DAY

MARGARET steps up.

MARGARET
Hello.

BOB
Hi.

MARGARGET
Again.
"""
    assert found(run({"ep01.fountain": text}), "name-variant") == [
        (
            "ep01.fountain",
            11,
            "'MARGARGET' is probably a misspelling of 'MARGARET' (1 cue(s) against 1)",
        )
    ]


def test_declared_aliases_and_distinct_names_are_not_variants():
    files = {"a.fountain": EP1, "b.fountain": EP2_TYPO}
    config = '[cast]\naliases = { "MR. LI" = ["MR. LEE"] }\n'
    assert found(run(files, config=config), "name-variant") == []
    config = '[cast]\ndistinct = [["MR. LI", "MR. LEE"]]\n'
    assert found(run(files, config=config), "name-variant") == []


def test_suppression_note_before_the_cue():
    ep2 = EP2_TYPO.replace("MR. LEE\n", "[[scriptlens: ignore name-variant]]\n\nMR. LEE\n")
    assert found(run({"ep01.fountain": EP1, "ep02.fountain": ep2}), "name-variant") == []


def test_suppression_of_another_code_does_not_hide_it():
    ep2 = EP2_TYPO.replace("MR. LEE\n", "[[scriptlens: ignore contd-mismatch]]\n\nMR. LEE\n")
    assert len(found(run({"ep01.fountain": EP1, "ep02.fountain": ep2}), "name-variant")) == 1


def test_rule_can_be_turned_off():
    config = "[rules.name-variant]\nenabled = false\n"
    diagnostics = run({"ep01.fountain": EP1, "ep02.fountain": EP2_TYPO}, config=config)
    assert found(diagnostics, "name-variant") == []

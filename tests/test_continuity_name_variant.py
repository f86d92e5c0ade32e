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
    (fix,) = item.fixes
    assert fix.title == "Did you mean 'MR. LI'?"
    (edit,) = fix.edits
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


SERIES = """INT. ROOFTOP - NIGHT

LIN YAN, 30s, and ZHOU MING, 40s, wait for SU QING.

LIN YAN
She is late.

ZHOU MING
She is never late.

LIN YAN
Then something happened.

ZHOU MING
Call her.

EXT. STREET - NIGHT

SU QING runs.

SU QING
I'm coming!
"""


def typo_findings(text: str) -> list[tuple[int, str, str, list[str]]]:
    """(1-based line, code, message, fix titles) of every finding in one episode."""
    return [
        (item.range.start.line + 1, item.code, item.message, [fix.title for fix in item.fixes])
        for item in run({"ep01.fountain": text})
    ]


def test_a_typo_in_a_cue_is_one_name_variant_with_did_you_mean():
    text = SERIES.replace("LIN YAN\nThen", "LIN YAM\nThen")
    assert typo_findings(text) == [
        (
            11,
            "name-variant",
            "'LIN YAM' is probably a misspelling of 'LIN YAN' (1 cue(s) against 1)",
            ["Did you mean 'LIN YAN'?"],
        )
    ]


def test_a_digit_for_a_letter_is_caught_and_its_contd_is_not_reported_apart():
    text = (
        SERIES.replace("ZHOU MING\nShe is", "ZH0U MING\nShe is")
        .replace("ZHOU MING\nCall her.", "ZHOU MING (CONT'D)\nCall her.")
        .replace("LIN YAN\nThen something happened.\n\n", "")
    )
    assert [(line, code) for line, code, _, _ in typo_findings(text)] == [(8, "name-variant")]


def test_keyboard_neighbour_deletion_insertion_and_transposition_are_caught():
    for typo in ("LIN YAB", "LIN YN", "LIN YANN", "LIN YNA"):
        text = SERIES.replace("LIN YAN\nThen", f"{typo}\nThen")
        assert [(line, code) for line, code, _, _ in typo_findings(text)] == [
            (11, "name-variant")
        ], typo


def test_a_new_person_with_a_look_alike_name_introduced_in_action_stays_silent():
    text = SERIES.replace("SU QING runs.", "LIN YAM, a courier, runs.").replace(
        "SU QING\nI'm", "LIN YAM\nI'm"
    )
    assert typo_findings(text) == []


def test_labels_plurals_and_other_honorifics_name_someone_else():
    text = """INT. GATE - NIGHT

GUARD 1 and the other GUARDS hold MR. LI back. MRS. LI watches.

GUARD 1
Stop.

GUARD 2
Stop!

GUARDS
Stop!!

MR. LI
Let me through.

MRS LI
Let him through.
"""
    assert [code for _, code, _, _ in typo_findings(text)] == ["unintroduced-speaker"] * 2

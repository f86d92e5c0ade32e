from continuity_support import found, run


def test_speaker_never_introduced_gets_a_hint():
    text = """INT. ROOM - DAY

Someone knocks.

NURSE
Sign here.
"""
    diagnostics = run({"ep01.fountain": text})
    assert found(diagnostics, "unintroduced-speaker") == [
        ("ep01.fountain", 5, "NURSE speaks here but is never introduced in action")
    ]
    assert diagnostics[0].severity == "hint"


def test_introduction_in_a_later_episode_is_too_late():
    ep1 = "INT. ROOM - DAY\n\nNURSE\nSign here.\n"
    ep2 = "INT. ROOM - DAY\n\nNURSE CHEN, 40s, checks a chart.\n\nNURSE\nRest now.\n"
    diagnostics = run({"ep01.fountain": ep1, "ep02.fountain": ep2})
    assert found(diagnostics, "unintroduced-speaker") == [
        ("ep01.fountain", 3, "NURSE speaks here before being introduced in action")
    ]
    assert diagnostics[0].related[0].file == "ep02.fountain"


def test_introduced_speakers_including_long_forms_are_fine():
    text = """INT. PARK - DAY

CYBER BOB, 40, strolls. A CUTE DOG follows.

BOB
Hi hello.

DOG
Yip!
"""
    assert found(run({"ep01.fountain": text}), "unintroduced-speaker") == []


def test_severity_is_configurable():
    text = "INT. ROOM - DAY\n\nNURSE\nSign here.\n"
    config = '[rules.unintroduced-speaker]\nseverity = "warning"\n'
    assert [item.severity for item in run({"a.fountain": text}, config=config)] == ["warning"]

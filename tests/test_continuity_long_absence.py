from continuity_support import found, run


def episode(number: int, speakers: list[str]) -> str:
    blocks = "".join(f"{name}\nLine {number}, said at length to count.\n\n" for name in speakers)
    return f"Episode: {number}\n\nINT. ROOM - DAY\n\nSU QING and MR. LI talk.\n\n{blocks}"


def series(absent: range, exit_in: int | None = None) -> dict[str, str]:
    files = {}
    for number in range(1, 9):
        speakers = ["MR. LI"] + ([] if number in absent else ["SU QING"])
        text = episode(number, speakers)
        if number in absent:
            text = text.replace("SU QING and MR. LI talk.", "Mr. Li talks alone.")
        if number == exit_in:
            text += "[[exit: SU QING]]\n"
        files[f"ep{number:02}.fountain"] = text
    return files


def test_main_character_away_too_long_is_reported_where_it_comes_back():
    diagnostics = run(series(absent=range(3, 7)))
    assert found(diagnostics, "long-absence") == [
        (
            "ep07.fountain",
            5,
            "SU QING, a main character (33% of the dialogue), comes back after 4 episodes away "
            "(ep03.fountain to ep06.fountain)",
        )
    ]
    assert diagnostics[0].severity == "information"
    assert diagnostics[0].related[0].file == "ep02.fountain"


def test_short_absence_and_threshold():
    assert found(run(series(absent=range(3, 6))), "long-absence") == []
    config = "[rules.long-absence]\nmax_gap = 2\n"
    assert len(found(run(series(absent=range(3, 6)), config=config), "long-absence")) == 1


def test_absence_opened_by_an_exit_note_is_intended():
    assert found(run(series(absent=range(3, 7), exit_in=2)), "long-absence") == []


def test_minor_characters_are_not_tracked():
    config = "[rules.long-absence]\nmain_share = 0.6\n"
    assert found(run(series(absent=range(3, 7)), config=config), "long-absence") == []

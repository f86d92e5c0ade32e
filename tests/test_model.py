"""The script model: what ``parse`` says about each element, scene, block and episode."""

from __future__ import annotations

import gc

from scriptlens import parse
from scriptlens.fountain.model import Position, Range

EPISODE = """\
Title: The Heiress Returns
Episode: 4
Author: Writers' Room

INT. LI GROUP - BOARDROOM - DAY #12A#

SU QING (20s), soaked from the rain, stares down MR. LI.

MR. LI (V.O.) (CONT'D)
(coldly)
Sign it.
{two_spaces}
Now.

SU QING ^
[[scriptlens: ignore contd-mismatch]]
No.

[[exit: GRANDMA SU]]

CUT TO:

.FLASHBACK

~Happy birthday to you

> THE END <
""".format(two_spaces="  ")  # a line of two spaces keeps dialogue going


def test_title_page_fields_are_lower_case_keys():
    script = parse(EPISODE)
    assert script.title_page == {
        "title": "The Heiress Returns",
        "episode": "4",
        "author": "Writers' Room",
    }


def test_scene_heading_is_split_into_setting_location_time_and_number():
    scene = parse(EPISODE).scenes[0]
    assert (scene.setting, scene.location, scene.time_of_day, scene.number) == (
        "INT",
        "LI GROUP - BOARDROOM",
        "DAY",
        "12A",
    )
    assert scene.heading == "INT. LI GROUP - BOARDROOM - DAY"
    assert scene.episode == 4


def test_forced_heading_has_no_setting():
    script = parse(EPISODE)
    forced = script.scenes[1]
    assert (forced.heading, forced.setting, forced.location) == ("FLASHBACK", None, "FLASHBACK")


def test_dialogue_blocks_normalize_the_speaker_and_join_lines():
    script = parse(EPISODE)
    first, second = script.dialogue
    assert first.speaker == "MR. LI"
    assert first.extension == "V.O., CONT'D"
    assert [p.text for p in first.parentheticals] == ["(coldly)"]
    assert first.text == "Sign it.\n\nNow."
    assert len(first.lines) == 1  # one dialogue element spanning its three lines
    assert first.lines[0].range == Range(Position(10, 0), Position(12, 4))
    assert second.speaker == "SU QING" and second.dual


def test_character_element_carries_name_extension_and_dual():
    cue = next(e for e in parse(EPISODE).elements if e.type == "character")
    assert (cue.text, cue.name, cue.extension, cue.dual) == (
        "MR. LI (V.O.) (CONT'D)",
        "MR. LI",
        "V.O., CONT'D",
        False,
    )
    assert cue.range == Range(Position(8, 0), Position(8, 22))


def test_notes_with_key_value_shape_are_split():
    notes = parse(EPISODE).notes
    assert [(n.key, n.value) for n in notes] == [
        ("scriptlens", "ignore contd-mismatch"),
        ("exit", "GRANDMA SU"),
    ]
    standalone = [e for e in parse(EPISODE).elements if e.type == "note"]
    assert [e.text for e in standalone] == ["exit: GRANDMA SU"]


def test_introductions_are_first_all_caps_mentions_in_action():
    script = parse(EPISODE)
    assert [(i.name, i.range.start.character) for i in script.introductions] == [
        ("SU QING", 0),
        ("MR. LI", 49),
    ]


def test_element_types_in_order():
    types = [e.type for e in parse(EPISODE).elements]
    assert types == [
        "title_page",
        "scene_heading",
        "action",
        "character",
        "parenthetical",
        "dialogue",
        "character",
        "dialogue",
        "note",
        "transition",
        "scene_heading",
        "lyrics",
        "centered",
    ]


def test_columns_are_utf16_code_units():
    script = parse("INT. 家 - DAY\n\n😀 ÉLODIE waves.\n\nÉLODIE\nBonjour.\n")
    intro = script.introductions[0]
    assert intro.name == "ÉLODIE"
    assert intro.range == Range(Position(2, 3), Position(2, 9))  # the emoji is two code units
    cue = next(e for e in script.elements if e.type == "character")
    assert cue.range.end == Position(4, 6)


def test_crlf_and_bom_parse_like_lf():
    lf = parse(EPISODE)
    crlf = parse("\ufeff" + EPISODE.replace("\n", "\r\n"))
    assert [(e.type, e.text) for e in crlf.elements] == [(e.type, e.text) for e in lf.elements]
    assert [e.range.start for e in crlf.elements] == [e.range.start for e in lf.elements]


def test_episodes_from_sections():
    text = (
        "# Episode 1\n\nINT. A - DAY\n\nHi.\n\n"
        "# Episode 2\n\nEXT. B - NIGHT\n\nBye.\n\n"
        "# 第3集\n\nINT. C - DAY\n"
    )
    script = parse(text)
    assert [(e.number, e.scenes) for e in script.episodes] == [(1, [0]), (2, [1]), (3, [2])]
    assert [s.episode for s in script.scenes] == [1, 2, 3]


def test_episode_number_from_file_name_without_title_key():
    script = parse("INT. A - DAY\n\nHi.\n", path="series/ep07.fountain")
    assert script.episodes[0].number == 7


def test_screen_time_adds_up():
    script = parse(EPISODE)
    assert script.seconds > 0
    assert abs(sum(s.seconds for s in script.scenes) - script.seconds) < 1e-9
    assert abs(sum(e.seconds for e in script.episodes) - script.seconds) < 1e-9
    spoken = [e for e in script.elements if e.type == "dialogue"]
    assert all(e.seconds >= 1.0 for e in spoken)


def test_chinese_dialogue_is_timed_by_characters():
    script = parse("李雷\n你以为我还是三年前的那个人吗\n", path=None)
    # no case: a Chinese cue must be forced with @, so this is action
    assert script.dialogue == []
    forced = parse("@李雷\n你以为我还是三年前的那个人吗\n")
    assert forced.dialogue[0].speaker == "李雷"
    assert forced.dialogue[0].seconds == 14 / 4


def test_introductions_skip_notes_and_leading_articles():
    script = parse(
        "INT. WARD - DAY\n\n"
        "SU QING enters. Mr. Li looks up. [[exit: MR. LI]]\n"
        "A YOUNG NURSE follows. THE DRIVER waits.\n"
    )
    assert [
        (i.name, i.range.start.line, i.range.start.character) for i in script.introductions
    ] == [
        ("SU QING", 2, 0),
        ("YOUNG NURSE", 3, 2),
        ("DRIVER", 3, 27),
    ]


def test_parse_file_takes_a_path_or_a_string(tmp_path):
    from scriptlens.fountain.parser import parse_file

    script_path = tmp_path / "ep03.fountain"
    script_path.write_text("INT. A - DAY\n\nHi.\n", encoding="utf-8")
    assert parse_file(str(script_path)).episodes[0].number == 3
    assert parse_file(script_path).scenes[0].location == "A"


def test_boneyard_inside_action_is_left_out_of_its_text():
    script = parse(
        "INT. A - DAY\n\nShe waits. /* cut: JOHN */ Then MARY enters.\n/*\nold\n*/\nEnd.\n"
    )
    action = next(e for e in script.elements if e.type == "action")
    assert action.text == "She waits.  Then MARY enters.\nEnd."
    # introductions keep the columns of the file, and nothing inside the boneyard counts
    assert [(i.name, i.range.start.character) for i in script.introductions] == [("MARY", 32)]
    assert [e.text for e in script.elements if e.type == "boneyard"] == ["cut: JOHN", "old"]


def test_dialogue_lines_drop_their_indentation():
    script = parse("INT. A - DAY\n\nNURSE\n    Sign here.\n  \n  Now.\n")
    assert script.dialogue[0].text == "Sign here.\n\nNow."


def test_parse_leaves_the_garbage_collector_as_it_found_it():
    # the builder pauses the cyclic collector; a library must hand back the caller's setting
    assert gc.isenabled()
    parse(EPISODE)
    assert gc.isenabled()
    gc.disable()
    try:
        parse(EPISODE)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_element_at_line_finds_the_innermost_element_covering_it():
    script = parse(EPISODE)
    lines = EPISODE.split("\n")
    for line, expected in [
        (0, "title_page"),
        (4, "scene_heading"),
        (8, "character"),
        (9, "parenthetical"),
        (11, "dialogue"),  # the line of two spaces inside the dialogue element
        (16, "dialogue"),
        (18, "note"),
        (lines.index("CUT TO:"), "transition"),
    ]:
        found = script.element_at_line(line)
        assert found is not None and found.type == expected, (line, found)
    assert script.element_at_line(5) is None  # the blank line after the heading
    assert script.element_at_line(len(lines) + 10) is None
    boneyard = parse("INT. A - DAY\n\nShe waits.\n/*\nold\n*/\nEnd.\n")
    assert boneyard.element_at_line(4).type == "boneyard"  # inside the action, the boneyard
    assert boneyard.element_at_line(6).type == "action"

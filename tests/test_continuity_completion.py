"""The pure functions behind completion: what the text before the cursor is, and the order in
which speakers, locations and times are offered."""

from __future__ import annotations

import pytest

from scriptlens.continuity.completion import Context, context_at, locations, speakers, times_of_day
from scriptlens.continuity.engine import Engine

SCENES = """\
INT. KITCHEN - DAY

GRANDMA SU
Eat.

DOUDOU
No.

EXT. GARDEN - NIGHT

LIN YAN
Who is there?

INT. KITCHEN - LATER

DOUDOU
Fine.

GRANDMA SU
Good.

"""


@pytest.mark.parametrize(
    ("before", "previous", "invoked", "expected"),
    [
        ("GRA", "", False, Context("cue", 0, "GRA")),
        ("  @Mc", "", True, Context("cue", 3, "Mc")),
        ("Gra", "", False, None),  # lower case is action, unless asked for
        ("Gra", "", True, Context("cue", 0, "Gra")),
        ("She runs", "", True, None),
        ("GRA", "Eat.", False, None),  # a cue follows a blank line
        ("INT. KIT", "Eat.", False, Context("location", 5, "KIT")),
        ("int/ext car", None, False, Context("location", 8, "car")),
        ("EXT. GARDEN - NI", "", False, Context("time", 14, "NI")),
        ("EXT. GARDEN -", "", False, Context("time", 13, "")),
        ("Hi [[signal: s1a2, #sl", "x", False, Context("signal", 19, "#sl")),
        ("[[theme:", None, False, Context("theme", 8, "")),
        ("苏晴 [[theme: t", None, False, Context("theme", 12, "t")),
    ],
)
def test_the_context_of_the_text_before_the_cursor(
    before: str, previous: str | None, invoked: bool, expected: Context | None
):
    assert context_at(before, previous, invoked) == expected


def _cast():
    engine = Engine()
    engine.set_files({"ep01.fountain": SCENES})
    return engine.cast(), engine.scripts().values()


def test_speakers_of_the_scene_first_the_one_who_just_spoke_last_then_the_rest():
    cast, _ = _cast()
    after_grandma = [c.label for c in speakers(cast, "ep01.fountain", 20)]
    assert after_grandma == ["DOUDOU", "GRANDMA SU", "LIN YAN"]
    in_the_garden = speakers(cast, "ep01.fountain", 11)
    assert [c.label for c in in_the_garden] == ["LIN YAN", "DOUDOU", "GRANDMA SU"]
    assert in_the_garden[0].detail == "1 cue; speaks in this scene"
    assert in_the_garden[1].detail == "2 cues; speaks in this episode"


def test_locations_and_times_the_most_used_first_then_the_usual_times():
    _, scripts = _cast()
    assert [c.label for c in locations(scripts)] == ["KITCHEN", "GARDEN"]
    times = [c.label for c in times_of_day(scripts)]
    assert times[:3] == ["DAY", "LATER", "NIGHT"]
    assert times[3:] == ["MORNING", "EVENING", "CONTINUOUS", "MOMENTS LATER"]

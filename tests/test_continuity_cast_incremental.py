"""The cast of an engine that has seen earlier versions, which reuses what each unchanged file
contributed before, equals the cast of an engine that sees the same texts afresh."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from scriptlens.continuity.cast import Cast
from scriptlens.continuity.engine import Engine


def episode(number: int, speakers: list[str]) -> str:
    blocks = "".join(f"{name}\nLine {number}, said at length to count.\n\n" for name in speakers)
    action = "SU QING and MR. LI talk. Bob waits. Cyber Bob sleeps."
    return f"Episode: {number}\n\nINT. ROOM - DAY\n\n{action}\n\n{blocks}"


SERIES = {
    f"ep{number:02}.fountain": episode(number, ["MR. LI", "SU QING"] if number % 3 else ["MR. LI"])
    for number in range(1, 7)
}
# BOB and CYBER BOB, who never meet, are one character until an edit has them talk.
SERIES["ep01.fountain"] += "BOB\nHi.\n\n"
SERIES["ep02.fountain"] += "CYBER BOB\nHello.\n\n"
EXCHANGE = ("INT. ROOM - DAY\n\n", "INT. ROOM - DAY\n\nBOB\nHi.\n\nCYBER BOB\nHello.\n\n")
# Each edit changes the file's own facts, and some change the cast's names (a new speaker, a
# rename, a short form joined to its long form or kept apart), which changes how the names of
# every file resolve.
EDITS = st.sampled_from(
    [
        ("sleeps", "sleepss"),
        ("SU QING\n", "QING\n"),
        ("MR. LI\n", "LI\n"),
        ("Bob waits.", "BOB enters."),
        ("INT. ROOM - DAY\n\n", "INT. ROOM - DAY\n\nCYBER BOB\nHello.\n\n"),
        EXCHANGE,
        ("CYBER BOB\nHello", "ROBOT\nHello"),
        ("SU QING and MR. LI talk.", "Nobody talks."),
        ("Episode: ", "Episode: 1"),
    ]
)


def facts(cast: Cast) -> dict[str, object]:
    return {
        "appearances": cast.appearances,
        "intros": cast.intros,
        "mentions": cast.mentions,
        "words": cast.words,
        "shares": {character: cast.share(character) for character in cast.characters},
    }


@settings(max_examples=40, deadline=None, derandomize=True)
@example([("ep03.fountain", EXCHANGE, False)])  # the same names resolve otherwise everywhere
# Once saved, the names only the baseline had are no longer looked for in mentions.
@example(
    [
        ("ep02.fountain", ("CYBER BOB\nHello", "ROBOT\nHello"), False),
        ("ep01.fountain", ("sleeps", "sleepss"), True),
    ]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(sorted(SERIES)), EDITS, st.booleans()), min_size=1, max_size=6
    )
)
def test_cast_after_edits_equals_a_fresh_one(
    edits: list[tuple[str, tuple[str, str], bool]],
) -> None:
    texts = dict(SERIES)
    baseline = dict(SERIES)
    engine = Engine()
    engine.set_files(texts)
    engine.set_baseline(baseline)  # whose files' indexes the current ones share until edited
    engine.check()
    for path, (old, new), save in edits:
        texts[path] = texts[path].replace(old, new, 1)
        engine.update(path, texts[path])
        if save:
            baseline = dict(texts)
            engine.set_baseline(baseline)
        engine.check()
        fresh = Engine()
        fresh.set_files(texts)
        fresh.set_baseline(baseline)
        assert facts(engine.cast()) == facts(fresh.cast())
        assert engine.check() == fresh.check()

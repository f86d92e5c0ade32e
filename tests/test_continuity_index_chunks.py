"""The continuity index of an edited document, which reuses what each unchanged chunk of the
model told the index before, equals the index of the same text parsed afresh."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scriptlens import parse
from scriptlens.continuity.index import FileIndex, MentionFinder, build_index
from scriptlens.fountain.document import Document
from scriptlens.fountain.model import Position

NAMES = ["SU QING", "MR. LI", "LIN YAN"]
EPISODES = "".join(
    f"# Episode {number}\n\n"
    + "".join(
        f"INT. ROOM {number}{scene} - DAY\n\n"
        f"SU QING waits. Mr. Li and LIN YAN enter. [[exit: LIN YAN]]\n\n"
        f"MR. LI\nWhere is Lin Yan?\n\n"
        f"SU QING (CONT'D)\nGone.\n\n"
        f"LIN YAN ^\n[[scriptlens: ignore dual-dialogue-orphan]]\nHere.\n\n"
        for scene in range(3)
    )
    for number in range(1, 4)
)
EDITS = st.sampled_from(
    ["x", "\n", "\n\n", "MR. LI\nHi.\n\n", "INT. NEW - DAY\n\n", "# Episode 9\n\n", "(CONT'D)", "^"]
)


def facts(index: FileIndex) -> dict[str, object]:
    finder = MentionFinder(NAMES)
    return {
        "cues": index.cues,
        "intros": index.intros,
        "markers": index.markers,
        "suppressions": index.suppressions,
        "words": index.words,
        "speakers": index.speakers_by_scene,
        "exchanges": index.exchanges,
        "contd": index.contd,
        "dual_orphans": index.dual_orphans,
        "spoken": index.spoken,
        "block_speakers": index.speakers,
        "mentions": index.mentions(finder),
        "bounds": index.appearance_bounds(finder),
    }


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    steps=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 6), st.booleans(), EDITS), min_size=1, max_size=4
    )
)
def test_index_after_edits_equals_a_fresh_one(steps: list[tuple[float, int, bool, str]]) -> None:
    document = Document(EPISODES, "ep01.fountain")
    facts(build_index("ep01.fountain", document.text, document.script))
    for where, column, remove, inserted in steps:
        line = min(int(where * document.text.count("\n")), document.text.count("\n"))
        start = Position(line, column)
        document.apply_change(start, Position(line, column + 1) if remove else start, inserted)
        edited = build_index("ep01.fountain", document.text, document.script)
        fresh = build_index("ep01.fountain", document.text, parse(document.text, "ep01.fountain"))
        assert facts(edited) == facts(fresh)

"""The continuity index of an edited document, which reuses what each unchanged chunk of the
model told the index before, equals the index of the same text parsed afresh."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scriptlens import parse
from scriptlens.continuity.index import Cue, FileIndex, Mention, MentionFinder, build_index
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


def first_and_last(index: FileIndex, finder: MentionFinder) -> dict[tuple[str, int], object]:
    """Appearance bounds by their definition: per name and episode part, over the file's cues
    and then its mentions in action, the first item of the earliest start and the first of the
    latest."""
    items: list[Cue | Mention] = [*index.cues]
    items += [mention for mention in index.mentions(finder) if not mention.spoken]
    groups: dict[tuple[str, int], list[Cue | Mention]] = {}
    for item in items:
        name = item.name if isinstance(item, Cue) else item.key
        groups.setdefault((name, item.episode), []).append(item)

    def start(item: Cue | Mention) -> tuple[int, int]:
        return (item.range.start.line, item.range.start.character)

    return {key: (min(group, key=start), max(group, key=start)) for key, group in groups.items()}


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.floats(0, 1), EDITS), min_size=0, max_size=3))
def test_appearance_bounds_merged_by_chunk_follow_their_definition(
    steps: list[tuple[float, str]],
) -> None:
    document = Document(EPISODES, "ep01.fountain")
    finder = MentionFinder(NAMES)
    for where, inserted in steps:
        line = int(where * document.text.count("\n"))
        document.apply_change(Position(line, 0), Position(line, 0), inserted)
        build_index("ep01.fountain", document.text, document.script).appearance_bounds(finder)
    index = build_index("ep01.fountain", document.text, document.script)
    bounds = index.appearance_bounds(finder)
    assert bounds == first_and_last(index, finder)

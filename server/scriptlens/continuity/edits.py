"""What changed between a file's baseline and its current text, as the edit-aware rules need it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz import fuzz

from scriptlens.continuity.index import Cue, FileIndex

# A block whose words changed this little while its speaker changed was reassigned, not rewritten.
SAME_LINES_SIMILARITY = 80.0


@dataclass(frozen=True, slots=True)
class Rename:
    """A dialogue block that kept its lines but changed its speaker since the baseline."""

    file: str
    old: str  # cue key in the baseline
    new: str  # cue key now
    cue: Cue  # the current cue


def renamed_cues(path: str, before: FileIndex, after: FileIndex) -> Iterator[Rename]:
    """Pairs the dialogue blocks of two versions of a file by their spoken text (difflib over
    the blocks' texts, equal-length replaced runs paired in order when their texts are alike)
    and yields those whose speaker changed."""
    old_names, new_names = before.speakers, after.speakers
    old_texts, new_texts = before.spoken, after.spoken
    for tag, i1, i2, j1, j2 in aligned_opcodes(old_texts, new_texts):
        if tag == "equal":
            if old_names[i1:i2] == new_names[j1:j2]:  # most of a file: no speaker changed
                continue
            pairs = list(zip(range(i1, i2), range(j1, j2), strict=True))
        elif tag == "replace" and i2 - i1 == j2 - j1:
            pairs = [
                (i, j)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                if fuzz.ratio(old_texts[i], new_texts[j]) >= SAME_LINES_SIMILARITY
            ]
        else:
            continue
        for i, j in pairs:
            old, new = old_names[i], new_names[j]
            if old and new and old != new:
                yield Rename(path, old, new, after.cue_at(j))


def aligned_opcodes(old: list[str], new: list[str]) -> Iterator[tuple[str, int, int, int, int]]:
    """difflib's opcodes, the common head and tail taken as equal first: an edit touches one
    stretch of a script, and difflib's time grows much faster than the blocks it is given."""
    shorter = min(len(old), len(new))
    head = 0
    while head < shorter and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < shorter - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    if head:
        yield "equal", 0, head, 0, head
    matcher = SequenceMatcher(
        None, old[head : len(old) - tail], new[head : len(new) - tail], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        yield tag, i1 + head, i2 + head, j1 + head, j2 + head
    if tail:
        yield "equal", len(old) - tail, len(old), len(new) - tail, len(new)

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
    old_cues = {cue.position: cue for cue in before.cues}
    new_cues = {cue.position: cue for cue in after.cues}
    old_texts = [" ".join(block.text.split()) for block in before.script.dialogue]
    new_texts = [" ".join(block.text.split()) for block in after.script.dialogue]
    for tag, i1, i2, j1, j2 in aligned_opcodes(old_texts, new_texts):
        if tag == "equal":
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
            old, new = old_cues.get(i), new_cues.get(j)
            if old is not None and new is not None and old.name != new.name:
                yield Rename(path, old.name, new.name, new)


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

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
    matcher = SequenceMatcher(None, old_texts, new_texts, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
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

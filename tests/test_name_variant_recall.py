"""How many typos in cues the ``name-variant`` rule catches, and that catching them raises no
false alarm.

For every speaker of the example series and of the real screenplays in
``../shared/corpus/real-scripts``, one typo of each kind (a letter substituted, inserted,
deleted, two neighbours swapped, a keyboard neighbour, a digit for a look-alike letter; chosen
by a seeded random generator) is written as a new line of that speaker, right after its last
one. The typo is caught when a name-variant warning stands on it with "did you mean" the
speaker. Recall is reported per kind (``pytest -s``) and must reach ``TARGET``; no typo may make
any other name-variant appear, and the real scripts untouched raise only the two true ones.
"""

from __future__ import annotations

import random
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from scriptlens.continuity.engine import Engine
from scriptlens.continuity.names import HONORIFICS, loose_key
from scriptlens.continuity.typos import LOOK_ALIKE_DIGITS, neighbours
from scriptlens.workspace import load
from scriptlens.workspace.config import Config, RuleSettings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "micro-drama"
CORPUS = ROOT.parent / "shared" / "corpus" / "real-scripts"
TARGET = 0.95


def name_letters(name: str) -> list[int]:
    """Where the letters of ``name`` stand, honorifics left out: a typo hits the name."""
    found, at = [], 0
    for word in name.split(" "):
        if loose_key(word) not in HONORIFICS:
            found += [at + i for i, c in enumerate(word) if c in string.ascii_uppercase]
        at += len(word) + 1
    return found


def substitution(name: str, rng: random.Random) -> str | None:
    at = rng.choice(name_letters(name))
    letter = rng.choice([c for c in string.ascii_uppercase if c != name[at]])
    return name[:at] + letter + name[at + 1 :]


def insertion(name: str, rng: random.Random) -> str | None:
    at = rng.choice(name_letters(name))
    return name[:at] + rng.choice(string.ascii_uppercase) + name[at:]


def deletion(name: str, rng: random.Random) -> str | None:
    at = rng.choice(name_letters(name))
    return name[:at] + name[at + 1 :]


def transposition(name: str, rng: random.Random) -> str | None:
    letters = set(name_letters(name))
    pairs = [at for at in letters if at + 1 in letters and name[at] != name[at + 1]]
    if not pairs:
        return None
    at = rng.choice(sorted(pairs))
    return name[:at] + name[at + 1] + name[at] + name[at + 2 :]


def keyboard_neighbour(name: str, rng: random.Random) -> str | None:
    at = rng.choice(name_letters(name))
    return name[:at] + rng.choice(neighbours(name[at])) + name[at + 1 :]


def digit_for_letter(name: str, rng: random.Random) -> str | None:
    places = [at for at in name_letters(name) if name[at] in LOOK_ALIKE_DIGITS]
    if not places:
        return None
    at = rng.choice(places)
    return name[:at] + LOOK_ALIKE_DIGITS[name[at]] + name[at + 1 :]


KINDS: dict[str, Callable[[str, random.Random], str | None]] = {
    "substitution": substitution,
    "insertion": insertion,
    "deletion": deletion,
    "transposition": transposition,
    "keyboard neighbour": keyboard_neighbour,
    "digit for letter": digit_for_letter,
}


@dataclass
class Trial:
    corpus: str
    kind: str
    speaker: str
    typo: str
    caught: bool
    new_false_alarms: list[str]


def only_name_variant(config: Config) -> Config:
    """The series' own settings with every other rule off, which the trials do not need."""
    rules = {
        code: RuleSettings(code == "name-variant", rule.severity, rule.options)
        for code, rule in config.rules.items()
    }
    return Config(series=config.series, cast=config.cast, rules=rules)


def variants(engine: Engine) -> set[tuple[str, int, str]]:
    """(file, line, what it misspells) of each name-variant warning; the cue counts left out."""
    return {
        (d.file, d.range.start.line, d.message.split(" (")[0])
        for d in engine.check()
        if d.code == "name-variant"
    }


# The lines a trial inserts after the speaker's last block: a blank line, the typo, a line.
INSERTED = 3


def trials(name: str, root: Path) -> tuple[list[Trial], set[tuple[str, int, str]]]:
    """Every trial on the series under ``root``, and the variants it raises untouched."""
    workspace = load(root)
    texts = {
        path.relative_to(workspace.root).as_posix(): path.read_text(encoding="utf-8")
        for path in workspace.fountain_files()
    }
    engine = Engine(only_name_variant(workspace.config))
    engine.set_files(texts)
    untouched = variants(engine)
    cast = engine.cast()
    spellings = {loose_key(spelling) for spelling in cast.spellings}
    done = []
    for character in sorted(cast.speakers):
        speaker = cast.characters[character].spellings.most_common(1)[0][0]
        if not name_letters(speaker):
            continue
        last = cast.cues(character)[-1]
        path, after = last.file, last.item.block.end.line
        lines = texts[path].split("\n")
        typo_line = after + 2

        def before_the_edit(file: str, line: int) -> int:
            return line - INSERTED if file == path and line > after else line  # noqa: B023

        for kind, make in KINDS.items():
            typo = make(speaker, random.Random(f"{speaker}/{kind}"))
            if typo is None or loose_key(typo) in spellings:
                continue  # nothing of this kind to do, or the typo is someone's name
            engine.update(
                path, "\n".join([*lines[: after + 1], "", typo, "Wait.", *lines[after + 1 :]])
            )
            found = variants(engine)
            caught = (
                path,
                typo_line,
                f"'{typo}' is probably a misspelling of '{speaker}'",
            ) in found
            others = {
                (file, before_the_edit(file, line), message)
                for file, line, message in found
                if (file, line) != (path, typo_line)
            }
            done.append(
                Trial(
                    name, kind, speaker, typo, caught, sorted(m for _, _, m in others - untouched)
                )
            )
        engine.update(path, texts[path])
    return done, untouched


SERIES = {"example": EXAMPLE, "real scripts": CORPUS}


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[list[Trial], set[tuple[str, int, str]]]]:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus/real-scripts is absent")
    return {name: trials(name, root) for name, root in SERIES.items()}


def report(done: list[Trial]) -> str:
    rows = [f"{'typo kind':<20}{'caught':>8}{'tried':>8}{'recall':>8}"]
    for kind in [*KINDS, None]:
        mine = [trial for trial in done if kind is None or trial.kind == kind]
        caught = sum(trial.caught for trial in mine)
        label = kind or "all"
        rows.append(f"{label:<20}{caught:>8}{len(mine):>8}{caught / len(mine):>8.1%}")
    missed = Counter(f"{trial.typo} for {trial.speaker}" for trial in done if not trial.caught)
    rows.append("missed: " + ", ".join(sorted(missed)))
    return "\n".join(rows)


@pytest.mark.parametrize("name", list(SERIES))
def test_typos_of_every_speaker_are_caught(results, name: str) -> None:
    done, _ = results[name]
    print(f"\nname-variant recall on the {name} ({len(done)} typos)\n{report(done)}")
    recall = sum(trial.caught for trial in done) / len(done)
    assert recall >= TARGET, report(done)


@pytest.mark.parametrize("name", list(SERIES))
def test_a_typo_raises_no_other_variant(results, name: str) -> None:
    done, _ = results[name]
    assert [(t.typo, t.new_false_alarms) for t in done if t.new_false_alarms] == []


def test_the_real_scripts_untouched_raise_only_the_true_variants(results) -> None:
    _, untouched = results["real scripts"]
    assert {message for _, _, message in untouched} == {
        "'MARGARGET' is probably a misspelling of 'MARGARET'"
    }

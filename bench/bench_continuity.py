"""Continuity benchmarks (issue: continuity engine).

A synthetic series of 100 three-page episodes (300 pages): a recurring cast with aliases, exits
and returns, CONT'D cues and dual dialogue, checked against a baseline in which the lead's cues
had another name in some episodes, so every rule, the edit-aware ones too, does its full work.
"""

from __future__ import annotations

import random

from harness import Row, below, median_seconds
from scriptlens.continuity.engine import Engine
from scriptlens.workspace.config import parse_config

CAST = [
    "SU QING", "MR. LI", "LIN YAN", "GRANDMA SU", "NURSE CHEN", "ZHOU MING",
    "DOUDOU", "TIANTIAN", "AUNT MEI", "DETECTIVE WANG", "XIAO BAI", "UNCLE ZHANG",
]  # fmt: skip
SETTINGS = parse_config({"cast": {"aliases": {"MR. LI": ["LI WEI"]}}}, "bench scriptlens.toml")
WORDS = (
    "the ring", "the contract", "the banquet", "a secret", "you never knew", "five years",
    "the twins", "sign here", "leave now", "I remember everything", "grandma knows", "tonight",
)  # fmt: skip


def _line(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def episode(number: int, pages: int = 3) -> str:
    """About ``pages`` pages (55 lines each) of one episode."""
    rng = random.Random(number)
    lines = ["Title: Bench Series", f"Episode: {number}", ""]
    # One character leaves at the end of each x5 episode and returns at the start of x8.
    away = CAST[2 + (number // 10) % (len(CAST) - 2)]
    if number % 10 == 8:
        lines += [f"[[return: {away}]]", ""]
    available = [name for name in CAST if name != away or number % 10 not in (6, 7)]
    scene = 0
    while len(lines) < pages * 55:
        scene += 1
        present = rng.sample(available, 4)
        lines += [f"INT. LOCATION {scene} - DAY", ""]
        lines += [f"{present[0]} and {present[1].title()} wait. {_line(rng, 8)}", ""]
        previous = None
        for turn in range(8):
            speaker = rng.choice(present)
            cue = "LI WEI" if speaker == "MR. LI" and turn % 3 == 0 else speaker
            if speaker == previous:
                cue += " (CONT'D)"
                lines += [_line(rng, 6), ""]
            lines += [cue, _line(rng, rng.randint(5, 14)), ""]
            previous = speaker
    if number % 10 == 5:
        lines += [f"{away.title()} leaves. [[exit: {away}]]", ""]
    return "\n".join(lines) + "\n"


def series(episodes: int) -> dict[str, str]:
    return {f"ep{number:03}.fountain": episode(number) for number in range(1, episodes + 1)}


def rows(quick: bool) -> list[Row]:
    episodes = 20 if quick else 100
    current = series(episodes)
    baseline = {
        name: text.replace("\nSU QING\n", "\nQING\n") if index % 7 == 0 else text
        for index, (name, text) in enumerate(current.items())
    }
    pages = sum(text.count("\n") for text in current.values()) / 55

    def from_scratch() -> object:
        engine = Engine(SETTINGS)
        engine.set_files(current)
        engine.set_baseline(baseline)
        return engine.check()

    cold = median_seconds(from_scratch, repeat=1 if quick else 5)

    engine = Engine(SETTINGS)
    engine.set_files(current)
    engine.set_baseline(baseline)
    findings = len(engine.check())
    open_episode = f"ep{episodes // 2:03}.fountain"
    original = current[open_episode]
    middle = original.index("\n", len(original) // 2) + 1
    state = {"typed": False}

    def keystroke() -> object:
        # Alternate typing and deleting one character in the open episode's middle.
        state["typed"] = not state["typed"]
        text = original[:middle] + "x" + original[middle:] if state["typed"] else original
        engine.update(open_episode, text)
        return engine.check()

    warm = median_seconds(keystroke, repeat=41)
    detail = f"{episodes} episodes, {pages:.0f} pages, {findings} findings"
    return [
        below("continuity: check series from scratch", cold, "s", 1.0, detail),
        below("continuity: re-check after a keystroke", warm * 1000, "ms", 20.0, detail),
    ]

"""Deterministic synthetic Fountain for the benchmarks: a feature script and a long series."""

from __future__ import annotations

import random

LINES_PER_PAGE = 55

_NAMES = ["SU QING", "MR. LI", "GRANDMA SU", "NURSE", "ZHAO MING", "LIN YUE", "DRIVER", "ÉLODIE"]
_PLACES = ["HOSPITAL CORRIDOR", "LI GROUP - BOARDROOM", "SU FAMILY HOME", "ROOFTOP", "CAR"]
_TIMES = ["DAY", "NIGHT", "CONTINUOUS", "LATER"]
_ACTION = [
    "Rain streaks the window. {a} stares at the contract, then at the door.",
    "{a} slams the folder on the table. Papers scatter across the floor.",
    "A phone buzzes. {a} glances at the screen and goes pale.",
    "{a} steps out of the elevator, heels clicking on the marble, every head turning.",
    "The crowd parts. {a} walks through it without looking at anyone.",
]
_LINES = [
    "You think you can buy me with a ring?",
    "Sign it. *Now.* Before I change my mind.",
    "Mr. Li, please sign for your twins, a boy and a girl.",
    "I came back for what is mine.",
    "Grandma, I never stopped looking for you.",
    "你以为我还是三年前的那个人吗？",
    "Then let's see who laughs last.",
]


# Printed screenplay layout: action wraps at 61 characters, dialogue at 35; each element is
# followed by a blank line and a scene heading by two.
ACTION_WIDTH = 61
DIALOGUE_WIDTH = 35


def _printed_lines(block: str, width: int) -> int:
    return sum(max(1, -(-len(line) // width)) for line in block.split("\n")) + 1


def script(pages: int, seed: int = 7, episode_sections: bool = False) -> str:
    """A screenplay of about ``pages`` printed pages (55 lines each)."""
    rnd = random.Random(seed)
    blocks = ["Title: The Heiress Returns\nCredit: Written by\nAuthor: scriptlens bench\n"]
    budget = pages * LINES_PER_PAGE
    used = 0
    scene = 0
    while used < budget:
        scene += 1
        if episode_sections and scene % 12 == 1:
            blocks.append(f"# Episode {scene // 12 + 1}\n")
        place, time_of_day = rnd.choice(_PLACES), rnd.choice(_TIMES)
        blocks.append(f"{rnd.choice(['INT.', 'EXT.'])} {place} - {time_of_day} #{scene}#\n")
        used += 3
        for _ in range(rnd.randint(3, 7)):
            if rnd.random() < 0.35:
                text = " ".join(rnd.choice(_ACTION).format(a=rnd.choice(_NAMES)) for _ in range(2))
                blocks.append(text + "\n")
                used += _printed_lines(text, ACTION_WIDTH)
            else:
                name = rnd.choice(_NAMES)
                paren = "(quietly)\n" if rnd.random() < 0.2 else ""
                ext = " (V.O.)" if rnd.random() < 0.1 else ""
                blocks.append(f"{name}{ext}\n{paren}{rnd.choice(_LINES)}\n")
                used += _printed_lines(blocks[-1], DIALOGUE_WIDTH)
        if rnd.random() < 0.2:
            blocks.append("CUT TO:\n")
    return "\n".join(blocks)


def series(megabytes: float, seed: int = 11) -> str:
    """A long series of episodes marked by ``# Episode N`` sections, about ``megabytes`` MB."""
    parts = []
    size = 0
    seed_step = 0
    while size < megabytes * 1_000_000:
        part = script(30, seed=seed + seed_step, episode_sections=True)
        if seed_step:
            part = part.split("\n", 4)[-1]  # one title page for the whole series
        parts.append(part)
        size += len(part.encode("utf-8"))
        seed_step += 1
    return "\n".join(parts)

"""jouvence's YAML cases, run through ``scriptlens.parse`` and mapped onto our element types.

jouvence writes each paragraph as a prefix and its text: ``!`` action, ``!><`` centered action,
``@`` character, ``=`` dialogue, ``_`` parenthetical, ``.`` scene heading, ``>`` transition,
``~`` lyrics, ``+`` synopsis, ``#`` section and ``<pagebreak>``. Two representation choices are
normalized away, not disagreements: jouvence keeps an action's blank lines inside one action
(extra blank lines even become empty actions), where we make one action per paragraph and no
element for a blank line; and jouvence has no boneyard or note element, where we report them as
elements of their own. Where the spec sides against jouvence, ``DISAGREEMENTS`` names the case,
says why, and pins our output instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from scriptlens import parse

JOUVENCE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "conformance" / "jouvence"

if not JOUVENCE.is_dir():
    pytest.skip(f"conformance corpus not found at {JOUVENCE}", allow_module_level=True)

yaml = pytest.importorskip("yaml")

PREFIXES = [
    ("!><", "centered"),
    ("!", "action"),
    ("@", "character"),
    ("=", "dialogue"),
    ("_", "parenthetical"),
    (".", "scene_heading"),
    (">", "transition"),
    ("~", "lyrics"),
    ("+", "synopsis"),
    ("#", "section"),
]
BLANK_LINES = re.compile(r"\n[ \t]*\n")

Paragraph = tuple[str, str]


@dataclass(frozen=True)
class Case:
    id: str
    source: str
    paragraphs: list[Paragraph]
    title: dict[str, str] | None


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(JOUVENCE.glob("*.yaml")):
        family = path.stem.removeprefix("test_")
        for index, case in enumerate(yaml.safe_load_all(path.read_text(encoding="utf-8"))):
            paragraphs = [p for out in case["out"] or [] for p in jouvence_paragraphs(out)]
            cases.append(Case(f"{family}[{index}]", case["in"], paragraphs, case.get("title")))
    return cases


def clean(text: str, keep_indentation: bool) -> str:
    lines = [line.rstrip() if keep_indentation else line.strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def jouvence_paragraphs(out: str) -> list[Paragraph]:
    if out == "<pagebreak>":
        return [("page_break", "")]
    prefix, kind = next((p, k) for p, k in PREFIXES if out.startswith(p))
    text = out[len(prefix) :]
    if kind != "action":
        return [(kind, clean(text, keep_indentation=False))]
    pieces = (clean(piece, keep_indentation=True) for piece in BLANK_LINES.split(text))
    return [("action", piece) for piece in pieces if piece]


def our_paragraphs(source: str) -> list[Paragraph]:
    paragraphs = []
    for element in parse(source).elements:
        if element.type in ("title_page", "boneyard", "note"):
            continue
        if element.type == "page_break":
            paragraphs.append(("page_break", ""))
            continue
        text = clean(element.text, keep_indentation=element.type == "action")
        paragraphs.append((element.type, text))
    return paragraphs


# Case id -> (our paragraphs, why the spec is on our side).
DISAGREEMENTS: dict[str, tuple[list[Paragraph], str]] = {
    "lyrics[1]": (
        [("lyrics", "This is lyrics"), ("action", "But this is not")],
        "Fountain 1.1: 'Lyrics are always forced' by a leading ~, line by line. The ~ line is a "
        "lyric whatever follows it; jouvence instead turns the whole paragraph back into action "
        "because its second line has no tilde, which the spec never asks for.",
    ),
}

# Case id -> reason: where our model, not the grammar, is still wrong. Strict, so a fix shows.
MODEL_BUGS: dict[str, str] = {}

CASES = load_cases()


def marks(case: Case) -> list[pytest.MarkDecorator]:
    if case.id in MODEL_BUGS:
        return [pytest.mark.xfail(reason=MODEL_BUGS[case.id], strict=True)]
    return []


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.id, marks=marks(c)) for c in CASES if c.id not in DISAGREEMENTS]
)
def test_jouvence_case(case: Case) -> None:
    assert our_paragraphs(case.source) == case.paragraphs
    if case.title is not None:
        assert parse(case.source).title_page == case.title


@pytest.mark.parametrize("case_id", sorted(DISAGREEMENTS))
def test_documented_disagreement(case_id: str) -> None:
    case = next(c for c in CASES if c.id == case_id)
    ours, why = DISAGREEMENTS[case_id]
    assert why
    assert our_paragraphs(case.source) == ours
    assert ours != case.paragraphs, "jouvence now agrees: move the case back to the passing set"


def test_every_case_is_run() -> None:
    assert len(CASES) >= 40
    assert set(DISAGREEMENTS) | set(MODEL_BUGS) <= {c.id for c in CASES}

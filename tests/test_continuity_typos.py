"""One or two keystrokes: what makes a cue spelling a typo of another, and what names someone
else."""

import pytest

from scriptlens.continuity.typos import is_slip, is_typo, keystrokes_allowed, neighbours


@pytest.mark.parametrize(
    ("typo", "name"),
    [
        ("SU QNG", "SU QING"),  # a letter deleted
        ("SU QIING", "SU QING"),  # inserted
        ("LIN YAM", "LIN YAN"),  # a keyboard neighbour
        ("LIN YNA", "LIN YAN"),  # two neighbours swapped
        ("ZH0U MING", "ZHOU MING"),  # a digit for a look-alike letter
        ("MARAGRTE", "MARGARET"),  # two keystrokes in a long name
        ("MR. LU", "MR. LI"),  # the whole name counts: four letters allow a keystroke
    ],
)
def test_slips_of_the_fingers_are_typos(typo: str, name: str) -> None:
    assert is_typo(typo, name)


@pytest.mark.parametrize(
    ("other", "name"),
    [
        ("LI", "LU"),  # too short for any keystroke
        ("SU QN", "SU QING"),  # two keystrokes from a six-letter name
        ("GUARD 2", "GUARD 1"),  # labels
        ("MAN B", "MAN A"),
        ("BOOGER TEN", "BOOGER TWO"),  # number words
        ("GUARDS", "GUARD"),  # plurals
        ("WOMEN", "WOMAN"),
        ("MRS LI", "MR LI"),  # another honorific
        ("MR LI", "MR. LI"),  # punctuation only: the similarity rule's, not a typo
    ],
)
def test_other_people_and_other_rules_are_not_typos(other: str, name: str) -> None:
    assert not is_typo(other, name)


def test_longer_names_allow_more_keystrokes() -> None:
    names = ("LI", "BOB", "MR. LI", "MARGARET")
    assert [keystrokes_allowed(name) for name in names] == [0, 1, 1, 2]


def test_keys_touch_beside_above_and_below() -> None:
    assert neighbours("G") == "FHTYVB"
    assert neighbours("Q") == "W12A"
    assert neighbours("M") == "NJK"


@pytest.mark.parametrize(
    ("meant", "typed", "slip"),
    [
        ("LIN YAN", "LIN YAM", True),  # a neighbouring key
        ("LIN YAN", "LIN YNA", True),  # neighbours swapped
        ("SU QING", "SU QNG", True),  # dropped
        ("SU QING", "SU QIING", True),  # doubled
        ("ZHOU MING", "ZH0U MING", True),  # a look-alike digit
        ("BOSS HE", "BOSS HO", False),  # E and O are far apart: a choice
        ("MR. LI", "PRESIDENT LI", False),
    ],
)
def test_slips_of_the_fingers_against_choices(meant: str, typed: str, slip: bool) -> None:
    assert is_slip(meant, typed) == slip

"""The bridge between Chinese and English comments: CC-CEDICT glosses of Chinese words, and how
much a glossed Chinese text and an English one say the same."""

from __future__ import annotations

import pytest

from scriptlens.signals.glosses import SAME_MEANING, Glossary, coverage, sense_terms
from scriptlens.signals.normalize import content_terms

TEXTS = ["请签收你的龙凤胎", "这一巴掌太爽了", "终于被抓了，爽", "好帅"]


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.of(TEXTS)


def test_a_glossary_holds_only_the_words_of_its_texts(glossary: Glossary) -> None:
    assert "龙凤胎" in glossary.words and "签收" in glossary.words
    assert all(any(word in text for text in TEXTS) for word in glossary.words)


def test_words_are_cut_longest_first_and_glossed_by_their_meanings(glossary: Glossary) -> None:
    glossed = glossary.gloss("请签收你的龙凤胎")
    # 请 / 签收 / 你 / 的 / 龙凤胎: the longest dictionary words, grammar characters left out
    assert len(glossed) == 3
    assert "sign" in glossed[1] and "twin" in glossed[2]
    assert "sth" not in glossed[1]  # the dictionary's shorthand is no meaning
    assert "slap" in glossary.gloss("这一巴掌太爽了")[0]


def test_senses_that_are_not_meanings_are_left_out() -> None:
    assert sense_terms(["surname Li", "variant of 李[li3]", "plum"]) == {"plum"}
    assert sense_terms(["(bound form) target", "CL:個|个[ge4]"]) == {"target"}


@pytest.mark.parametrize(
    ("chinese", "english", "meets"),
    [
        # the example's meme: sign and twins said by both, half of each side at least
        ("请签收你的龙凤胎", "please sign for your twins, a boy and a girl", True),
        ("这一巴掌太爽了", "'s slap was so satisfying", True),
        ("好帅", "is so handsome", True),
        # the example's nearest unrelated pair: "finally arrested, so good" / "wasn't she arrested?"
        ("终于被抓了，爽", "wait, wasn't arrested??", False),
        ("好帅", "please sign for your twins, a boy and a girl", False),
    ],
)
def test_coverage_says_when_two_texts_say_the_same(
    glossary: Glossary, chinese: str, english: str, meets: bool
) -> None:
    score = coverage(glossary.gloss(chinese), frozenset(content_terms(english)))
    assert (score >= SAME_MEANING) is meets


def test_nothing_to_compare_covers_nothing(glossary: Glossary) -> None:
    assert coverage([], frozenset({"sign"})) == 0.0
    assert coverage(glossary.gloss("龙凤胎"), frozenset()) == 0.0

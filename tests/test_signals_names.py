"""Character names across writing systems: pinyin readings, traditional characters, aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from scriptlens.signals.names import (
    CastNames,
    cast_names,
    fold,
    mentioned_characters,
    romanize,
    series_cast,
    to_simplified,
)
from scriptlens.workspace import load
from signals_support import ROOT

CAST = ["SU QING", "MR. LI", "LIN YAN", "GRANDMA SU", "NURSE CHEN", "SHAN YU", "ZOE"]
# the shape of [cast.aliases]: every name, the main one too, -> the main name
ALIASES = {
    "MR. LI": "MR. LI",
    "LI WEI": "MR. LI",
    "李总": "MR. LI",
    "NURSE CHEN": "NURSE CHEN",
    "NURSE": "NURSE CHEN",
    "陈护士": "NURSE CHEN",
}


def mentioned(text: str) -> set[str]:
    return mentioned_characters(text, CAST, ALIASES)


@pytest.mark.parametrize(
    ("han", "cue"),
    [
        ("苏晴", "SU QING"),
        ("蘇晴", "SU QING"),  # traditional
        ("林小妍", "LIN XIAOYAN"),  # the given name is one word
        ("欧阳娜娜", "OUYANG NANA"),  # four characters: a two-character surname
        ("吕布", "LU BU"),  # ü written u, as cues do
        ("周", "ZHOU"),
    ],
)
def test_romanize_reads_a_name_as_a_cue(han: str, cue: str) -> None:
    assert romanize(han) == cue


@pytest.mark.parametrize(
    ("comment", "characters"),
    [
        ("苏晴这一巴掌太爽了", {"SU QING"}),
        ("蘇晴這一巴掌太爽了", {"SU QING"}),  # traditional characters read the same
        ("Su Qing's slap was SO satisfying", {"SU QING"}),
        ("#SuQing", {"SU QING"}),  # written solid, as hashtags are
        ("su-qing好飒", {"SU QING"}),
        ("李总看到戒指时的表情😂", {"MR. LI"}),  # an alias no reading resolves
        ("李伟活该", {"MR. LI"}),  # read as LI WEI, an alias of MR. LI
        ("The nurse is the real villain", {"NURSE CHEN"}),
        ("陈护士好可怜", {"NURSE CHEN"}),
        ("单宇终于来了", {"SHAN YU"}),  # 单 is Dan in a word, Shan as a surname: every reading
        ("苏晴和Li Wei才是一对", {"SU QING", "MR. LI"}),
        ("Grandma Su knows", {"GRANDMA SU"}),  # the longer name, not SU of SU QING
        ("Zoé was right", {"ZOE"}),  # accents do not matter
        ("the nursery scene", set()),  # a name is whole words
        ("苏苏", set()),
        ("晴天真好", set()),  # one character is never read as a name
        ("", set()),
    ],
)
def test_mentioned_characters(comment: str, characters: set[str]) -> None:
    assert mentioned(comment) == characters


def test_a_homophone_spelled_otherwise_reads_as_the_name() -> None:
    # Readings, not characters, are compared: the price of finding 苏晴 without a table.
    assert mentioned("素青来了") == {"SU QING"}


def test_spans_cover_each_mention_once_left_to_right() -> None:
    names = cast_names(CAST, ALIASES)
    text = fold("苏晴和Li Wei, Grandma Su")
    spans = names.spans(text)
    assert [(text[start:end], main) for start, end, main in spans] == [
        ("苏晴", "SU QING"),
        ("li wei", "MR. LI"),
        ("grandma su", "GRANDMA SU"),
    ]


def test_at_one_start_the_longest_name_wins() -> None:
    names = cast_names(["LI ZONGMING"], {"李总": "MR. LI"})
    text = fold("李總明来了，李总呢")
    assert [(text[start:end], main) for start, end, main in names.spans(text)] == [
        ("李总明", "LI ZONGMING"),
        ("李总", "MR. LI"),
    ]


def test_cast_names_are_shared_and_survive_their_signature() -> None:
    names = cast_names(CAST, ALIASES)
    assert cast_names(list(reversed(CAST)), dict(reversed(ALIASES.items()))) is names
    again = CastNames.from_signature(names.signature)
    assert again.signature == names.signature and again.characters == names.characters
    assert again.mentioned("蘇晴和李总") == {"SU QING", "MR. LI"}
    assert cast_names([*CAST, "DOUDOU"], ALIASES).signature != names.signature


def test_fold_and_simplified() -> None:
    assert to_simplified("李總說") == "李总说"
    assert to_simplified("plain text") == "plain text"
    assert fold("ＳＵ Qíng 蘇晴") == "su qing 苏晴"


def test_series_cast_reads_speakers_and_aliases(tmp_path: Path) -> None:
    example = ROOT / "examples" / "micro-drama"
    names = series_cast(load(example))
    assert names is not None
    assert {"SU QING", "MR. LI", "LIN YAN", "NURSE CHEN"} <= names.characters
    assert names.mentioned("李伟后悔了吧") == {"MR. LI"}  # LI WEI, declared an alias of MR. LI
    assert series_cast(load(tmp_path)) is None
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "draft.fountain").write_text("INT. ROOM - DAY\n\nGHOST\nBoo.\n")
    (tmp_path / "ep01.fountain").write_text("INT. ROOM - DAY\n\nWEN JING\nHi.\n")
    (tmp_path / "scriptlens.toml").write_text('[series]\nexclude = ["old/*"]\n')
    only = series_cast(load(tmp_path))
    assert only is not None and only.characters == {"WEN JING"}  # the excluded draft is not read

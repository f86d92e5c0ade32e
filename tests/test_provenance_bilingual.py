"""A reaction in two languages meets under one motivation: on the example workspace, set up as
the README's main command does it, the Chinese meme 李总，请签收你的龙凤胎 (411 people) and its
English echo "Mr. Li, please sign for your twins, a boy and a girl" are one theme, which
motivates episode 7's answer and reacts to episode 3's line, and is not left unanswered."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from test_example_workspace import EXAMPLE, cli

SETUP = [
    ("history", "replay"),
    ("signals", "import", "exports/comments.csv", "exports/kuaishou_ep3_gbk.csv"),
    ("signals", "import", "exports/bilibili_ep3_danmaku.xml", "--episode", "3"),
    ("signals", "import-metrics", "exports/metrics.csv", "--platform", "douyin"),
]
MEME = "李总，请签收你的龙凤胎"
ECHO = "Mr. Li, please sign for your twins, a boy and a girl"
MEME_PEOPLE = 411  # who wrote the Chinese meme (the README's theme listing before the bridge)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bilingual") / "micro-drama"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".scriptlens"))
    for step in SETUP:
        cli(root, *step)
    return root


def test_the_meme_motivates_its_answer_with_the_people_of_both_languages(example: Path) -> None:
    explained = json.loads(cli(example, "explain", "ep07.fountain:19", "--json").stdout)
    [meme] = [
        m
        for m in explained["motivations"]
        if m["kind"] == "inferred" and m["theme"]["label"] == MEME
    ]
    assert meme["authors"] > MEME_PEOPLE and meme["confidence"] >= 0.5
    assert MEME in meme["quotes"] and ECHO in meme["quotes"]


def test_the_line_the_meme_quotes_draws_it_as_one_reaction(example: Path) -> None:
    explained = json.loads(cli(example, "explain", "ep03.fountain:33", "--json").stdout)
    assert explained["text"] == ECHO + "."
    top = explained["reactions"][0]
    assert top["theme"]["label"] == MEME and top["authors"] > MEME_PEOPLE + 80


def test_the_meme_is_not_unanswered(example: Path) -> None:
    unanswered = json.loads(cli(example, "explain", "--unanswered", "--json").stdout)
    labels = [theme["theme"]["label"] for theme in unanswered["unanswered"]]
    assert labels and not [label for label in labels if "龙凤胎" in label or "twins" in label]

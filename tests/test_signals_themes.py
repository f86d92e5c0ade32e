"""Themes: clustering, representativeness, vocal minorities, stats, and lookup by script line."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from scriptlens.signals import (
    ImportOptions,
    SignalSettings,
    build_themes,
    ensure_themes,
    import_signals,
    list_themes,
    lookup,
    search_signals,
    store_stats,
)
from scriptlens.signals.names import cast_names, series_cast
from scriptlens.signals.representativeness import (
    Representativeness,
    describe,
    gini,
    measure,
    top_share,
    viewer_phrase,
)
from scriptlens.signals.themes import ID_LENGTH, theme_id
from scriptlens.workspace import ConfigError, load
from signals_support import EXPORTS, ROOT, import_all_examples, store_in

SETTINGS = SignalSettings()


@pytest.fixture
def examples(tmp_path: Path):
    """Every example export, its themes built with the example series' cast as the CLI does."""
    with store_in(tmp_path) as store:
        import_all_examples(store)
        build_themes(store, SETTINGS, series_cast(load(ROOT / "examples" / "micro-drama")))
        yield store


def _theme_with(themes, text: str):
    return next(theme for theme in themes if theme.label.casefold().startswith(text.casefold()))


def test_near_duplicates_cluster_across_platforms(examples) -> None:
    themes = list_themes(examples)
    slap = _theme_with(themes, "苏晴这一巴掌太爽了")
    # the weibo sheet, kuaishou GBK export, douyin export and bilibili danmaku all say it in
    # Chinese (25), and in English with emoji, case, "sooo", "lol" (18): glossed, one theme
    assert slap.signals >= 25 + 18 and slap.authors == slap.signals
    assert not [theme for theme in themes if theme.label.startswith("Su Qing's slap")]
    assert themes[0].signals >= themes[-1].signals


def test_vocal_minority_is_flagged_broad_theme_is_not(examples) -> None:
    themes = list_themes(examples)
    ship = _theme_with(themes, "li wei and nurse chen")
    assert (ship.signals, ship.authors, ship.vocal_minority) == (15, 3, True)
    assert ship.top10_share == pytest.approx(5 / 15, abs=1e-3)
    # 3 accounts, 5 signals each: equal among themselves, but 15 voices' worth from 3
    assert ship.gini == pytest.approx(0.8)
    assert ship.summary == "3 accounts wrote all 15 of it, 5 each on average: vocal minority"
    broad = _theme_with(themes, "苏晴这一巴掌太爽了")
    assert not broad.vocal_minority and broad.top10_share < 0.2 and broad.gini == 0
    assert broad.viewer_share is not None and 0 < broad.viewer_share < 0.001
    assert re.fullmatch(r"51 people \(1 in [\d,]+ viewers\), one each", broad.summary)


def test_ids_are_short_and_citable_labels_are_what_most_people_wrote(examples) -> None:
    themes = list_themes(examples, limit=1000)
    assert all(re.fullmatch(r"t[0-9a-hjkmnp-tv-z]{8}", theme.id) for theme in themes)
    assert len({theme.id for theme in themes}) == len(themes)
    assert theme_id("苏晴这一巴掌太爽了") == theme_id("苏晴这一巴掌太爽了")
    assert theme_id("x", ID_LENGTH + 2).startswith(theme_id("x"))  # a collision's longer id
    # three spellings of the ship's leading text, 3 times each: the most liked one (8) leads
    ship = _theme_with(themes, "li wei and nurse chen")
    assert ship.label == "LI WEI AND NURSE CHEN BELONG TOGETHER"


def _store_of(folder: Path, rows: list[tuple[str, str, int]]):
    """A real store in ``folder`` holding one canonical CSV: (text, author, likes) rows."""
    export = folder / "export.csv"
    folder.mkdir(parents=True, exist_ok=True)
    with export.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "platform", "episode", "text", "author", "likes"])
        for number, (text, author, likes) in enumerate(rows):
            writer.writerow([f"c{number}", "weibo", 1, text, author, likes])
    store = store_in(folder)
    import_signals(store, [export], ImportOptions())
    return store


def test_label_is_the_text_most_people_wrote(tmp_path: Path) -> None:
    rows = [("So good!!", f"a{n}", 1) for n in range(3)] + [("so good", "b", 50)]
    with _store_of(tmp_path, rows) as store:
        build_themes(store, SETTINGS)
        [theme] = list_themes(store)
        assert (theme.label, theme.signals) == ("So good!!", 4)


# The example's cast, as a workspace gives it (``series_cast``): cues and [cast.aliases].
CAST = cast_names(
    ["SU QING", "MR. LI", "LIN YAN"], {"MR. LI": "MR. LI", "LI WEI": "MR. LI", "李总": "MR. LI"}
)
BILINGUAL = [
    ("苏晴这一巴掌太爽了", "a1", 5),
    ("苏晴这一巴掌太爽了", "a2", 5),
    ("蘇晴這一巴掌太爽了", "a3", 1),  # traditional characters
    ("苏晴!!!", "b1", 0),
    ("SU QING!!!", "b2", 0),
    ("Su Qing", "b3", 0),
    ("#苏晴", "c1", 0),
    ("#SuQing", "c2", 0),
    ("李总好帅", "d1", 0),
    ("Mr. Li好帅", "d2", 0),
    ("李伟好帅", "d3", 0),  # LI WEI, an alias of MR. LI, by its reading
    ("林妍好帅", "e1", 0),  # another character: never with MR. LI
]


def _themes_of_texts(store) -> set[frozenset[str]]:
    """The themes as the sets of texts they gather."""
    rows = store.conn.execute(
        "SELECT n.rank, s.text FROM signals s JOIN theme_norms n ON n.norm = s.norm"
    )
    themes: dict[int, set[str]] = {}
    for rank, text in rows:
        themes.setdefault(rank, set()).add(text)
    return {frozenset(texts) for texts in themes.values()}


SLAP = frozenset({"苏晴这一巴掌太爽了", "蘇晴這一巴掌太爽了"})
NAMED = frozenset({"苏晴!!!", "SU QING!!!", "Su Qing"})
TAGS = frozenset({"#苏晴", "#SuQing"})
HANDSOME = frozenset({"李总好帅", "Mr. Li好帅", "李伟好帅"})


def test_one_reaction_in_two_writings_is_one_theme(tmp_path: Path) -> None:
    with _store_of(tmp_path, BILINGUAL) as store:
        build_themes(store, SETTINGS, CAST)
        assert _themes_of_texts(store) == {SLAP, NAMED, TAGS, HANDSOME, frozenset({"林妍好帅"})}


TWINS_MEME = frozenset(
    {"李总，请签收你的龙凤胎", "Mr. Li, please sign for your twins, a boy and a girl"}
)
SLAP_BOTH = frozenset({"苏晴这一巴掌太爽了", "Su Qing's slap was so satisfying"})
TWO_LANGUAGES = [
    *[("李总，请签收你的龙凤胎", f"z{n}", 0) for n in range(5)],
    *[("Mr. Li, please sign for your twins, a boy and a girl", f"e{n}", 0) for n in range(3)],
    *[("苏晴这一巴掌太爽了", f"s{n}", 0) for n in range(3)],
    *[("Su Qing's slap was so satisfying", f"t{n}", 0) for n in range(2)],
    # the meme's words about another character, and words about the same one that differ
    *[("林妍，请签收你的龙凤胎", f"l{n}", 0) for n in range(2)],
    *[("李总好帅", f"h{n}", 0) for n in range(2)],
    # the same words naming nobody: the bridge needs a character both name
    *[("第二集看哭了", f"c{n}", 0) for n in range(2)],
    *[("episode two made me cry", f"d{n}", 0) for n in range(2)],
]


def test_one_reaction_in_two_languages_is_one_theme(tmp_path: Path) -> None:
    with _store_of(tmp_path, TWO_LANGUAGES) as store:
        build_themes(store, SETTINGS, CAST)
        assert _themes_of_texts(store) == {
            TWINS_MEME,
            SLAP_BOTH,
            frozenset({"林妍，请签收你的龙凤胎"}),
            frozenset({"李总好帅"}),
            frozenset({"第二集看哭了"}),
            frozenset({"episode two made me cry"}),
        }
        [(label, exemplars)] = store.conn.execute(
            "SELECT label, exemplars FROM themes WHERE signals = 8"
        )
        # labelled by what most people wrote; compared with each language's words
        assert label == "李总，请签收你的龙凤胎"
        assert exemplars.split("\n") == [
            "李总 请签收你的龙凤胎",
            "mr li please sign for your twins a boy and a girl",
        ]


def test_without_a_cast_only_traditional_characters_fold(tmp_path: Path) -> None:
    with _store_of(tmp_path, BILINGUAL) as store:
        build_themes(store, SETTINGS)
        themes = _themes_of_texts(store)
        assert SLAP in themes and TAGS not in themes and HANDSOME not in themes


def test_themes_follow_the_cast(tmp_path: Path) -> None:
    with _store_of(tmp_path, BILINGUAL) as store:
        assert ensure_themes(store, SETTINGS) is True
        assert TAGS not in _themes_of_texts(store)
        assert ensure_themes(store, SETTINGS, CAST) is True  # the cast is new: rebuilt
        assert TAGS in _themes_of_texts(store)
        assert ensure_themes(store, SETTINGS, CAST) is False
        assert ensure_themes(store, SETTINGS) is False  # no cast given: the one built with
        build_themes(store, SETTINGS)  # an import's rebuild knows no scripts: same cast kept
        assert TAGS in _themes_of_texts(store)


def test_hashtags_are_themes_of_their_own(examples) -> None:
    tags = {
        theme.label: theme.signals for theme in list_themes(examples, limit=500) if theme.is_hashtag
    }
    assert sorted(tags) == [
        "#HeiressReturns",
        "#千金归来#",
        "#奶奶杀疯了#",
        "#李总签收龙凤胎#",
        "#苏晴掉马甲#",
    ]
    # the meme's tag gathers its hashtag signals and the comments that are only the tag
    assert tags["#李总签收龙凤胎#"] == 72


def test_per_episode_figures(examples) -> None:
    episode_two = list_themes(examples, episode=2)
    assert {theme.episode for theme in episode_two} == {2}
    ship = _theme_with(episode_two, "li wei and nurse chen")
    assert ship.signals == 10  # the shippers posted 10 times under episode 2, 5 under episode 3
    views_two = 151900
    assert ship.viewer_share == pytest.approx(round(ship.authors / views_two, 6))


def test_theme_ids_are_stable_across_reimport_and_rebuild(tmp_path: Path, examples) -> None:
    before = {theme.id: theme.label for theme in list_themes(examples, limit=1000)}
    import_all_examples(examples)  # adds nothing
    assert not examples.themes_stale
    build_themes(examples, SETTINGS)  # the cast it was built with is kept
    assert {theme.id: theme.label for theme in list_themes(examples, limit=1000)} == before
    with store_in(tmp_path / "fresh") as other:  # another workspace, another key: same ids
        import_all_examples(other)
        build_themes(other, SETTINGS, series_cast(load(ROOT / "examples" / "micro-drama")))
        assert {t.id: t.label for t in list_themes(other, limit=1000)} == before


def test_themes_go_stale_on_new_signals(tmp_path: Path) -> None:
    with store_in(tmp_path) as store:
        import_signals(store, [EXPORTS / "comments.csv"], ImportOptions())
        assert ensure_themes(store, SETTINGS) is True
        assert ensure_themes(store, SETTINGS) is False
        import_signals(store, [EXPORTS / "kuaishou_ep3_gbk.csv"], ImportOptions())
        assert store.themes_stale


def test_stats(examples) -> None:
    stats = store_stats(examples)
    assert stats.signals == 2083
    assert stats.by_platform["bilibili"] == 232 and stats.by_kind["hashtag"] == 184
    assert sum(stats.by_episode.values()) == 2083
    assert stats.vocal_minority_themes == 2 and stats.themes > 100
    assert stats.imports == 6 and stats.metric_episodes == 14


def test_lookup_finds_the_theme_behind_a_line(examples) -> None:
    [best, *_] = lookup(examples, "SU QING slaps him. The slap is so satisfying.")
    assert "slap" in best.label.casefold() and "satisfying" in best.label.casefold()
    [best_zh, *_] = lookup(examples, "苏晴：这一巴掌，是替我母亲打的。")
    assert best_zh.label == "苏晴这一巴掌太爽了"
    ship = lookup(examples, "LI WEI takes NURSE CHEN's hand. They belong together.")
    assert ship[0].vocal_minority and ship[0].authors == 3
    assert lookup(examples, "INT. WAREHOUSE - NIGHT") == []


def test_lookup_matches_chinese_substrings(examples) -> None:
    matches = lookup(examples, "幕后黑手")
    assert matches and "幕后黑手" in matches[0].label
    hits = search_signals(examples, "掉马甲")
    assert hits and all("掉马甲" in hit.text for hit in hits)
    assert search_signals(examples, "马甲") == []  # shorter than a trigram


def test_gini_over_one_voice_per_signal() -> None:
    assert gini([1, 1, 1, 1]) == 0  # four people, one signal each
    assert gini([1]) == 0 and gini([]) == 0
    assert gini([10]) == pytest.approx(0.9)  # one account wrote all ten: (n - 1) / n
    assert gini([5, 5, 5]) == pytest.approx(0.8)  # 1 - 3 accounts / 15 voices
    # voices 0, 1, 1, 2: mean absolute difference over all pairs / (2 * mean) = 0.375
    assert gini([2, 1, 1]) == pytest.approx(0.375)
    assert gini([10, 1, 1, 1, 1]) > gini([3, 3, 3, 3, 2])


def _measures(**given: object) -> Representativeness:
    values: dict[str, object] = {
        "likes": 0, "top1_share": 0.0, "gini": 0.0, "viewer_share": None, "vocal_minority": False
    }  # fmt: skip
    return Representativeness(**{**values, **given})  # type: ignore[arg-type]


def test_describe_in_plain_words() -> None:
    many = _measures(signals=400, authors=312, top10_share=0.14, viewer_share=312 / 1_530_000)
    assert describe(many) == "312 people (1 in 4,900 viewers); the top 10% of them wrote 14% of it"
    few = _measures(signals=40, authors=12, top10_share=0.8, vocal_minority=True)
    assert describe(few) == "2 accounts wrote 80% of it: vocal minority"
    even = _measures(signals=15, authors=3, top10_share=1 / 3, vocal_minority=True)
    assert describe(even) == "3 accounts wrote all 15 of it, 5 each on average: vocal minority"
    assert describe(_measures(signals=5, authors=5, top10_share=0.2)) == "5 people, one each"
    assert describe(_measures(signals=7, authors=4, top10_share=0.43)) == (
        "4 people wrote 7; the most active wrote 43% of it"
    )
    assert describe(_measures(signals=1, authors=1, top10_share=1.0)) == "1 person"
    assert viewer_phrase(None) is None and viewer_phrase(0.9) == "about every viewer"
    assert viewer_phrase(1 / 37) == "1 in 37 viewers"


def test_representativeness_measures() -> None:
    assert top_share([50, 30, 10, 5, 5], 0.10, 100) == 0.5
    assert top_share(sorted([1] * 200, reverse=True), 0.01, 200) == 0.01
    vocal = measure([6, 5, 4], likes=3, views=None, settings=SETTINGS)
    assert vocal.vocal_minority and vocal.viewer_share is None
    assert not measure([1] * 40, likes=0, views=4000, settings=SETTINGS).vocal_minority
    assert measure([1] * 40, likes=0, views=4000, settings=SETTINGS).viewer_share == 0.01
    assert not measure([3, 3, 2], likes=0, views=None, settings=SETTINGS).vocal_minority  # < 10


def test_thresholds_come_from_scriptlens_toml(tmp_path: Path) -> None:
    (tmp_path / "scriptlens.toml").write_text(
        "[signals]\nvocal_minority_min_signals = 3\ntheme_similarity = 90\n", "utf-8"
    )
    settings = load(tmp_path).config.signals
    assert settings.vocal_minority_min_signals == 3 and settings.theme_similarity == 90
    assert measure([4, 3, 3], likes=0, views=None, settings=settings).vocal_minority
    (tmp_path / "scriptlens.toml").write_text("[signals]\nvocal_minority = 3\n", "utf-8")
    with pytest.raises(ConfigError, match=r"signals\.vocal_minority: unknown key"):
        load(tmp_path)


def test_themes_listing_reads_as_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``scriptlens signals themes`` in a workspace with scripts: the import reads the cast's
    names, and the listing leads with what viewers said, then how many people, in words."""
    import json

    from click.testing import CliRunner

    from scriptlens.cli import main

    (tmp_path / "ep01.fountain").write_text(
        "INT. WARD - NIGHT\n\nSU QING\nWhere are my babies?\n\nMR. LI\nSign here.\n", "utf-8"
    )
    (tmp_path / "scriptlens.toml").write_text('[cast.aliases]\n"MR. LI" = ["李总"]\n', "utf-8")
    rows = [("苏晴这一巴掌太爽了", f"a{n}", n) for n in range(12)]
    rows += [("蘇晴這一巴掌太爽了", f"b{n}", 0) for n in range(3)]
    rows += [("Li Wei and Nurse Chen belong together", f"s{n % 2}", 0) for n in range(12)]
    rows += [("李总好帅", "c1", 0), ("李总好帅", "c2", 0), ("Mr. Li好帅", "c3", 0)]
    _store_of(tmp_path, rows).close()  # the export, imported without building themes
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCRIPTLENS_DB", raising=False)

    def run(*args: str) -> tuple[str, str]:
        result = CliRunner().invoke(main, ["signals", *args])
        assert result.exit_code == 0, result.output
        return result.stdout, result.stderr

    # nothing new to import, but the themes are built, reading the scripts' cast
    assert "0 added" in (imported := run("import", "export.csv")[0])
    assert "themes: 3 rebuilt" in imported
    out, err = run("themes")
    assert err == ""
    header, *listed = out.splitlines()
    assert header.split() == ["theme", "what", "viewers", "said", "people", "who"]
    assert [" ".join(line.split()[1:]) for line in listed] == [
        "苏晴这一巴掌太爽了 15 15 people, one each",
        "Li Wei and Nurse Chen belong together 2 2 accounts wrote all 12 of it, 6 each on "
        "average: vocal minority",
        "李总好帅 3 3 people, one each",
    ]
    [first] = json.loads(run("themes", "--json", "--limit", "1")[0])["themes"]
    assert first["id"] == listed[0].split()[0] and first["signals"] == 15 and first["gini"] == 0
    assert first["summary"] == "15 people, one each" and first["label"] == "苏晴这一巴掌太爽了"
    # a new character in the scripts: the listing says the themes predate it
    (tmp_path / "ep02.fountain").write_text("INT. ROOF - DAY\n\nWEN JING\nHi.\n", "utf-8")
    assert "cast changed" in run("themes")[1]
    assert "themes: 3 rebuilt" in run("rebuild-themes")[0]
    assert run("themes")[1] == ""

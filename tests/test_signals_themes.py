"""Themes: clustering, representativeness, vocal minorities, stats, and lookup by script line."""

from __future__ import annotations

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
from scriptlens.signals.representativeness import gini, measure, top_share
from scriptlens.workspace import ConfigError, load
from signals_support import EXPORTS, import_all_examples, store_in

SETTINGS = SignalSettings()


@pytest.fixture
def examples(tmp_path: Path):
    with store_in(tmp_path) as store:
        import_all_examples(store)
        build_themes(store, SETTINGS)
        yield store


def _theme_with(themes, text: str):
    return next(theme for theme in themes if theme.label.casefold().startswith(text.casefold()))


def test_near_duplicates_cluster_across_platforms(examples) -> None:
    themes = list_themes(examples)
    slap_zh = _theme_with(themes, "苏晴这一巴掌太爽了")
    # the weibo sheet, kuaishou GBK export, douyin export and bilibili danmaku all say it
    assert slap_zh.signals >= 25 and slap_zh.authors == slap_zh.signals
    slap_en = _theme_with(themes, "Su Qing's slap was SO satisfying")
    assert slap_en.signals >= 18  # variants with emoji, case, "sooo", "lol"
    assert themes[0].signals >= themes[-1].signals


def test_vocal_minority_is_flagged_broad_theme_is_not(examples) -> None:
    themes = list_themes(examples)
    ship = _theme_with(themes, "li wei and nurse chen")
    assert (ship.signals, ship.authors, ship.vocal_minority) == (15, 3, True)
    assert ship.top10_share == pytest.approx(5 / 15, abs=1e-3)
    broad = _theme_with(themes, "苏晴这一巴掌太爽了")
    assert not broad.vocal_minority and broad.top10_share < 0.2
    assert broad.viewer_share is not None and 0 < broad.viewer_share < 0.001


def test_hashtags_are_themes_of_their_own(examples) -> None:
    tags = [theme for theme in list_themes(examples, limit=500) if theme.is_hashtag]
    assert sorted(theme.label for theme in tags) == ["#HeiressReturns", "#千金归来#"]
    assert all(theme.signals == 3 for theme in tags)


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
    build_themes(examples, SETTINGS)
    assert {theme.id: theme.label for theme in list_themes(examples, limit=1000)} == before
    with store_in(tmp_path / "fresh") as other:  # another workspace, another key: same ids
        import_all_examples(other)
        build_themes(other, SETTINGS)
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
    assert stats.signals == 261
    assert stats.by_platform["bilibili"] == 60 and stats.by_kind["hashtag"] == 6
    assert sum(stats.by_episode.values()) == 261
    assert stats.vocal_minority_themes >= 1 and stats.themes > 20
    assert stats.imports == 6 and stats.metric_episodes == 3


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


def test_representativeness_measures() -> None:
    assert gini([1, 1, 1, 1]) == 0
    assert gini([10, 0, 0, 0]) == pytest.approx(0.75)
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

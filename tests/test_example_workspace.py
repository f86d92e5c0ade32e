"""The example workspace tells the story the provenance engine explains: episodes of one to
three minutes, a dated revision history whose replay gives today's scripts, and audience
exports in every supported format whose signals came before the rewrites they caused.

Everything runs for real: the scripts through the model, the exports through the CLI into a
store in a copy of the example, so nothing is written into the checkout.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from scriptlens import parse

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "micro-drama"
HISTORY = EXAMPLE / "history"
EXPORTS = EXAMPLE / "exports"
PREMIERE = datetime(2024, 6, 1, 20, 0, tzinfo=timezone.utc)  # episode 1 airs; one a day after
STAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})Z$")
DOUYIN_MAP = (
    "id=cid,text=content,likes=digg_count,posted_at=create_time,author=uid,"
    "replies=reply_comment_total"
)
# Every export, with the options it needs (the episode of a per-video export, the douyin map).
IMPORTS = [
    ["exports/comments.csv", "exports/kuaishou_ep3_gbk.csv"],
    ["exports/bilibili_ep1_danmaku.xml", "--episode", "1"],
    ["exports/bilibili_ep3_danmaku.xml", "--episode", "3"],
    ["exports/bilibili_ep4_danmaku.xml", "--episode", "4"],
    ["exports/bilibili_ep7_danmaku.xml", "--episode", "7"],
    *(
        [
            f"exports/douyin_ep{n}.csv",
            "--platform",
            "douyin",
            "--episode",
            str(n),
            "--map",
            DOUYIN_MAP,
        ]
        for n in (2, 4, 6, 11)
    ),
    ["exports/youtube_ep1_commentThreads.json", "--episode", "1"],
    ["exports/youtube_ep7_commentThreads.json", "--episode", "7"],
]


def airs(episode: int) -> datetime:
    return PREMIERE + timedelta(days=episode - 1)


def instant(stamp: str) -> datetime:
    match = STAMP.match(stamp)
    assert match, stamp
    year, month, day, hour, minute = map(int, match.groups())
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)


def episode_of(name: str) -> int:
    match = re.search(r"\d+", name)
    assert match, name
    return int(match.group())


def episodes() -> dict[str, str]:
    return {path.name: path.read_text("utf-8") for path in sorted(EXAMPLE.glob("ep*.fountain"))}


def revisions() -> list[tuple[str, str, dict[str, str]]]:
    """(folder name, message, {relative path: text}) in the order they replay."""
    result = []
    for folder in sorted(HISTORY.iterdir()):
        files = {
            path.relative_to(folder).as_posix(): path.read_text("utf-8")
            for path in folder.rglob("*.fountain")
        }
        result.append((folder.name, (folder / "MESSAGE").read_text("utf-8"), files))
    return result


def replay(until: str | None = None) -> dict[str, str]:
    state: dict[str, str] = {}
    for stamp, _, files in revisions():
        if until is not None and stamp > until:
            break
        state.update(files)
    return state


def introduced(name: str, text: str) -> str:
    """The revision in which ``text`` first stood in ``name``."""
    for stamp, _, files in revisions():
        if text in files.get(name, ""):
            return stamp
    raise AssertionError(f"{text!r} never appears in {name}'s history")


def comments() -> list[dict[str, str]]:
    with open(EXPORTS / "comments.csv", encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def posted(row: dict[str, str]) -> datetime:
    return datetime.fromisoformat(row["posted_at"].replace("Z", "+00:00"))


# ---------------------------------------------------------------- the scripts and their history


def test_at_least_twelve_episodes_of_one_to_three_minutes() -> None:
    scripts = episodes()
    assert len(scripts) >= 12
    assert sorted(episode_of(name) for name in scripts) == list(range(1, len(scripts) + 1))
    for name, text in scripts.items():
        script = parse(text, path=name)
        assert 60 <= script.seconds <= 180, f"{name}: {script.seconds:.0f} s"
        assert script.title_page["episode"] == str(episode_of(name))


def test_revision_folders_are_dated_and_messaged() -> None:
    history = revisions()
    assert len(history) >= 8
    for stamp, message, files in history:
        assert STAMP.match(stamp), stamp
        assert message.endswith("\n") and "\n" not in message.rstrip("\n") and message.strip()
        assert files, f"{stamp} changes no script"
        assert {path.name for path in (HISTORY / stamp).iterdir()} == {
            "MESSAGE",
            *files,
        }
    stamps = [stamp for stamp, _, _ in history]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_replaying_the_history_gives_the_current_scripts() -> None:
    assert replay() == episodes()


def test_first_revision_holds_every_first_draft_before_the_premiere() -> None:
    stamp, _, files = revisions()[0]
    assert instant(stamp) < PREMIERE
    assert set(files) == set(episodes())


def test_every_rewrite_of_an_episode_comes_before_it_airs() -> None:
    for stamp, _, files in revisions()[1:]:
        for name, text in files.items():
            previous = replay(until=max(s for s, _, _ in revisions() if s < stamp))
            assert text != previous[name], f"{stamp} stores {name} unchanged"
            assert instant(stamp) < airs(episode_of(name)), f"{stamp} rewrites aired {name}"


def test_history_is_no_part_of_the_series_and_only_the_intended_slips_are_found(
    workspace: Path,
) -> None:
    """The MR. LEE misspelling in ep05 and Lin Yan seen in ep07 after her exit in ep06, and
    nothing else: the new episodes add no finding, the history folder is not read as more
    episodes. (MR. LEE may also be reported as never introduced, a hint.)"""
    result = cli(workspace, "check", "--format", "json", "--fail-on", "never")
    found = [
        (item["file"], item["range"]["start"]["line"] + 1, item["code"])
        for item in json.loads(result.stdout)["diagnostics"]
    ]
    assert [item for item in found if item[2] != "unintroduced-speaker"] == [
        ("ep05.fountain", 26, "name-variant"),
        ("ep05.fountain", 37, "name-variant"),
        ("ep07.fountain", 36, "exit-reappearance"),
        ("ep07.fountain", 38, "exit-reappearance"),
    ]
    assert {item for item in found if item[2] == "unintroduced-speaker"} <= {
        ("ep05.fountain", 26, "unintroduced-speaker")
    }


def test_configuration_reads_the_snapshot_history() -> None:
    config = tomllib.loads((EXAMPLE / "scriptlens.toml").read_text("utf-8"))
    assert config["provenance"] == {"history": "snapshots"}
    assert "history/*" in config["series"]["exclude"]


# ---------------------------------------------------------------- the exports, in a real store


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example") / "micro-drama"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".scriptlens"))
    return root


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "SCRIPTLENS_DB"}
    result = subprocess.run(
        [sys.executable, "-m", "scriptlens", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def store(workspace: Path) -> Path:
    for arguments in IMPORTS:
        result = cli(workspace, "signals", "import", *arguments)
        for line in result.stdout.splitlines():
            if line.startswith("exports/"):
                clean = re.search(r": (\d+) rows, (\d+) added, 0 duplicate, 0 skipped$", line)
                assert clean and clean[1] == clean[2] and int(clean[1]) > 0, line
    result = cli(
        workspace,
        "signals",
        "import-metrics",
        "exports/metrics.csv",
        "--platform",
        "douyin",
    )
    assert "exports/metrics.csv: 14 episode(s) of metrics, 0 skipped" in result.stdout
    return workspace / ".scriptlens" / "signals.db"


def test_every_export_file_is_imported(store: Path) -> None:
    imported = {arguments[0] for arguments in IMPORTS} | {
        "exports/comments.csv",
        "exports/kuaishou_ep3_gbk.csv",
    }
    shipped = {f"exports/{path.name}" for path in EXPORTS.iterdir()} - {"exports/metrics.csv"}
    assert imported == shipped
    with sqlite3.connect(store) as db:
        platforms = dict(db.execute("SELECT platform, count(*) FROM signals GROUP BY 1"))
        assert set(platforms) >= {
            "weibo",
            "tiktok",
            "kuaishou",
            "douyin",
            "bilibili",
            "youtube",
        }
        assert 2000 <= sum(platforms.values()) <= 6000


def test_no_signal_before_its_episode_aired_and_no_danmaku_past_its_end(
    store: Path,
) -> None:
    lengths = {episode_of(name): parse(text).seconds for name, text in episodes().items()}
    with sqlite3.connect(store) as db:
        early = db.execute(
            "SELECT count(*) FROM signals WHERE posted_at < ? + (episode - 1) * 86400",
            (int(PREMIERE.timestamp()),),
        ).fetchone()[0]
        assert early == 0
        for episode, seconds in db.execute(
            "SELECT episode, video_time FROM signals WHERE video_time IS NOT NULL"
        ):
            assert 0 <= seconds <= lengths[episode], (episode, seconds)


def themes(workspace: Path) -> list[dict]:
    result = cli(workspace, "signals", "themes", "--json", "--limit", "400")
    return json.loads(result.stdout)["themes"]


def largest(all_themes: list[dict], *phrases: str, hashtags: bool = False) -> dict:
    """The biggest theme whose label holds one of ``phrases`` (case and punctuation aside)."""

    def plain(text: str) -> str:
        return re.sub(r"[\W_]+", "", text).casefold()

    matches = [
        theme
        for theme in all_themes
        if theme["is_hashtag"] == hashtags
        and any(plain(p) in plain(theme["label"]) for p in phrases)
    ]
    assert matches, f"no theme about {phrases}"
    return max(matches, key=lambda theme: theme["signals"])


def test_the_story_themes_and_their_representativeness(workspace: Path, store: Path) -> None:
    found = themes(workspace)
    top = found[:12]
    meme = largest(found, "请签收你的龙凤胎", "please sign for your twins")
    grandma = largest(found, "给奶奶加戏", "more grandma su")
    reveal = largest(found, "什么时候掉马甲", "reveal she's the real heiress")
    forgive = largest(found, "求苏晴原谅", "should forgive lin yan")
    tag = largest(found, "李总签收龙凤胎", hashtags=True)
    for theme in (meme, grandma, reveal, forgive):
        assert theme in top, theme["label"]
    assert meme["authors"] >= 300 and not meme["vocal_minority"]
    assert tag["authors"] >= 50 and not tag["vocal_minority"]
    assert grandma["authors"] >= 100 and not grandma["vocal_minority"]
    assert reveal["authors"] >= 100 and not reveal["vocal_minority"]
    assert forgive["authors"] == 3 and forgive["signals"] >= 30 and forgive["vocal_minority"]
    assert forgive["top10_share"] >= 0.3  # one account of three wrote a third of it
    assert meme["top10_share"] < 0.5 and grandma["top10_share"] < 0.5


# ---------------------------------------------------------------- the story, line by line


def rows_about(
    phrases: tuple[str, ...], before: datetime, last_episode: int
) -> list[dict[str, str]]:
    return [
        row
        for row in comments()
        if any(phrase.casefold() in row["text"].casefold() for phrase in phrases)
        and posted(row) < before
        and int(row["episode"]) <= last_episode
    ]


@pytest.mark.parametrize(
    ("name", "line", "phrases", "signals"),
    [
        # the meme of episode 3's line, answered by a paraphrase in episode 7
        (
            "ep07.fountain",
            "Sir... there's a delivery for you. Two of them. One boy, one girl.",
            ("请签收你的龙凤胎", "please sign for your twins", "#李总签收龙凤胎#"),
            250,
        ),
        # Grandma Su's screen time grows because viewers asked
        (
            "ep08.fountain",
            "I have forty rooms and nobody to shout at.",
            ("给奶奶加戏", "more grandma su"),
            100,
        ),
        (
            "ep09.fountain",
            "I own forty-one percent of this table.",
            ("给奶奶加戏", "more grandma su"),
            100,
        ),
        (
            "ep12.fountain",
            "Doudou, never show your tiles to a man in a suit.",
            ("给奶奶加戏", "more grandma su"),
            150,
        ),
        (
            "ep13.fountain",
            "I bought the school this morning.",
            ("奶奶杀疯了", "给奶奶加戏"),
            150,
        ),
        # viewers caught Lin Yan out of custody in episode 7; episode 8 says how
        (
            "ep08.fountain",
            "Lin Yan has been out on bail for two days.",
            ("林妍不是被抓了吗", "wasn't lin yan"),
            30,
        ),
        # three accounts asked for Lin Yan to be forgiven, and got it
        ("ep11.fountain", "I forgive you, Lin Yan.", ("should forgive lin yan",), 30),
    ],
)
def test_rewrites_come_after_the_feedback_that_motivated_them(
    name: str, line: str, phrases: tuple[str, ...], signals: int
) -> None:
    stamp = introduced(name, line)
    assert stamp != revisions()[0][0], f"{line!r} was in the first draft"
    motivating = rows_about(phrases, instant(stamp), episode_of(name))
    assert len(motivating) >= signals, (stamp, len(motivating))
    assert instant(stamp) < airs(episode_of(name))


def test_the_meme_peaked_before_the_rewrite_that_answers_it() -> None:
    meme = [
        row
        for row in comments()
        if "龙凤胎" in row["text"] or "sign for your twins" in row["text"].casefold()
    ]
    days: dict[str, int] = {}
    for row in meme:
        days[row["posted_at"][:10]] = days.get(row["posted_at"][:10], 0) + 1
    peak = max(days, key=days.__getitem__)
    answer = introduced("ep07.fountain", "there's a delivery for you")
    assert peak < answer[:10]
    assert min(row["posted_at"] for row in meme) >= airs(3).strftime("%Y-%m-%dT%H:%M")
    assert "Mr. Li, please sign for your twins" in replay(revisions()[0][0])["ep03.fountain"]
    assert "sign for your twins" not in episodes()["ep07.fountain"]  # a paraphrase, not a copy


def test_the_vocal_minority_is_three_accounts() -> None:
    rows = [row for row in comments() if "should forgive lin yan" in row["text"].casefold()]
    assert len({row["author"] for row in rows}) == 3 and len(rows) >= 30


def test_the_reveal_the_audience_asks_for_is_not_written() -> None:
    asked = [
        row
        for row in comments()
        if "掉马甲" in row["text"] or "real heiress" in row["text"].casefold()
    ]
    assert len({row["author"] for row in asked}) >= 150
    for name, text in episodes().items():
        body = text.split("\n\n", 1)[1]  # past the title page
        assert not re.search(r"heiress|reveal|DNA", body, re.IGNORECASE), name


def test_aired_lines_drew_reactions_in_their_time_window() -> None:
    """Danmaku about the slap sit on the slap in episode 1, a line of the first draft."""
    text = episodes()["ep01.fountain"]
    assert (
        introduced("ep01.fountain", "Then she slaps Lin Yan across the face.") == revisions()[0][0]
    )
    script = parse(text)
    clock, window = 0.0, None
    for element in script.elements:
        if element.text.startswith("Su Qing sets the tray down."):
            window = (clock, clock + element.seconds)
        clock += element.seconds
    assert window is not None
    xml = (EXPORTS / "bilibili_ep1_danmaku.xml").read_text("utf-8")
    slaps = [
        (float(at), int(sent))
        for at, sent in re.findall(
            r'<d p="([\d.]+),\d+,\d+,\d+,(\d+),[^"]*">[^<]*(?:巴掌|打脸|爽|啪)', xml
        )
    ]
    assert len(slaps) >= 50
    assert all(window[0] - 1 <= at <= window[1] + 4 for at, _ in slaps)
    assert all(sent >= PREMIERE.timestamp() for _, sent in slaps)


def test_explicit_links_cite_signals_that_exist() -> None:
    notes = {
        (name, note.value)
        for name, text in episodes().items()
        for note in parse(text).notes
        if note.key == "signal"
    }
    assert ("ep07.fountain", "#李总签收龙凤胎") in notes
    [(_, cited)] = [(name, value) for name, value in notes if not value.startswith("#")]
    rows = {row["id"]: row for row in comments()}
    assert cited in rows and "奶奶" in rows[cited]["text"]
    assert posted(rows[cited]) < instant(introduced("ep08.fountain", f"[[signal: {cited}]]"))
    assert any(
        row["kind"] == "hashtag" and row["text"] == "#李总签收龙凤胎#" for row in rows.values()
    )


def test_completion_jumps_for_the_meme_and_drops_for_the_vocal_minority() -> None:
    with open(EXPORTS / "metrics.csv", encoding="utf-8", newline="") as stream:
        metrics = {int(row["episode"]): row for row in csv.DictReader(stream)}
    assert sorted(metrics) == sorted(episode_of(name) for name in episodes())

    def completion(episode: int) -> float:
        value = metrics[episode]["completion_rate"]
        return float(value[:-1]) / 100 if value.endswith("%") else float(value)

    median = statistics.median(completion(episode) for episode in metrics)
    assert completion(7) > median + 0.1 and completion(7) > completion(6)
    assert completion(11) < median - 0.1 and completion(11) < completion(10)


def test_the_example_stays_small() -> None:
    size = sum(path.stat().st_size for path in EXAMPLE.rglob("*") if path.is_file())
    assert size < 2_000_000

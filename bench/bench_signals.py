"""Signal store benchmarks (issue 3): import 1,000,000 canonical comments, build their themes
(reading every character name in Chinese and Latin writing, issue 9), peak memory of doing both,
and a theme lookup for a script line with 1,000,000 stored.

The comments are generated here, deterministically: reactions to a micro-drama in English and
Chinese, each a popular phrase with the variations real comments have (case, punctuation,
emoji, stretched letters, a word added) or a long-tail one-off, from authors with a heavy-tailed
activity, a little personal data to scrub, and the platform kinds mixed in.
The measured work runs in a subprocess so its peak RSS is its own.
"""

from __future__ import annotations

import csv
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import Row, below

FULL_ROWS = 1_000_000
QUICK_ROWS = 20_000
SEED = 20240601

NAMES_EN = ["Su Qing", "Li Wei", "Mr. Li", "Nurse Chen", "Lin Yan", "Grandma Li", "the heiress"]
NAMES_ZH = ["苏晴", "李伟", "李总", "陈护士", "林妍", "老夫人", "千金"]
# The drama's cues, and the [cast.aliases] for the names no pinyin reading resolves.
CUES = ["SU QING", "MR. LI", "NURSE CHEN", "LIN YAN", "GRANDMA LI"]
ALIASES = {"LI WEI": "MR. LI", "李总": "MR. LI", "陈护士": "NURSE CHEN", "老夫人": "GRANDMA LI"}
PHRASES_EN = [
    "{a}'s slap was so satisfying",
    "{a} is the real villain",
    "when will {a} reveal who she is",
    "{a} and {b} belong together",
    "{a} is going to regret everything",
    "I knew {a} was lying",
    "{a} deserves better than {b}",
    "the way {a} looked at {b}",
    "{a} finally stood up for herself",
    "can't believe {a} did that to {b}",
    "{a} acting is so good",
    "the ring scene with {a}",
]
PHRASES_ZH = [
    "{a}这一巴掌太爽了",
    "{a}才是幕后黑手",
    "{a}什么时候掉马甲",
    "{a}和{b}才是真爱",
    "{a}肯定会后悔的",
    "早就知道{a}在撒谎",
    "{a}值得更好的",
    "{a}看{b}的眼神",
    "{a}终于硬气了一回",
    "{a}居然这样对{b}",
    "{a}演技太好了",
    "{a}的戒指是关键",
]
WORDS_EN = [
    "episode",
    "ending",
    "music",
    "cried",
    "scene",
    "hospital",
    "wedding",
    "secret",
    "baby",
    "ring",
    "contract",
    "revenge",
    "mother",
    "family",
    "truth",
    "dinner",
    "office",
    "rain",
    "car",
    "phone",
    "letter",
    "photo",
    "night",
    "plan",
    "lie",
    "smile",
    "hate",
    "love",
    "trust",
    "fake",
    "real",
    "slap",
    "tears",
    "door",
    "gift",
    "dress",
    "ceo",
    "nurse",
    "heir",
    "twist",
    "cliffhanger",
]
CHARS_ZH = (
    "剧情反转结局医院婚礼秘密孩子戒指合同复仇母亲家族真相晚餐办公室下雨电话照片计划谎言眼泪礼物"
)
EMOJI = ["😭", "😂", "🔥", "💕", "👏", "😡"]
KINDS = ["comment"] * 80 + ["danmaku"] * 10 + ["reply"] * 5 + ["hashtag"] * 3 + ["meme"] * 2
HASHTAGS = ["#HeiressReturns", "#千金归来#", "#SuQing", "#霸总#", "#microdrama"]
HEADER = ["id", "kind", "platform", "episode", "posted_at", "text", "author", "likes",
          "replies", "reposts", "video_time", "parent_id", "lang"]  # fmt: skip
LINES = [
    "SU QING slaps him. The whole ward goes silent.",
    "苏晴：这一巴掌，是替我母亲打的。",
    "LI WEI: I should have trusted you.",
    "NURSE CHEN watches from the doorway, smiling.",
    "林妍：你以为你还是千金吗？",
    "INT. HOSPITAL CORRIDOR - NIGHT",
    "Grandma Li slides the ring across the table.",
    "李伟：合同在我手里。",
]


def _vary(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return text
    if roll < 0.40:
        return text.upper() if text.isascii() else text + "！！"
    if roll < 0.55:
        return text + rng.choice(EMOJI) * rng.randint(1, 3)
    if roll < 0.65:
        return text + "!" * rng.randint(2, 5)
    if roll < 0.72:
        return text.replace("o", "ooo", 1) if text.isascii() else text + "哈哈哈哈"
    if roll < 0.85:
        return ("omg " if text.isascii() else "天哪") + text
    return text + (" lol" if text.isascii() else "啊")


def _long_tail(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return " ".join(rng.choice(WORDS_EN) for _ in range(rng.randint(4, 10)))
    return "".join(rng.choice(CHARS_ZH) for _ in range(rng.randint(6, 16)))


def generate(path: Path, count: int) -> None:
    """A canonical CSV of ``count`` comments; the same file for the same count."""
    rng = random.Random(SEED)
    popular = []
    for _ in range(400):
        if rng.random() < 0.5:
            a, b = rng.sample(NAMES_EN, 2)
            popular.append(rng.choice(PHRASES_EN).format(a=a, b=b))
        else:
            a, b = rng.sample(NAMES_ZH, 2)
            popular.append(rng.choice(PHRASES_ZH).format(a=a, b=b))
    weights = [1 / (rank + 1) for rank in range(len(popular))]
    base = 1_717_000_000
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        picks = rng.choices(popular, weights=weights, k=count)
        for index in range(count):
            kind = rng.choice(KINDS)
            if kind == "hashtag":
                text = rng.choice(HASHTAGS)
            elif rng.random() < 0.3:
                text = _long_tail(rng)
            else:
                text = _vary(picks[index], rng)
            if rng.random() < 0.01:
                text += rng.choice([" 加我 13800138000", " mail fan@example.com", " @superfan_88"])
            author = f"u{int(rng.paretovariate(1.2) * 1000) % 400_000}"
            danmaku = kind == "danmaku"
            writer.writerow((
                f"c{index}" if rng.random() < 0.9 else "",
                kind,
                "bilibili" if danmaku else rng.choice(("douyin", "weibo", "youtube")),
                rng.randint(1, 60),
                base + index * 3,
                text,
                author,
                int(rng.paretovariate(1.5)) - 1,
                0, 0,
                f"{rng.uniform(0, 120):.1f}" if danmaku else "",
                f"c{index - 1}" if kind == "reply" else "",
                "",
            ))  # fmt: skip


def worker(export: Path, workspace: Path) -> None:
    """Import, build themes and look lines up in a fresh store; print timings as JSON."""
    import resource

    from scriptlens.signals import (
        ImportOptions,
        SignalSettings,
        build_themes,
        import_signals,
        lookup,
        open_store,
    )
    from scriptlens.signals.names import cast_names

    state = workspace / ".scriptlens"
    with open_store(state / "signals.db", state) as store:
        start, cpu = time.perf_counter(), time.process_time()
        [report] = import_signals(store, [export], ImportOptions())
        imported = time.perf_counter() - start
        import_cpu = time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        themes = build_themes(store, SignalSettings(), cast_names(CUES, ALIASES))
        themed = time.perf_counter() - start
        themes_cpu = time.process_time() - cpu
        lookups = []
        for _ in range(5):
            for line in LINES:
                start = time.perf_counter()
                lookup(store, line)
                lookups.append(time.perf_counter() - start)
        stored = store.conn.execute("SELECT count(*) FROM signals").fetchone()[0]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({
        "rows": report.rows_read, "stored": stored, "themes": themes, "import_s": imported,
        "themes_s": themed, "import_cpu_s": import_cpu, "themes_cpu_s": themes_cpu,
        "lookup_ms": statistics.median(lookups) * 1000,
        "lookup_max_ms": max(lookups) * 1000, "peak_mb": peak_mb,
    }))  # fmt: skip


def rows(quick: bool) -> list[Row]:
    count = QUICK_ROWS if quick else FULL_ROWS
    with tempfile.TemporaryDirectory(prefix="scriptlens-bench-") as folder:
        export = Path(folder) / "comments.csv"
        generate(export, count)
        done = subprocess.run(
            [sys.executable, __file__, "--worker", str(export), folder],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    result = json.loads(done.stdout)
    stored = f"{result['stored']:,} stored, cpu {result['import_cpu_s']:.1f} s"
    themed = f"{result['themes']:,} themes, names read, cpu {result['themes_cpu_s']:.1f} s"
    return [
        below(f"signals: import {count:,} comments", result["import_s"], "s", 60, stored),
        below(
            f"signals: build themes ({count:,})",
            result["themes_s"],
            "s",
            60,
            themed,
        ),
        below("signals: peak memory, import + themes", result["peak_mb"], "MB", 500, "ru_maxrss"),
        below(
            f"signals: theme lookup for a line ({count:,})",
            result["lookup_ms"],
            "ms",
            10,
            f"max {result['lookup_max_ms']:.1f} ms over {len(LINES) * 5}",
        ),
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        from harness import format_table

        print(format_table(rows(quick="--quick" in sys.argv)))

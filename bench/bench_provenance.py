"""Provenance benchmarks (issue 9), with 1,000,000 signals stored (the comments of
bench_signals, generated the same way) and a 100-episode series whose rewrite answers some of
them, its history in the snapshot store:

- ``explain`` of one line, warm, in process: p95 over motivated and plain lines (< 50 ms);
- the summary of the 100-episode series (< 2 s), every line of it explained;
- a hover on a motivated line through the real language server over stdio: p95 (< 20 ms),
  and the server's peak memory (VmHWM) with the 1,000,000 signals (< 300 MB);
- git blame of a 300-page series: its first use against every later one (cached per file and
  commit, in memory and under ``.scriptlens/blame``).

The store is built in a subprocess so that the benchmark process stays small.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench_continuity import series
from bench_signals import ALIASES, CUES, FULL_ROWS, QUICK_ROWS, generate
from harness import Row, below

# The generated comments are posted from this time on, three seconds apart.
SIGNALS_FROM = 1_717_000_000
DRAFTED = SIGNALS_FROM - 10 * 86400
# Lines the rewrite adds to each episode, answering what the audience said (they paraphrase
# bench_signals' popular phrases); %s is a character of the cast.
ANSWERS = [
    ("SU QING", "That slap felt so satisfying, {a}."),
    ("MR. LI", "{a}, you were lying all along. I knew it."),
    ("NURSE CHEN", "{a} will regret everything she did."),
]
NAMES = ["Lin Yan", "Su Qing", "Nurse Chen"]
SETTLE_S = 2.0
CONFIG = """\
[cast.aliases]
{aliases}

[provenance]
history = "snapshots"
"""


def _rewrite(text: str, number: int) -> str:
    added = [
        f"{speaker}\n{line.format(a=NAMES[(number + turn) % len(NAMES)])}\n"
        for turn, (speaker, line) in enumerate(ANSWERS)
    ]
    return text + "\n" + "\n".join(added)


def build(folder: Path, count: int, episodes: int) -> None:
    """The workspace: the series rewritten after every comment, its two revisions in the
    snapshot history, the comments imported and their themes built."""
    from scriptlens.provenance.history import record_revision
    from scriptlens.signals import ImportOptions, SignalSettings, build_themes, import_signals
    from scriptlens.signals import open_store as open_signal_store
    from scriptlens.signals.names import cast_names

    root = folder / "series"
    root.mkdir()
    aliases = {}
    for alias, main in ALIASES.items():
        aliases.setdefault(main, []).append(alias)
    (root / "scriptlens.toml").write_text(
        CONFIG.format(
            aliases="\n".join(f'"{main}" = {json.dumps(names)}' for main, names in aliases.items())
        ),
        encoding="utf-8",
    )
    export = folder / "comments.csv"
    generate(export, count)
    rewritten_at = SIGNALS_FROM + 3 * count + 86400
    state = root / ".scriptlens"
    with open_signal_store(state / "signals.db", state) as store:
        import_signals(store, [export], ImportOptions())
        build_themes(store, SignalSettings(), cast_names(CUES, ALIASES))
        for number, (name, draft) in enumerate(series(episodes).items(), start=1):
            final = _rewrite(draft, number)
            record_revision(store, name, draft, at=DRAFTED, label="draft")
            record_revision(store, name, final, at=rewritten_at, label="rewrite")
            (root / name).write_text(final, encoding="utf-8")
    export.unlink()


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def in_process(root: Path) -> dict[str, float]:
    """Explain and summary timings, in this (worker) process."""
    from scriptlens.provenance import Provenance

    engine = Provenance(root)
    files = sorted(path.name for path in root.glob("*.fountain"))
    answers: list[tuple[str, int]] = []
    plain: list[tuple[str, int]] = []
    for name in files[:: max(1, len(files) // 10)]:
        lines = (root / name).read_text(encoding="utf-8").split("\n")
        answers += [(name, len(lines) - 2 - 3 * turn) for turn in range(len(ANSWERS))]
        plain += [(name, number) for number in range(20, 60, 4) if lines[number].strip()]
    motivated = sum(engine.explain_line(name, line).audience_driven for name, line in answers)
    for name, line in answers + plain:  # warm: scripts parsed, themes indexed
        engine.explain_line(name, line)
    timings = []
    for _ in range(3):
        for name, line in answers + plain:
            start = time.perf_counter()
            engine.explain_line(name, line)
            timings.append(time.perf_counter() - start)
    start, cpu = time.perf_counter(), time.process_time()
    summary = engine.summary()
    summary_s = time.perf_counter() - start
    summary_cpu_s = time.process_time() - cpu
    engine.close()
    return {
        "explain_p95_ms": _p95(timings) * 1000,
        "explain_median_ms": statistics.median(timings) * 1000,
        "explained": len(timings),
        "motivated": motivated,
        "answers": len(answers),
        "summary_s": summary_s,
        "summary_cpu_s": summary_cpu_s,
        "summary_lines": sum(len(scene.lines) for scene in summary.scenes),
    }


async def over_stdio(root: Path, hovers: int) -> dict[str, float]:
    """Hovers on motivated lines through the real server; its peak memory afterwards."""
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("bench", "1")
    await client.start_io(sys.executable, "-m", "scriptlens.lsp")
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="series")],
        )
    )
    client.initialized(types.InitializedParams())
    path = sorted(root.glob("*.fountain"))[len(list(root.glob("*.fountain"))) // 2]
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="fountain", version=1, text=text
            )
        )
    )
    line = len(text.split("\n")) - 2  # the last answer
    params = types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=line, character=3),
    )
    first = await client.text_document_hover_async(params)  # cold: store opened, themes indexed
    assert first is not None and "Why this line is here" in str(first.contents), first
    await asyncio.sleep(SETTLE_S)  # as a writer reads before hovering: the opening's checks end
    pid = client._server.pid  # type: ignore[union-attr]
    cpu_before = _cpu_seconds(pid)
    timings = []
    for _ in range(hovers):
        start = time.perf_counter()
        await client.text_document_hover_async(params)
        timings.append(time.perf_counter() - start)
    cpu_per_hover = (_cpu_seconds(pid) - cpu_before) / hovers
    status = Path(f"/proc/{pid}/status").read_text()
    peak_kb = int(next(row for row in status.splitlines() if row.startswith("VmHWM")).split()[1])
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return {
        "hover_p95_ms": _p95(timings) * 1000,
        "hover_median_ms": statistics.median(timings) * 1000,
        "hover_cpu_ms": cpu_per_hover * 1000,
        "server_peak_mb": peak_kb / 1024,
    }


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far, from /proc (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def blame(folder: Path, episodes: int) -> dict[str, float]:
    """Explaining every line of a 300-page series in git: the first time (one blame per file)
    against the next (memory cache) and a fresh engine's (disk cache)."""
    from scriptlens.provenance import Provenance

    root = folder / "git-series"
    root.mkdir()
    drafts = series(episodes)
    for name, text in drafts.items():
        (root / name).write_text(text, encoding="utf-8")

    def git(*args: str, at: int) -> None:
        stamp = datetime.fromtimestamp(at, timezone.utc).isoformat()
        subprocess.run(
            ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com", *args],
            cwd=root,
            check=True,
            capture_output=True,
            env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "PATH": "/usr/bin:/bin"},
        )

    git("init", "-q", at=DRAFTED)
    git("add", ".", at=DRAFTED)
    git("commit", "-q", "-m", "drafts", at=DRAFTED)
    for number, (name, text) in enumerate(drafts.items(), start=1):
        (root / name).write_text(_rewrite(text, number), encoding="utf-8")
    git("commit", "-q", "-am", "rewrite", at=SIGNALS_FROM + 86400)
    pages = sum(text.count("\n") for text in drafts.values()) / 55

    def every_file(engine: Provenance) -> float:
        start = time.perf_counter()
        for name in drafts:
            view = engine.view(name)
            engine.history.of_text(view.key, view.text, None)
        return time.perf_counter() - start

    engine = Provenance(root)
    first = every_file(engine)
    again = every_file(engine)
    engine.close()
    fresh = Provenance(root)
    from_disk = every_file(fresh)
    fresh.close()
    return {"pages": pages, "first_s": first, "again_s": again, "disk_s": from_disk}


def worker(folder: Path, count: int, episodes: int) -> None:
    build(folder, count, episodes)
    print(json.dumps(in_process(folder / "series")))


def rows(quick: bool) -> list[Row]:
    count = QUICK_ROWS if quick else FULL_ROWS
    episodes = 20 if quick else 100
    with tempfile.TemporaryDirectory(prefix="scriptlens-bench-") as name:
        folder = Path(name)
        done = subprocess.run(
            [sys.executable, __file__, "--worker", str(folder), str(count), str(episodes)],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(done.stdout)
        served = asyncio.run(over_stdio(folder / "series", 20 if quick else 60))
        blamed = blame(folder, episodes)
    stored = f"{count:,} signals"
    return [
        below(
            "provenance: explain a line, warm (p95)",
            result["explain_p95_ms"],
            "ms",
            50,
            f"{stored}; median {result['explain_median_ms']:.1f} ms over {result['explained']}; "
            f"{result['motivated']} of {result['answers']} answer lines motivated",
        ),
        below(
            f"provenance: summary of {episodes} episodes",
            result["summary_s"],
            "s",
            2,
            f"{stored}; cpu {result['summary_cpu_s']:.2f} s; "
            f"{result['summary_lines']} audience-driven lines",
        ),
        below(
            "provenance: hover on a motivated line, stdio (p95)",
            served["hover_p95_ms"],
            "ms",
            20,
            f"{stored}; median {served['hover_median_ms']:.1f} ms; "
            f"server cpu {served['hover_cpu_ms']:.1f} ms a hover",
        ),
        below("provenance: server peak memory", served["server_peak_mb"], "MB", 300, stored),
        below(
            f"provenance: git blame of {blamed['pages']:.0f} pages, cached",
            blamed["again_s"] * 1000,
            "ms",
            max(1.0, blamed["first_s"] * 1000 / 10),
            f"first use {blamed['first_s'] * 1000:.0f} ms; a new engine (disk cache) "
            f"{blamed['disk_s'] * 1000:.0f} ms",
        ),
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    else:
        from harness import format_table

        print(format_table(rows(quick="--quick" in sys.argv)))

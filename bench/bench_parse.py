"""Parsing benchmarks (issues: foundation; the script model at the speed of the parser).

``scriptlens.parse`` against jouvence's ``parseString`` and screenplain on series made by
repeating the real public scripts of ``../shared/corpus/real-scripts``, in-process, at 120 pages,
200 KB, 2 MB and 10 MB, beside the tree-sitter-only floor (the grammar's parse, nothing else).
``parse`` returns a ``Script`` that keeps what the parse found in compact form and makes its
elements, scenes and the rest when first asked; the "every field made" row times that too. The
keystroke rows go through the language server's path (``Document`` + the series check).

Every row is timed in CPU time: each run is in-process and single-threaded, so on an idle
machine it equals wall time, while on the shared development machine wall time varies several
fold with the others' load and CPU time barely moves.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from corpus import LINES_PER_PAGE, script
from harness import Row, at_least, below, median_seconds
from scriptlens import parse
from scriptlens.fountain.document import Document
from scriptlens.fountain.model import Position
from scriptlens.fountain.parser import new_parser
from scriptlens.fountain.text_reader import decode
from scriptlens.workspace.series import Series

REAL_SCRIPTS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real-scripts"


def _cpu_seconds(run: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    return median_seconds(run, repeat=repeat, warmup=warmup, clock=time.process_time)


def _jouvence(text: str) -> object:
    from jouvence.parser import JouvenceParser

    return JouvenceParser().parseString(text)


def _screenplain(text: str) -> object:
    from screenplain.parsers.fountain import parse as screenplain_parse

    return screenplain_parse(io.StringIO(text))


def _tree_sitter_only(text: str) -> object:
    return new_parser().parse(text.encode("utf-8"))


def _every_field(text: str) -> object:
    script = parse(text)
    return script.elements, script.introductions


def _real_scripts() -> str:
    files = sorted(REAL_SCRIPTS.rglob("*.fountain"))
    if not files:
        raise SystemExit(f"bench_parse: no real scripts found under {REAL_SCRIPTS}")
    return "\n".join(decode(path.read_bytes()).text for path in files)


def _repeated(unit: str, enough: Callable[[str], bool]) -> str:
    """``unit`` repeated until ``enough`` says the text is long enough."""
    copies = [unit]
    while not enough("\n".join(copies)):
        copies.append(unit)
    return "\n".join(copies)


def _size(text: str) -> float:
    return len(text.encode("utf-8"))


def _pages(text: str) -> int:
    return text.count("\n") // LINES_PER_PAGE


def _throughput_ratios(
    run: Callable[[str], object], small: str, big: str, rounds: int
) -> tuple[list[float], float, float]:
    """``run``'s throughput on ``big`` over its throughput on ``small``, once a round, and the
    median throughputs (bytes a second). Each round times ``small`` run back to back as many
    times as it takes to read as many bytes as ``big`` once, then ``big`` once, so that the two
    timings of a round last about as long and the others' load on the machine, which changes
    from second to second, weighs on both alike."""
    copies = max(1, round(_size(big) / _size(small)))

    def small_copies() -> None:
        for _ in range(copies):
            run(small)

    run(small), run(big)  # warm up
    small_rates, big_rates = [], []
    for _ in range(rounds):
        small_rates.append(copies * _size(small) / _cpu_seconds(small_copies, 1, warmup=0))
        big_rates.append(_size(big) / _cpu_seconds(lambda: run(big), 1, warmup=0))
    ratios = [
        big_rate / small_rate for small_rate, big_rate in zip(small_rates, big_rates, strict=True)
    ]
    return ratios, statistics.median(small_rates), statistics.median(big_rates)


def _rounds_detail(ratios: list[float], small_rate: float, big_rate: float) -> str:
    each = " ".join(f"{ratio:.2f}" for ratio in ratios)
    return f"{big_rate / 1e6:.1f} MB/s against {small_rate / 1e6:.1f} MB/s; rounds {each}"


def _throughput_rows(small: str, big: str, name: str, quick: bool) -> list[Row]:
    """Throughput at ``big`` (``name``) over throughput at ``small``, each the median of
    interleaved rounds: parse + model (the issue's bar) beside tree-sitter alone, and parse with
    every field made."""
    ratios, small_rate, big_rate = _throughput_ratios(parse, small, big, 5)
    floor, _, _ = _throughput_ratios(_tree_sitter_only, small, big, 5)
    title = f"parse: throughput at {name} / at 200 KB"
    detail = _rounds_detail(ratios, small_rate, big_rate)
    detail += f"; tree-sitter only {statistics.median(floor):.2f} x"
    every, small_every, big_every = _throughput_ratios(_every_field, small, big, 3)
    return [
        # at the quick run's sizes a timing is noise, not a measure of linearity
        Row(title, statistics.median(ratios), "x", "(reported)", True, detail)
        if quick
        else at_least(title, statistics.median(ratios), "x", 0.8, detail),
        Row(
            f"parse + every field: throughput at {name} / 200 KB",
            statistics.median(every),
            "x",
            "(reported)",
            True,
            _rounds_detail(every, small_every, big_every),
        ),
    ]


def _series_rows(name: str, text: str, repeat: int, bar: float) -> list[Row]:
    """The rows of one input."""
    ours = _cpu_seconds(lambda: parse(text), repeat=repeat)
    jouvence = _cpu_seconds(lambda: _jouvence(text), repeat=repeat)
    screenplain = _cpu_seconds(lambda: _screenplain(text), repeat=repeat)
    floor = _cpu_seconds(lambda: _tree_sitter_only(text), repeat=repeat)
    rate = _size(text) / ours
    return [
        Row(
            f"parse + model, {name}",
            ours * 1000,
            "ms",
            "(reported)",
            True,
            f"tree-sitter only {floor * 1000:.1f} ms, {rate / 1e6:.1f} MB/s",
        ),
        at_least(
            f"parse: speed-up vs jouvence, {name}",
            jouvence / ours,
            "x",
            bar,
            f"jouvence {jouvence * 1000:.0f} ms",
        ),
        at_least(
            f"parse: speed-up vs screenplain, {name}",
            screenplain / ours,
            "x",
            bar,
            f"screenplain {screenplain * 1000:.0f} ms",
        ),
    ]


def _keystroke_ms(text: str) -> float:
    """Median time to apply a one-character insertion in the middle and reparse incrementally."""
    document = Document(text)
    middle = text.count("\n") // 2
    state = {"typed": False}

    def type_or_delete() -> None:
        if state["typed"]:
            document.apply_change(Position(middle, 0), Position(middle, 1), "")
        else:
            document.apply_change(Position(middle, 0), Position(middle, 0), "x")
        state["typed"] = not state["typed"]

    return _cpu_seconds(type_or_delete, repeat=41) * 1000


def _server_keystroke_ms(text: str, newline: bool, quick: bool) -> float:
    """Median time of the server's path for one keystroke in a one-file feature: the change,
    the incremental reparse, the model update, the re-check and its diagnostics. Each keystroke
    types a new character, so no version's text was seen before (a text seen before would find
    its continuity index cached)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "film.fountain").write_text(text, encoding="utf-8")
        series = Series.load(root)
        document = Document(text, "film.fountain")
        series.opened("film.fountain", document)
        series.check(baseline="save")
        line = text.count("\n") // 2
        typed = "\n" if newline else "x"
        state = {"column": 0}

        def keystroke() -> object:
            at = Position(line, state["column"])
            document.apply_change(at, at, typed)
            state["column"] = 0 if newline else state["column"] + 1
            series.changed("film.fountain")
            return series.check(baseline="save")

        return _cpu_seconds(keystroke, repeat=5 if quick else 21, warmup=2) * 1000


def rows(quick: bool) -> list[Row]:
    real = _real_scripts()
    # the quick run keeps the feature whole: a ratio of a few milliseconds is too noisy to test
    feature = _repeated(real, lambda text: _pages(text) >= 120)
    small = _repeated(real, lambda text: _size(text) >= 200_000)
    big_sizes = [(0.5, "0.5 MB", 2)] if quick else [(2, "2 MB", 3), (10, "10 MB", 2)]
    pages = _pages(feature)

    found = _series_rows(f"{pages}-page script", feature, 5 if quick else 15, 3)
    found += _series_rows("200 KB series", small, 5 if quick else 11, 3)
    for megabytes, name, bar in big_sizes:
        big = _repeated(real, lambda text, mb=megabytes: _size(text) >= mb * 1_000_000)
        found += _series_rows(f"{name} series", big, 1 if quick else 3, bar)
    found += _throughput_rows(small, big, name, quick)
    every = _cpu_seconds(lambda: _every_field(feature), repeat=5 if quick else 15)
    found.append(
        Row(
            f"parse + every field made, {pages}-page script",
            every * 1000,
            "ms",
            "(reported)",
            True,
            "elements, scenes, dialogue, introductions, episodes",
        )
    )

    synthetic_pages = 12 if quick else 120
    synthetic = script(synthetic_pages)
    ours_synthetic = _cpu_seconds(lambda: parse(synthetic), repeat=15) * 1000
    name = f"parse + model, {synthetic_pages}-page synthetic script"
    found.append(below(name, ours_synthetic, "ms", 30))
    found.append(
        below("keystroke: edit + incremental reparse", _keystroke_ms(feature), "ms", 5, "feature")
    )
    for newline, what in ((False, "a letter"), (True, "a line break")):
        found.append(
            below(
                f"parse: keystroke through the server ({what})",
                _server_keystroke_ms(feature, newline, quick),
                "ms",
                20,
                f"{pages}-page one-file feature, reparse + model + re-check",
            )
        )
    return found

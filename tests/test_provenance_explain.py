"""Provenance on a small rewritten series: explicit links, inferred motivations only from
signals posted before a line was introduced (git blame, snapshots, unsaved buffers), reactions,
outcomes, and ``scriptlens explain`` with its JSON contract and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from continuity_support import git
from provenance_support import (
    ANSWER_LINE,
    ANSWER_STARTS,
    EP04_AFTER,
    LINKED_LINE,
    OLD_LINE,
    series,
)
from scriptlens.cli import main
from scriptlens.provenance import Provenance
from scriptlens.provenance.history import parse_porcelain


@pytest.fixture(params=["git", "snapshots"])
def root(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SCRIPTLENS_DB", raising=False)
    return series(tmp_path / "series", request.param)


def test_a_line_written_after_the_feedback_is_explained_by_it(root: Path):
    with_engine = Provenance(root)
    explanation = with_engine.explain_line(root / "ep04.fountain", ANSWER_LINE)
    with_engine.close()
    assert explanation.introduced.at is not None
    assert explanation.introduced.source in ("git", "snapshots")
    top = explanation.top
    assert top is not None and top.kind == "inferred" and top.confidence >= 0.5
    assert "twins" in top.theme_label or "双胞胎" in top.theme_label
    assert top.evidence["days_before_edit"] > 0
    assert top.evidence["episodes"] == [3]
    assert top.support.authors >= 6 and not top.support.vocal_minority
    assert explanation.outcome is not None
    assert explanation.outcome.figures["completion_rate"]["value"] == 0.52
    assert explanation.outcome.figures["completion_rate"]["previous"] == 0.4


def test_a_line_older_than_the_comments_that_resemble_it_has_no_motivation(root: Path):
    engine = Provenance(root)
    explanation = engine.explain_line("ep04.fountain", OLD_LINE)
    assert explanation.text == "Where is the report?"
    assert explanation.motivations == ()
    assert [r.kind for r in explanation.reactions] == ["reaction"]
    assert explanation.reactions[0].support.signals == 5
    engine.close()


def test_bullet_comments_while_the_line_plays_are_reactions(root: Path):
    engine = Provenance(root)
    explanation = engine.explain_line("ep04.fountain", ANSWER_LINE)
    [danmaku] = [r for r in explanation.reactions if r.kind == "danmaku"]
    assert danmaku.quotes == ("签了签了！",) and danmaku.support.signals == 4
    start, end = danmaku.evidence["window_seconds"]
    assert start <= ANSWER_STARTS + 2 < end
    # the line before plays earlier: the same bullet comments are not its reactions
    before = engine.explain_line("ep04.fountain", 9)
    assert not [r for r in before.reactions if r.kind == "danmaku"]
    engine.close()


def test_summary_lists_the_audience_driven_lines_per_scene(root: Path):
    engine = Provenance(root)
    [scene] = engine.summary().scenes
    assert scene.heading == "INT. HOSPITAL - DAY"
    assert [e.line for e in scene.lines] == [ANSWER_LINE, LINKED_LINE]
    assert scene.to_json()["lines"][0]["top"]["kind"] == "inferred"
    engine.close()


def test_unanswered_lists_what_no_line_answers(root: Path):
    engine = Provenance(root)
    result = engine.unanswered()
    labels = [theme.label for theme in result.themes]
    assert "Give Nurse Chen a backstory please" in labels
    assert not any("sign for his twins" in label for label in labels)  # answered
    assert "where is the report lol" not in labels  # a reaction to a line: not unanswered
    engine.close()


def test_explicit_links_resolve_hashtags_and_platform_ids_and_report_unknown_ones(root: Path):
    engine = Provenance(root)
    explanation = engine.explain_line("ep04.fountain", LINKED_LINE)
    explicit = [m for m in explanation.motivations if m.kind == "explicit"]
    labels = {m.theme_label for m in explicit}
    assert "#twins" in labels
    assert len(explicit) == 2  # the hashtag's theme and the theme of comment c3
    assert all(m.confidence == 1.0 for m in explicit)
    [finding] = engine.link_findings("ep04.fountain")
    assert "nosuchid" in finding.message and "#twins" not in finding.message
    assert finding.range.start.line == LINKED_LINE
    engine.close()


def test_unsaved_lines_count_as_introduced_now(root: Path):
    engine = Provenance(root)
    buffer = EP04_AFTER.replace("Where is the report?", "Where are my twins? I will sign.")
    explanation = engine.explain_line("ep04.fountain", OLD_LINE, buffer_text=buffer)
    assert explanation.introduced.source == "working"
    assert explanation.top is not None and explanation.top.kind == "inferred"
    untouched = engine.explain_line("ep04.fountain", 9, buffer_text=buffer)
    assert untouched.introduced.source in ("git", "snapshots")
    engine.close()


def test_blame_is_parsed_from_gits_porcelain_output(tmp_path: Path):
    root = series(tmp_path / "g", "git")
    output = git(root, "blame", "--porcelain", "HEAD", "--", "ep04.fountain")
    blamed = parse_porcelain(output)
    assert list(blamed.lines) == EP04_AFTER.split("\n")[:-1]
    revisions = {i.revision for i in blamed.introduced}
    assert len(revisions) == 2
    # cached on disk after the first use
    Provenance(root).explain_line("ep04.fountain", ANSWER_LINE)
    assert list((root / ".scriptlens" / "blame").glob("*.json"))


def _explain(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["explain", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_cli_json_is_the_contract(root: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(root)
    status, out, _ = _explain(f"ep04.fountain:{ANSWER_LINE + 1}", "--json")
    assert status == 0
    found = json.loads(out)
    assert found["line"] == ANSWER_LINE and found["file"] == "ep04.fountain"
    assert set(found) >= {
        "file",
        "line",
        "text",
        "introduced",
        "motivations",
        "reactions",
        "outcome",
    }
    top = found["motivations"][0]
    assert set(top) >= {
        "kind",
        "confidence",
        "theme",
        "signal_ids",
        "signals",
        "authors",
        "top_author_share",
        "vocal_minority",
        "evidence",
        "quotes",
    }
    assert set(top["evidence"]) >= {"matched_terms", "episodes", "days_before_edit"}
    assert 0 < len(top["quotes"]) <= 3 and 0 < len(top["signal_ids"]) <= 20
    assert found["outcome"]["completion_rate"] == 0.52
    assert "wb-a" not in out  # no author identity, not even digested


def test_cli_bad_input_is_one_sentence_and_exit_2(root: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(root)
    for args, says in [
        (("ep99.fountain:3",), "ep99.fountain: no such file"),
        (("ep04.fountain:400",), "ep04.fountain:400: past the end of the file"),
        (("ep04.fountain:0",), "LINE counts from 1"),
        (("ep04.fountain",), "expected FILE:LINE"),
        ((), "say what to explain"),
    ]:
        status, _, err = _explain(*args)
        assert status == 2, args
        assert says in err and err.count("\n") == 1, err


def test_cli_without_a_store_explains_nothing_and_says_how_to_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("SCRIPTLENS_DB", raising=False)
    (tmp_path / "ep04.fountain").write_text(EP04_AFTER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, _ = _explain(f"ep04.fountain:{ANSWER_LINE + 1}", "--json")
    assert status == 0
    found = json.loads(out)
    assert found["motivations"] == [] and "scriptlens signals import" in found["hints"][0]


def test_cli_history_git_outside_a_repository_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (tmp_path / "scriptlens.toml").write_text('[provenance]\nhistory = "git"\n', encoding="utf-8")
    (tmp_path / "ep04.fountain").write_text(EP04_AFTER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, _, err = _explain("ep04.fountain:1")
    assert status == 2 and "not a git repository" in err


def test_history_replay_fills_the_snapshot_history_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("SCRIPTLENS_DB", raising=False)
    for stamp, text in (
        ("2026-03-01T1000Z", "INT. A\n\nOld.\n"),
        ("2026-03-05T1000Z", "INT. A\n\nOld.\n\nNew.\n"),
    ):
        folder = tmp_path / "history" / stamp
        folder.mkdir(parents=True)
        (folder / "ep01.fountain").write_text(text, encoding="utf-8")
        (folder / "MESSAGE").write_text("why\n", encoding="utf-8")
    (tmp_path / "ep01.fountain").write_text("INT. A\n\nOld.\n\nNew.\n", encoding="utf-8")
    (tmp_path / "scriptlens.toml").write_text('[provenance]\nhistory = "snapshots"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    first = CliRunner().invoke(main, ["history", "replay"])
    assert first.exit_code == 0 and "replayed 2 of 2" in first.stdout
    again = CliRunner().invoke(main, ["history", "replay"])
    assert "replayed 0 of 2" in again.stdout
    engine = Provenance(tmp_path)
    old = engine.explain_line("ep01.fountain", 2).introduced
    new = engine.explain_line("ep01.fountain", 4).introduced
    assert (old.revision, new.revision) == ("2026-03-01T1000Z", "2026-03-05T1000Z")
    assert old.to_json()["at"] == "2026-03-01T10:00:00Z"
    bad = tmp_path / "history" / "yesterday"
    bad.mkdir()
    status = CliRunner().invoke(main, ["history", "replay"])
    assert status.exit_code == 2 and "named by its UTC time" in status.stderr


def test_snapshot_records_what_changed_and_dates_new_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("SCRIPTLENS_DB", raising=False)
    (tmp_path / "scriptlens.toml").write_text('[provenance]\nhistory = "snapshots"\n', "utf-8")
    script = tmp_path / "ep01.fountain"
    script.write_text("INT. A\n\nOld.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    first = CliRunner().invoke(main, ["snapshot"])
    again = CliRunner().invoke(main, ["snapshot"])
    assert "1 of 1 file(s) changed" in first.stdout and "0 of 1" in again.stdout
    script.write_text("INT. A\n\nOld.\n\nNew.\n", encoding="utf-8")
    CliRunner().invoke(main, ["snapshot"])
    engine = Provenance(tmp_path)
    old, new = (engine.explain_line("ep01.fountain", n).introduced for n in (2, 4))
    assert old.source == new.source == "snapshots"
    assert (old.revision, new.revision) == ("1", "2")
    engine.close()


def test_a_dismissed_motivation_is_no_longer_inferred_until_restored(
    root: Path, monkeypatch: pytest.MonkeyPatch
):
    engine = Provenance(root)
    before = engine.explain_line("ep04.fountain", ANSWER_LINE)
    top = before.top
    assert top is not None and top.theme_id is not None and before.dismissed == ()
    engine.dismiss("ep04.fountain", ANSWER_LINE, top.theme_id)
    after = engine.explain_line("ep04.fountain", ANSWER_LINE)
    assert top.theme_id not in {m.theme_id for m in after.motivations}
    assert [(d.theme_id, d.theme_label) for d in after.dismissed] == [
        (top.theme_id, top.theme_label)
    ]
    assert f"_Dismissed by the writers: {top.theme_label}_" in after.to_markdown()
    assert "dismissed" not in after.to_json()  # the JSON contract stays as it was
    # Another process (the CLI) sees the dismissal in the store.
    monkeypatch.chdir(root)
    status, out, _ = _explain(f"ep04.fountain:{ANSWER_LINE + 1}")
    assert status == 0 and f"Dismissed by the writers: {top.theme_label}" in out

    assert engine.restore("ep04.fountain", ANSWER_LINE, top.theme_id) is True
    restored = engine.explain_line("ep04.fountain", ANSWER_LINE)
    assert restored.top == top and restored.dismissed == ()
    assert "Dismissed by the writers" not in restored.to_markdown()
    assert engine.restore("ep04.fountain", ANSWER_LINE, top.theme_id) is False
    engine.close()

"""``scriptlens parse``: the human listing and the stable ``--json`` contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest

from scriptlens.fountain.model import ElementType

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
ELEMENT_TYPES = set(get_args(ElementType))


def run_parse(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scriptlens", "parse", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def fountain_files() -> list[Path]:
    files = sorted((ROOT / "examples").rglob("*.fountain"))
    if CORPUS.is_dir():
        files += sorted(CORPUS.rglob("*.fountain"))
    return files


@pytest.mark.parametrize("path", fountain_files(), ids=lambda p: p.name)
def test_json_contract_on_every_corpus_file(path: Path):
    result = run_parse("--json", str(path))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["file"] == path.name
    assert set(document) >= {"file", "elements", "scenes", "characters"}
    previous = (-1, -1)
    for element in document["elements"]:
        assert element["type"] in ELEMENT_TYPES
        start, end = element["range"]["start"], element["range"]["end"]
        assert (start["line"], start["character"]) <= (end["line"], end["character"])
        assert (start["line"], start["character"]) >= previous
        previous = (start["line"], start["character"])
        if element["type"] == "character":
            assert {"name", "extension", "dual"} <= set(element)


def test_human_listing_is_one_based(tmp_path: Path):
    script = tmp_path / "ep01.fountain"
    script.write_text("INT. A - DAY\n\nNURSE\nSign here.\n", encoding="utf-8")
    lines = run_parse(str(script)).stdout.splitlines()
    assert lines[0] == f"{script}:1:1: scene_heading INT. A - DAY"
    assert lines[1] == f"{script}:3:1: character     NURSE"
    assert lines[2] == f"{script}:4:1: dialogue      Sign here."


def test_invalid_utf8_is_replaced_and_reported(tmp_path: Path):
    script = tmp_path / "broken.fountain"
    script.write_bytes(b"INT. A - DAY\n\nNURSE\nSign \xff\xfe here.\n")
    result = run_parse("--json", str(script))
    assert result.returncode == 0
    assert "2 invalid UTF-8 byte(s) replaced" in result.stderr
    dialogue = [e for e in json.loads(result.stdout)["elements"] if e["type"] == "dialogue"]
    assert dialogue[0]["text"] == "Sign \ufffd\ufffd here."


def test_missing_file_is_a_usage_error(tmp_path: Path):
    result = run_parse(str(tmp_path / "nope.fountain"))
    assert result.returncode == 2
    assert "nope.fountain" in result.stderr

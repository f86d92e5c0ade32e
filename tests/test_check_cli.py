"""``scriptlens check`` on the example workspace and on small real workspaces: formats, exit
statuses, SARIF shape, snapshots."""

import json
import shutil
from pathlib import Path

from continuity_support import cli, git_workspace, write

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "micro-drama"


def example(tmp_path: Path) -> Path:
    root = tmp_path / "micro-drama"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("exports", ".scriptlens"))
    return root


def test_text_output_is_one_based_and_fails_on_warnings_by_default(tmp_path):
    status, output = cli(example(tmp_path))
    assert status == 1
    lines = output.splitlines()
    assert lines[0] == (
        "ep05.fountain:26:1: warning [name-variant] 'MR. LEE' is probably a misspelling of "
        "'MR. LI' (2 cue(s) against 40)"
    )
    assert lines[1] == "    ep01.fountain:48:1: 'MR. LI' first speaks here"
    assert (
        "ep07.fountain:38:1: error [exit-reappearance] LIN YAN speaks here after being written "
        "out, with no [[return: LIN YAN]] in between"
    ) in lines
    assert lines[-1] == "4 finding(s): 2 error, 2 warning"


def test_fail_on_levels(tmp_path):
    root = example(tmp_path)
    assert cli(root, "--fail-on", "never")[0] == 0
    assert cli(root, "--fail-on", "error")[0] == 1
    assert cli(root, "ep05.fountain", "--fail-on", "error")[0] == 0  # ep05 has warnings only
    assert cli(root, "ep05.fountain", "--fail-on", "warning")[0] == 1


def test_clean_workspace_exits_zero(tmp_path):
    write(tmp_path, {"ep01.fountain": "INT. ROOM - DAY\n\nSU QING sits.\n\nSU QING\nHello.\n"})
    assert cli(tmp_path) == (0, "No continuity findings.\n")


def test_json_contract(tmp_path):
    status, output = cli(example(tmp_path), "--format", "json")
    assert status == 1
    data = json.loads(output)
    assert list(data) == ["diagnostics"]
    first = data["diagnostics"][0]
    assert first == {
        "file": "ep05.fountain",
        "range": {"start": {"line": 25, "character": 0}, "end": {"line": 25, "character": 7}},
        "severity": "warning",
        "code": "name-variant",
        "message": "'MR. LEE' is probably a misspelling of 'MR. LI' (2 cue(s) against 40)",
        "related": [
            {
                "file": "ep01.fountain",
                "range": {
                    "start": {"line": 47, "character": 0},
                    "end": {"line": 47, "character": 6},
                },
                "message": "'MR. LI' first speaks here",
            }
        ],
    }
    assert [item["code"] for item in data["diagnostics"]] == [
        "name-variant",
        "name-variant",
        "exit-reappearance",
        "exit-reappearance",
    ]


def test_sarif_shape(tmp_path):
    status, output = cli(example(tmp_path), "--format", "sarif")
    assert status == 1
    log = json.loads(output)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "scriptlens"
    assert [rule["id"] for rule in rules][:2] == ["name-variant", "partial-rename"]
    assert rules[0]["helpUri"].endswith("/docs/continuity.md#name-variant")
    assert len(rules) == 11  # the ten rules and invalid-utf8
    result = run["results"][0]
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == "name-variant"
    assert result["level"] == "warning"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "ep05.fountain"
    assert location["region"] == {"startLine": 26, "startColumn": 1, "endLine": 26, "endColumn": 8}
    assert result["relatedLocations"][0]["message"]["text"] == "'MR. LI' first speaks here"
    assert {r["level"] for r in run["results"]} == {"error", "warning"}


def test_github_annotations(tmp_path):
    status, output = cli(example(tmp_path), "--format", "github")
    assert status == 1
    lines = output.splitlines()
    assert lines[0] == (
        "::warning file=ep05.fountain,line=26,col=1,endLine=26,endColumn=8,"
        "title=scriptlens [name-variant]::'MR. LEE' is probably a misspelling of 'MR. LI' "
        "(2 cue(s) against 40)"
    )
    assert lines[1].startswith("::warning file=ep05.fountain,line=37,")
    assert sum(line.startswith("::error ") for line in lines) == 2


def test_usage_and_io_errors_exit_two(tmp_path):
    assert cli(tmp_path, "missing.fountain")[0] == 2
    write(tmp_path, {"notes.txt": "hello"})
    status, output = cli(tmp_path, "notes.txt")
    assert status == 2 and "not a .fountain file" in output
    assert cli(tmp_path, "--format", "xml")[0] == 2
    write(tmp_path, {"scriptlens.toml": "[rules.name-variant]\nseverity = 'loud'\n"})
    status, output = cli(tmp_path)
    assert status == 2 and "rules.name-variant.severity: expected one of" in output
    write(tmp_path, {"scriptlens.toml": ""})
    status, output = cli(tmp_path, "--baseline", "HEAD")
    assert status == 2


def test_unknown_git_revision_exits_two(tmp_path):
    root = git_workspace(tmp_path / "s", {"a.fountain": "INT. A - DAY\n"}, {"a.fountain": "x\n"})
    status, output = cli(root, "--baseline", "no-such-rev")
    assert status == 2 and "unknown git revision 'no-such-rev'" in output


def test_snapshot_becomes_the_baseline(tmp_path):
    text = "INT. OFFICE - DAY\n\nMR. LI sits.\n\nMR. LI\nSit.\n\nSU QING\nNo.\n\nMR. LI\nSit!\n"
    write(tmp_path, {"ep01.fountain": text})
    assert cli(tmp_path, "--snapshot")[0] == 0
    assert (tmp_path / ".scriptlens" / "snapshots" / "ep01.fountain").read_text() == text
    write(tmp_path, {"ep01.fountain": text.replace("MR. LI\nSit!", "BOSS LI\nSit!")})
    status, output = cli(tmp_path)
    assert status == 1
    assert "warning [partial-rename] 'MR. LI' still speaks here" in output


def test_paths_are_shown_relative_to_the_working_directory(tmp_path):
    root = example(tmp_path)
    status, output = cli(tmp_path, str(root / "ep05.fountain"), "--fail-on", "never")
    assert status == 0
    assert output.splitlines()[0].startswith("micro-drama/ep05.fountain:26:1: warning")

"""Editor settings: read from the client's JSON, bare or under ``scriptlens``, with every bad
value ignored and named."""

from __future__ import annotations

from scriptlens.lsp.settings import Settings, read_settings


def test_nested_under_scriptlens_or_bare_read_the_same():
    raw = {
        "baseline": "git",
        "diagnostics": {"enabled": False, "debounceMs": 0},
        "inlayHints": {"screenTime": False},
    }
    expected = Settings(
        baseline="git", diagnostics_enabled=False, debounce_ms=0, screen_time_hints=False
    )
    assert read_settings({"scriptlens": raw}) == (expected, [])
    assert read_settings(raw) == (expected, [])


def test_absent_keys_keep_the_current_values():
    current = Settings(baseline="save", debounce_ms=900)
    settings, problems = read_settings(
        {"scriptlens": {"inlayHints": {"screenTime": False}}}, current
    )
    assert settings == Settings(baseline="save", debounce_ms=900, screen_time_hints=False)
    assert problems == []
    assert read_settings(None, current) == (current, [])


def test_bad_values_are_ignored_and_named():
    current = Settings()
    settings, problems = read_settings(
        {
            "scriptlens": {
                "baseline": "yesterday",
                "diagnostics": {"enabled": "yes", "debounceMs": 99999},
                "inlayHints": [],
            }
        },
        current,
    )
    assert settings == current
    assert problems == [
        "editor settings: inlayHints: expected an object; "
        "editor settings: baseline: expected one of auto, git, save; "
        "editor settings: diagnostics.enabled: expected true or false"
    ]
    _, problems = read_settings({"diagnostics": {"debounceMs": 99999}, "seris": {}})
    assert problems == [
        "editor settings: seris: unknown setting; "
        "editor settings: diagnostics.debounceMs: expected a whole number from 0 to 10000"
    ]
    assert read_settings("fast")[1] == ["editor settings: scriptlens: expected an object, got str"]
    # true is an int in Python, not a number of milliseconds
    assert read_settings({"diagnostics": {"debounceMs": True}})[1]

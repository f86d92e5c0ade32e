"""Typed editor settings, from ``initializationOptions`` and ``workspace/didChangeConfiguration``.

Both carry the same object, either as is or under a ``scriptlens`` key::

    {"scriptlens": {"baseline": "auto", "diagnostics": {"enabled": true, "debounceMs": 250},
                    "inlayHints": {"screenTime": true}}}

Continuity rules themselves are configured in the workspace's ``scriptlens.toml``, so that the CLI
and the editor never disagree; these settings only say how the editor shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

Baseline = Literal["auto", "git", "save"]
BASELINES: tuple[Baseline, ...] = ("auto", "git", "save")
MAX_DEBOUNCE_MS = 10_000


@dataclass(frozen=True)
class Settings:
    # auto: git HEAD for files tracked there, else the last saved text; git: HEAD only;
    # save: the last saved text only.
    baseline: Baseline = "auto"
    diagnostics_enabled: bool = True
    debounce_ms: int = 250  # how long typing must pause before a re-check
    screen_time_hints: bool = True
    provenance_hints: bool = True  # an inlay hint at the end of each audience-driven line
    code_lens: bool = True  # per scene: screen time, audience-driven lines, outcome
    rename_aliases: bool = False  # a rename also renames the name in scriptlens.toml's [cast]


def read_settings(raw: Any, current: Settings = Settings()) -> tuple[Settings, list[str]]:
    """Settings from a client's JSON, starting from ``current``; and a message per value that
    was ignored, naming the key and the reason. Absent keys keep their current value."""
    problems: list[str] = []
    if raw is None:
        return current, problems
    if isinstance(raw, Mapping) and isinstance(raw.get("scriptlens"), Mapping):
        raw = raw["scriptlens"]
    if not isinstance(raw, Mapping):
        return current, [f"scriptlens settings must be an object, got {type(raw).__name__}"]

    def section(name: str) -> Mapping[str, Any]:
        value = raw.get(name, {})
        if isinstance(value, Mapping):
            return value
        problems.append(f"scriptlens.{name} must be an object")
        return {}

    baseline = raw.get("baseline", current.baseline)
    if baseline not in BASELINES:
        problems.append(f"scriptlens.baseline must be one of {', '.join(BASELINES)}")
        baseline = current.baseline
    diagnostics = section("diagnostics")
    enabled = _boolean(
        diagnostics,
        "enabled",
        current.diagnostics_enabled,
        "scriptlens.diagnostics.enabled",
        problems,
    )
    debounce = diagnostics.get("debounceMs", current.debounce_ms)
    if (
        isinstance(debounce, bool)
        or not isinstance(debounce, int)
        or not (0 <= debounce <= MAX_DEBOUNCE_MS)
    ):
        problems.append(
            f"scriptlens.diagnostics.debounceMs must be a whole number from 0 to {MAX_DEBOUNCE_MS}"
        )
        debounce = current.debounce_ms
    hints = section("inlayHints")
    screen_time = _boolean(
        hints, "screenTime", current.screen_time_hints, "scriptlens.inlayHints.screenTime", problems
    )
    provenance = _boolean(
        hints, "provenance", current.provenance_hints, "scriptlens.inlayHints.provenance", problems
    )
    code_lens = _boolean(
        section("codeLens"), "enabled", current.code_lens, "scriptlens.codeLens.enabled", problems
    )
    rename_aliases = _boolean(
        section("rename"), "aliases", current.rename_aliases, "scriptlens.rename.aliases", problems
    )
    settings = Settings(
        cast(Baseline, baseline),
        enabled,
        debounce,
        screen_time,
        provenance,
        code_lens,
        rename_aliases,
    )
    return settings, problems


def _boolean(
    table: Mapping[str, Any], key: str, default: bool, name: str, problems: list[str]
) -> bool:
    value = table.get(key, default)
    if isinstance(value, bool):
        return value
    problems.append(f"{name} must be true or false")
    return default

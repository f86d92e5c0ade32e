"""Typed editor settings, from ``initializationOptions`` and ``workspace/didChangeConfiguration``,
validated by the workspace core's one converter, so a bad value is reported in the same words
as a bad ``scriptlens.toml``.

Both carry the same object, either as is or under a ``scriptlens`` key::

    {"scriptlens": {"baseline": "auto", "diagnostics": {"enabled": true, "debounceMs": 250},
                    "inlayHints": {"screenTime": true, "provenance": true},
                    "codeLens": {"enabled": true}, "rename": {"aliases": false}}}

Continuity rules themselves are configured in the workspace's ``scriptlens.toml``, so that the CLI
and the editor never disagree; these settings only say how the editor shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
from attrs import define, field

from scriptlens.workspace.config import ConfigError, KeyProblem, structure
from scriptlens.workspace.series import Baseline

MAX_DEBOUNCE_MS = 10_000
SOURCE = "editor settings"


def _debounce_range(_instance: object, _attribute: attrs.Attribute, value: int) -> None:
    if not 0 <= value <= MAX_DEBOUNCE_MS:
        raise KeyProblem(_attribute.name, f"expected a whole number from 0 to {MAX_DEBOUNCE_MS}")


@define(frozen=True)
class Settings:
    # auto: git HEAD for files tracked there, else the snapshot, else the last saved text;
    # git: HEAD only; save: the last saved text only.
    baseline: Baseline = "auto"
    diagnostics_enabled: bool = True
    debounce_ms: int = field(default=250, validator=_debounce_range)  # typing pause to re-check
    screen_time_hints: bool = True
    provenance_hints: bool = True  # an inlay hint at the end of each audience-driven line
    code_lens: bool = True  # per scene: screen time, audience-driven lines, outcome
    rename_aliases: bool = False  # a rename also renames the name in scriptlens.toml's [cast]


# The client's dotted key for each field (VS Code's ``scriptlens.<key>``).
CLIENT_KEYS = {
    "baseline": "baseline",
    "diagnostics.enabled": "diagnostics_enabled",
    "diagnostics.debounceMs": "debounce_ms",
    "inlayHints.screenTime": "screen_time_hints",
    "inlayHints.provenance": "provenance_hints",
    "codeLens.enabled": "code_lens",
    "rename.aliases": "rename_aliases",
}
FIELD_KEYS = {name: key for key, name in CLIENT_KEYS.items()}
# read by the editor's client alone (which command starts this server)
CLIENT_ONLY = ("server",)


SECTIONS = {key.rsplit(".", 1)[0] for key in CLIENT_KEYS if "." in key}


def _flatten(raw: Mapping[str, Any], problems: list[str], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in raw.items():
        key = f"{prefix}{name}"
        if not prefix and name in CLIENT_ONLY:
            continue
        if key in SECTIONS:
            if isinstance(value, Mapping):
                flat.update(_flatten(value, problems, f"{key}."))
            else:
                problems.append(f"{SOURCE}: {key}: expected an object")
        elif key in CLIENT_KEYS:
            flat[key] = value
        else:
            problems.append(f"{SOURCE}: {key}: unknown setting")
    return flat


def read_settings(raw: Any, current: Settings | None = None) -> tuple[Settings, list[str]]:
    """Settings from a client's JSON over ``current`` (absent keys keep their value); with any
    problem, ``current`` unchanged and one message naming every bad key and why."""
    current = current if current is not None else Settings()
    if raw is None:
        return current, []
    if isinstance(raw, Mapping) and isinstance(raw.get("scriptlens"), Mapping):
        raw = raw["scriptlens"]
    if not isinstance(raw, Mapping):
        return current, [f"{SOURCE}: scriptlens: expected an object, got {type(raw).__name__}"]
    problems: list[str] = []
    given = _flatten(raw, problems)
    merged = attrs.asdict(current)
    merged.update({CLIENT_KEYS[key]: value for key, value in given.items()})
    try:
        settings = structure(merged, Settings, SOURCE)
    except ConfigError as error:
        problems.append(_client_words(str(error)))
    if problems:
        return current, ["; ".join(problems)]
    return settings, []


def _client_words(message: str) -> str:
    """A structuring error in the client's dotted keys rather than the fields' names."""
    for name, key in FIELD_KEYS.items():
        message = message.replace(f": {name}: ", f": {key}: ")
    return message

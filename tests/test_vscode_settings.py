"""The VS Code extension contributes exactly the settings the server reads, with the server's
defaults and allowed values, so the settings UI never offers what the server would ignore."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from scriptlens.lsp.settings import CLIENT_KEYS, MAX_DEBOUNCE_MS, Settings, read_settings
from scriptlens.workspace.series import BASELINES

PACKAGE = Path(__file__).parents[1] / "clients" / "vscode" / "package.json"
# read by the extension itself, to start the server
CLIENT_ONLY = {"scriptlens.server.command"}


def _server_settings() -> dict[str, dict[str, Any]]:
    properties = json.loads(PACKAGE.read_text(encoding="utf-8"))["contributes"]["configuration"][
        "properties"
    ]
    return {key: schema for key, schema in properties.items() if key not in CLIENT_ONLY}


def _as_client_sends(key: str, value: object) -> dict[str, object]:
    """``scriptlens.diagnostics.debounceMs`` = 5 as the client sends it:
    ``{"scriptlens": {"diagnostics": {"debounceMs": 5}}}``."""
    payload: object = value
    for part in reversed(key.split(".")):
        payload = {part: payload}
    assert isinstance(payload, dict)
    return payload


def _merge(into: dict[str, Any], update: dict[str, Any]) -> None:
    for name, value in update.items():
        if isinstance(value, dict):
            _merge(into.setdefault(name, {}), value)
        else:
            into[name] = value


def _a_value_other_than_the_default(schema: dict[str, Any]) -> object:
    if schema["type"] == "boolean":
        return not schema["default"]
    if schema["type"] == "integer":
        return schema["maximum"]
    return next(value for value in schema["enum"] if value != schema["default"])


def test_the_extension_defaults_are_the_server_defaults() -> None:
    everything: dict[str, Any] = {}
    for key, schema in _server_settings().items():
        _merge(everything, _as_client_sends(key, schema["default"]))
    settings, problems = read_settings(everything)
    assert problems == []
    assert settings == Settings()


@pytest.mark.parametrize("key", sorted(_server_settings()))
def test_each_contributed_setting_is_read_by_the_server(key: str) -> None:
    schema = _server_settings()[key]
    settings, problems = read_settings(
        _as_client_sends(key, _a_value_other_than_the_default(schema))
    )
    assert problems == []
    assert settings != Settings(), f"the server ignores {key}"


def test_every_server_setting_is_contributed() -> None:
    assert set(_server_settings()) == {f"scriptlens.{key}" for key in CLIENT_KEYS}
    assert len(CLIENT_KEYS) == len(attrs.fields(Settings))


def test_allowed_values_match() -> None:
    settings = _server_settings()
    assert tuple(settings["scriptlens.baseline"]["enum"]) == BASELINES
    debounce = settings["scriptlens.diagnostics.debounceMs"]
    assert (debounce["minimum"], debounce["maximum"]) == (0, MAX_DEBOUNCE_MS)

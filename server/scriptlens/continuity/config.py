"""Typed settings read from ``scriptlens.toml``: ``[series]``, ``[cast]`` and ``[rules.CODE]``.

```toml
[series]
order = "auto"              # auto | title | filename | path
files = ["pilot.fountain"]  # listed files first, in this order
exclude = ["drafts/*"]      # globs, relative to the workspace root

[cast]
aliases = { "MR. LI" = ["LI", "LI WEI"] }
distinct = [["SU QING", "SU QIN"]]   # never one character, whatever the spelling says

[rules.long-absence]
enabled = true
severity = "information"
max_gap = 3
```

Anything unknown or of the wrong type is a ``ConfigError`` naming the file, the key and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from scriptlens.continuity.diagnostics import SEVERITIES, Severity
from scriptlens.text_facts import cue_key
from scriptlens.workspace import ConfigError

Order = Literal["auto", "title", "filename", "path"]
ORDERS: tuple[Order, ...] = ("auto", "title", "filename", "path")


@dataclass(frozen=True)
class RuleSpec:
    """What a rule is before configuration: its code, default severity and tunable numbers."""

    code: str
    severity: Severity
    summary: str
    needs_baseline: bool = False
    options: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSettings:
    enabled: bool
    severity: Severity
    options: Mapping[str, float]

    def option(self, name: str) -> float:
        return self.options[name]


@dataclass(frozen=True)
class SeriesSettings:
    order: Order = "auto"
    files: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class CastSettings:
    aliases: Mapping[str, str] = field(default_factory=dict)  # cue key -> the main name's key
    distinct: frozenset[frozenset[str]] = frozenset()

    def declared_distinct(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self.distinct


@dataclass(frozen=True)
class Settings:
    rules: Mapping[str, RuleSettings]
    series: SeriesSettings = SeriesSettings()
    cast: CastSettings = CastSettings()


def default_settings(specs: Mapping[str, RuleSpec]) -> Settings:
    return load_settings({}, specs, "scriptlens.toml")


def load_settings(
    config: Mapping[str, Any], specs: Mapping[str, RuleSpec], source: str
) -> Settings:
    """Settings from a parsed ``scriptlens.toml``; ``source`` names it in error messages."""
    return Settings(
        rules=_rules(_table(config, "rules", source), specs, source),
        series=_series(_table(config, "series", source), source),
        cast=_cast(_table(config, "cast", source), source),
    )


def _table(config: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = config.get(key, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: [{key}] must be a table")
    return value


def _unknown(table: Mapping[str, Any], known: set[str], where: str) -> None:
    extra = sorted(set(table) - known)
    if extra:
        raise ConfigError(f"{where}: unknown key {extra[0]!r} (known: {', '.join(sorted(known))})")


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def _rules(table: Mapping[str, Any], specs: Mapping[str, RuleSpec], source: str) -> dict:
    _unknown(table, set(specs), f"{source}: [rules]")
    rules: dict[str, RuleSettings] = {}
    for code, spec in specs.items():
        where = f"{source}: [rules.{code}]"
        given = _table(table, code, f"{source}: [rules]")
        _unknown(given, {"enabled", "severity", *spec.options}, where)
        enabled = given.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ConfigError(f"{where}: enabled must be true or false")
        severity = given.get("severity", spec.severity)
        if severity not in SEVERITIES:
            raise ConfigError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
        options = dict(spec.options)
        for name, value in given.items():
            if name in ("enabled", "severity"):
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ConfigError(f"{where}: {name} must be a number, 0 or more")
            options[name] = float(value)
        rules[code] = RuleSettings(enabled, cast(Severity, severity), options)
    return rules


def _series(table: Mapping[str, Any], source: str) -> SeriesSettings:
    where = f"{source}: [series]"
    _unknown(table, {"order", "files", "exclude"}, where)
    order = table.get("order", "auto")
    if order not in ORDERS:
        raise ConfigError(f"{where}: order must be one of {', '.join(ORDERS)}")
    return SeriesSettings(
        order=cast(Order, order),
        files=_strings(table.get("files", []), f"{where} files"),
        exclude=_strings(table.get("exclude", []), f"{where} exclude"),
    )


def _cast(table: Mapping[str, Any], source: str) -> CastSettings:
    where = f"{source}: [cast]"
    _unknown(table, {"aliases", "distinct"}, where)
    aliases: dict[str, str] = {}
    for main, others in _table(table, "aliases", where).items():
        main_key = cue_key(main)
        for name in (main, *_strings(others, f"{where} aliases.{main!r}")):
            key = cue_key(name)
            if aliases.get(key, main_key) != main_key:
                raise ConfigError(
                    f"{where}: {name!r} is an alias of both {aliases[key]!r} and {main!r}"
                )
            aliases[key] = main_key
    distinct = table.get("distinct", [])
    if not isinstance(distinct, list):
        raise ConfigError(f"{where} distinct must be a list of lists of names")
    pairs: set[frozenset[str]] = set()
    for group in distinct:
        names = [cue_key(name) for name in _strings(group, f"{where} distinct")]
        pairs.update(frozenset((a, b)) for a in names for b in names if a != b)
    return CastSettings(aliases, frozenset(pairs))

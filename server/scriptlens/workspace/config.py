"""The one typed configuration: ``scriptlens.toml`` and the editor's settings, validated by one
cattrs converter so that every face reports a problem in the same words: the file, the key, and
what was expected.

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

[signals]
theme_similarity = 80              # rapidfuzz score (0-100) to join an existing theme
vocal_minority_min_signals = 10    # smaller themes are never flagged
vocal_minority_top10_share = 0.5   # flag when the top 10% of authors wrote this share...
vocal_minority_signals_per_author = 3.0  # ...or authors average this many signals each

[provenance]
history = "auto"   # when a line was introduced: auto (git where tracked, else the snapshot
                   # history in the store) | git | snapshots
```

Unknown tables and keys, and values of the wrong type or out of range, are a ``ConfigError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, get_args

import attrs
import cattrs
from attrs import define, field
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from scriptlens.continuity.diagnostics import Severity
from scriptlens.text_facts import cue_key

if TYPE_CHECKING:
    from scriptlens.continuity.rules.base import RuleSpec

Order = Literal["auto", "title", "filename", "path"]
History = Literal["auto", "git", "snapshots"]


class ConfigError(ValueError):
    """A configuration cannot be used; the message names the file, the key and the reason."""


@define(frozen=True)
class SeriesSettings:
    order: Order = "auto"
    files: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@define(frozen=True)
class CastSettings:
    aliases: Mapping[str, str] = field(factory=dict)  # cue key -> the main name's key
    distinct: frozenset[frozenset[str]] = frozenset()

    def declared_distinct(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self.distinct


@define(frozen=True)
class RuleSettings:
    enabled: bool
    severity: Severity
    options: Mapping[str, float]

    def option(self, name: str) -> float:
        return self.options[name]


def _at_most_100(_instance: object, attribute: attrs.Attribute, value: float) -> None:
    if value > 100:
        raise KeyProblem(attribute.name, "expected a number from 0 to 100")


def _not_negative(_instance: object, attribute: attrs.Attribute, value: float) -> None:
    if value < 0:
        raise KeyProblem(attribute.name, "expected a number, 0 or more")


@define(frozen=True)
class SignalSettings:
    theme_similarity: float = field(default=80.0, validator=[_not_negative, _at_most_100])
    vocal_minority_min_signals: int = field(default=10, validator=_not_negative)
    vocal_minority_top10_share: float = field(default=0.5, validator=_not_negative)
    vocal_minority_signals_per_author: float = field(default=3.0, validator=_not_negative)


@define(frozen=True)
class ProvenanceSettings:
    history: History = "auto"


def _default_rules() -> Mapping[str, RuleSettings]:
    return _structure_rules({}, Any)


@define(frozen=True)
class Config:
    """A workspace's ``scriptlens.toml``, every table typed; defaults where it says nothing."""

    series: SeriesSettings = field(factory=SeriesSettings)
    cast: CastSettings = field(factory=CastSettings)
    rules: Mapping[str, RuleSettings] = field(factory=_default_rules)
    signals: SignalSettings = field(factory=SignalSettings)
    provenance: ProvenanceSettings = field(factory=ProvenanceSettings)


# -- the converter ---------------------------------------------------------------------------


class _Expected(ValueError):
    """A value of the wrong shape; the message says what was expected."""


def _whole_number(value: Any, _type: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Expected("expected a whole number")
    return value


def _number(value: Any, _type: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Expected("expected a number")
    return float(value)


def _boolean(value: Any, _type: Any) -> bool:
    if not isinstance(value, bool):
        raise _Expected("expected true or false")
    return value


def _string(value: Any, _type: Any) -> str:
    if not isinstance(value, str):
        raise _Expected("expected a string")
    return value


def _strings(value: Any, _type: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _Expected("expected a list of strings")
    return tuple(value)


def _table(value: Any, what: str = "a table") -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _Expected(f"expected {what}")
    return value


def _literal(value: Any, kind: Any) -> Any:
    allowed = get_args(kind)
    if value not in allowed:
        raise _Expected(f"expected one of {', '.join(map(str, allowed))}")
    return value


def _structure_cast(value: Any, _type: Any) -> CastSettings:
    table = dict(_table(value))
    _forbid_extra(table, {"aliases", "distinct"})
    aliases: dict[str, str] = {}
    for main, others in _table(table.get("aliases", {})).items():
        main_key = cue_key(main)
        for name in (main, *_at(f"aliases.{main}", _strings, others, tuple)):
            key = cue_key(name)
            if aliases.get(key, main_key) != main_key:
                raise KeyProblem(
                    f"aliases.{main}", f"{name!r} is already an alias of {aliases[key]!r}"
                )
            aliases[key] = main_key
    groups = table.get("distinct", [])
    if not isinstance(groups, list):
        raise KeyProblem("distinct", "expected a list of lists of names")
    pairs: set[frozenset[str]] = set()
    for group in groups:
        names = [cue_key(name) for name in _at("distinct", _strings, group, tuple)]
        pairs.update(frozenset((a, b)) for a in names for b in names if a != b)
    return CastSettings(aliases, frozenset(pairs))


def _structure_rules(value: Any, _type: Any) -> Mapping[str, RuleSettings]:
    from scriptlens.continuity.rules import SPECS  # the rules import this module's types

    table = _table(value)
    _forbid_extra(table, set(SPECS))
    return {
        code: _at(code, _structure_rule, table.get(code, {}), spec) for code, spec in SPECS.items()
    }


def _structure_rule(value: Any, spec: RuleSpec) -> RuleSettings:
    given = _table(value)
    _forbid_extra(given, {"enabled", "severity", *spec.options})
    options = dict(spec.options)
    for name, option in given.items():
        if name not in ("enabled", "severity"):
            options[name] = _at(name, _number, option, float)
            if options[name] < 0:
                raise KeyProblem(name, "expected a number, 0 or more")
    return RuleSettings(
        enabled=_at("enabled", _boolean, given.get("enabled", True), bool),
        severity=_at("severity", _literal, given.get("severity", spec.severity), Severity),
        options=options,
    )


class KeyProblem(ValueError):
    """A problem at a key below the value being structured (or at an attrs field whose
    validator raised it), as ``a.b: reason``."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}")
        self.key, self.reason = key, reason


def _at(key: str, structure: Any, value: Any, kind: Any) -> Any:
    """``structure(value, kind)``, with a problem's key prefixed by ``key``."""
    try:
        return structure(value, kind)
    except KeyProblem as error:
        raise KeyProblem(f"{key}.{error.key}", error.reason) from None
    except _Expected as error:
        raise KeyProblem(key, str(error)) from None


def _forbid_extra(table: Mapping[str, Any], known: set[str]) -> None:
    extra = sorted(set(table) - known)
    if extra:
        raise KeyProblem(extra[0], f"unknown key (known: {', '.join(sorted(known))})")


def _converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(bool, _boolean)
    converter.register_structure_hook(int, _whole_number)
    converter.register_structure_hook(float, _number)
    converter.register_structure_hook(str, _string)
    converter.register_structure_hook_func(lambda kind: kind == tuple[str, ...], _strings)
    converter.register_structure_hook_func(
        lambda kind: getattr(kind, "__origin__", None) is Literal, _literal
    )
    converter.register_structure_hook(CastSettings, _structure_cast)
    converter.register_structure_hook_func(
        lambda kind: kind == Mapping[str, RuleSettings], _structure_rules
    )
    return converter


CONVERTER = _converter()


def problems(error: BaseException, key: str = "") -> list[tuple[str, str]]:
    """Every ``(dotted key, reason)`` inside a cattrs structuring error."""

    def joined(name: str) -> str:
        return f"{key}.{name}" if key else name

    if isinstance(error, ForbiddenExtraKeysError):
        known = sorted(item.name for item in attrs.fields(error.cl))
        return [
            (joined(name), f"unknown key (known: {', '.join(known)})")
            for name in sorted(error.extra_fields)
        ]
    if isinstance(error, (ClassValidationError, IterableValidationError)):
        found: list[tuple[str, str]] = []
        for inner in error.exceptions:
            notes = getattr(inner, "__notes__", [])
            name = next(
                (note.rsplit("@ attribute ", 1)[1] for note in notes if "@ attribute " in note),
                "",
            )
            found += problems(inner, joined(name) if name else key)
        return found
    if isinstance(error, KeyProblem):
        return [(joined(error.key), error.reason)]
    if isinstance(error, (_Expected, ValueError)):
        return [(key or "(top)", str(error))]
    return [(key or "(top)", f"expected a value of another type ({error})")]


def structure(raw: Any, kind: type[Any], source: str) -> Any:
    """``raw`` as ``kind``, or a ``ConfigError`` naming ``source``, each bad key and why."""
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{source}: expected a table of settings")
    try:
        return CONVERTER.structure(dict(raw), kind)
    except Exception as error:  # cattrs wraps every validation error
        found = problems(error)
        if not found:
            raise
        raise ConfigError(
            "; ".join(f"{source}: {key}: {reason}" for key, reason in found)
        ) from None


def parse_config(raw: Mapping[str, Any], source: str) -> Config:
    """The typed configuration of a parsed ``scriptlens.toml``; ``source`` names it in errors."""
    return structure(raw, Config, source)

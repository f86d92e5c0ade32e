"""The ``[signals]`` table of ``scriptlens.toml``: clustering and vocal-minority thresholds.

[signals]
theme_similarity = 80              # rapidfuzz score (0-100) to join an existing theme
vocal_minority_min_signals = 10    # smaller themes are never flagged
vocal_minority_top10_share = 0.5   # flag when the top 10% of authors wrote this share...
vocal_minority_signals_per_author = 3.0  # ...or authors average this many signals each
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from scriptlens.workspace import CONFIG_NAME, ConfigError, Workspace


@dataclass(frozen=True)
class SignalSettings:
    theme_similarity: float = 80.0
    vocal_minority_min_signals: int = 10
    vocal_minority_top10_share: float = 0.5
    vocal_minority_signals_per_author: float = 3.0

    @classmethod
    def from_workspace(cls, workspace: Workspace) -> SignalSettings:
        table = workspace.section("signals")
        known = {item.name: item.type for item in fields(cls)}
        values: dict[str, float] = {}
        where = workspace.root / CONFIG_NAME
        for name, value in table.items():
            if name not in known:
                raise ConfigError(f"{where}: [signals] has no setting {name!r}")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ConfigError(f"{where}: [signals] {name} must be a non-negative number")
            values[name] = int(value) if known[name] in ("int", int) else float(value)
        if values.get("theme_similarity", 0) > 100:
            raise ConfigError(f"{where}: [signals] theme_similarity must be at most 100")
        return cls(**values)  # type: ignore[arg-type]

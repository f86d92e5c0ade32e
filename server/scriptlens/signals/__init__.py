"""The audience signal store: private, atomic imports of platform exports, themes, lookup."""

from scriptlens.signals.errors import (
    DamagedStoreError,
    RebuildRefused,
    RowError,
    SignalsError,
    StoreVersionError,
)
from scriptlens.signals.forget import forget_author
from scriptlens.signals.ingest import ImportOptions, import_metrics, import_signals
from scriptlens.signals.lookup import ThemeMatch, lookup, search_signals
from scriptlens.signals.rebuild import RebuildPlan, RebuildResult, plan_rebuild, rebuild_store
from scriptlens.signals.rows import Defaults
from scriptlens.signals.stats import list_themes, store_stats
from scriptlens.signals.store import Store, check_store, default_db_path, open_store, read_store
from scriptlens.signals.themes import build_themes, ensure_themes
from scriptlens.workspace.config import SignalSettings

__all__ = [
    "DamagedStoreError",
    "Defaults",
    "ImportOptions",
    "RebuildPlan",
    "RebuildRefused",
    "RebuildResult",
    "RowError",
    "SignalSettings",
    "SignalsError",
    "Store",
    "StoreVersionError",
    "ThemeMatch",
    "build_themes",
    "check_store",
    "default_db_path",
    "ensure_themes",
    "forget_author",
    "import_metrics",
    "import_signals",
    "list_themes",
    "lookup",
    "open_store",
    "plan_rebuild",
    "read_store",
    "rebuild_store",
    "search_signals",
    "store_stats",
]

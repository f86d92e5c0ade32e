"""Schema steps of the signal store, one function each, applied in order.

``PRAGMA user_version`` records how many steps a store has taken, so an old store upgrades in
place and a store written by a newer scriptlens (more steps than we know) is refused.
Never edit a released step: append a new one.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database


def _v1_signals(db: Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("imports").create(
        {
            "id": int,
            "file": str,
            "sha256": str,
            "format": str,
            "rows_read": int,
            "rows_added": int,
            "rows_skipped": int,
            "imported_at": str,
        },
        pk="id",
    )
    # ``uid``: keyed digest of platform + id (or of the scrubbed content when there is no id);
    # ``author`` and ``parent``: keyed digests; ``norm``: fingerprint of the normalized text.
    db.table("signals").create(
        {
            "id": int,
            "uid": int,
            "platform": str,
            "kind": str,
            "episode": int,
            "posted_at": int,
            "text": str,
            "author": int,
            "likes": int,
            "replies": int,
            "reposts": int,
            "video_time": float,
            "parent": int,
            "lang": str,
            "norm": int,
            "import_id": int,
        },
        pk="id",
        not_null=["uid", "platform", "kind", "episode", "text", "norm"],
        defaults={"likes": 0, "replies": 0, "reposts": 0},
    )
    db.table("signals").create_index(["uid"], unique=True)
    db.execute(
        "CREATE VIRTUAL TABLE signals_fts USING fts5("
        "text, content='signals', content_rowid='id', tokenize='trigram')"
    )


def _v2_episode_metrics(db: Database) -> None:
    db.table("episode_metrics").create(
        {
            "platform": str,
            "episode": int,
            "views": int,
            "completion_rate": float,
            "avg_watch_seconds": float,
            "likes": int,
            "shares": int,
            "comments": int,
            "followers_gained": int,
            "retention_unit": str,
            "retention": str,  # JSON list of [point, fraction still watching]
            "import_id": int,
        },
        pk=("platform", "episode"),
    )


def _v3_themes(db: Database) -> None:
    metrics = {
        "signals": int,
        "authors": int,
        "likes": int,
        "top1_share": float,
        "top10_share": float,
        "gini": float,
        "viewer_share": float,
        "vocal_minority": int,
    }
    # rowid order is size order (largest first), which lookup relies on to stop early.
    # ``exemplars``: up to a few distinct normalized texts of the theme, one a line, for lookup.
    db.table("themes").create(
        {"rank": int, "id": str, "label": str, "is_hashtag": int, "exemplars": str, **metrics},
        pk="rank",
    )
    db.table("themes").create_index(["id"], unique=True)
    db.table("theme_episodes").create(
        {"theme_id": str, "episode": int, **metrics}, pk=("theme_id", "episode")
    )
    # Which theme (by rank, rebuilt with the themes) each normalized text belongs to.
    db.table("theme_norms").create({"norm": int, "rank": int}, pk="norm")
    db.execute(
        "CREATE VIRTUAL TABLE themes_fts USING fts5("
        "exemplars, content='themes', content_rowid='rank', tokenize='trigram')"
    )


def _v4_provenance(db: Database) -> None:
    # A theme's signals are found through their normalized-text fingerprints (provenance).
    db.table("signals").create_index(["norm"])
    db.table("theme_norms").create_index(["rank"])
    # Bullet comments shown while a line plays: by episode and time in the video.
    db.table("signals").create_index(["episode", "video_time"])
    # Snapshot history of the scripts, for workspaces without git: one row per saved version of
    # a file; ``introductions`` is a JSON list, per line of ``text``, of the id of the revision
    # that introduced the line, so a lookup never walks the history.
    db.table("revisions").create(
        {
            "id": int,
            "file": str,
            "recorded_at": int,
            "label": str,
            "message": str,
            "text_sha": str,
            "text": str,
            "introductions": str,
        },
        pk="id",
    )
    db.table("revisions").create_index(["file", "id"])
    # A writer's "this is not why the line is there": one inferred motivation, by line text.
    db.table("dismissals").create(
        {"file": str, "line_text": str, "theme_id": str, "dismissed_at": int},
        pk=("file", "line_text", "theme_id"),
    )


def _v5_repeatable_imports(db: Database) -> None:
    # What ``signals rebuild`` needs to repeat an import: ``source``, the export's path relative
    # to the workspace (absolute when outside it), and ``options``, every option it was
    # imported with (JSON). Rows logged before this step have neither and cannot be repeated.
    db.table("imports").add_column("source", str)
    db.table("imports").add_column("options", str)
    # Keyed author digests of the people ``forget`` erased, so that a rebuild, which imports
    # their exports again, erases them again.
    db.table("forgotten").create({"author": int, "forgotten_at": str}, pk="author")


MIGRATIONS: list[Callable[[Database], None]] = [
    _v1_signals,
    _v2_episode_metrics,
    _v3_themes,
    _v4_provenance,
    _v5_repeatable_imports,
]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database, target: int = SCHEMA_VERSION) -> int:
    """Apply the missing steps up to ``target``, each in its own transaction with its version
    bump; returns the version the store had before."""
    before = schema_version(db)
    for version in range(before + 1, target + 1):
        with db.atomic():
            MIGRATIONS[version - 1](db)
            db.execute(f"PRAGMA user_version = {version}")
    return before

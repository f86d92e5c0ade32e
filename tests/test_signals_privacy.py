"""Privacy proof: no raw identity or personal data reaches any file, and forget erases."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from scriptlens.signals import ImportOptions, forget_author, import_signals
from scriptlens.signals.privacy import scrub
from scriptlens.signals.rows import Defaults
from signals_support import FIXTURES, store_in

RAW_AUTHORS = [
    "author-zhangwei-19900307",
    "author-13912345678",
    "UCsecretChannel42",
    "weibo-uid-5551234",
    "secret.author@example.org",
    "UCprivateViewerChannel0001",
    "UCreplyingFanChannel0002",
    "PrivateViewer",
    "7f3a9c1e",
    "c0ffee42",
]
PII = [
    "zhang.wei.fan@qq.com",
    "13800138000",
    "555-0132",
    "415-555-0199",
    "lin_yan_superfan",
    "88213",
    "110105199003071234",
    "139 1234 5678",
    "viewer.private@gmail.com",
    "7946 0958",
    "18612345678",
    "15012345678",
    "dm.fan@163.com",
]
RAW_IDS = ["wb-90001", "UgwPIIthread001", "41235000000099001"]


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("mail zhang.wei.fan@qq.com now", "mail ⟨email⟩ now"),
        ("加我 13800138000 吧", "加我 ⟨phone⟩ 吧"),
        ("打给我15012345678", "打给我⟨phone⟩"),
        ("call +1 (415) 555-0132", "call ⟨phone⟩"),
        ("+86 139 1234 5678", "⟨phone⟩"),
        ("or 415-555-0199.", "or ⟨phone⟩."),
        ("hi @lin_yan_superfan!", "hi ⟨handle⟩!"),
        ("回复@追剧达人:同意", "回复⟨handle⟩:同意"),
        ("see https://x.com/r?uid=8&t=1 ok", "see ⟨url⟩ ok"),
        ("身份证110105199003071234号", "身份证⟨id⟩号"),
        ("episode 2 has 100000 views", "episode 2 has 100000 views"),
        ("https://youtu.be/abc is the trailer", "https://youtu.be/abc is the trailer"),
    ],
)
def test_scrub(text: str, scrubbed: str) -> None:
    assert scrub(text) == scrubbed


def _import_pii(workspace: Path) -> None:
    with store_in(workspace) as store:
        import_signals(
            store,
            [
                FIXTURES / "pii_comments.csv",
                FIXTURES / "pii_youtube.json",
                FIXTURES / "pii_danmaku.xml",
            ],
            ImportOptions(defaults=Defaults(episode=1)),
        )
        assert store.conn.execute("SELECT count(*) FROM signals").fetchone()[0] == 12
        # keep the WAL alive while we look at it
        files = {path.name: path.read_bytes() for path in (workspace / ".scriptlens").iterdir()}
        assert "signals.db-wal" in files
        _assert_clean(files)
    return None


def _assert_clean(files: dict[str, bytes]) -> None:
    for name, data in files.items():
        if name == "key":
            continue
        for secret in RAW_AUTHORS + PII + RAW_IDS:
            for encoding in ("utf-8", "utf-16-le"):
                assert secret.encode(encoding) not in data, f"{secret!r} found in {name}"


def test_no_identity_or_pii_in_any_store_file(tmp_path: Path) -> None:
    _import_pii(tmp_path)
    state = tmp_path / ".scriptlens"
    files = {path.name: path.read_bytes() for path in state.iterdir()}
    assert set(files) <= {"key", "signals.db", "signals.db-wal", "signals.db-shm", "signals.lock"}
    _assert_clean(files)
    # the scrubbed text is what was stored
    with store_in(tmp_path) as store:
        texts = [row[0] for row in store.conn.execute("SELECT text FROM signals ORDER BY id")]
    assert texts[0] == "Su Qing is back! mail me at ⟨email⟩ for the fan club"
    assert "⟨phone⟩" in texts[1] and "⟨id⟩" in texts[4]


def test_key_is_private_and_outside_the_database(tmp_path: Path) -> None:
    _import_pii(tmp_path)
    key = tmp_path / ".scriptlens" / "key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_bytes()) == 32
    db = (tmp_path / ".scriptlens" / "signals.db").read_bytes()
    assert key.read_bytes() not in db


def test_forget_author_erases_their_signals_everywhere(tmp_path: Path) -> None:
    _import_pii(tmp_path)
    with store_in(tmp_path) as store:
        assert forget_author(store, "weibo-uid-5551234") == 2
        assert forget_author(store, "weibo-uid-5551234") == 0
        assert store.conn.execute("SELECT count(*) FROM signals").fetchone()[0] == 10
        hits = store.conn.execute(
            "SELECT count(*) FROM signals_fts WHERE signals_fts MATCH '\"real villain\"'"
        ).fetchone()[0]
        assert hits == 0
    data = (tmp_path / ".scriptlens" / "signals.db").read_bytes()
    assert b"The nurse is the real villain" not in data  # secure_delete zeroed the old row


def test_forget_finds_a_bilibili_user_by_uid(tmp_path: Path) -> None:
    """Bilibili exports carry only CRC32(uid); forget accepts the uid itself."""
    export = tmp_path / "dm.xml"
    export.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><i>'
        '<d p="1.0,1,25,16777215,1717300000,0,5b4a0f4c,1">前方高能</d>'
        '<d p="2.0,1,25,16777215,1717300001,0,00000001,2">爽</d></i>',
        "utf-8",
    )
    import zlib

    assert format(zlib.crc32(b"12345678"), "x") == "9ae0daaf"  # the hash Bilibili would export
    export.write_text(export.read_text("utf-8").replace("5b4a0f4c", "9ae0daaf"), "utf-8")
    with store_in(tmp_path) as store:
        import_signals(store, [export], ImportOptions(defaults=Defaults(episode=1)))
        assert forget_author(store, "12345678") == 1
        assert store.conn.execute("SELECT text FROM signals").fetchall() == [("爽",)]

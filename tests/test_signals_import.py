"""Every export format imports from a realistic fixture; bad input is refused atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scriptlens.signals import ImportOptions, RowError, SignalsError, import_signals
from scriptlens.signals.canonical import parse_column_map
from scriptlens.signals.detect import detect_format
from scriptlens.signals.ingest import import_metrics
from scriptlens.signals.rows import Defaults
from signals_support import DOUYIN_MAP, EXPORTS, FIXTURES, import_all_examples, store_in, table_dump


def count(store, where: str = "1") -> int:
    return store.conn.execute(f"SELECT count(*) FROM signals WHERE {where}").fetchone()[0]


def test_canonical_csv_imports_every_row_with_its_fields(tmp_path: Path) -> None:
    with store_in(tmp_path) as store:
        [report] = import_signals(store, [EXPORTS / "comments.csv"], ImportOptions())
        assert (report.format, report.encoding, report.rows_read, report.rows_added) == (
            "csv",
            "utf-8",
            1644,
            1644,
        )
        assert count(store, "kind = 'hashtag'") == 184
        assert count(store, "kind = 'danmaku' AND video_time IS NOT NULL") == 8
        # the replies point at their parent through the same keyed id
        assert (
            count(store, "kind = 'reply' AND parent = (SELECT uid FROM signals WHERE id = 1)") == 2
        )
        assert (
            store.conn.execute("SELECT posted_at FROM signals WHERE id = 1").fetchone()[0]
            == 1717272420
        )  # 2024-06-01T20:07:00Z
        assert count(store, "text LIKE '%苏晴%'") > 10


def test_jsonl_with_nested_map(tmp_path: Path) -> None:
    options = ImportOptions(
        defaults=Defaults(platform="douyin", episode=4),
        column_map=parse_column_map(
            "id=aweme_cid,text=content,likes=digg_count,posted_at=create_time,author=user.uid"
        ),
    )
    with store_in(tmp_path) as store:
        [report] = import_signals(store, [FIXTURES / "nested.jsonl"], options)
        assert (report.format, report.rows_added) == ("jsonl", 2)
        rows = store.conn.execute(
            "SELECT likes, episode, author IS NOT NULL FROM signals ORDER BY id"
        )
        assert rows.fetchall() == [(12000, 4, 1), (87, 4, 1)]


def test_douyin_export_needs_and_takes_a_column_map(tmp_path: Path) -> None:
    with store_in(tmp_path) as store:
        with pytest.raises(RowError) as missing:
            import_signals(store, [EXPORTS / "douyin_ep2.csv"], ImportOptions())
        assert str(missing.value).startswith(
            f"{EXPORTS / 'douyin_ep2.csv'}:1: missing required column 'text'"
        )
        assert "found: cid, content, digg_count" in str(missing.value)
        options = ImportOptions(
            defaults=Defaults(platform="douyin", episode=2), column_map=parse_column_map(DOUYIN_MAP)
        )
        [report] = import_signals(store, [EXPORTS / "douyin_ep2.csv"], options)
        assert report.rows_added == 40
        assert count(store, "platform = 'douyin' AND episode = 2") == 40
        assert count(store, "likes IN (12000, 21000)") >= 1  # 1.2万 and 2.1w


def test_column_map_names_unknown_fields() -> None:
    with pytest.raises(SignalsError, match="'body' is not a field"):
        parse_column_map("body=content")


def test_youtube_comment_threads_with_replies(tmp_path: Path) -> None:
    with store_in(tmp_path) as store:
        [report] = import_signals(
            store,
            [EXPORTS / "youtube_ep1_commentThreads.json"],
            ImportOptions(defaults=Defaults(episode=1)),
        )
        assert (report.format, report.rows_added) == ("youtube", 25)
        assert count(store, "platform = 'youtube' AND kind = 'reply' AND parent IS NOT NULL") == 5
        assert count(store, "kind = 'comment' AND replies = 1") == 5


def test_youtube_without_episode_is_refused_with_line(tmp_path: Path) -> None:
    with store_in(tmp_path) as store, pytest.raises(RowError) as error:
        import_signals(store, [EXPORTS / "youtube_ep1_commentThreads.json"], ImportOptions())
    assert error.value.reason == "no episode: add an episode column or pass --episode"
    assert error.value.line == 12  # the line of the first thread's id


def test_bilibili_danmaku(tmp_path: Path) -> None:
    with store_in(tmp_path) as store:
        [report] = import_signals(
            store,
            [EXPORTS / "bilibili_ep3_danmaku.xml"],
            ImportOptions(defaults=Defaults(episode=3)),
        )
        assert (report.format, report.rows_added) == ("bilibili", 232)
        row = store.conn.execute(
            "SELECT kind, platform, episode, video_time, posted_at FROM signals ORDER BY id LIMIT 1"
        ).fetchone()
        assert row[:3] == ("danmaku", "bilibili", 3)
        assert 5 <= row[3] < 7 and row[4] == 1717444800


def test_xml_with_doctype_is_refused(tmp_path: Path) -> None:
    with store_in(tmp_path) as store, pytest.raises(RowError, match="DOCTYPE") as error:
        import_signals(
            store, [FIXTURES / "doctype.xml"], ImportOptions(defaults=Defaults(episode=1))
        )
    assert error.value.line == 2
    with store_in(tmp_path) as store:
        assert count(store) == 0


def test_gbk_is_detected_and_encoding_can_be_forced(tmp_path: Path) -> None:
    gbk = EXPORTS / "kuaishou_ep3_gbk.csv"
    with pytest.raises(UnicodeDecodeError):
        gbk.read_text(encoding="utf-8")
    with store_in(tmp_path / "a") as store:
        [report] = import_signals(store, [gbk], ImportOptions())
        assert (report.encoding, report.rows_added) == ("gb18030", 142)
        assert count(store, "text = '护士才是幕后黑手'") >= 1
    with store_in(tmp_path / "b") as store:
        [report] = import_signals(store, [gbk], ImportOptions(encoding="gbk"))
        assert report.rows_added == 142
        with pytest.raises(SignalsError, match="not valid utf-8"):
            import_signals(store, [gbk], ImportOptions(encoding="utf-8"))


def test_undecodable_byte_is_located_in_the_file(tmp_path: Path) -> None:
    export = tmp_path / "late.csv"
    good = b"text,episode\n" + b"Su Qing is back,1\n" * 20_000  # past the first decoded chunk
    export.write_bytes(good + b"\xff,1\n")
    with store_in(tmp_path) as store, pytest.raises(SignalsError) as error:
        import_signals(store, [export], ImportOptions(encoding="utf-8"))
    assert str(error.value) == f"{export}: not valid utf-8 at byte {len(good)}; pass --encoding"


def test_format_detection_from_content(tmp_path: Path) -> None:
    expected = {
        "comments.csv": "csv",
        "youtube_ep1_commentThreads.json": "youtube",
        "bilibili_ep3_danmaku.xml": "bilibili",
    }
    for name, fmt in expected.items():
        assert (
            detect_format((EXPORTS / name).read_text(encoding="utf-8")[:4096], EXPORTS / name)
            == fmt
        )
    assert (
        detect_format((FIXTURES / "nested.jsonl").read_text(encoding="utf-8"), Path("x")) == "jsonl"
    )
    renamed = tmp_path / "export.txt"  # the extension says nothing; the content decides
    renamed.write_bytes((EXPORTS / "bilibili_ep3_danmaku.xml").read_bytes())
    with store_in(tmp_path) as store:
        [report] = import_signals(store, [renamed], ImportOptions(defaults=Defaults(episode=3)))
        assert report.format == "bilibili"


def test_every_example_export_imports(tmp_path: Path) -> None:
    with store_in(tmp_path) as store:
        import_all_examples(store)
        platforms = dict(store.conn.execute("SELECT platform, count(*) FROM signals GROUP BY 1"))
        assert platforms == {
            "weibo": 1181,
            "tiktok": 463,
            "kuaishou": 142,
            "douyin": 40,
            "youtube": 25,
            "bilibili": 232,
        }
        metrics = store.conn.execute(
            "SELECT episode, views, completion_rate, retention_unit, retention "
            "FROM episode_metrics ORDER BY episode"
        ).fetchall()
        assert [row[:4] for row in metrics] == [
            (1, 184200, 0.41, "second"),
            (2, 151900, 0.38, "second"),
            (3, 139400, 0.44, "second"),
            (4, 176800, 0.47, "second"),
            (5, 171300, 0.45, "second"),
            (6, 182600, 0.48, "second"),
            (7, 231500, 0.61, "second"),
            (8, 214900, 0.52, "second"),
            (9, 205300, 0.53, "second"),
            (10, 188700, 0.46, "second"),
            (11, 179200, 0.33, "second"),
            (12, 168400, 0.5, "second"),
            (13, 166100, 0.49, "second"),
            (14, 187900, 0.55, "second"),
        ]
        assert json.loads(metrics[0][4])[:2] == [[0, 1.0], [15, 0.82]]


def test_malformed_row_aborts_and_leaves_store_unchanged(tmp_path: Path) -> None:
    with store_in(tmp_path) as store:
        import_signals(store, [EXPORTS / "comments.csv"], ImportOptions())
        before = table_dump(store)
        with pytest.raises(RowError) as error:
            # the good export first: its rows must be rolled back too
            import_signals(
                store,
                [EXPORTS / "kuaishou_ep3_gbk.csv", FIXTURES / "malformed.csv"],
                ImportOptions(),
            )
        assert str(error.value) == f"{FIXTURES / 'malformed.csv'}:4: likes 'lots' is not a count"
        assert table_dump(store) == before


def test_skip_invalid_imports_the_rest_and_reports_each_skip(tmp_path: Path) -> None:
    with store_in(tmp_path) as store:
        [report] = import_signals(
            store, [FIXTURES / "malformed.csv"], ImportOptions(skip_invalid=True)
        )
        assert [(skip.line, skip.reason) for skip in report.skipped] == [
            (4, "likes 'lots' is not a count"),
            (5, "episode 'zero' is not an episode number"),
        ]
        assert (report.rows_read, report.rows_added) == (5, 3)
        logged = store.conn.execute(
            "SELECT rows_read, rows_added, rows_skipped FROM imports"
        ).fetchone()
        assert logged == (5, 3, 2)


def test_reimport_adds_nothing_and_is_logged(tmp_path: Path) -> None:
    with store_in(tmp_path) as store:
        import_all_examples(store)
        signals_before = count(store)
        import_all_examples(store)
        assert count(store) == signals_before
        fts = store.conn.execute("SELECT count(*) FROM signals_fts").fetchone()[0]
        assert fts == signals_before
        imports = store.conn.execute(
            "SELECT file, sha256, rows_read, rows_added FROM imports"
        ).fetchall()
        assert len(imports) == 12
        first, again = imports[0], imports[6]
        assert first[:3] == again[:3] and again[3] == 0
        assert len(first[1]) == 64


def test_rows_without_id_deduplicate_on_content(tmp_path: Path) -> None:
    export = tmp_path / "noid.csv"
    export.write_text("text,author,episode\nSu Qing is back,a1,1\nSu Qing is back,a2,1\n", "utf-8")
    with store_in(tmp_path) as store:
        [first] = import_signals(store, [export], ImportOptions())
        [second] = import_signals(store, [export], ImportOptions())
        assert (first.rows_added, second.rows_added, second.duplicates) == (2, 0, 2)


def test_metrics_errors_name_line_and_keep_store(tmp_path: Path) -> None:
    bad = tmp_path / "metrics.csv"
    bad.write_text(
        "episode,views,completion_rate,retention_p50\n1,1000,0.5,0.4\n2,900,140%,0.3\n", "utf-8"
    )
    with store_in(tmp_path) as store:
        with pytest.raises(RowError, match=r"metrics.csv:3: completion_rate '140%' is not between"):
            import_metrics(store, bad, ImportOptions())
        assert store.conn.execute("SELECT count(*) FROM episode_metrics").fetchone()[0] == 0
        report = import_metrics(store, bad, ImportOptions(skip_invalid=True))
        assert report.rows_added == 1
        assert store.conn.execute("SELECT retention_unit FROM episode_metrics").fetchone() == (
            "percentile",
        )


def test_metrics_csv_syntax_error_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "metrics.csv"
    bad.write_text('episode,views\n1,100\n2,"' + "9" * 200_000 + '"\n', "utf-8")
    with store_in(tmp_path) as store, pytest.raises(RowError) as error:
        import_metrics(store, bad, ImportOptions())
    assert str(error.value) == f"{bad}:3: CSV: field larger than field limit (131072)"

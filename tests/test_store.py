"""The store on its own: transactions, the newest-verdict view, migrations, file permissions,
and the faults a user can meet (read-only, corrupted, missing folder, full disk)."""

from __future__ import annotations

import hashlib
import sqlite3
import stat

import pytest

from pipeline import store
from pipeline.calls import Call, CallRecord, Finding, Segment
from pipeline.store import StoreError, latest_reviews, load_call, open_db, save_call, writing


def record(call_id="c1", text="你再不还钱我们就上门", findings=1):
    call = Call(call_id, [Segment(0.0, 2.0, "agent", text)], started_at="2026-03-02T10:15:00+08:00")
    found = [
        Finding(call_id, "threat", "high", 0.9, 0.0, 2.0, "agent", 0, text, ["GB 5.2.1.2"], "rule:threat", "")
        for _ in range(findings)
    ]
    return CallRecord(call, f"{call_id}.json", hashlib.sha256(call_id.encode()).hexdigest(), findings=found)


def read_only_connect(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    return store.sqlite_utils.Database(conn)


# --- writes and transactions ---------------------------------------------------------------


def test_a_call_is_stored_whole_and_replaced_whole(db):
    save_call(db, record(findings=2))
    assert load_call(db, "c1").segments[0].text == "你再不还钱我们就上门"
    save_call(db, record(text="新的文本", findings=1))  # same hash: replaced (--force)
    assert db["calls"].count == 1 and db["findings"].count == 1
    assert load_call(db, "c1").segments[0].text == "新的文本"


def test_findings_are_read_back_as_they_were_written(db):
    written = record(findings=2)
    written.findings[1].span_start, written.findings[1].span_end = 4, 6
    save_call(db, written)
    save_call(db, record("c2", findings=1))
    assert store.load_findings(db, "c1") == written.findings
    assert [f.call_id for f in store.load_findings(db)] == ["c1", "c1", "c2"]


def test_a_failing_write_leaves_nothing_behind(db):
    broken = record()
    broken.findings[0].severity = None  # NOT NULL: the insert fails after the call row
    with pytest.raises(sqlite3.IntegrityError):
        save_call(db, broken)
    assert db["calls"].count == 0 and db["segments"].count == 0


def test_nested_writing_is_a_savepoint_of_the_outer_transaction(db):
    with writing(db):
        db.execute("INSERT INTO runs (command, started_at) VALUES ('outer', 'now')")
        with pytest.raises(ValueError), writing(db):
            db.execute("INSERT INTO runs (command, started_at) VALUES ('inner', 'now')")
            raise ValueError("undo the inner part only")
    assert [r[0] for r in db.execute("SELECT command FROM runs")] == ["outer"]
    assert not db.conn.in_transaction


def test_statements_outside_writing_leave_no_transaction_open(db):
    db.execute("INSERT INTO runs (command, started_at) VALUES ('bare', 'now')")
    assert not db.conn.in_transaction
    assert open_db(db.execute("PRAGMA database_list").fetchone()[2])["runs"].count == 1


# --- the newest verdict wins, one definition --------------------------------------------------


def test_latest_reviews_keeps_the_newest_review_of_each_finding_and_every_miss(db):
    save_call(db, record(findings=2))
    first, second = [r[0] for r in db.execute("SELECT id FROM findings ORDER BY id")]
    rows = [
        (first, "confirmed", "2026-03-03T10:00:00+00:00"),
        (first, "dismissed", "2026-03-04T10:00:00+00:00"),
        (second, "uncertain", "2026-03-04T10:00:00+00:00"),
        (second, "confirmed", "2026-03-04T10:00:00+00:00"),  # same second: the later row wins
        (None, "missed", "2026-03-01T10:00:00+00:00"),
        (None, "missed", "2026-03-02T10:00:00+00:00"),
    ]
    for finding_id, verdict, at in rows:
        db.execute(
            "INSERT INTO reviews (finding_id, call_id, verdict, category, reviewer, created_at) "
            "VALUES (?, 'c1', ?, 'threat', 'wang', ?)",
            [finding_id, verdict, at],
        )
    latest = [(r["finding_id"], r["verdict"]) for r in latest_reviews(db)]
    assert latest == [(first, "dismissed"), (second, "confirmed"), (None, "missed"), (None, "missed")]


# --- schema and migrations ---------------------------------------------------------------------


def test_migrations_run_once_on_old_databases_and_are_counted_applied_on_new_ones(tmp_path, monkeypatch):
    old = open_db(tmp_path / "old.db")
    old.close()
    count = len(store.MIGRATIONS) + 1
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, "ALTER TABLE segments ADD COLUMN probe_column TEXT"])
    migrated = open_db(tmp_path / "old.db")
    assert "probe_column" in migrated["segments"].columns_dict
    assert migrated.execute("PRAGMA user_version").fetchone()[0] == count
    migrated.close()
    open_db(tmp_path / "old.db").close()  # applied once: a second ALTER would fail
    fresh = open_db(tmp_path / "new.db")
    assert fresh.execute("PRAGMA user_version").fetchone()[0] == count


def test_the_database_is_created_readable_by_its_owner_only(tmp_path):
    db = open_db(tmp_path / "qa.db")
    save_call(db, record())
    for name in ("qa.db", "qa.db-wal", "qa.db-shm"):
        mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
        assert mode == 0o600, (name, oct(mode))


# --- faults a user can meet ---------------------------------------------------------------------


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="folder .*missing does not exist"):
        open_db(tmp_path / "missing" / "qa.db")


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "qa.db"
    path.write_bytes(b"this is not sqlite at all" * 200)
    with pytest.raises(StoreError, match="not a callqa database or is corrupted"):
        open_db(path)


def test_a_read_only_database_is_a_clear_error(tmp_path, monkeypatch):
    open_db(tmp_path / "qa.db").close()
    monkeypatch.setattr(store, "connect", read_only_connect)
    with pytest.raises(StoreError, match="qa.db: .*read-only"):
        open_db(tmp_path / "qa.db")


def test_writing_to_a_read_only_connection_is_a_clear_error(tmp_path):
    open_db(tmp_path / "qa.db").close()
    db = read_only_connect(tmp_path / "qa.db")
    with pytest.raises(StoreError, match="qa.db: cannot write to the database: .*read-only"):
        save_call(db, record())


def test_a_full_disk_is_a_clear_error_and_loses_nothing_stored(db):
    save_call(db, record("kept"))
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(StoreError, match="the disk is full"):
        save_call(db, record("big", text="很长的一句话" * 2000))  # 36 kB against 8 kB of room
    assert [r[0] for r in db.execute("SELECT id FROM calls")] == ["kept"]


def test_the_console_refuses_to_start_on_a_read_only_database(tmp_path, monkeypatch):
    from pipeline.review.app import create_app

    open_db(tmp_path / "qa.db").close()
    monkeypatch.setattr(store, "connect", read_only_connect)
    with pytest.raises(StoreError, match="read-only"):
        create_app(tmp_path / "qa.db", secret="s")


def test_an_export_the_audit_log_cannot_record_is_not_written(tmp_path):
    from pipeline.review.actions import export_findings

    open_db(tmp_path / "qa.db").close()
    with pytest.raises(StoreError, match="read-only"):
        export_findings(read_only_connect(tmp_path / "qa.db"), tmp_path / "out.csv", "wang")
    assert not (tmp_path / "out.csv").exists()


def test_a_database_from_before_segment_loudness_gets_the_column(tmp_path):
    path = tmp_path / "old.db"
    db = open_db(path)
    db.conn.execute("ALTER TABLE segments DROP COLUMN rms_dbfs")
    db.conn.execute(f"PRAGMA user_version = {store.MIGRATIONS.index('ALTER TABLE segments ADD COLUMN rms_dbfs REAL')}")
    db.close()
    again = open_db(path)
    assert "rms_dbfs" in again["segments"].columns_dict
    assert again.execute("PRAGMA user_version").fetchone()[0] == len(store.MIGRATIONS)

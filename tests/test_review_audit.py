import sqlite3

import pytest

from pipeline.review import audit


def test_rows_are_appended_and_cannot_be_changed(db):
    audit.record(db, "wang", "view_call", "call", "c1")
    audit.record(db, "wang", "unmask", "call", "c1", result="denied")
    rows = list(db.query("SELECT username, action, object_type, object_id, result FROM audit_log ORDER BY id"))
    assert [tuple(r.values()) for r in rows] == [
        ("wang", "view_call", "call", "c1", "ok"),
        ("wang", "unmask", "call", "c1", "denied"),
    ]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit_log")

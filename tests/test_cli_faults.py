"""The command line on broken ground (issue 12 item 13): a corrupted or read-only database, a
missing --out folder, impossible option values. Each gives one message and exit 1, never a
traceback, and leaves no half-written file or half-recorded sample."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner
from test_store import read_only_connect

from pipeline import store
from pipeline.cli import cli
from pipeline.store import open_db

# Every command that opens a database, with the other arguments it needs.
DB_COMMANDS = [
    ["scan", "--transcripts", "{tmp}/calls.jsonl", "--db", "{db}"],
    ["search", "法院", "--db", "{db}"],
    ["findings", "--db", "{db}"],
    ["review", "1", "--verdict", "confirmed", "--reviewer", "wang", "--db", "{db}"],
    ["export", "--out", "{tmp}/out.csv", "--db", "{db}"],
    ["sample", "--year", "2026", "--size", "1", "--db", "{db}"],
    ["sample", "--verify", "1", "--db", "{db}"],
    ["report", "--year", "2026", "--out", "{tmp}/r.html", "--db", "{db}"],
    ["monitor", "--db", "{db}"],
    ["redetect", "--db", "{db}"],
    ["serve", "--db", "{db}"],
    ["user", "add", "wang", "--password-stdin", "--db", "{db}"],
    ["train", "--with-reviews", "--out", "{tmp}/m.skops", "--db", "{db}"],
]


def invoke(args, tmp_path, db_path, stdin="a-good-password\n"):
    (tmp_path / "calls.jsonl").write_text('{"call_id": "c1", "segments": []}\n', encoding="utf-8")
    args = [a.format(tmp=tmp_path, db=db_path) for a in args]
    return CliRunner().invoke(cli, args, input=stdin)


def assert_message(result, *words):
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


@pytest.mark.parametrize("args", DB_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_corrupted_database_is_one_message(tmp_path, args):
    path = tmp_path / "qa.db"
    path.write_bytes(b"\x00garbage, not a database" * 400)
    assert_message(invoke(args, tmp_path, path), "qa.db", "corrupted")


@pytest.mark.parametrize("args", DB_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_read_only_database_is_one_message(tmp_path, args, monkeypatch):
    path = tmp_path / "qa.db"
    open_db(path).close()
    monkeypatch.setattr(store, "connect", read_only_connect)
    assert_message(invoke(args, tmp_path, path), "qa.db", "read-only")


def test_export_into_a_missing_folder_is_one_message_and_audited_failed(tmp_path):
    open_db(tmp_path / "qa.db").close()
    result = invoke(["export", "--out", "{tmp}/missing/out.csv", "--db", "{db}"], tmp_path, tmp_path / "qa.db")
    assert_message(result, "missing", "does not exist")
    rows = open_db(tmp_path / "qa.db").execute("SELECT result FROM audit_log WHERE action = 'export'").fetchall()
    assert [r[0] for r in rows] == ["ok", "failed"]  # the attempt, then its failure


def test_a_sample_is_not_recorded_when_its_out_folder_is_missing(tmp_path):
    from fixtures.selfcheck_db import add_call

    db = open_db(tmp_path / "qa.db")
    add_call(db, "c1", "2026-01-01T10:00:00+08:00", "某某信用管理", "A01")
    result = invoke(
        ["sample", "--year", "2026", "--size", "1", "--out", "{tmp}/missing/s.xlsx", "--db", "{db}"],
        tmp_path,
        tmp_path / "qa.db",
    )
    assert_message(result, "does not exist")
    assert db["samples"].count == 0


@pytest.mark.parametrize(
    "args, words",
    [
        (
            ["sample", "--year", "2026", "--size", "1", "--oversample-flagged", "nan", "--db", "{db}"],
            ["oversample-flagged"],
        ),
        (["sample", "--verify", str(10**30), "--db", "{db}"], ["no sample"]),
    ],
)
def test_impossible_option_values_are_one_message(tmp_path, args, words):
    open_db(tmp_path / "qa.db").close()
    assert_message(invoke(args, tmp_path, tmp_path / "qa.db"), *words)


def test_the_read_only_fake_really_refuses_writes(tmp_path):
    open_db(tmp_path / "qa.db").close()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        read_only_connect(tmp_path / "qa.db").execute("INSERT INTO runs (command, started_at) VALUES ('x', 'y')")

"""The console's commands: user add, findings, review, export (serve is the app, tested apart)."""

import csv

import pytest
from click.testing import CliRunner
from console_fixtures import add_call, finding_id

from pipeline.cli import cli
from pipeline.review import auth
from pipeline.store import open_db


@pytest.fixture
def db_path(tmp_path):
    db = open_db(tmp_path / "qa.db")
    add_call(db, "c1", "2026-03-02T10:15:00+08:00", [("threat", "high", 0.9)], text="电话13812345678，我们就上门")
    add_call(db, "c2", "2026-03-03T10:15:00+08:00", [("exaggeration", "low", 0.4)])
    return str(tmp_path / "qa.db")


def run(*args, input=None):
    result = CliRunner().invoke(cli, list(args), input=input)
    return result


def test_user_add_reads_password_from_stdin(db_path):
    result = run("user", "add", "wang", "--db", db_path, "--role", "admin", "--password-stdin", input="s3cret-pass\n")
    assert result.exit_code == 0, result.output
    assert auth.authenticate(open_db(db_path), "wang", "s3cret-pass").is_admin


def test_user_add_prompts_twice(db_path):
    result = run("user", "add", "li", "--db", db_path, input="long-password\nlong-password\n")
    assert result.exit_code == 0, result.output
    assert "long-password" not in result.output
    assert auth.authenticate(open_db(db_path), "li", "long-password").role == "reviewer"


def test_user_add_refuses_a_short_password(db_path):
    result = run("user", "add", "wang", "--db", db_path, "--password-stdin", input="short\n")
    assert result.exit_code != 0 and "at least 8" in result.output


def test_user_add_makes_an_appellant_of_an_agency(db_path):
    missing = run("user", "add", "shen", "--db", db_path, "--role", "appellant", "--password-stdin", input="x\n")
    assert missing.exit_code == 2 and "--agency" in missing.output
    result = run(
        "user",
        "add",
        "shen",
        "--db",
        db_path,
        "--role",
        "appellant",
        "--agency",
        "甲机构",
        "--password-stdin",
        input="appeal-password\n",
    )
    assert result.exit_code == 0, result.output
    account = auth.authenticate(open_db(db_path), "shen", "appeal-password")
    assert account.is_appellant and account.agency == "甲机构"


def test_findings_prints_the_queue(db_path):
    result = run("findings", "--db", db_path, "--category", "threat")
    assert result.exit_code == 0, result.output
    assert "c1" in result.output and "c2" not in result.output and "威胁恐吓" in result.output


def test_review_records_a_verdict_and_audits_it(db_path):
    run("user", "add", "wang", "--db", db_path, "--password-stdin", input="long-password\n")
    finding = finding_id(open_db(db_path), "c1", "threat")
    result = run(
        "review", str(finding), "--db", db_path, "--verdict", "confirmed", "--comment", "属实", "--reviewer", "wang"
    )
    assert result.exit_code == 0, result.output
    db = open_db(db_path)
    assert db.execute("SELECT verdict, comment, reviewer FROM reviews").fetchall() == [("confirmed", "属实", "wang")]
    assert db.execute("SELECT action, username, result FROM audit_log").fetchall() == [("verdict", "wang", "ok")]
    assert "c1" not in run("findings", "--db", db_path).output


def test_review_needs_a_known_reviewer(db_path):
    result = run("review", "1", "--db", db_path, "--verdict", "confirmed", "--reviewer", "ghost")
    assert result.exit_code != 0 and "no active user 'ghost'" in result.output


def test_export_writes_masked_csv_and_audits(db_path, tmp_path):
    out = tmp_path / "findings.csv"
    result = run("export", "--db", db_path, "--out", str(out), "--user", "lead")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 3 and rows[1][7] == "电话***********，我们就上门"
    audit = open_db(db_path).execute("SELECT username, action, object_id FROM audit_log").fetchall()
    assert audit == [("lead", "export", str(out))]


def test_export_refuses_an_unknown_format(db_path, tmp_path):
    result = run("export", "--db", db_path, "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code != 0 and "must end in .xlsx or .csv" in result.output


def test_serve_refuses_a_database_without_accounts(db_path):
    result = run("serve", "--db", db_path)
    assert result.exit_code != 0 and "callqa user add NAME" in result.output

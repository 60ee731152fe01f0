"""The console under the probes of issue 12: parallel guessing, replayed cookies, search
probing of masked numbers, hostile form and query values, and the audit trail."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from console_fixtures import PASSWORDS, add_call, build_db
from fastapi.testclient import TestClient
from test_review_app import CALL, audit_rows, client_for, csrf_of, logged_in

from pipeline.review import auth
from pipeline.review.app import create_app
from pipeline.store import connect, open_db

PHONE = "13812345678"  # in the fixture call CALL's transcript


@pytest.fixture
def console(tmp_path):
    return build_db(tmp_path)


def try_login(info, username, password, client=None):
    client = client or client_for(info)
    data = {"username": username, "password": password, "csrf_token": csrf_of(client), "next": "/"}
    return client.post("/login", data=data)


# --- logins: limits that hold under parallel guessing (item 2) -------------------------------


def test_parallel_wrong_passwords_check_at_most_the_limit(real_password_hashing, console):
    """The probe: 60 wrong passwords from 8 threads gave 27 guesses against a limit of 5 and
    only 8 audited failures."""
    statuses = []

    def guess(n):
        client = client_for(console)
        for i in range(n):
            statuses.append(try_login(console, "wang", f"wrong-{i}", client).status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in [8] * 4 + [7] * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 60 and set(statuses) <= {401, 429}
    db = open_db(console["db_path"])
    checked = db.execute("SELECT COUNT(*) FROM login_attempts WHERE outcome IS NOT NULL").fetchone()[0]
    assert checked == statuses.count(401) <= auth.MAX_FAILED_LOGINS
    audited = db.execute("SELECT COUNT(*) FROM audit_log WHERE object_id = 'wang' AND action LIKE 'login%'")
    assert audited.fetchone()[0] == 60
    assert try_login(console, "wang", PASSWORDS["wang"]).status_code == 429  # locked for the window


def test_one_address_cannot_spray_user_names(console):
    statuses = [try_login(console, f"user{i}", "wrong-password").status_code for i in range(30)]
    limit = auth.MAX_FAILED_LOGINS_PER_ADDRESS
    assert statuses == [401] * limit + [429] * (30 - limit)
    assert len(audit_rows(console, "login_failed")) + len(audit_rows(console, "login")) == 30


# --- sessions: server side, revoked, with a fixed lifetime (item 5) ----------------------------


def test_a_cookie_replayed_after_logout_is_refused(console):
    client = logged_in(console)
    cookie = client.cookies.get("callqa_session")
    assert client.get("/").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_of(client, "/")})
    replay = client_for(console)
    replay.cookies.set("callqa_session", cookie)
    assert replay.get("/").status_code == 303
    assert replay.get("/api/queue").status_code == 401


def test_a_password_reset_ends_the_accounts_sessions(console):
    client = logged_in(console)
    auth.add_user(open_db(console["db_path"]), "wang", "a-new-password", "reviewer")
    assert client.get("/api/queue").status_code == 401


def test_a_session_ends_at_its_fixed_expiry_however_active(console):
    client = logged_in(console)
    assert client.get("/api/queue").status_code == 200
    db = open_db(console["db_path"])
    db.execute("UPDATE sessions SET expires_at = '2000-01-01T00:00:00+00:00'")
    assert client.get("/api/queue").status_code == 401


def test_https_option_marks_the_cookie_secure(console):
    client = TestClient(create_app(console["db_path"], secret="s", https=True), base_url="https://testserver")
    response = client.get("/login")
    assert "secure" in response.headers["set-cookie"].lower()


# --- search and masking (items 3 and 4) -----------------------------------------------------------


def test_masked_number_cannot_be_recovered_by_search(console):
    """The probe extended a query digit by digit and read the hit count (59 requests)."""
    reviewer = logged_in(console)
    prefixes = [PHONE[:n] for n in range(4, len(PHONE) + 1)]
    totals = [reviewer.get("/api/queue", params={"q": p, "status": "all"}).json()["total"] for p in prefixes]
    assert totals == [0] * len(prefixes)
    assert reviewer.get("/api/queue", params={"q": "*", "status": "all"}).json()["total"] == 0
    admin = logged_in(console, "admin")
    assert admin.get("/api/queue", params={"q": PHONE, "status": "all"}).json()["total"] == 1
    searches = audit_rows(console, "search")
    assert len(searches) == len(prefixes) + 2 and searches[-1]["detail"].startswith(PHONE)


def test_call_ids_agents_and_agencies_are_masked_where_reviewers_see_them(console):
    db = open_db(console["db_path"])
    add_call(
        db,
        "13987654321",
        "2026-03-05T10:00:00+08:00",
        [("threat", "high", 0.9)],
        agency="张先生催收",
        agent="13700001111",
    )
    client = logged_in(console)
    page = client.get("/call", params={"id": "13987654321"}).text
    assert "<h1>通话 ***********</h1>" in page and "<dd>*先生催收</dd>" in page and "13700001111" not in page
    queue = client.get("/", params={"status": "all"}).text
    assert ">***********</a>" in queue and "13700001111" not in queue
    rows = client.get("/api/queue", params={"status": "all"}).json()["calls"]
    assert ("***********", "***********", "*先生催收") in [(r["call_id"], r["agent_id"], r["agency"]) for r in rows]
    export = client.get("/export.csv").content.decode("utf-8-sig")
    assert "13987654321" not in export and "***********" in export


# --- hostile form and query values (item 10) ---------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        {"start": "0", "end": "inf"},
        {"start": "nan", "end": "2"},
        {"start": "0", "end": "1e400"},
        {"start": "0", "end": "2", "category": "<b>threat</b>"},
        {"start": "0", "end": "2", "call_id": "x" * 5000},
    ],
)
def test_bad_missed_findings_are_400_and_the_page_still_works(console, form):
    client = logged_in(console)
    data = {"call_id": CALL, "category": "threat", "csrf_token": csrf_of(client, "/"), **form}
    assert client.post("/call/missed", data=data).status_code == 400
    assert open_db(console["db_path"]).execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
    assert client.get("/call", params={"id": CALL}).status_code == 200
    assert logged_in(console, "admin").get("/call", params={"id": CALL}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"page": "²"},
        {"page": "9" * 20},
        {"sample_id": "²"},
        {"sample_id": "9" * 20},
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"q": "x" * 10000},
        {"status": "\x00"},
    ],
)
def test_odd_queue_parameters_never_give_a_500(console, params):
    client = logged_in(console)
    assert client.get("/", params=params).status_code == 200
    assert client.get("/api/queue", params=params).status_code == 200
    assert client.get("/call", params={"id": CALL, "pos": params.get("page", "²")}).status_code == 200


def test_a_huge_finding_id_is_a_400_not_a_500(console):
    client = logged_in(console)
    data = {"verdict": "confirmed", "csrf_token": csrf_of(client, "/")}
    assert client.post("/findings/" + "9" * 20 + "/review", data=data).status_code == 400
    assert client.post("/findings/99999/review", data=data).status_code == 400


def test_an_internal_error_page_shows_no_internals(console, monkeypatch):
    from pipeline.review import queries

    def broken(db, call_id):
        raise RuntimeError("/srv/secret/path/qa.db: ffmpeg said something")

    client = TestClient(create_app(console["db_path"], secret="test-secret"), raise_server_exceptions=False)
    token = csrf_of(client)
    client.post("/login", data={"username": "wang", "password": PASSWORDS["wang"], "csrf_token": token})
    monkeypatch.setattr(queries, "call_view", broken)
    response = client.get("/call", params={"id": CALL})
    assert response.status_code == 500 and "secret" not in response.text and "ffmpeg" not in response.text


# --- the audit trail (item 11) ----------------------------------------------------------------


def test_audit_rows_cannot_be_replaced(console):
    db = connect(console["db_path"])
    logged_in(console)
    first = db.execute("SELECT id FROM audit_log ORDER BY id LIMIT 1").fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute(
            "INSERT OR REPLACE INTO audit_log (id, at, action, result) VALUES (?, 'now', 'forged', 'ok')", [first]
        )
    assert db.execute("SELECT action FROM audit_log WHERE id = ?", [first]).fetchone()[0] != "forged"


def test_recordings_played_are_audited(console):
    client = logged_in(console)
    assert client.get("/call/audio", params={"id": CALL}).status_code == 200
    client.get("/call/audio", params={"id": CALL}, headers={"Range": "bytes=100-200"})
    assert [(r["object_id"], r["result"]) for r in audit_rows(console, "play_audio")] == [(CALL, "ok")]


def test_unmasking_a_call_that_does_not_exist_is_refused_and_logged(console):
    client = logged_in(console, "admin")
    response = client.post("/call/unmask", data={"call_id": "no-such-call", "csrf_token": csrf_of(client, "/")})
    assert response.status_code == 404
    assert [r["result"] for r in audit_rows(console, "unmask")] == ["failed"]

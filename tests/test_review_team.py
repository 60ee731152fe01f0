"""Reviewers working as a team: background verdicts with an optimistic check, claims and
assignments, the team's statistics, the export under the queue's filters."""

from __future__ import annotations

import csv
import io

import pytest
from console_fixtures import build_db
from test_review_app import CALL, audit_rows, csrf_of, logged_in

from pipeline.review import team
from pipeline.store import open_db


@pytest.fixture
def info(tmp_path):
    return build_db(tmp_path)


def verdict(client, finding, value, base, comment=""):
    token = csrf_of(client, "/")
    return client.post(
        f"/api/findings/{finding}/verdict",
        data={"verdict": value, "base": str(base), "comment": comment, "csrf_token": token},
    )


def test_a_verdict_in_the_background_answers_json(info):
    client = logged_in(info)
    finding = info["finding_ids"][f"{CALL}:threat"]
    response = verdict(client, finding, "confirmed", 0, "明确威胁 13812345678")
    assert response.status_code == 200
    body = response.json()
    assert (body["verdict"], body["label"], body["reviewer"]) == ("confirmed", "属实", "wang")
    assert body["base"] == body["review_id"] and "13812345678" not in body["comment"]
    # the next verdict from the same page builds on the one just saved
    assert verdict(client, finding, "dismissed", body["base"]).status_code == 200


def test_a_stale_verdict_is_refused_with_a_warning_and_nothing_is_overwritten(info):
    wang, li = logged_in(info, "wang"), logged_in(info, "li")
    finding = info["finding_ids"][f"{CALL}:threat"]
    # both opened the call while the finding was open (base 0); li decides first
    assert verdict(li, finding, "confirmed", 0).status_code == 200
    stale = verdict(wang, finding, "dismissed", 0)
    assert stale.status_code == 409
    assert "li" in stale.json()["detail"] and "属实" in stale.json()["detail"]
    assert stale.json()["current"]["verdict"] == "confirmed"
    db = open_db(info["db_path"])
    assert db.execute("SELECT verdict, reviewer FROM reviews WHERE finding_id = ?", [finding]).fetchall() == [
        ("confirmed", "li")
    ]
    assert [r["result"] for r in audit_rows(info, "verdict")] == ["ok", "failed"]
    # having seen li's verdict, wang may still decide otherwise: a new review, li's kept as history
    insisted = verdict(wang, finding, "dismissed", stale.json()["current"]["base"])
    assert insisted.status_code == 200
    assert [r[0] for r in db.execute("SELECT reviewer FROM reviews WHERE finding_id = ? ORDER BY id", [finding])] == [
        "li",
        "wang",
    ]


def test_the_plain_form_is_checked_too(info):
    wang, li = logged_in(info, "wang"), logged_in(info, "li")
    finding = info["finding_ids"][f"{CALL}:threat"]
    assert verdict(li, finding, "confirmed", 0).status_code == 200
    form = {"verdict": "dismissed", "base": "0", "csrf_token": csrf_of(wang, "/"), "back": "/"}
    response = wang.post(f"/findings/{finding}/review", data=form)
    assert response.status_code == 409 and "未保存" in response.text


def test_a_claimed_call_leaves_other_reviewers_default_queue(info):
    wang, li = logged_in(info, "wang"), logged_in(info, "li")
    response = wang.post("/call/claim", data={"call_id": CALL, "csrf_token": csrf_of(wang, "/"), "back": "/"})
    assert response.status_code == 303

    def calls(client, **params):
        return [c["call_id"] for c in client.get("/api/queue", params=params).json()["calls"]]

    assert CALL in calls(wang) and CALL not in calls(li)
    assert calls(wang, scope="mine") == [CALL] and calls(li, scope="mine") == []
    assert CALL in calls(li, scope="all")
    assert "此通电话由 wang" in li.get("/call", params={"id": CALL}).text
    # li cannot take it while wang holds it
    refused = li.post("/call/claim", data={"call_id": CALL, "csrf_token": csrf_of(li, "/"), "back": "/"})
    assert refused.status_code == 409 and "wang" in refused.text
    assert [(r["username"], r["result"]) for r in audit_rows(info, "claim")] == [("wang", "ok"), ("li", "denied")]


def test_a_claim_expires_and_a_verdict_renews_it(info):
    db = open_db(info["db_path"])
    team.claim(db, CALL, "wang")
    db.execute("UPDATE assignments SET expires_at = '2000-01-01T00:00:00+00:00'")
    assert team.holder(db, CALL) is None
    team.claim(db, CALL, "li")  # an expired claim is free to take
    before = team.holder(db, CALL).expires_at
    db.execute("UPDATE assignments SET expires_at = '2999-01-01T00:00:00+00:00'")
    team.renew(db, CALL, "li")
    assert team.holder(db, CALL).expires_at < "2999" and team.holder(db, CALL).expires_at >= before


def test_an_admin_assigns_and_a_reviewer_cannot(info):
    admin, wang = logged_in(info, "admin"), logged_in(info, "wang")
    form = {"call_id": CALL, "assignee": "li", "back": "/"}
    assert wang.post("/call/assign", data={**form, "csrf_token": csrf_of(wang, "/")}).status_code == 403
    assert admin.post("/call/assign", data={**form, "csrf_token": csrf_of(admin, "/")}).status_code == 303
    holder = team.holder(open_db(info["db_path"]), CALL)
    assert (holder.assignee, holder.assigned_by, holder.expires_at) == ("li", "admin", None)
    bad = admin.post("/call/assign", data={**form, "assignee": "ghost", "csrf_token": csrf_of(admin, "/")})
    assert bad.status_code == 409


def test_team_page_counts_work_and_agreement(info):
    wang, li = logged_in(info, "wang"), logged_in(info, "li")
    threat = info["finding_ids"][f"{CALL}:threat"]
    leak = info["finding_ids"]["c-20260303-0003:third_party_leak"]
    verdict(wang, threat, "confirmed", 0)
    verdict(li, threat, "confirmed", open_db(info["db_path"]).execute("SELECT MAX(id) FROM reviews").fetchone()[0])
    verdict(wang, leak, "confirmed", 0)
    verdict(li, leak, "dismissed", open_db(info["db_path"]).execute("SELECT MAX(id) FROM reviews").fetchone()[0])
    pairs = team.agreement(open_db(info["db_path"]))
    assert [(a.reviewer, a.other, a.findings, a.agreed) for a in pairs] == [("li", "wang", 2, 1)]
    page = wang.get("/team").text
    assert "50%" in page and "双人复核一致率" in page


def test_export_honours_every_queue_filter_and_links_each_finding(info):
    client = logged_in(info)
    response = client.get(
        "/export.csv", params={"agency": "华信资产管理有限公司", "category": "impersonation", "status": "open"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    # the agency has two calls and the category is on one of them: one row, not every finding
    assert [(r["通话"], r["机构"], r["严重程度"]) for r in rows] == [("c-20260302-0002", "华信资产管理有限公司", "高")]
    assert rows[0]["说明"] == "坐席自称法院执行局工作人员"
    link = rows[0]["链接"]
    assert link.startswith("http://testserver/findings/")
    assert client.get(link.removeprefix("http://testserver")).headers["location"] == "/call?id=c-20260302-0002"


def test_explanations_and_search_show_no_digits_a_reviewer_may_not_see(info):
    db = open_db(info["db_path"])
    db.execute(
        "UPDATE findings SET explanation = '坐席念出卡号622202123…，并称打电话给你13…' WHERE call_id = ?", [CALL]
    )
    client = logged_in(info)
    page = client.get("/call", params={"id": CALL}).text
    assert "622202123" not in page and "13…" not in page and "*********…" in page
    # the transcript holds 13812345678: a reviewer's search cannot probe it digit by digit
    for probe in ("138", "1381234", "13812345678"):
        assert client.get("/api/queue", params={"q": probe, "status": "all"}).json()["calls"] == [], probe
    assert [r["detail"].split()[0] for r in audit_rows(info, "search")] == ["138", "1381234", "13812345678"]
    admin = logged_in(info, "admin")
    assert [c["call_id"] for c in admin.get("/api/queue", params={"q": "13812345678"}).json()["calls"]] == [CALL]


def test_dashboard_counts_precision_and_trend(info):
    wang = logged_in(info)
    threat = info["finding_ids"][f"{CALL}:threat"]
    leak = info["finding_ids"]["c-20260303-0003:third_party_leak"]
    verdict(wang, threat, "confirmed", 0)
    verdict(wang, leak, "dismissed", 0)
    page = wang.get("/dashboard").text
    assert '<span class="big" id="open-findings">5</span>' in page  # 7 findings, 2 decided
    assert "威胁恐吓 / 侮辱谩骂" in page and "100%" in page and "0%" in page
    assert "2026-03" in page


def test_an_admin_manages_accounts_in_the_console(info):
    admin, wang = logged_in(info, "admin"), logged_in(info, "wang")
    assert wang.get("/admin/users").status_code == 403
    token = csrf_of(admin, "/admin/users")
    short = admin.post(
        "/admin/users", data={"username": "zhao", "password": "short", "role": "reviewer", "csrf_token": token}
    )
    assert short.status_code == 400 and "密码至少 8 个字符" in short.text and 'value="zhao"' in short.text
    assert (
        admin.post(
            "/admin/users",
            data={"username": "zhao", "password": "zhao-password", "role": "reviewer", "csrf_token": token},
        ).status_code
        == 303
    )
    assert logged_in_as(info, "zhao", "zhao-password").get("/").status_code == 200
    assert (
        admin.post("/admin/users/active", data={"username": "wang", "active": "0", "csrf_token": token}).status_code
        == 303
    )
    assert wang.get("/").status_code == 303  # switched off: the session ended
    assert [r["detail"] for r in audit_rows(info, "user")] == [
        "password must have at least 8 characters",
        "saved as reviewer",
        "disabled",
    ]


def logged_in_as(info, username, password):
    from test_review_app import client_for

    client = client_for(info)
    client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_of(client)})
    return client


def test_a_malformed_base_is_refused_not_ignored(info):
    client = logged_in(info)
    finding = info["finding_ids"][f"{CALL}:threat"]
    assert verdict(client, finding, "confirmed", "²").status_code == 400
    assert verdict(client, finding, "confirmed", "1e3").status_code == 400
    assert open_db(info["db_path"]).execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0

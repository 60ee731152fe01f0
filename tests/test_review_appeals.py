"""Appeals (申诉/复议): an agency's account appeals a confirmed finding, a second reviewer
decides, everything is audited and counted, and the account sees nothing else."""

from __future__ import annotations

import pytest
from console_fixtures import AGENCY_A, build_db
from test_review_app import CALL, audit_rows, client_for, csrf_of

from pipeline.review import appeals, auth
from pipeline.store import open_db


@pytest.fixture
def info(tmp_path):
    info = build_db(tmp_path)
    auth.add_user(open_db(info["db_path"]), "agency-a", "agency-a-password", "appellant", agency=AGENCY_A)
    return info


def log_in(info, username, password=None):
    from console_fixtures import PASSWORDS

    client = client_for(info)
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": password or PASSWORDS[username],
            "csrf_token": csrf_of(client),
            "next": "/",
        },
    )
    assert response.status_code == 303
    return client


def confirm(client, finding):
    response = client.post(
        f"/api/findings/{finding}/verdict",
        data={"verdict": "confirmed", "base": "0", "csrf_token": csrf_of(client, "/")},
    )
    assert response.status_code == 200


def test_an_appeal_is_filed_by_the_agency_and_overturned_by_a_second_reviewer(info):
    wang, li = log_in(info, "wang"), log_in(info, "li")
    agency = log_in(info, "agency-a", "agency-a-password")
    threat = info["finding_ids"][f"{CALL}:threat"]
    confirm(wang, threat)

    page = agency.get("/appeals").text
    assert "威胁恐吓" in page and "13812345678" not in page
    token = csrf_of(agency, "/appeals")
    assert agency.post("/appeals", data={"finding_id": threat, "reason": "  ", "csrf_token": token}).status_code == 400
    filed = agency.post(
        "/appeals", data={"finding_id": threat, "reason": "坐席说的是上门核实地址，并非威胁", "csrf_token": token}
    )
    assert filed.status_code == 303
    again = agency.post("/appeals", data={"finding_id": threat, "reason": "再申诉", "csrf_token": token})
    assert again.status_code == 400 and "待复议" in again.text

    appeal = appeals.appeals(open_db(info["db_path"]), pending=True)[0]
    # the reviewer who confirmed it may not decide it
    own = wang.post(f"/appeals/{appeal.id}/decide", data={"decision": "overturned", "csrf_token": csrf_of(wang, "/")})
    assert own.status_code == 400 and "另一位质检员" in own.text
    decided = li.post(
        f"/appeals/{appeal.id}/decide",
        data={"decision": "overturned", "comment": "录音中确为核实地址", "csrf_token": csrf_of(li, "/")},
    )
    assert decided.status_code == 303

    db = open_db(info["db_path"])
    history = db.execute(
        "SELECT verdict, reviewer, comment FROM reviews WHERE finding_id = ? ORDER BY id", [threat]
    ).fetchall()
    assert history == [
        ("confirmed", "wang", None),
        ("dismissed", "li", f"申诉 {appeal.id} 复议改判：录音中确为核实地址"),
    ]
    assert appeals.counts(db) == {"filed": 1, "pending": 0, "upheld": 0, "overturned": 1}
    assert [(r["username"], r["result"]) for r in audit_rows(info, "appeal")] == [
        ("agency-a", "denied"),
        ("agency-a", "ok"),
        ("agency-a", "denied"),
    ]
    assert [(r["username"], r["result"]) for r in audit_rows(info, "appeal_decision")] == [
        ("wang", "denied"),
        ("li", "ok"),
    ]
    assert "已撤销" in agency.get("/appeals").text


def test_an_upheld_appeal_keeps_the_verdict(info):
    wang, li = log_in(info, "wang"), log_in(info, "li")
    agency = log_in(info, "agency-a", "agency-a-password")
    leak = info["finding_ids"]["c-20260303-0003:third_party_leak"]
    confirm(wang, leak)
    agency.post(
        "/appeals", data={"finding_id": leak, "reason": "对方是本人", "csrf_token": csrf_of(agency, "/appeals")}
    )
    appeal = appeals.appeals(open_db(info["db_path"]))[0]
    li.post(f"/appeals/{appeal.id}/decide", data={"decision": "upheld", "csrf_token": csrf_of(li, "/")})
    db = open_db(info["db_path"])
    assert db.execute("SELECT verdict FROM latest_reviews WHERE finding_id = ?", [leak]).fetchone() == ("confirmed",)
    assert appeals.counts(db)["upheld"] == 1


def test_an_appellant_sees_only_its_agency_and_only_the_appeals_page(info):
    wang = log_in(info, "wang")
    agency = log_in(info, "agency-a", "agency-a-password")
    other = info["finding_ids"]["c-20260302-0002:impersonation"]  # a call of AGENCY_B
    confirm(wang, other)
    assert "冒充" not in agency.get("/appeals").text
    refused = agency.post(
        "/appeals", data={"finding_id": other, "reason": "不是我们", "csrf_token": csrf_of(agency, "/appeals")}
    )
    assert refused.status_code == 400
    unconfirmed = info["finding_ids"][f"{CALL}:threat"]
    assert (
        agency.post(
            "/appeals", data={"finding_id": unconfirmed, "reason": "x", "csrf_token": csrf_of(agency, "/appeals")}
        ).status_code
        == 400
    )
    assert agency.get("/").headers["location"] == "/appeals"
    for path in (f"/call?id={CALL}", "/api/queue", "/export.csv", "/samples", "/team", f"/call/audio?id={CALL}"):
        assert agency.get(path).status_code == 403, path


def test_an_appellant_account_needs_an_agency(info):
    with pytest.raises(auth.UserError, match="agency"):
        auth.add_user(open_db(info["db_path"]), "x", "x-password-long", "appellant")

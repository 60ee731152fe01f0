"""The console's views and permissions, through FastAPI's TestClient."""

from __future__ import annotations

import csv
import io
import re

import pytest
from console_fixtures import PASSWORDS, add_call, build_db
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from pipeline.review.app import create_app
from pipeline.review.routes import ROUTERS
from pipeline.store import open_db

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    return build_db(tmp_path_factory.mktemp("console"))


@pytest.fixture
def fresh_db(tmp_path):
    """For tests that write: a database of their own."""
    return build_db(tmp_path)


def client_for(info) -> TestClient:
    return TestClient(create_app(info["db_path"], secret="test-secret"), follow_redirects=False)


def csrf_of(client: TestClient, path: str = "/login") -> str:
    return CSRF_FIELD.search(client.get(path, follow_redirects=True).text).group(1)


def logged_in(info, username: str = "wang") -> TestClient:
    client = client_for(info)
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORDS[username], "csrf_token": csrf_of(client), "next": "/"},
    )
    assert response.status_code == 303
    return client


def audit_rows(info, action: str) -> list[dict]:
    return list(open_db(info["db_path"]).query("SELECT * FROM audit_log WHERE action = ? ORDER BY id", [action]))


CALL = "c-20260302-0001"


# --- sessions and roles ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", f"/call?id={CALL}", "/admin/audit", "/export.csv"])
def test_pages_redirect_to_login_without_a_session(fixture_db, path):
    response = client_for(fixture_db).get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("path", ["/api/queue", f"/call/audio?id={CALL}"])
def test_api_and_audio_answer_401_without_a_session(fixture_db, path):
    assert client_for(fixture_db).get(path).status_code == 401


def test_login_then_logout(fresh_db):
    client = logged_in(fresh_db)
    queue = client.get("/")
    assert queue.status_code == 200 and "待复核队列" in queue.text
    client.post("/logout", data={"csrf_token": CSRF_FIELD.search(queue.text).group(1)})
    assert client.get("/").status_code == 303
    assert [r["result"] for r in audit_rows(fresh_db, "login")] == ["ok"]
    assert audit_rows(fresh_db, "logout")[0]["username"] == "wang"


def test_wrong_password_is_refused_and_logged(fresh_db):
    client = client_for(fresh_db)
    response = client.post(
        "/login", data={"username": "wang", "password": "guess", "csrf_token": csrf_of(client), "next": "/"}
    )
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text and 'value="wang"' in response.text  # the name is kept
    assert client.get("/").status_code == 303
    failed = audit_rows(fresh_db, "login_failed")
    assert [(r["username"], r["result"]) for r in failed] == [("wang", "failed")]


def test_repeated_failures_lock_the_username_for_a_while(fresh_db):
    client = client_for(fresh_db)
    token = csrf_of(client)
    for _ in range(5):
        client.post("/login", data={"username": "wang", "password": "guess", "csrf_token": token})
    right = client.post("/login", data={"username": "wang", "password": PASSWORDS["wang"], "csrf_token": token})
    assert right.status_code == 429 and "15 分钟" in right.text
    assert [r["result"] for r in audit_rows(fresh_db, "login")] == ["denied"]
    assert logged_in(fresh_db, "admin")  # other accounts are not affected


def test_login_does_not_redirect_off_site(fixture_db):
    client = client_for(fixture_db)
    response = client.post(
        "/login",
        data={
            "username": "wang",
            "password": PASSWORDS["wang"],
            "csrf_token": csrf_of(client),
            "next": "//evil.example/",
        },
    )
    assert response.headers["location"] == "/"


def test_reviewer_gets_403_on_admin_routes(fresh_db):
    client = logged_in(fresh_db)
    token = csrf_of(client, "/")
    assert client.get("/admin/audit").status_code == 403
    response = client.post("/call/unmask", data={"csrf_token": token, "call_id": CALL, "back": "/"})
    assert response.status_code == 403
    assert [r["result"] for r in audit_rows(fresh_db, "unmask")] == ["denied"]


def test_admin_sees_the_audit_log(fixture_db):
    page = logged_in(fixture_db, "admin").get("/admin/audit")
    assert page.status_code == 200 and "登录" in page.text and "wang" in page.text


# --- CSRF -------------------------------------------------------------------------------


def post_routes():
    """Every POST route of the console's routers (FastAPI includes routers lazily, so
    ``app.routes`` does not list them)."""
    return sorted(
        route.path for router in ROUTERS for route in router.routes if "POST" in getattr(route, "methods", ())
    )


def test_every_post_route_refuses_a_missing_or_forged_csrf_token(fresh_db):
    client = logged_in(fresh_db, "admin")
    finding = fresh_db["finding_ids"][f"{CALL}:threat"]
    form = {
        "verdict": "confirmed",
        "call_id": CALL,
        "category": "threat",
        "start": "1",
        "end": "2",
        "username": "wang",
        "password": PASSWORDS["wang"],
        "assignee": "wang",
        "finding_id": str(finding),
        "reason": "申诉",
        "decision": "upheld",
        "role": "reviewer",
        "active": "0",
        "back": "/",
    }
    routes = post_routes()
    assert len(routes) == 15  # every POST the console has: a new one must be listed here too
    for path in routes:
        url = path.replace("{finding_id}", str(finding))
        assert client.post(url, data=form).status_code == 403, url
        assert client.post(url, data={**form, "csrf_token": "forged"}).status_code == 403, url
    db = open_db(fresh_db["db_path"])
    assert db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM assignments").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM appeals").fetchone()[0] == 0


def test_a_token_from_another_session_is_refused(fresh_db):
    other = csrf_of(client_for(fresh_db))
    client = logged_in(fresh_db)
    finding = fresh_db["finding_ids"][f"{CALL}:threat"]
    response = client.post(f"/findings/{finding}/review", data={"verdict": "confirmed", "csrf_token": other})
    assert response.status_code == 403


# --- queue --------------------------------------------------------------------------------


def test_queue_lists_calls_worst_first_with_category_counts(fixture_db):
    page = logged_in(fixture_db).get("/").text
    order = [m for m in re.findall(r'class="call-link">([^<]+)<', page)]
    assert order == ["c-20260302-0002", "c-20260302-0001", "c-20260303-0003", "c-20260304-0004"]
    assert "威胁恐吓 / 侮辱谩骂 1" in page  # chips count calls, as the total does
    assert "共 4 通电话" in page


def test_queue_filters_by_category_and_agency(fixture_db):
    client = logged_in(fixture_db)
    threat = client.get("/", params={"category": "threat"}).text
    assert re.findall(r'class="call-link">([^<]+)<', threat) == [CALL]
    agency = client.get("/api/queue", params={"agency": "华信资产管理有限公司"}).json()
    assert [c["call_id"] for c in agency["calls"]] == ["c-20260302-0002", "c-20260304-0004"]


def test_queue_search_finds_transcript_words(fixture_db):
    result = logged_in(fixture_db).get("/api/queue", params={"q": "法院执行局"}).json()
    assert [c["call_id"] for c in result["calls"]] == ["c-20260302-0002"]


@pytest.mark.parametrize(
    "text", ["' OR 1=1 --", '"', "NEAR(", 'x" OR "1', "*", "上门 AND", "%", "); DROP TABLE calls; --"]
)
def test_hostile_search_text_is_harmless(fixture_db, text):
    client = logged_in(fixture_db)
    for params in ({"q": text}, {"agent": text}, {"agency": text}, {"category": text}):
        response = client.get("/api/queue", params={**params, "status": "all"})
        assert response.status_code == 200, params
        assert response.json()["total"] == 0, params
    assert client.get("/", params={"q": text}).status_code == 200
    assert open_db(fixture_db["db_path"]).execute("SELECT COUNT(*) FROM calls").fetchone()[0] == 4


# --- call page, verdicts, missed findings -----------------------------------------------


def test_call_page_masks_personal_data_and_logs_the_view(fresh_db):
    page = logged_in(fresh_db).get("/call", params={"id": CALL}).text
    assert "13812345678" not in page and "张先生" not in page
    assert "***********" in page and "*先生" in page
    assert "坐席" in page and "客户" in page
    # the one line the transcript has no speaker for (杂音) shows the role detection guessed for it
    assert "（推断）</span>" in page and '<span class="who">未知' not in page
    assert '<mark data-findings="' in page and "我们就派人上门，到你单位去找你领导</mark>" in page
    assert [(r["username"], r["object_id"]) for r in audit_rows(fresh_db, "view_call")] == [("wang", CALL)]


def test_transcript_text_is_escaped(fresh_db):
    db = open_db(fresh_db["db_path"])
    add_call(db, "xss", "2026-03-09T10:00:00+08:00", [("threat", "high", 0.9)], text="<script>alert(1)</script>")
    page = logged_in(fresh_db).get("/call", params={"id": "xss"}).text
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_admin_unmasks_one_call_and_it_is_logged(fresh_db):
    client = logged_in(fresh_db, "admin")
    page = client.get("/call", params={"id": CALL}).text
    response = client.post(
        "/call/unmask",
        data={"csrf_token": CSRF_FIELD.search(page).group(1), "call_id": CALL, "back": f"/call?id={CALL}"},
    )
    assert response.status_code == 303
    shown = client.get("/call", params={"id": CALL}).text
    assert "13812345678" in shown and "张先生" in shown
    other = client.get("/call", params={"id": "c-20260303-0003"}).text
    assert "110105194912310021" not in other  # only the one call
    assert [(r["username"], r["object_id"], r["result"]) for r in audit_rows(fresh_db, "unmask")] == [
        ("admin", CALL, "ok")
    ]


def test_verdicts_are_kept_as_history_and_the_newest_counts(fresh_db):
    client = logged_in(fresh_db)
    token = csrf_of(client, "/")
    finding = fresh_db["finding_ids"][f"{CALL}:threat"]
    for verdict, comment in (("uncertain", "听不清"), ("confirmed", "明确威胁")):
        response = client.post(
            f"/findings/{finding}/review",
            data={"verdict": verdict, "comment": comment, "csrf_token": token, "back": "/"},
        )
        assert response.status_code == 303
    db = open_db(fresh_db["db_path"])
    history = db.execute(
        "SELECT verdict, comment, reviewer FROM reviews WHERE finding_id = ? ORDER BY id", [finding]
    ).fetchall()
    assert history == [("uncertain", "听不清", "wang"), ("confirmed", "明确威胁", "wang")]
    assert db.execute("SELECT COUNT(*) FROM findings WHERE id = ?", [finding]).fetchone()[0] == 1
    page = client.get("/call", params={"id": CALL}).text
    assert "已被后续结论取代" in page and "明确威胁" in page
    assert [r["detail"].split()[1] for r in audit_rows(fresh_db, "verdict")] == ["uncertain", "confirmed"]


def test_bad_verdict_is_a_400(fresh_db):
    client = logged_in(fresh_db)
    finding = fresh_db["finding_ids"][f"{CALL}:threat"]
    response = client.post(
        f"/findings/{finding}/review", data={"verdict": "delete", "csrf_token": csrf_of(client, "/")}
    )
    assert response.status_code == 400


def test_reviewer_adds_a_missed_finding(fresh_db):
    client = logged_in(fresh_db)
    response = client.post(
        "/call/missed",
        data={
            "call_id": CALL,
            "category": "exaggeration",
            "start": "3.4",
            "end": "7",
            "comment": "漏了",
            "csrf_token": csrf_of(client, "/"),
            "back": f"/call?id={CALL}",
        },
    )
    assert response.status_code == 303
    row = (
        open_db(fresh_db["db_path"])
        .execute("SELECT finding_id, verdict, category, start, evidence FROM reviews")
        .fetchone()
    )
    assert row == (None, "missed", "exaggeration", 3.4, "我是某某信用的，您在我们这里的借款已经逾期三个月了。")
    assert "补充漏检" in client.get("/call", params={"id": CALL}).text


def test_categories_added_by_analyst_rules_can_be_filtered_and_added_as_misses(fresh_db, monkeypatch):
    from pipeline.present import labels

    monkeypatch.setattr(labels, "added_category_labels", lambda: {"dead_air": "静音过长"})
    client = logged_in(fresh_db)
    queue = client.get("/").text
    assert '<option value="dead_air"' in queue and "静音过长" in queue
    assert '<option value="dead_air">静音过长</option>' in client.get("/call", params={"id": CALL}).text
    response = client.post(
        "/call/missed",
        data={"call_id": CALL, "category": "dead_air", "start": "1", "end": "9", "csrf_token": csrf_of(client, "/")},
    )
    assert response.status_code == 303
    assert open_db(fresh_db["db_path"]).execute("SELECT category FROM reviews").fetchone() == ("dead_air",)
    refused = client.post(
        "/call/missed",
        data={"call_id": CALL, "category": "no_such", "start": "1", "end": "9", "csrf_token": csrf_of(client, "/")},
    )
    assert refused.status_code == 400


def test_reviewer_marks_a_whole_call_checked(fresh_db):
    client = logged_in(fresh_db)
    assert "尚无人确认听完整通录音" in client.get("/call", params={"id": CALL}).text
    response = client.post(
        "/call/checked",
        data={"call_id": CALL, "comment": "无其他违规", "csrf_token": csrf_of(client, "/"), "back": f"/call?id={CALL}"},
    )
    assert response.status_code == 303
    db = open_db(fresh_db["db_path"])
    assert db.execute("SELECT finding_id, verdict, reviewer, comment FROM reviews").fetchall() == [
        (None, "checked", "wang", "无其他违规")
    ]
    assert db.execute("SELECT action, object_id FROM audit_log WHERE action = 'checked'").fetchall() == [
        ("checked", CALL)
    ]
    page = client.get("/call", params={"id": CALL}).text
    assert "已听完整通并记录全部违规 · wang" in page and "尚无人确认听完整通录音" not in page


def test_checking_a_call_that_does_not_exist_is_refused(fresh_db):
    client = logged_in(fresh_db)
    response = client.post("/call/checked", data={"call_id": "nope", "csrf_token": csrf_of(client, "/")})
    assert response.status_code == 400


def test_next_call_follows_the_queue(fixture_db):
    client = logged_in(fixture_db)
    page = client.get("/call", params={"id": "c-20260302-0002", "pos": "0"}).text
    assert 'id="next-call"' in page and "id=c-20260302-0001" in page
    assert 'id="previous-call"' not in page


def test_previous_returns_to_a_call_decided_out_of_the_queue(fresh_db):
    client = logged_in(fresh_db)
    first = re.search(r'href="(/call\?[^"]+)" class="call-link"', client.get("/").text).group(1).replace("&amp;", "&")
    page = client.get(first).text
    token = CSRF_FIELD.search(page).group(1)
    verdicts = re.findall(r'data-api="(/api/findings/\d+/verdict)".*?name="base" value="(\d+)"', page, re.S)
    assert verdicts
    for finding, base in verdicts:
        assert client.post(finding, data={"verdict": "confirmed", "base": base, "csrf_token": token}).status_code == 200
    assert first not in client.get("/").text.replace("&amp;", "&")  # it left the open queue
    following = re.search(r'id="next-call" href="([^"]+)"|href="([^"]+)" id="next-call"', page)
    following = (following.group(1) or following.group(2)).replace("&amp;", "&")
    next_page = client.get(following).text
    back = re.search(r'href="([^"]+)" id="previous-call"', next_page).group(1).replace("&amp;", "&")
    assert back.split("id=")[1].split("&")[0] == first.split("id=")[1].split("&")[0]
    assert client.get(back).status_code == 200


def test_a_mono_call_page_shows_guessed_roles_not_unknown(fresh_db):
    from pipeline.calls import CallRecord, call_from_json
    from pipeline.store import save_call

    lines = ["喂，您好，请问是张伟先生吗？", "是我，什么事", "我是某某金融的工作人员"]
    call = call_from_json(
        {
            "call_id": "mono-1",
            "segments": [
                {"start": 2.0 * i, "end": 2.0 * i + 1.5, "speaker": "unknown", "text": t} for i, t in enumerate(lines)
            ],
        }
    )
    save_call(open_db(fresh_db["db_path"]), CallRecord(call=call, source_path="mono-1.json", sha256="m" * 64))
    page = logged_in(fresh_db).get("/call", params={"id": "mono-1"}).text
    assert page.count("坐席（推断）") == 2 and page.count("客户（推断）") == 1
    assert '<span class="who">未知' not in page
    assert 'data-speaker="customer"' in page and "说话人由话术推断" in page


def test_unknown_call_is_404(fixture_db):
    assert logged_in(fixture_db).get("/call", params={"id": "nope"}).status_code == 404


# --- audio --------------------------------------------------------------------------------


def test_audio_range_request_returns_206_with_the_right_bytes(fixture_db):
    client = logged_in(fixture_db)
    response = client.get("/call/audio", params={"id": CALL}, headers={"Range": "bytes=100-199"})
    assert response.status_code == 206
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["content-range"] == f"bytes 100-199/{fixture_db['audio'].stat().st_size}"
    assert response.content == fixture_db["audio"].read_bytes()[100:200]


def test_alaw_audio_is_served_as_pcm_wav(fixture_db):
    response = logged_in(fixture_db).get("/call/audio", params={"id": "c-20260302-0002"})
    assert response.status_code == 200
    assert response.content[:4] == b"RIFF" and response.content[20:22] == b"\x01\x00"  # format 1: PCM


def test_call_without_recording_has_no_player(fixture_db):
    client = logged_in(fixture_db)
    assert client.get("/call/audio", params={"id": "c-20260303-0003"}).status_code == 404
    assert "<audio" not in client.get("/call", params={"id": "c-20260303-0003"}).text


# --- export -------------------------------------------------------------------------------


def test_export_csv_is_masked_chinese_and_logged(fresh_db):
    client = logged_in(fresh_db)
    response = client.get("/export.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["通话", "机构", "坐席", "通话时间", "类别"]
    assert len(rows) == 1 + 7
    assert "110105194912310021" not in response.content.decode("utf-8-sig")
    assert audit_rows(fresh_db, "export")[0]["username"] == "wang"


def test_export_xlsx_opens(fixture_db):
    response = logged_in(fixture_db).get("/export.xlsx", params={"category": "threat"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][-2:] == ["发现编号", "链接"]
    assert {row[4] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"威胁恐吓 / 侮辱谩骂"}

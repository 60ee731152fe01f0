"""A self-check sample worked to the end in the console: per-call state, progress, the next
call still to review (clean calls included), and the sample done when every call is checked."""

from __future__ import annotations

import pytest
from console_fixtures import build_db
from test_review_app import csrf_of, logged_in

from pipeline.review import samples
from pipeline.store import open_db

SAMPLED = ["c-20260304-0004", "c-20260302-0001", "c-20260303-0003"]


@pytest.fixture
def info(tmp_path):
    info = build_db(tmp_path)
    db = open_db(info["db_path"])
    db["samples"].insert(
        {
            "id": 1,
            "created_at": "2026-03-10T02:00:00+00:00",
            "created_by": "admin",
            "seed": 7,
            "size": 3,
            "parameters": "{}",
            "population": "{}",
        }
    )
    db["sample_calls"].insert_all(
        [{"sample_id": 1, "call_id": c, "stratum": "甲", "position": i} for i, c in enumerate(SAMPLED)]
    )
    return info


def check(client, call_id, back):
    form = {"call_id": call_id, "csrf_token": csrf_of(client, "/"), "back": back}
    return client.post("/call/checked", data=form)


def test_a_sample_is_worked_call_by_call_to_the_end(info):
    client = logged_in(info)
    page = client.get("/samples/1").text
    assert "已复核 0/3" in page and page.count("未复核</td>") == 3
    # the first call to review is the first in sample order, a clean one included
    first = client.get("/samples/1/next").headers["location"]
    assert first == f"/call?id={SAMPLED[0]}&sample=1"
    call_page = client.get(first).text
    assert "已复核 0/3" in call_page and f"/samples/1/next?after={SAMPLED[0]}" in call_page

    # 整通复核 on each call leads to the next unreviewed one
    response = check(client, SAMPLED[0], f"/samples/1/next?after={SAMPLED[0]}")
    assert client.get(response.headers["location"]).headers["location"] == f"/call?id={SAMPLED[1]}&sample=1"
    # a verdict on the second call puts it in progress, not reviewed
    finding = info["finding_ids"][f"{SAMPLED[1]}:threat"]
    client.post(
        f"/api/findings/{finding}/verdict",
        data={"verdict": "confirmed", "base": "0", "csrf_token": csrf_of(client, "/")},
    )
    progress = samples.progress(open_db(info["db_path"]), 1)
    assert [c.state for c in progress.calls] == ["done", "started", "todo"] and progress.reviewed == 1
    # skipping ahead: the next after the third goes round to the second
    assert progress.next_call(SAMPLED[2]).call_id == SAMPLED[1]

    check(client, SAMPLED[2], "/")
    last = check(client, SAMPLED[1], f"/samples/1/next?after={SAMPLED[1]}")
    assert client.get(last.headers["location"]).headers["location"] == "/samples/1"  # nothing left
    page = client.get("/samples/1").text
    assert "已复核 3/3" in page and 'id="sample-closed"' in page and 'id="next-unreviewed"' not in page
    assert "已完成" in client.get("/samples").text


def test_an_unknown_sample_is_404(info):
    client = logged_in(info)
    assert client.get("/samples/99").status_code == 404
    assert client.get("/samples/99/next").status_code == 404
    assert client.get("/call", params={"id": SAMPLED[0], "sample": "abc"}).status_code == 200

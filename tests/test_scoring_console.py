"""Scores and acoustic measures in the console: the queue ranks and filters by score, and the call
page shows the breakdown (the console's own tests stay in test_review_*)."""

from console_fixtures import build_db
from test_review_app import logged_in

from pipeline.config import load_config
from pipeline.review.queries import QueueFilters, call_view, queue_page
from pipeline.scoring import score_calls
from pipeline.store import open_db


def scored_db(tmp_path):
    info = build_db(tmp_path)
    db = open_db(info["db_path"])
    score_calls(db, load_config())
    return info, db


def test_queue_ranks_and_filters_by_score(tmp_path):
    info, db = scored_db(tmp_path)
    stored = dict(db.execute("SELECT call_id, score FROM call_scores").fetchall())
    by_score = queue_page(db, QueueFilters(status="all", sort="call_score"))
    scores = [row.call_score for row in by_score.rows]
    assert scores == sorted(scores) and scores == sorted(stored[row.call_id] for row in by_score.rows)
    assert all(row.grade for row in by_score.rows)
    passing = queue_page(db, QueueFilters(status="all", max_score="60"))
    low = {row.call_id for row in by_score.rows if row.call_score <= 60}
    assert low and low != {row.call_id for row in by_score.rows}  # the fixture has both kinds
    assert {row.call_id for row in passing.rows} == low
    odd = QueueFilters.from_params({"max_score": "sixty", "sort": "drop table"})
    assert (odd.max_score, odd.sort) == ("", "")


def test_call_page_shows_the_breakdown(tmp_path):
    info, db = scored_db(tmp_path)
    call_id, score, breakdown = db.execute(
        "SELECT call_id, score, breakdown FROM call_scores WHERE breakdown != '[]' ORDER BY call_id LIMIT 1"
    ).fetchone()
    view = call_view(db, call_id)
    assert view.score["score"] == score and view.score["items"]
    page = logged_in(info).get(f"/call?id={call_id}")
    assert page.status_code == 200
    assert 'id="call-score"' in page.text and view.score["items"][0]["label"] in page.text
    queue = logged_in(info).get("/?status=all&sort=call_score&max_score=100")
    assert queue.status_code == 200 and ">评分</a>" in queue.text and 'name="max_score" value="100"' in queue.text


def test_call_page_shows_how_the_call_sounded(tmp_path):
    from pipeline.metrics import refresh_metrics

    info, db = scored_db(tmp_path)
    refresh_metrics(db)
    call_id = db.execute(
        "SELECT call_id FROM call_metrics WHERE speaker = 'agent' ORDER BY call_id LIMIT 1"
    ).fetchone()[0]
    page = logged_in(info).get(f"/call?id={call_id}")
    assert page.status_code == 200 and 'aria-label="声学指标"' in page.text and "静音合计" in page.text

import json

import pytest

from fixtures.selfcheck_db import add_call, add_review
from pipeline.selfcheck.monitor import monitor, monitor_with_config
from pipeline.selfcheck.verdicts import Scope
from pipeline.store import open_db

JAN, FEB = "2026-01-15T10:00:00+08:00", "2026-02-15T10:00:00+08:00"


def planted(db, call_id, started_at, category, verdicts):
    """A call with one finding of ``category`` reviewed with ``verdicts`` in time order."""
    [finding_id] = add_call(db, call_id, started_at, "某某信用管理", "A01", [(category, "证据", 0.9)])
    for i, verdict in enumerate(verdicts):
        add_review(db, call_id, verdict, category, finding_id=finding_id, created_at=f"2026-03-0{i + 1}T10:00:00+08:00")
    return finding_id


@pytest.fixture
def verdict_db(tmp_path):
    db = open_db(tmp_path / "qa.db")
    # threat: January 4 confirmed + 1 dismissed; February 3 confirmed + 2 dismissed,
    # one of them confirmed first and dismissed later (the later review wins)
    for i in range(4):
        planted(db, f"t-jan-{i}", JAN, "threat", ["confirmed"])
    planted(db, "t-jan-4", JAN, "threat", ["dismissed"])
    for i in range(3):
        planted(db, f"t-feb-{i}", FEB, "threat", ["confirmed"])
    planted(db, "t-feb-3", FEB, "threat", ["dismissed"])
    planted(db, "t-feb-4", FEB, "threat", ["confirmed", "dismissed"])
    # exaggeration: 2 confirmed, 6 dismissed, 1 uncertain (left out), 1 not reviewed
    for i in range(2):
        planted(db, f"e-{i}", JAN, "exaggeration", ["confirmed"])
    for i in range(6):
        planted(db, f"e-d-{i}", FEB, "exaggeration", ["dismissed"])
    planted(db, "e-u", FEB, "exaggeration", ["uncertain"])
    planted(db, "e-n", FEB, "exaggeration", [])
    return db


def test_precision_per_category_uses_the_latest_verdict(verdict_db):
    result = monitor(verdict_db, min_precision=0.7, min_reviews=5)
    overall = {row.category: row for row in result.overall_precision()}
    assert (overall["threat"].confirmed, overall["threat"].dismissed) == (7, 3)
    assert overall["threat"].precision.rate == pytest.approx(0.7)
    assert (
        overall["exaggeration"].confirmed,
        overall["exaggeration"].dismissed,
        overall["exaggeration"].uncertain,
    ) == (2, 6, 1)
    assert overall["exaggeration"].precision.rate == pytest.approx(0.25)


def test_precision_by_month(verdict_db):
    rows = {(r.category, r.month): r.precision for r in monitor(verdict_db).precision}
    assert (rows["threat", "2026-01"].k, rows["threat", "2026-01"].n) == (4, 5)
    assert (rows["threat", "2026-02"].k, rows["threat", "2026-02"].n) == (3, 5)
    assert rows["exaggeration", "2026-01"].rate == 1.0
    assert rows["exaggeration", "2026-02"].rate == 0.0


def test_warning_below_min_precision_with_enough_reviews(verdict_db):
    result = monitor(verdict_db, min_precision=0.7, min_reviews=5)
    warned = {(w.category, w.month) for w in result.warnings}
    # threat overall is exactly 0.7: not below. February threat 3/5 = 0.6 on 5 reviews: below.
    assert warned == {("exaggeration", None), ("exaggeration", "2026-02"), ("threat", "2026-02")}
    message = next(w for w in result.warnings if w.month is None).message(0.7)
    assert "夸大或虚构后果" in message and "25.0%" in message


def test_no_warning_on_too_few_reviews(verdict_db):
    assert monitor(verdict_db, min_precision=0.7, min_reviews=20).warnings == []


def test_thresholds_come_from_the_monitoring_settings(verdict_db):
    result = monitor_with_config(verdict_db, {"monitoring": {"min_precision": 0.8, "min_reviews": 10}})
    assert (result.min_precision, result.min_reviews) == (0.8, 10)
    assert {(w.category, w.month) for w in result.warnings} == {("threat", None)}


def test_recall_on_reviewed_sample_calls(verdict_db):
    db = verdict_db
    add_call(db, "clean-1", JAN, "某某信用管理", "A01")
    add_call(db, "clean-2", JAN, "某某信用管理", "A01")
    add_review(db, "clean-1", "missed", "threat")  # in the sample: counts
    add_review(db, "clean-2", "missed", "threat")  # not sampled: left out
    add_review(db, "e-d-0", "missed", "third_party_leak")  # sampled
    with db.atomic():
        sample_id = (
            db["samples"]
            .insert({"created_at": "2026-12-01", "seed": 1, "size": 5, "parameters": "{}", "population": "{}"})
            .last_pk
        )
        db["sample_calls"].insert_all(
            {"sample_id": sample_id, "call_id": c, "stratum": "全部", "position": i}
            for i, c in enumerate(["t-jan-0", "t-jan-1", "t-jan-4", "clean-1", "e-d-0", "e-n"], 1)
        )
    result = monitor(db)
    recall = {row.category: row for row in result.recall}
    assert (recall["threat"].confirmed, recall["threat"].missed) == (2, 1)
    assert recall["threat"].recall.rate == pytest.approx(2 / 3)
    assert (recall["third_party_leak"].confirmed, recall["third_party_leak"].missed) == (0, 1)
    assert "exaggeration" not in recall  # e-d-0 was dismissed, e-n not reviewed
    assert result.reviewed_sample_calls == 5  # e-n has no review


def test_recall_weighs_each_call_by_its_stratum_sampling_rate(verdict_db):
    """Flagged calls drawn at 1 in 2, clean ones at 1 in 90: the one miss on a clean call stands
    for 90 calls, the two confirmed findings for 2 calls each."""
    db = verdict_db
    add_call(db, "clean-1", JAN, "某某信用管理", "A01")
    add_review(db, "clean-1", "missed", "threat")
    strata = {
        "strata": [
            {"stratum": "有发现", "population": 10, "sample": 5},
            {"stratum": "无发现", "population": 90, "sample": 1},
        ]
    }
    with db.atomic():
        sample_id = (
            db["samples"]
            .insert(
                {
                    "created_at": "2026-12-01",
                    "seed": 1,
                    "size": 6,
                    "parameters": "{}",
                    "population": json.dumps(strata, ensure_ascii=False),
                }
            )
            .last_pk
        )
        db["sample_calls"].insert_all(
            {"sample_id": sample_id, "call_id": c, "stratum": "无发现" if c == "clean-1" else "有发现", "position": i}
            for i, c in enumerate(["t-jan-0", "t-jan-1", "t-jan-4", "clean-1", "e-d-0", "e-n"], 1)
        )
    threat = {row.category: row for row in monitor(db).recall}["threat"]
    assert (threat.confirmed, threat.missed) == (2, 1)
    assert threat.recall.rate == pytest.approx(4 / 94)
    assert threat.recall.low <= threat.recall.rate <= threat.recall.high


def test_scope_limits_to_a_year(verdict_db):
    add_call(verdict_db, "old", "2025-05-01T10:00:00+08:00", "某某信用管理", "A01", [("threat", "x", 0.9)])
    [fid] = [r[0] for r in verdict_db.execute("SELECT id FROM findings WHERE call_id = 'old'")]
    add_review(verdict_db, "old", "dismissed", "threat", finding_id=fid)
    assert next(r for r in monitor(verdict_db, Scope(year=2025)).precision).precision.k == 0
    assert monitor(verdict_db, Scope(year=2026)).overall_precision()[0].precision.n == 10


def test_json_output_is_serialisable(verdict_db):
    data = json.loads(json.dumps(monitor(verdict_db, min_reviews=5).to_json(), ensure_ascii=False))
    assert data["settings"] == {"min_precision": 0.7, "min_reviews": 5}
    threat = next(r for r in data["precision"] if r["category"] == "threat" and r["month"] is None)
    assert threat["label"] == "威胁恐吓 / 侮辱谩骂" and threat["precision"]["rate"] == pytest.approx(0.7)
    assert len(data["warnings"]) == 3


def test_reviews_at_the_same_time_go_to_the_later_row(tmp_path):
    db = open_db(tmp_path / "qa.db")
    [fid] = add_call(db, "c", JAN, "某某信用管理", "A01", [("threat", "x", 0.9)])
    add_review(db, "c", "dismissed", "threat", finding_id=fid, created_at="2026-03-01T10:00:00+08:00")
    add_review(db, "c", "confirmed", "threat", finding_id=fid, created_at="2026-03-01T10:00:00+08:00")
    [row] = monitor(db).overall_precision()
    assert (row.confirmed, row.dismissed) == (1, 0)

"""Scorecards: the arithmetic (per occurrence, per call, caps, critical items, grades), template
choice by manifest columns, validation with file and line, and scores of stored calls that
follow verdicts and template edits without re-detection."""

import json
import textwrap

import pytest
from click.testing import CliRunner

from pipeline.calls import Call, CallRecord, Finding, Segment
from pipeline.cli import cli
from pipeline.config import load_config
from pipeline.resources import data_path
from pipeline.review.queries import record_missed, record_verdict
from pipeline.run import ScanSettings, scan
from pipeline.scorecard import Occurrence, read_scorecards
from pipeline.scoring import call_score, score_calls
from pipeline.store import open_db, save_call
from pipeline.yamldoc import LexiconError

TEMPLATE = """\
id: t
name: 测试模板
base: 100
grades: {优秀: 90, 合格: 60, 不合格: 0}
items:
  - {id: threat, categories: [threat], critical: true}
  - {id: money, categories: [private_channel, extra_fees], points: 30, per: occurrence, cap: 50}
  - {id: disclosure, categories: [missing_disclosure], points: 10, per: call}
  - {id: words, rules: [forbidden_words], points: 3}
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def template(tmp_path, text=TEMPLATE):
    return read_scorecards([write(tmp_path, "t.yaml", text)], rules={"forbidden_words"}).templates[0]


def occurrences(*categories, detector="lexicon"):
    return [Occurrence(c, tuple(detector.split("+"))) for c in categories]


def test_points_per_occurrence_per_call_and_cap(tmp_path):
    t = template(tmp_path)
    assert t.score([]).score == 100 and t.score([]).grade == "优秀"
    one = t.score(occurrences("private_channel"))
    assert (one.score, one.grade) == (70, "合格")
    capped = t.score(occurrences("private_channel", "extra_fees", "private_channel"))  # 90, capped at 50
    assert capped.score == 50 and capped.grade == "不合格"
    assert [(i.item, i.occurrences, i.deducted) for i in capped.items] == [("money", 3, 50)]
    once = t.score(occurrences("missing_disclosure", "missing_disclosure"))
    assert once.score == 90 and once.items[0].occurrences == 2 and once.items[0].deducted == 10


def test_a_critical_item_fails_the_call_outright(tmp_path):
    result = template(tmp_path).score(occurrences("threat"))
    assert (result.score, result.grade, result.failed_critical) == (0, "不合格", True)
    assert result.items[0].critical


def test_items_tied_to_analyst_rules_match_merged_detectors(tmp_path):
    t = template(tmp_path)
    result = t.score(occurrences("forbidden_words", detector="lexicon+analyst_rules:forbidden_words"))
    assert result.score == 97
    assert t.score(occurrences("forbidden_words", detector="analyst_rules:other")).score == 100


def test_template_chosen_by_manifest_columns(tmp_path):
    write(tmp_path, "a.yaml", TEMPLATE)
    write(tmp_path, "b.yaml", TEMPLATE.replace("id: t", "id: outsourced") + "applies_to: {channel: [委外]}\n")
    cards = read_scorecards([tmp_path], rules={"forbidden_words"})
    assert cards.for_call({"channel": "委外", "agency": "x"}).id == "outsourced"
    assert cards.for_call({"channel": "自营"}).id == "t"
    assert cards.for_call({}).id == "t"


@pytest.mark.parametrize(
    "text, line, reason",
    [
        (TEMPLATE.replace("categories: [threat]", "categories: [thret]"), 6, "unknown category 'thret'"),
        (TEMPLATE.replace("rules: [forbidden_words]", "rules: [nope]"), 9, "no analyst rule"),
        (TEMPLATE.replace("per: call", "per: day"), 8, "must be occurrence or call"),
        (TEMPLATE.replace("不合格: 0", "不合格: 10"), 4, "lowest grade must start at 0"),
        (TEMPLATE.replace("points: 3", "points: -3"), 9, "points deducted"),
        (TEMPLATE + "colour: red\n", 10, "unknown key 'colour'"),
    ],
)
def test_template_mistakes_with_file_and_line(tmp_path, text, line, reason):
    path = write(tmp_path, "t.yaml", text)
    with pytest.raises(LexiconError) as error:
        read_scorecards([path], rules={"forbidden_words"})
    assert any(p.startswith(f"{path}:{line}:") and reason in p for p in error.value.problems), error.value.problems


def test_exactly_one_default_template(tmp_path):
    write(tmp_path, "a.yaml", TEMPLATE)
    write(tmp_path, "b.yaml", TEMPLATE.replace("id: t", "id: u"))
    with pytest.raises(LexiconError, match="exactly one template must have no applies_to"):
        read_scorecards([tmp_path], rules={"forbidden_words"})


def test_shipped_templates_are_valid():
    cards = read_scorecards([data_path("lexicons", "scorecards")])
    assert [t.id for t in cards.templates] == ["strict_outsourced", "standard"]


# --- stored calls ---------------------------------------------------------------------------


def finding(call_id, category, index=0, detector="lexicon"):
    return Finding(call_id, category, "high", 0.9, 0.0, 2.0, "agent", index, "…", [], detector, "")


def store_call(db, call_id, categories, **extra):
    call = Call(
        call_id,
        [Segment(0, 2, "agent", "您好"), Segment(2, 3, "customer", "嗯")],
        started_at="2026-03-02T10:00:00+08:00",
        agency="甲机构",
        agent_id="A1",
        extra=extra,
    )
    record = CallRecord(call, "", call_id, findings=[finding(call_id, c, i % 2) for i, c in enumerate(categories)])
    save_call(db, record)


def settings_with(tmp_path, text=TEMPLATE):
    config = load_config()
    config["scoring"]["templates"] = [str(write(tmp_path, "t.yaml", text))]
    config["detection"]["rules"] = ["lexicons/rules/starter.yaml"]
    return config


def test_scores_of_stored_calls_follow_verdicts_and_template_edits(db, tmp_path):
    store_call(db, "c1", ["private_channel", "missing_disclosure"])
    store_call(db, "c2", ["threat"])
    store_call(db, "c3", [])
    config = settings_with(tmp_path)
    summary = score_calls(db, config)
    assert summary.calls == 3 and summary.failed_critical == 1
    assert call_score(db, "c1")["score"] == 60 and call_score(db, "c2")["grade"] == "不合格"
    assert call_score(db, "c1")["items"] == [
        {"item": "money", "label": "money", "occurrences": 1, "deducted": 30.0, "critical": False},
        {"item": "disclosure", "label": "disclosure", "occurrences": 1, "deducted": 10.0, "critical": False},
    ]
    # A dismissed finding no longer counts; a reviewer's added miss does.
    threat_id = db.execute("SELECT id FROM findings WHERE call_id = 'c2'").fetchone()[0]
    record_verdict(db, threat_id, "dismissed", "qa1")
    record_missed(db, "c3", "private_channel", 0.0, 2.0, "qa1")
    score_calls(db, config)
    assert call_score(db, "c2")["score"] == 100 and call_score(db, "c3")["score"] == 70
    # A template edit re-scores without touching findings.
    findings_before = db.execute("SELECT * FROM findings ORDER BY id").fetchall()
    write(tmp_path, "t.yaml", TEMPLATE.replace("points: 30", "points: 5"))
    score_calls(db, config)
    assert call_score(db, "c1")["score"] == 85
    assert db.execute("SELECT * FROM findings ORDER BY id").fetchall() == findings_before


def test_a_scan_scores_what_it_stored(tmp_path):
    calls = tmp_path / "calls.jsonl"
    segments = [
        {"start": 0, "end": 2, "speaker": "agent", "text": "你再不还钱，我们就上门找你家人，让你好看"},
        {"start": 2, "end": 3, "speaker": "customer", "text": "啊？"},
    ]
    calls.write_text(
        json.dumps(
            {"call_id": "s1", "started_at": "2026-03-02T10:00:00+08:00", "segments": segments}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    db = open_db(tmp_path / "qa.db")
    progress = scan(db, ScanSettings(transcribe=None, config=load_config()), transcripts=calls)
    assert progress.scored == 1
    stored = call_score(db, "s1")
    assert stored["template"] == "standard" and stored["failed_critical"]  # a threat: 一票否决


def test_cli_score(db, tmp_path):
    store_call(db, "c1", ["threat"])
    store_call(db, "c2", [])
    result = CliRunner().invoke(cli, ["score", "--db", str(tmp_path / "qa.db")])
    assert result.exit_code == 0, result.output
    assert (
        "2 通通话已评分，一票否决 1 通" in result.output and "不合格 1" in result.output and "优秀 1" in result.output
    )

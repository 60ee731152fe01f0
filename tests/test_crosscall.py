"""Cross-call rules on planted call histories in a temporary database."""

import copy
import json

import pytest

from pipeline.calls import Call, CallRecord, Finding, Segment
from pipeline.config import load_config
from pipeline.detect.crosscall import cross_call_findings, days_of_run, dialled_digits, masked, read_only
from pipeline.store import replace_category_findings, save_call

CONVERSATION = [("agent", "您好，我是某某金融的工作人员"), ("customer", "嗯，你说")]


def plant(
    db, call_id, started_at, *, debtor="D1", duration=30.0, lines=CONVERSATION, status="ok", run_id=None, **extra
):
    """Store one call; ``extra`` holds manifest columns (phone, agreed_time, direction)."""
    segments = [
        Segment(start=i * 2.0, end=i * 2.0 + 1.5, speaker=who, text=text) for i, (who, text) in enumerate(lines)
    ]
    call = Call(call_id=call_id, segments=segments, started_at=started_at, debtor_id=debtor, extra=extra)
    record = CallRecord(call=call, source_path=f"{call_id}.json", sha256=call_id, status=status, duration=duration)
    save_call(db, record, run_id=run_id)


def run_metadata_rules(db, config, days=None):
    """What a scan or redetect does: the rules read the database and return findings, the store writes them."""
    found = cross_call_findings(read_only(db.conn), config, days)
    replace_category_findings(db, found.replaced, found.findings)
    return len(found.findings)


def stored(db, category=None):
    sql = "SELECT call_id, category, detector, evidence, explanation, clauses FROM findings"
    rows = db.execute(sql + " ORDER BY call_id, detector").fetchall()
    return [r for r in rows if category is None or r[1] == category]


def flagged(db, category):
    return [r[0] for r in stored(db, category)]


@pytest.fixture
def config():
    return copy.deepcopy(load_config())


# --- quiet hours ----------------------------------------------------------------------


def test_quiet_hours_uses_the_local_time_written_in_started_at(db, config):
    plant(db, "night-bj", "2026-03-02T22:30:00+08:00")
    plant(db, "early-bj", "2026-03-03T07:59:00+08:00")
    plant(db, "day-bj", "2026-03-02T08:00:00+08:00")
    plant(db, "before-window", "2026-03-02T21:59:00+08:00")
    # 14:30 in London is 22:30 in Beijing: the offset written is what counts.
    plant(db, "afternoon-utc", "2026-03-02T14:30:00+00:00", debtor="D2")
    plant(db, "night-ny", "2026-03-02T23:15:00-05:00", debtor="D3")
    plant(db, "midnight-z", "2026-03-02T00:05:00Z", debtor="D4")
    run_metadata_rules(db, config)
    assert flagged(db, "quiet_hours") == ["early-bj", "midnight-z", "night-bj", "night-ny"]
    [row] = [r for r in stored(db, "quiet_hours") if r[0] == "night-ny"]
    assert "23:15" in row[4] and json.loads(row[5]) == ["NIFA 9", "HN 9", "GB 5.2.1.3"]


def test_an_agreed_time_suppresses_quiet_hours_and_inbound_calls_never_count(db, config):
    plant(db, "agreed", "2026-03-02T22:30:00+08:00", agreed_time="2026-03-02T22:30")
    plant(db, "agreed-flag", "2026-03-02T22:31:00+08:00", agreed_time=True)
    plant(db, "agreed-false", "2026-03-02T22:32:00+08:00", agreed_time="false")
    plant(db, "inbound", "2026-03-02T23:00:00+08:00", direction="inbound")
    run_metadata_rules(db, config)
    assert flagged(db, "quiet_hours") == ["agreed-false"]


def test_quiet_hours_window_is_configurable(db, config):
    plant(db, "nine-thirty", "2026-03-02T21:30:00+08:00")
    run_metadata_rules(db, config)
    assert flagged(db, "quiet_hours") == []
    config["detection"]["categories"]["quiet_hours"]["start"] = "21:00"  # the GB draft
    run_metadata_rules(db, config)
    assert flagged(db, "quiet_hours") == ["nine-thirty"]


def test_a_bad_window_is_a_clear_error(db, config):
    plant(db, "c1", "2026-03-02T10:00:00+08:00")
    config["detection"]["categories"]["quiet_hours"]["start"] = "10pm"
    with pytest.raises(ValueError, match="10pm"):
        run_metadata_rules(db, config)


def test_days_must_be_iso_dates(db, config):
    with pytest.raises(ValueError, match="03/02/2026"):
        run_metadata_rules(db, config, days=["03/02/2026"])


def test_calls_without_a_readable_time_are_skipped(db, config):
    plant(db, "no-time", None)
    plant(db, "garbled", "yesterday evening")
    assert run_metadata_rules(db, config) == 0


# --- call frequency -------------------------------------------------------------------


def test_the_fourth_effective_call_of_a_day_is_flagged_and_names_every_counted_call(db, config):
    for i, hour in enumerate([9, 11, 14, 16, 18]):
        plant(db, f"c{i + 1}", f"2026-03-02T{hour:02d}:00:00+08:00")
    run_metadata_rules(db, config)
    [row] = stored(db, "call_frequency")
    assert row[0] == "c4"
    assert row[2] == "rule:call_frequency.effective_calls_per_debtor"
    for listed in ("c1 09:00", "c2 11:00", "c3 14:00", "c4 16:00", "c5 18:00"):
        assert listed in row[3] and listed in row[4]
    assert "共有 5 次有效通话" in row[4]


def test_short_or_one_sided_calls_are_not_effective(db, config):
    for i, hour in enumerate([9, 10, 11]):
        plant(db, f"eff{i}", f"2026-03-02T{hour:02d}:00:00+08:00")
    plant(db, "short", "2026-03-02T12:00:00+08:00", duration=5.0)
    plant(db, "agent-only", "2026-03-02T13:00:00+08:00", lines=[("agent", "喂？喂？")])
    plant(db, "failed", "2026-03-02T14:00:00+08:00", status="failed", lines=[])
    run_metadata_rules(db, config)
    assert flagged(db, "call_frequency") == []
    plant(db, "six-seconds", "2026-03-02T15:00:00+08:00", duration=6.0)
    run_metadata_rules(db, config)
    assert flagged(db, "call_frequency") == ["six-seconds"]


def test_days_are_local_dates_and_a_call_belongs_to_the_day_it_started(db, config):
    # Three calls on 03-02 (one running past midnight) and three on 03-03: no day has four.
    plant(db, "d1a", "2026-03-02T10:00:00+08:00")
    plant(db, "d1b", "2026-03-02T15:00:00+08:00")
    plant(db, "d1c", "2026-03-02T21:58:00+08:00", duration=600.0)
    plant(db, "d2a", "2026-03-03T08:10:00+08:00")
    plant(db, "d2b", "2026-03-03T09:00:00+08:00")
    plant(db, "d2c", "2026-03-03T10:00:00+08:00")
    run_metadata_rules(db, config)
    assert flagged(db, "call_frequency") == []


def test_mixed_offsets_group_by_the_written_date_and_order_by_the_instant(db, config):
    # All four are on local day 03-02. In time order: 10:00+08 (02:00Z), 09:00+00 (09:00Z),
    # 05:00-05 (10:00Z), 20:00-05 (03-03 01:00Z). Sorting the strings would put 05:00-05 first.
    plant(db, "bj", "2026-03-02T10:00:00+08:00")
    plant(db, "ny-late", "2026-03-02T20:00:00-05:00")
    plant(db, "london", "2026-03-02T09:00:00+00:00")
    plant(db, "ny-early", "2026-03-02T05:00:00-05:00", agreed_time=True)
    run_metadata_rules(db, config)
    assert flagged(db, "call_frequency") == ["ny-late"]
    [row] = stored(db, "call_frequency")
    assert row[3].index("bj 10:00") < row[3].index("london 09:00") < row[3].index("ny-early 05:00")


def test_dial_attempts_to_one_number_count_failed_and_short_calls(db, config):
    numbers = ["13800138000", "+86 138-0013-8000", "0086 13800138000", "138 0013 8000"]
    for i in range(7):
        plant(
            db,
            f"a{i + 1}",
            f"2026-03-02T{9 + i:02d}:00:00+08:00",
            debtor=f"D{i}",  # different debtors: only the number ties them together
            duration=3.0,
            status="failed" if i % 2 else "ok",
            lines=[] if i % 2 else [("agent", "喂")],
            phone=numbers[i % len(numbers)],
        )
    plant(db, "other-number", "2026-03-02T20:00:00+08:00", phone="13900139000")
    run_metadata_rules(db, config)
    [row] = stored(db, "call_frequency")
    assert row[0] == "a7" and row[2] == "rule:call_frequency.attempts_per_number"
    assert "138****8000" in row[4] and "13800138000" not in row[4]
    assert json.loads(row[5]) == ["HN 9"]


def test_six_attempts_pass_and_the_number_column_may_be_called_number(db, config):
    for i in range(6):
        plant(db, f"a{i}", f"2026-03-02T{9 + i:02d}:00:00+08:00", debtor=None, duration=2.0, number="13800138000")
    run_metadata_rules(db, config)
    assert flagged(db, "call_frequency") == []


def test_per_debtor_attempt_limit_is_off_unless_set(db, config):
    for i in range(6):
        plant(db, f"a{i}", f"2026-03-02T{9 + i:02d}:00:00+08:00", duration=2.0, phone=f"1380013800{i}")
    run_metadata_rules(db, config)
    assert flagged(db, "call_frequency") == []
    config["detection"]["categories"]["call_frequency"]["max_attempts_per_debtor"] = 5  # GB 5.2.2.2
    run_metadata_rules(db, config)
    assert [(r[0], r[2]) for r in stored(db, "call_frequency")] == [("a5", "rule:call_frequency.attempts_per_debtor")]


# --- contact after refusal ------------------------------------------------------------

PHONE = "13800138000"


def test_calling_a_third_party_again_after_they_refused_is_flagged(db, config):
    plant(db, "before", "2026-03-01T10:00:00+08:00", phone=PHONE)
    plant(
        db,
        "refused",
        "2026-03-02T10:00:00+08:00",
        phone=PHONE,
        lines=[("agent", "请问是张三吗？"), ("customer", "我不认识他，别再给我打电话了")],
    )
    plant(db, "again", "2026-03-05T10:00:00+08:00", phone="+86 138 0013 8000")
    plant(db, "again-failed", "2026-03-06T10:00:00+08:00", phone=PHONE, status="failed", lines=[])
    plant(db, "called-back", "2026-03-07T10:00:00+08:00", phone=PHONE, direction="inbound")
    plant(db, "other", "2026-03-05T10:00:00+08:00", phone="13900139000")
    run_metadata_rules(db, config)
    assert flagged(db, "contact_after_refusal") == ["again", "again-failed"]
    row = stored(db, "contact_after_refusal")[0]
    assert row[3] == "我不认识他，别再给我打电话了" and "refused" in row[4]


def test_refusal_needs_a_third_party_cue_somewhere_in_that_call(db, config):
    plant(
        db,
        "debtor-says-stop",
        "2026-03-02T10:00:00+08:00",
        phone=PHONE,
        lines=[("agent", "张先生您好"), ("customer", "是我，别再打了，我下周还")],
    )
    plant(
        db,
        "colleague",
        "2026-03-02T11:00:00+08:00",
        phone="13900139000",
        lines=[("customer", "我是他同事"), ("agent", "麻烦转告他回电"), ("customer", "不要再打了")],
    )
    plant(db, "later1", "2026-03-03T10:00:00+08:00", phone=PHONE)
    plant(db, "later2", "2026-03-03T10:00:00+08:00", phone="13900139000")
    run_metadata_rules(db, config)
    assert flagged(db, "contact_after_refusal") == ["later2"]


def test_the_agent_saying_the_words_is_not_a_refusal(db, config):
    plant(
        db,
        "agent-speaks",
        "2026-03-02T10:00:00+08:00",
        phone=PHONE,
        lines=[("agent", "打错了？好的，不要再打了是吧"), ("customer", "嗯")],
    )
    plant(db, "later", "2026-03-03T10:00:00+08:00", phone=PHONE)
    run_metadata_rules(db, config)
    assert flagged(db, "contact_after_refusal") == []


# --- scope, replacement, switches -----------------------------------------------------


def test_a_run_over_some_days_replaces_only_those_days_and_only_its_categories(db, config):
    plant(db, "n1", "2026-03-02T23:00:00+08:00", run_id=1)
    plant(db, "n2", "2026-03-03T23:00:00+08:00", run_id=2)
    other = Finding("n1", "threat", "high", 0.9, 1.0, 2.0, "agent", 0, "上门", ["GB 5.2.1.2"], "lexicon:threat", "x")
    db["findings"].insert({**other.to_json(), "clauses": "[]", "created_at": "now"})
    assert run_metadata_rules(db, config, days=days_of_run(read_only(db.conn), 1)) == 1
    assert flagged(db, "quiet_hours") == ["n1"]
    assert run_metadata_rules(db, config, days=["2026-03-02"]) == 1  # rerun: no duplicates
    assert flagged(db, "quiet_hours") == ["n1"]
    run_metadata_rules(db, config, days=["2026-03-03"])
    assert flagged(db, "quiet_hours") == ["n1", "n2"]
    config["detection"]["categories"]["quiet_hours"]["enabled"] = False
    assert run_metadata_rules(db, config, days=["2026-03-02"]) == 0
    assert flagged(db, "quiet_hours") == ["n2"]
    assert flagged(db, "threat") == ["n1"]
    assert run_metadata_rules(db, config, days=[]) == 0


def test_a_refusal_scanned_late_reaches_calls_on_later_days(db, config):
    plant(db, "later", "2026-03-05T10:00:00+08:00", phone=PHONE)
    run_metadata_rules(db, config, days=["2026-03-05"])
    plant(db, "refused", "2026-03-02T10:00:00+08:00", phone=PHONE, lines=[("customer", "打错了，以后别打了")])
    run_metadata_rules(db, config, days=["2026-03-02"])
    assert flagged(db, "contact_after_refusal") == ["later"]


def test_a_run_over_a_later_day_leaves_earlier_refusal_findings_alone(db, config):
    plant(db, "refused", "2026-03-02T10:00:00+08:00", phone=PHONE, lines=[("customer", "打错了，别再打了")])
    plant(db, "again", "2026-03-03T10:00:00+08:00", phone=PHONE)
    plant(db, "much-later", "2026-03-20T10:00:00+08:00", phone=PHONE)
    run_metadata_rules(db, config)
    db.execute("UPDATE findings SET explanation = 'kept' WHERE call_id = 'again'")
    run_metadata_rules(db, config, days=["2026-03-20"])
    assert flagged(db, "contact_after_refusal") == ["again", "much-later"]
    assert [r[4] for r in stored(db, "contact_after_refusal")][0] == "kept"


def test_profiles_switch_off_rules_the_institution_is_not_bound_by(db, config):
    plant(db, "refused", "2026-03-02T10:00:00+08:00", phone=PHONE, lines=[("customer", "打错了，别再打了")])
    plant(db, "later", "2026-03-02T23:00:00+08:00", phone=PHONE)
    config["detection"]["bound_by"] = ["GB"]  # GB has no rule on calling a refusing third party
    run_metadata_rules(db, config)
    assert flagged(db, "contact_after_refusal") == [] and flagged(db, "quiet_hours") == ["later"]


def test_the_rules_read_through_a_query_that_refuses_to_write(db, config):
    import sqlite3

    plant(db, "night", "2026-03-02T23:10:00+08:00")
    query = read_only(db.conn)
    with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
        query("DELETE FROM findings")
    found = cross_call_findings(query, config)
    assert [f.call_id for f in found.findings] == ["night"] and found.replaced["quiet_hours"] is None
    assert stored(db) == []  # nothing written until the store writes it
    db.execute("DELETE FROM findings")  # the connection itself is left as it was


def test_the_refusal_phrases_come_from_the_lexicon_folder(tmp_path, db, config):
    import shutil

    from pipeline.text import LEXICON_DIR

    lexicons = tmp_path / "lexicons"
    shutil.copytree(LEXICON_DIR, lexicons)
    (lexicons / "contact_after_refusal.yaml").write_text(
        "refusals: [不要再打]\nthird_party: [我不是他]\n", encoding="utf-8"
    )
    plant(db, "refused", "2026-03-02T10:00:00+08:00", phone=PHONE, lines=[("customer", "我不是他，不要再打了")])
    plant(db, "later", "2026-03-02T11:00:00+08:00", phone=PHONE)
    config["detection"]["lexicon_dir"] = str(lexicons)
    assert run_metadata_rules(db, config) == 1 and flagged(db, "contact_after_refusal") == ["later"]
    (lexicons / "contact_after_refusal.yaml").write_text("refusals: []\n", encoding="utf-8")
    from pipeline.yamldoc import LexiconError

    with pytest.raises(LexiconError, match=r"contact_after_refusal\.yaml:1: refusals: must list at least one phrase"):
        run_metadata_rules(db, config)


def test_number_helpers():
    assert dialled_digits("+86 138-0013-8000") == dialled_digits(13800138000) == "13800138000"
    assert dialled_digits("n/a") is None and dialled_digits(None) is None
    assert masked("13800138000") == "138****8000"
    assert masked("95588") == "***88"


def test_a_scan_runs_the_rules_over_the_days_it_stored(tmp_path, db, config):
    from pipeline.run import ScanSettings, scan

    plant(db, "stored-earlier", "2026-03-01T23:00:00+08:00")  # another day: left alone
    night = {
        "call_id": "night",
        "started_at": "2026-03-02T23:10:00+08:00",
        "segments": [{"start": 0, "end": 2, "speaker": "agent", "text": "您好"}],
    }
    source = tmp_path / "vendor.jsonl"
    source.write_text(json.dumps(night, ensure_ascii=False) + "\n", encoding="utf-8")
    scan(db, ScanSettings(transcribe=None, config=config), transcripts=source)
    assert flagged(db, "quiet_hours") == ["night"]


def test_redetect_recomputes_the_cross_call_rules(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import cli
    from pipeline.store import open_db

    db = open_db(tmp_path / "qa.db")
    plant(db, "night", "2026-03-02T23:10:00+08:00")
    result = CliRunner().invoke(cli, ["redetect", "--db", str(tmp_path / "qa.db")])
    assert result.exit_code == 0, result.output
    assert "cross-call rules (quiet_hours, call_frequency, contact_after_refusal): 1" in result.stdout
    assert flagged(db, "quiet_hours") == ["night"]

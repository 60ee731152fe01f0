"""The rule documents as switchable profiles (GB/T 45251—2025, the banks' CBA guideline) on
planted call histories: their limits, AI-voice counting, premature third-party calls, and
findings that cite only the documents the institution is bound by."""

import json

import pytest
from test_crosscall import flagged, plant, run_metadata_rules, stored

from pipeline.config import load_config
from pipeline.resources import data_path

TBC = "clause per final text to be confirmed"
ONE_SIDED = [("agent", "您好，这里是某某金融，提醒您今天还款，请按一号键确认")]
SPOKE = [("agent", "您好"), ("customer", "嗯，你说")]


def profile(name):
    return load_config(data_path("lexicons", "profiles", f"{name}.yaml"))


def test_the_profiles_cite_their_documents_and_the_default_does_not(db):
    plant(db, "night", "2026-03-02T22:30:00+08:00")
    run_metadata_rules(db, load_config())
    [default_row] = stored(db, "quiet_hours")
    assert json.loads(default_row[5]) == ["NIFA 9", "HN 9", "GB 5.2.1.3"]
    run_metadata_rules(db, profile("gb2025"))
    [gb2025_row] = stored(db, "quiet_hours")
    assert json.loads(gb2025_row[5]) == ["NIFA 9", "HN 9", f"GB2025 {TBC}"]  # the final text, not the draft


def test_gb2025_counts_automated_voice_calls_among_the_three_effective_calls(db):
    for hour in (9, 10, 11):
        plant(db, f"human-{hour}", f"2026-03-02T{hour:02d}:00:00+08:00", phone="13800000001")
    plant(
        db,
        "robot",
        "2026-03-02T15:00:00+08:00",
        lines=ONE_SIDED,
        duration=20.0,
        call_type="机器人",
        phone="13800000001",
    )
    run_metadata_rules(db, load_config())
    assert flagged(db, "call_frequency") == []  # the draft and NIFA: a robot call is no effective call
    run_metadata_rules(db, profile("gb2025"))
    assert flagged(db, "call_frequency") == ["robot"]
    [row] = stored(db, "call_frequency")
    assert "自动语音外呼接通即计入" in row[4] and f"GB2025 {TBC}" in json.loads(row[5])


def test_cba_limits_unanswered_attempts_per_number(db):
    for minute in range(7):
        plant(
            db, f"ring-{minute}", f"2026-03-02T10:{minute:02d}:00+08:00", lines=[], duration=0.0, phone="139 0000 0002"
        )
    run_metadata_rules(db, load_config())
    assert flagged(db, "call_frequency") == ["ring-6"]  # HN: the 7th attempt of any kind
    config = profile("cba")
    config["detection"]["categories"]["call_frequency"]["max_attempts_per_number"] = None  # CBA's own limit only
    run_metadata_rules(db, config)
    assert flagged(db, "call_frequency") == ["ring-6"]
    [row] = stored(db, "call_frequency")
    assert "未接通拨打" in row[4] and json.loads(row[5]) == [f"CBA {TBC}"]


@pytest.mark.parametrize(
    "history, flagged_calls",
    [
        ([], ["contact"]),  # nobody tried the debtor
        ([("answered", SPOKE, 30.0, {})], ["contact"]),
        ([(f"miss-{k}", [], 0.0, {}) for k in range(3)], []),  # 3 failed in a row: unreachable
        ([("answered", SPOKE, 30.0, {}), ("miss-1", [], 0.0, {}), ("miss-2", [], 0.0, {})], ["contact"]),
        ([("void", [], 0.0, {"number_status": "空号"})], []),  # the number is invalid
    ],
)
def test_premature_third_party_from_the_stored_history(db, history, flagged_calls):
    for k, (call_id, lines, duration, extra) in enumerate(history):
        plant(db, call_id, f"2026-03-02T09:0{k}:00+08:00", lines=lines, duration=duration, phone="13800000003", **extra)
    plant(db, "contact", "2026-03-02T11:00:00+08:00", callee="紧急联系人", phone="13900000004")
    run_metadata_rules(db, load_config())
    assert flagged(db, "premature_third_party") == flagged_calls
    if flagged_calls:
        [row] = stored(db, "premature_third_party")
        assert "债务人并非无法联系" in row[4] and "NIFA 8(二)" in json.loads(row[5])


def test_a_third_party_call_after_the_day_the_debtor_went_unreachable(db):
    """Only the calls before the third-party call count, whatever day they were on."""
    for k in range(3):
        plant(db, f"miss-{k}", f"2026-03-0{k + 1}T09:00:00+08:00", lines=[], duration=0.0, phone="13800000005")
    plant(db, "contact", "2026-03-04T11:00:00+08:00", callee="third_party", phone="13900000006")
    plant(db, "later-answered", "2026-03-05T09:00:00+08:00", phone="13800000005")
    run_metadata_rules(db, load_config(), days=["2026-03-04"])
    assert flagged(db, "premature_third_party") == []

import json
from pathlib import Path

from click.testing import CliRunner
from detect_helpers import OPENING, make_call

from pipeline.calls import CallRecord, read_calls
from pipeline.cli import cli
from pipeline.config import load_config
from pipeline.detect import detect_calls
from pipeline.detect.crosscall import CATEGORIES as CROSS_CALL
from pipeline.store import load_findings, save_call

FIELDS = {
    "call_id",
    "category",
    "segment_index",
    "start",
    "end",
    "score",
    "evidence",
    "clauses",
    "detector",
    "explanation",
    "severity",
    "speaker",
}


def write_jsonl(path, calls):
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in calls) + "\n", encoding="utf-8")


def call_json(call_id, turns, labels=None):
    data = make_call(turns, call_id=call_id).to_json()
    if labels is not None:
        data["labels"] = [{"category": c, "segment_index": i} for c, i in labels]
    return data


def test_detect_prints_findings_and_reports_the_malformed_call(tmp_path):
    bad = call_json("bad-1", OPENING)
    bad["segments"][1]["speaker"] = "robot"
    write_jsonl(
        tmp_path / "calls.jsonl",
        [
            call_json("ok-1", OPENING + [("a", "你这种老赖，我们明天就上门")]),
            bad,
            call_json("ok-2", [("a", "喂，是张伟吗？本次通话将被录音。"), ("c", "是。"), ("a", "钱什么时候还？")]),
        ],
    )
    result = CliRunner().invoke(cli, ["detect", str(tmp_path / "calls.jsonl")])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(f["call_id"], f["category"], f["segment_index"]) for f in lines] == [
        ("ok-1", "threat", 3),
        ("ok-2", "missing_disclosure", None),
    ]
    assert all(FIELDS <= set(f) for f in lines)
    assert "老赖" in result.stdout  # ensure_ascii=False: Chinese stays readable
    assert "bad-1" in result.stderr and "segments[1].speaker" in result.stderr


def test_detect_fails_when_the_file_cannot_be_read(tmp_path):
    result = CliRunner().invoke(cli, ["detect", str(tmp_path / "missing.jsonl")])
    assert result.exit_code != 0 and "missing.jsonl" in result.output


def labelled_file(tmp_path):
    """Hand-checked: see the expected counts in the tests below."""
    no_name = [("a", "喂，是张伟吗？本次通话将被录音。"), ("c", "是。"), ("a", "你那个钱到底什么时候还？")]
    threat = OPENING + [("a", "你这种老赖，我们明天就上门")]
    write_jsonl(
        tmp_path / "labelled.jsonl",
        [
            call_json("e1", threat, [("threat", 3)]),  # found: TP
            call_json("e2", OPENING + [("a", "您放心，我们不会上门")], [("threat", 3)]),  # not found: FN
            call_json("e3", no_name, []),  # missing_disclosure found but unlabelled: FP
            call_json("e4", no_name, [("missing_disclosure", None)]),  # TP
            call_json("e5", threat, [("threat", 2)]),  # found one segment off: TP within tolerance 1
        ],
    )
    return tmp_path / "labelled.jsonl"


def test_evaluate_counts_match_the_hand_checked_file(tmp_path):
    result = CliRunner().invoke(cli, ["evaluate", str(labelled_file(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["calls"] == 5
    assert figures["categories"]["threat"] == {
        "tp": 2,
        "fp": 0,
        "fn": 1,
        "precision": 1.0,
        "recall": 0.667,
        "f1": 0.8,
        "segment_hit_rate": 0.667,
    }
    assert figures["categories"]["missing_disclosure"] == {
        "tp": 1,
        "fp": 1,
        "fn": 0,
        "precision": 0.5,
        "recall": 1.0,
        "f1": 0.667,
        "segment_hit_rate": None,
    }
    assert figures["categories"]["impersonation"]["tp"] == 0
    assert figures["total"]["precision"] == 0.75 and figures["total"]["recall"] == 0.75
    assert figures["macro_f1_core"] == round((0.8 + 0.667) / 5, 3)


def test_evaluate_without_tolerance_misses_the_neighbouring_segment_but_not_the_call(tmp_path):
    result = CliRunner().invoke(cli, ["evaluate", str(labelled_file(tmp_path)), "--json", "--tolerance", "0"])
    threat = json.loads(result.stdout)["categories"]["threat"]
    assert (threat["tp"], threat["fp"], threat["fn"], threat["segment_hit_rate"]) == (2, 0, 1, 0.333)


def test_evaluate_leaves_categories_the_set_never_labels_unscored(tmp_path):
    path = tmp_path / "labelled.jsonl"
    no_notice = OPENING[:1] + [("c", "是我。"), ("a", "您这个月的还款还没到账，麻烦今天处理一下。")]
    write_jsonl(path, [call_json("u1", no_notice, [])])
    figures = json.loads(CliRunner().invoke(cli, ["evaluate", str(path), "--json"]).stdout)
    assert "recording_notice" not in figures["categories"]
    assert figures["unscored"].get("recording_notice") == 1
    assert set(figures["categories"]) == {
        "threat",
        "impersonation",
        "exaggeration",
        "missing_disclosure",
        "third_party_leak",
    }


def test_evaluate_prints_a_table_and_reports_bad_labels(tmp_path):
    path = labelled_file(tmp_path)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(call_json("e6", OPENING, [("threat", 99)])) + "\n")
    result = CliRunner().invoke(cli, ["evaluate", str(path)])
    assert result.exit_code == 0
    assert "e6" in result.stderr and "segment_index" in result.stderr
    assert "threat" in result.stdout and "0.800" in result.stdout


def test_redetect_replaces_stored_findings(db, tmp_path):
    call = make_call(OPENING + [("a", "你这种老赖，我们明天就上门")], call_id="r1")
    save_call(db, CallRecord(call=call, source_path="r1.json", sha256="abc"))
    result = CliRunner().invoke(cli, ["redetect", "--db", str(tmp_path / "qa.db")])
    assert result.exit_code == 0, result.output
    assert "1 calls, 1 findings" in result.stdout and "threat: 1" in result.stdout
    rows = list(db.query("SELECT category, segment_index, detector FROM findings WHERE call_id = 'r1'"))
    assert [(r["category"], r["segment_index"]) for r in rows] == [("threat", 3)]
    assert rows[0]["detector"].startswith("lexicon:threat")  # the classifier, when present, agrees


def test_detect_and_redetect_on_more_than_one_batch_give_the_in_process_findings(db, tmp_path):
    """Over 64 calls the CLI spreads batches over worker processes (detect.parallel)."""
    dev = Path(__file__).resolve().parent.parent / "fixtures" / "labelled" / "dev"
    calls = [r.call for name in ("mono.jsonl", "scripted.jsonl") for r in read_calls(str(dev / name))]
    assert len(calls) > 64
    expected = detect_calls(calls, load_config())
    write_jsonl(tmp_path / "calls.jsonl", [call.to_json() for call in calls])
    result = CliRunner().invoke(cli, ["detect", str(tmp_path / "calls.jsonl")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [json.dumps(f.to_json(), ensure_ascii=False) for fs in expected for f in fs]

    for k, call in enumerate(calls):
        save_call(db, CallRecord(call=call, source_path=f"{k}.json", sha256=f"sha{k}"))
    result = CliRunner().invoke(cli, ["redetect", "--db", str(tmp_path / "qa.db")])
    assert result.exit_code == 0, result.output
    stored = [(f.call_id, f.category, f.segment_index, f.score) for f in load_findings(db)]
    per_call = sorted(row for row in stored if row[1] not in CROSS_CALL)  # redetect also runs the cross-call rules
    assert per_call == sorted((f.call_id, f.category, f.segment_index, f.score) for fs in expected for f in fs)

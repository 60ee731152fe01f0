"""Hostile input to detection (issue 12, item 9): long runs of digits or Chinese, patterns that
backtrack, and a call whose detection would not end. Each is bounded in size; none asserts a time:
a call that ran too long comes back as a DetectionError, which these tests would see."""

import copy
import json
import re
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from detect_helpers import OPENING, make_call

from pipeline.calls import Call, Segment, read_calls
from pipeline.categories import category_table
from pipeline.config import load_config
from pipeline.detect import DetectionError, Detector
from pipeline.detect.lexicon_file import load_category_lexicons
from pipeline.detect.registry import build_registry, default_registry
from pipeline.patterns import nested_repeat
from pipeline.text import LEXICON_DIR
from pipeline.yamldoc import LexiconError

DEV = Path(__file__).resolve().parent.parent / "fixtures" / "labelled" / "dev"
OLD_AMOUNT = (
    r"[0-9][0-9,.]*(?:块钱|块|元|万|千)|[一二两三四五六七八九十几]+(?:块钱|块|元|万块|万元)"
    r"|[一二两三四五六七八九十几]+[千万](?:多|块|元)?"
)


def amount_pattern():
    """The 金额 pattern of lexicons/dialogue.yaml, as the third-party rule compiled it."""
    dialogue = next(d for d in default_registry(load_config()).detectors if d.name == "rule:third_party_leak").rules
    return next(r.regex for r in dialogue.reveals if r.label == "金额")


def test_the_amount_pattern_finds_what_it_found_before_on_every_dev_segment():
    """The rewrite (a number matched from its first digit only) changes no match."""
    new, old = amount_pattern(), re.compile(OLD_AMOUNT)
    texts = [s.text for path in sorted(DEV.glob("*.jsonl")) for r in read_calls(path) for s in r.call.segments]
    texts += ["欠了1,200.50元", "一共十二万块", "三千二块钱", "还差.5万", "八千多", "12000块钱和三千元"]
    assert len(texts) > 3000
    for text in texts:
        a, b = new.search(text), old.search(text)
        assert (a and (a.span(), a.group(0))) == (b and (b.span(), b.group(0))), text


@pytest.mark.parametrize("text", ["1" * 40_000, "一" * 40_000, "1,1." * 10_000])
def test_the_amount_pattern_reads_a_long_run_once(text):
    """Tried from every digit, a run of 40,000 took 27 s (一: 56 s); now each run is read from its start."""
    assert amount_pattern().search(text) is None


@pytest.mark.parametrize(
    "text",
    ["1" * 1_000_000, "一" * 1_000_000, ("你欠了我们八千块钱已经逾期三个月了再不还就上门" * 40_000)[:1_000_000]],
    ids=["digits", "yi", "chinese"],
)
def test_a_call_with_a_megabyte_segment_is_detected_within_the_time_limit(text):
    call = Call(
        "long", [Segment(0, 1, "agent", text), Segment(1, 2, "customer", "我是他老婆"), Segment(2, 3, "unknown", text)]
    )
    [found] = default_registry(load_config()).analyze_many([call])
    assert isinstance(found, list)  # not a DetectionError


@pytest.mark.parametrize(
    "pattern, nested",
    [
        (r"(a+)+", True),
        (r"(\d+\D?)+", True),
        (r"(?:[0-9][0-9,.]*)+块", True),
        (r"(?:x[^，]{0,8})+", True),
        (r"^(?:(?:嗯|哦|好的)[，。？！、\s]*)+$", False),  # every iteration starts with a word the repeat cannot match
        (r"(?:，[^，]{0,8})+", False),
        (r"(?:ab)+|[0-9][0-9,.]*(?:块|元)", False),
    ],
)
def test_nested_repeats_are_found(pattern, nested):
    assert bool(nested_repeat(pattern)) == nested


def test_no_shipped_lexicon_pattern_nests_repeats():
    load_category_lexicons(LEXICON_DIR, category_table())  # refuses one, as below
    default_registry(load_config())


def test_a_lexicon_pattern_with_nested_repeats_is_refused_at_load(tmp_path):
    (tmp_path / "threat.yaml").write_text(
        textwrap.dedent("""
        category: threat
        rules:
          - id: amount
            patterns: ["(?:[0-9][0-9,.]*)+块"]
    """).lstrip(),
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match=r"threat\.yaml:4: rules\[0\]\.patterns\[0\]: .*nested quantifiers"):
        load_category_lexicons(tmp_path, category_table())


class Stuck(Detector):
    """A detector that never finishes on the call named ``stuck``."""

    family = "lexicon"
    name = "stuck"
    categories = ("threat",)

    def analyze(self, view):
        if view.call.call_id == "stuck":
            time.sleep(60)
        return []


def stuck_registry(seconds=0.3):
    detection = copy.deepcopy(load_config()["detection"])
    detection["time_limit_seconds"] = seconds
    registry = build_registry(detection)
    registry.detectors.insert(0, Stuck())
    return registry


def test_a_call_past_the_time_limit_gives_a_detection_error_and_the_others_go_on():
    calls = [make_call(OPENING + [("a", "你这种老赖")], call_id=i) for i in ("before", "stuck", "after")]
    before, stuck, after = stuck_registry().analyze_many(calls)
    assert [f.category for f in before] == [f.category for f in after] == ["threat"]
    assert isinstance(stuck, DetectionError) and "call 'stuck'" in str(stuck) and "0.3 s" in str(stuck)
    with pytest.raises(DetectionError, match="stuck"):
        stuck_registry().analyze(calls[1])


def test_the_scan_stores_a_call_past_the_time_limit_as_failed_and_goes_on(tmp_path, monkeypatch):
    from pipeline.run import ScanSettings, scan, stages
    from pipeline.store import open_db

    registry = stuck_registry()
    monkeypatch.setattr(stages, "detect_calls", lambda calls, config: registry.analyze_many(calls))
    source = tmp_path / "vendor.jsonl"
    source.write_text(
        "\n".join(
            json.dumps(make_call(OPENING, call_id=i).to_json(), ensure_ascii=False) for i in ("ok-1", "stuck", "ok-2")
        )
        + "\n",
        encoding="utf-8",
    )
    db = open_db(tmp_path / "qa.db")
    progress = scan(db, ScanSettings(transcribe=None), transcripts=source)
    assert (progress.ok, progress.failed) == (2, 1)
    [failed] = db["calls"].rows_where("status = 'failed'")
    assert failed["id"] == "stuck" and "detection took longer than 0.3 s" in failed["error"]


def test_detect_reports_a_call_past_the_time_limit_and_prints_the_others(tmp_path, monkeypatch):
    from pipeline.cli import cli
    from pipeline.run import stages

    registry = stuck_registry()
    monkeypatch.setattr(stages, "detect_calls", lambda calls, config: registry.analyze_many(calls))
    source = tmp_path / "calls.jsonl"
    source.write_text(
        "\n".join(
            json.dumps(make_call(OPENING + [("a", "你这种老赖")], call_id=i).to_json(), ensure_ascii=False)
            for i in ("ok-1", "stuck", "ok-2")
        )
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["detect", str(source)])
    assert result.exit_code == 0
    assert [json.loads(line)["call_id"] for line in result.stdout.splitlines()] == ["ok-1", "ok-2"]
    assert "call 'stuck': detection took longer than 0.3 s" in result.stderr

"""The analyst rule language: every operator on calls built to hit or miss it, the validation
errors with file and line, the starter pack, the registry and the ``callqa rules`` commands."""

import json
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from detect_helpers import make_call

from pipeline.analyst.detector import AnalystRuleRecognizer
from pipeline.analyst.language import read_rule_pack
from pipeline.calls import Call, Segment
from pipeline.cli import cli
from pipeline.config import load_config
from pipeline.detect import detect_call
from pipeline.detect.registry import default_registry
from pipeline.yamldoc import LexiconError

STARTER = Path(__file__).resolve().parent.parent / "lexicons" / "rules" / "starter.yaml"


def write_rules(tmp_path, body: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def one_rule(tmp_path, match: str, category: str = "forbidden_words", when: str | None = None) -> Path:
    """A file with one rule ``r`` of a category it adds; ``match`` and ``when`` in YAML."""
    rule = {"id": "r", "category": category, "match": yaml.safe_load(textwrap.dedent(match))}
    if when:
        rule["when"] = yaml.safe_load(when)
    document = {"categories": {"forbidden_words": {"label": "使用禁用语", "severity": "medium"}}, "rules": [rule]}
    return write_rules(tmp_path, yaml.safe_dump(document, allow_unicode=True))


def run_rules(path: Path, call: Call):
    view = default_registry(load_config()).preparer.view(call)
    return [r.to_finding() for r in AnalystRuleRecognizer(read_rule_pack([path])).analyze(view)]


def flagged(tmp_path, match: str, turns, **kwargs) -> list:
    return run_rules(one_rule(tmp_path, match, **kwargs), make_call(turns))


# --- keyword --------------------------------------------------------------------------------


def test_keyword_any_flags_each_utterance_with_a_word(tmp_path):
    turns = [("a", "你好"), ("a", "你烦不烦啊"), ("c", "你烦不烦"), ("a", "听不懂 人话吗")]
    found = flagged(tmp_path, "keyword: {any: [你烦不烦, 听不懂人话]}\nrole: agent", turns)
    assert [f.segment_index for f in found] == [1, 3]  # the customer's turn is out of scope
    assert all(f.category == "forbidden_words" and f.speaker == "agent" for f in found)
    assert "听不懂人话" in found[1].explanation and "分析规则 r" in found[1].explanation


def test_keyword_all_needs_every_word_in_the_scope(tmp_path):
    rule = "keyword: {all: [姓名, 身份证]}\nrole: agent"
    assert flagged(tmp_path, rule, [("a", "请说一下姓名"), ("c", "身份证")]) == []
    found = flagged(tmp_path, rule, [("a", "请说一下姓名"), ("a", "还有身份证后四位")])
    assert [f.segment_index for f in found] == [0, 1]


def test_keyword_at_least_counts_different_words(tmp_path):
    rule = "keyword: {at_least: 2, of: [法院, 律师, 坐牢]}"
    assert flagged(tmp_path, rule, [("a", "法院"), ("a", "法院法院")]) == []
    assert len(flagged(tmp_path, rule, [("a", "法院"), ("a", "还有律师")])) == 2


def test_keyword_none_gives_one_whole_call_finding(tmp_path):
    rule = "keyword: {none: [再见, 感谢接听]}\nrole: agent"
    found = flagged(tmp_path, rule, [("a", "就这样吧"), ("c", "再见")])
    assert len(found) == 1 and found[0].segment_index is None
    assert found[0].end == 5.5 and "没有说以下任何词：再见、感谢接听" in found[0].explanation
    assert flagged(tmp_path, rule, [("a", "好的 再见")]) == []


# --- regex ----------------------------------------------------------------------------------


def test_regex_with_exclusion(tmp_path):
    rule = 'regex: "欠款\\\\d+元"\nunless: "不是欠款"'
    turns = [("a", "您欠款3000元"), ("a", "这不是欠款3000元的事"), ("a", "你好")]
    assert [f.segment_index for f in flagged(tmp_path, rule, turns)] == [0]


# --- scope ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "position, expected",
    [
        ("first_turns: 2", [0, 2]),  # the agent's first two turns (turn 1 is the customer's)
        ("last_turns: 1", [4]),
        ("first_seconds: 4", [0]),  # starts before 4 s: only the turn at 0 s
        ("last_seconds: 5", [3, 4]),  # the call ends at 14.5 s: turns ending after 9.5 s
    ],
)
def test_positions_of_the_role_scope(tmp_path, position, expected):
    turns = [("a", "钱"), ("c", "钱"), ("a", "钱"), ("a", "钱"), ("a", "钱")]
    found = flagged(tmp_path, f"keyword: {{any: [钱]}}\nrole: agent\n{position}", turns)
    assert [f.segment_index for f in found] == expected


def test_customer_role(tmp_path):
    found = flagged(tmp_path, "keyword: {any: [投诉]}\nrole: customer", [("a", "投诉"), ("c", "我要投诉")])
    assert [f.segment_index for f in found] == [1]


# --- order ----------------------------------------------------------------------------------


def test_sequence_a_then_b_within_n_turns(tmp_path):
    rule = """\
    sequence:
      first: {keyword: {any: [投诉]}, role: customer}
      then: {keyword: {any: [没用]}, role: agent}
      within_turns: 2
    """
    assert [f.segment_index for f in flagged(tmp_path, rule, [("c", "我要投诉"), ("a", "投诉也没用")])] == [1]
    far = [("c", "我要投诉"), ("a", "嗯"), ("c", "嗯"), ("a", "投诉也没用")]
    assert flagged(tmp_path, rule, far) == []
    assert flagged(tmp_path, rule, [("a", "没用"), ("c", "我要投诉")]) == []  # B before A


def test_without_before_flags_a_with_no_b_earlier(tmp_path):
    rule = """\
    without_before:
      match: {keyword: {any: [欠款]}, role: agent}
      without: {keyword: {any: [本人]}, role: agent}
    """
    late = [("a", "您有一笔欠款"), ("a", "请问是本人吗"), ("a", "欠款要还")]
    assert [f.segment_index for f in flagged(tmp_path, rule, late)] == [0]
    assert flagged(tmp_path, rule, [("a", "请问是本人吗"), ("c", "是"), ("a", "您有欠款")]) == []


# --- boolean --------------------------------------------------------------------------------


def test_all_any_not(tmp_path):
    both = "all:\n  - keyword: {any: [法院]}\n  - keyword: {any: [起诉]}"
    assert flagged(tmp_path, both, [("a", "法院")]) == []
    assert [f.segment_index for f in flagged(tmp_path, both, [("a", "法院"), ("a", "起诉")])] == [0, 1]
    either = "any:\n  - keyword: {any: [法院]}\n  - keyword: {any: [起诉]}"
    assert [f.segment_index for f in flagged(tmp_path, either, [("a", "你好"), ("a", "起诉")])] == [1]
    negated = "not:\n  keyword: {any: [您好]}\n  role: agent"
    assert flagged(tmp_path, negated, [("a", "您好")]) == []
    found = flagged(tmp_path, negated, [("a", "喂")])
    assert len(found) == 1 and found[0].segment_index is None and "并非" in found[0].explanation


def test_when_is_a_precondition_whose_hits_are_not_findings(tmp_path):
    path = one_rule(tmp_path, "keyword: {none: [录音]}\nrole: agent", when="{regex: '.', role: customer}")
    assert run_rules(path, make_call([("a", "喂")])) == []  # the customer never spoke
    found = run_rules(path, make_call([("a", "喂"), ("c", "嗯")]))
    assert [f.segment_index for f in found] == [None]


# --- acoustic measures (from segment times; values planted in the segments) ---------------------


def timed_call(segments, loudness=None) -> Call:
    loudness = loudness or [None] * len(segments)
    return Call(
        "m1", [Segment(start, end, who, text, rms_dbfs=db) for (start, end, who, text), db in zip(segments, loudness)]
    )


def test_silence_above_seconds(tmp_path):
    call = timed_call([(0, 2, "agent", "喂"), (2.5, 4, "customer", "嗯"), (16.0, 18, "agent", "您还在吗")])
    found = run_rules(one_rule(tmp_path, "measure: silence\nabove: 10"), call)
    assert [(f.segment_index, f.start, f.end) for f in found] == [(2, 4.0, 16.0)]
    assert "双方静音 12 秒" in found[0].explanation
    assert run_rules(one_rule(tmp_path, "measure: silence\nabove: 12.5"), call) == []


def test_overtalk_count_on_stereo_only(tmp_path):
    segments = [(0, 10, "customer", "我跟你说我现在真的没钱")]
    segments += [(1 + 2 * k, 2 + 2 * k, "agent", "你听我说") for k in range(3)]  # three starts inside
    rule = "measure: overtalk\nrole: agent\ncount_above: 2"
    assert len(run_rules(one_rule(tmp_path, rule), timed_call(segments))) == 3
    assert run_rules(one_rule(tmp_path, "measure: overtalk\nrole: agent\ncount_above: 3"), timed_call(segments)) == []
    mono = [(s, e, "unknown", t) for s, e, _, t in segments]
    assert run_rules(one_rule(tmp_path, rule), timed_call(mono)) == []  # not measurable on mono


def test_speech_rate_above(tmp_path):
    # 20 characters in 2 s is 600 a minute; 20 in 6 s is 200.
    text = "我们这边已经给您发了短信请您尽快处理一下"
    call = timed_call([(0, 2, "agent", text), (3, 9, "agent", text)])
    found = run_rules(one_rule(tmp_path, "measure: speech_rate\nrole: agent\nabove: 400"), call)
    assert [f.segment_index for f in found] == [0] and "600 字/分钟" in found[0].explanation


def test_loudness_over_the_speakers_median(tmp_path):
    segments = [(i, i + 0.5, "agent", "你好") for i in range(5)] + [(6, 7, "customer", "嗯")]
    loudness = [-30.0, -31.0, -30.0, -16.0, -29.0, -50.0]  # agent median -30: the fourth is 14 dB over
    rule = "measure: loudness\nrole: agent\nabove: 10"
    found = run_rules(one_rule(tmp_path, rule), timed_call(segments, loudness))
    assert [f.segment_index for f in found] == [3]
    assert run_rules(one_rule(tmp_path, rule), timed_call(segments)) == []  # no audio measured


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, line, reason",
    [
        ("rules:\n  - id: r\n    category: nope\n    match: {keyword: {any: [x]}}\n", 3, "unknown category 'nope'"),
        (
            "rules:\n  - id: r\n    category: threat\n    match: {keyword: {any: [x]}, regex: y}\n",
            4,
            "exactly one operator",
        ),
        ("rules:\n  - id: r\n    category: threat\n    match: {regex: '(a'}\n", 4, "invalid regular expression"),
        (
            "rules:\n  - id: r\n    category: threat\n    match: {keyword: {any: [x]}, role: boss}\n",
            4,
            "must be one of agent",
        ),
        (
            "rules:\n  - id: r\n    category: threat\n    match:\n      measure: volume\n      above: 3\n",
            5,
            "unknown measure",
        ),
        ("rules:\n  - id: r\n    category: threat\n    match: {measure: silence}\n", 4, "give above:"),
        (
            "rules:\n  - id: r\n    category: threat\n    match: {keyword: {at_least: 3, of: [a, b]}}\n",
            4,
            "asks for 3 words",
        ),
        (
            "rules:\n  - id: r\n    category: threat\n    match:\n      all:\n        - {keyword: {any: [x]}}\n",
            6,
            "at least two",
        ),
        (
            "rules:\n  - id: r\n    category: threat\n    match:\n      sequence: {first: {keyword: {any: [x]}}, then: {keyword: {any: [y]}}}\n",
            5,
            "needs within_turns",
        ),
        (
            "rules:\n  - id: r\n    category: threat\n    match: {keyword: {any: [x]}, first_turns: 2, last_turns: 1}\n",
            4,
            "one position only",
        ),
        (
            "rules:\n  - id: r\n    category: threat\n    match: {keyword: {any: [x]}}\n    colour: red\n",
            5,
            "unknown key 'colour'",
        ),
        (
            "categories:\n  threat: {label: x, severity: high}\nrules:\n  - id: r\n    category: threat\n    match: {keyword: {any: [x]}}\n",
            2,
            "already defined in categories.yaml",
        ),
        (
            "categories:\n  mine: {label: 我的, severity: huge}\nrules:\n  - id: r\n    category: mine\n    match: {keyword: {any: [x]}}\n",
            2,
            "severity: must be one of",
        ),
        (
            "rules:\n  - id: r\n    category: threat\n    match: {keyword: {any: [x]}}\n  - id: r\n    category: threat\n"
            "    match: {keyword: {any: [y]}}\n",
            5,
            "already used",
        ),
    ],
)
def test_mistakes_are_reported_with_file_and_line(tmp_path, body, line, reason):
    path = write_rules(tmp_path, body)
    with pytest.raises(LexiconError) as error:
        read_rule_pack([path])
    assert any(p.startswith(f"{path}:{line}:") and reason in p for p in error.value.problems), error.value.problems


def test_every_mistake_of_a_file_at_once(tmp_path):
    path = write_rules(
        tmp_path,
        "rules:\n  - id: a\n    category: nope\n    match: {keyword: {any: [x]}}\n"
        "  - id: b\n    category: threat\n    match: {regex: '(a'}\n",
    )
    with pytest.raises(LexiconError) as error:
        read_rule_pack([path])
    assert len(error.value.problems) == 2


# --- the starter pack -----------------------------------------------------------------------


def starter_ids(call: Call) -> list[str]:
    return sorted({f.detector.split(":")[1] for f in run_rules(STARTER, call)})


def paced_call(turns) -> Call:
    """Turns one after another at four characters a second, a second apart."""
    segments, start = [], 0.0
    for who, text in turns:
        end = start + max(1.0, len(text) / 4)
        segments.append(Segment(start, end, {"a": "agent", "c": "customer"}[who], text))
        start = end + 1.0
    return Call("p1", segments)


def test_starter_pack_on_a_clean_call_flags_nothing():
    call = paced_call(
        [
            ("a", "喂，您好，请问是张伟先生本人吗？"),
            ("c", "是我。"),
            ("a", "我是某某金融的工作人员，本次通话将被录音。您有一笔欠款今天到期"),
            ("c", "好的我今天还"),
            ("a", "好的，感谢您的接听，再见"),
        ]
    )
    assert starter_ids(call) == []


def test_starter_pack_rules_each_fire_on_their_planted_fault():
    words = paced_call([("a", "喂，您好，您有一笔欠款逾期了"), ("c", "哦"), ("a", "你烦不烦啊"), ("a", "就这样")])
    assert starter_ids(words) == [
        "debt_details_before_verification",
        "forbidden_words",
        "recording_notice_wording",
        "required_closing",
    ]
    fast = "我们这边已经给您发了短信请您尽快处理一下谢谢"  # 22 characters in 2 s: 660 a minute
    segments = [Segment(0, 2, "agent", fast), Segment(2.5, 3, "customer", "嗯")]
    segments += [Segment(20 + k, 20.5 + k, "agent", "你听我说") for k in range(6)]
    segments += [
        Segment(19.5, 27, "customer", "我现在真的没有钱你别催了"),
        Segment(28, 30, "agent", "本次通话将被录音，再见"),
    ]
    loudness = [-30.0] * 9 + [-15.0]  # agent median -30; the closing turn at +15 dB
    for segment, db in zip(segments, loudness):
        segment.rms_dbfs = db
    sounded = Call("s1", segments)
    assert starter_ids(sounded) == ["agent_overtalk", "agent_shouting", "agent_speech_too_fast", "dead_air_over_10s"]


# --- registry and command line -----------------------------------------------------------


def test_rules_in_the_settings_feed_detection():
    config = load_config()
    config["detection"]["rules"] = [str(STARTER)]
    call = make_call([("a", "喂，您好，请问是张伟先生吗？"), ("c", "是我"), ("a", "你烦不烦啊")])
    assert "forbidden_words" in {f.category for f in detect_call(call, config)}
    config["detection"]["categories"]["forbidden_words"] = {"enabled": False}
    assert "forbidden_words" not in {f.category for f in detect_call(call, config)}
    assert "forbidden_words" not in {f.category for f in detect_call(call, load_config())}  # off by default


def test_cli_rules_check_and_test(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["rules", "check", str(STARTER)])
    assert ok.exit_code == 0 and "规则 8 条" in ok.output
    bad = write_rules(tmp_path, "rules:\n  - id: r\n    category: nope\n    match: {keyword: {any: [x]}}\n")
    failed = runner.invoke(cli, ["rules", "check", str(bad)])
    assert failed.exit_code == 1 and f"{bad}:3:" in failed.output and "Traceback" not in failed.output
    calls = tmp_path / "calls.jsonl"
    lines = [
        make_call([("a", "你烦不烦啊"), ("c", "嗯")], call_id="bad").to_json(),
        make_call([("a", "您好，再见")], call_id="good").to_json(),
        {"call_id": "broken"},
    ]
    calls.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    tried = runner.invoke(cli, ["rules", "test", str(STARTER), str(calls)])
    assert tried.exit_code == 0, tried.output
    rows = [line.split("\t")[:3] for line in tried.output.splitlines() if "\t" in line]
    assert rows == [["bad", "整通", "未告知录音"], ["bad", "第 1 句", "使用禁用语"], ["bad", "整通", "未规范结束通话"]]
    assert "broken" in tried.output and "3 通通话，1 通会被标记。" in tried.output


def test_labels_of_added_categories_come_from_the_rule_files(tmp_path, monkeypatch):
    from pipeline.present import labels

    settings = tmp_path / "mine.yaml"
    settings.write_text(f"detection:\n  rules: [{STARTER}]\n", encoding="utf-8")
    monkeypatch.setenv("CALLQA_CONFIG", str(settings))
    assert labels.category_label("dead_air") == "静音过长" and labels.category_label("threat") == "威胁恐吓 / 侮辱谩骂"
    monkeypatch.delenv("CALLQA_CONFIG")
    assert labels.category_label("dead_air") == "dead_air"


def test_a_commands_config_gives_the_labels_of_the_categories_its_rule_files_add(tmp_path, monkeypatch):
    """`callqa export --config` (as serve, report) shows a rule file's category by its label,
    and only while the command runs."""
    from console_fixtures import add_call

    from pipeline.present import labels
    from pipeline.store import open_db

    monkeypatch.delenv("CALLQA_CONFIG", raising=False)
    settings = tmp_path / "mine.yaml"
    settings.write_text(f"detection:\n  rules: [{STARTER}]\n", encoding="utf-8")
    add_call(open_db(tmp_path / "qa.db"), "c1", "2026-03-02T10:15:00+08:00", [("dead_air", "low", 0.9)])
    out = tmp_path / "findings.csv"
    args = ["export", "--db", str(tmp_path / "qa.db"), "--out", str(out), "--user", "wang"]
    result = CliRunner().invoke(cli, [*args, "--config", str(settings)])
    assert result.exit_code == 0, result.output
    assert "静音过长" in out.read_text(encoding="utf-8-sig")
    assert labels.category_label("dead_air") == "dead_air", "the command's settings end with it"
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert "静音过长" not in out.read_text(encoding="utf-8-sig")

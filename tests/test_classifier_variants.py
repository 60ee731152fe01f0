"""benchmarks/classifier_variants.py: the context each line is given and the variants it reads."""

import argparse
import json

import pytest

from benchmarks.classifier_variants import contexts, parse_variant


def call(speakers_and_texts):
    segments = [
        {"start": float(i), "end": i + 0.5, "speaker": who, "text": text}
        for i, (who, text) in enumerate(speakers_and_texts)
    ]
    return json.dumps({"call_id": "c", "segments": segments, "labels": []}, ensure_ascii=False)


def test_a_line_is_given_the_other_partys_last_turn_and_its_speakers_own_last_line(tmp_path):
    path = tmp_path / "w0.jsonl"
    stereo = [
        ("agent", "您好，这里是还款提醒。"),
        ("customer", "我这个月实在拿不出钱。"),
        ("customer", ""),  # empty lines are no turn
        ("customer", "下个月发工资再说吧。"),
        ("agent", "那你就自己看着办吧。"),
    ]
    mono = [("unknown", "喂，哪位？"), ("unknown", "我是物业的小王。"), ("unknown", "哦，什么事？")]
    path.write_text(call(stereo) + "\n" + call(mono) + "\n", encoding="utf-8")
    rows = contexts(path)
    assert [r["line"] for r in rows] == [t for _, t in stereo + mono if t]
    assert rows[0] == {"line": "您好，这里是还款提醒。", "other": "", "own": ""}
    assert rows[3] == {"line": "那你就自己看着办吧。", "other": "下个月发工资再说吧。", "own": "您好，这里是还款提醒。"}
    assert rows[2]["own"] == "我这个月实在拿不出钱。"
    # mono: the turns taken as alternating, within the call only
    assert rows[4] == {"line": "喂，哪位？", "other": "", "own": ""}
    assert rows[6] == {"line": "哦，什么事？", "other": "我是物业的小王。", "own": "喂，哪位？"}


def test_a_variant_names_its_c_and_its_context_views():
    assert parse_variant("both=0.5:other+own") == ("both", (0.5, ("other", "own")))
    assert parse_variant("base=1.0") == ("base", (1.0, ()))
    with pytest.raises(argparse.ArgumentTypeError):
        parse_variant("x=1.0:position")

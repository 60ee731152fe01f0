"""benchmarks/classifier_variants.py: the context each line is given and the variants it reads."""

import argparse
import json

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from benchmarks.classifier_variants import (
    contexts,
    dense_features,
    estimator,
    line_ranges,
    parse_variant,
    template_weight,
    variant_views,
    view_features,
)
from pipeline.learn.embeddings import Cache, embed, key


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


def test_the_sentence_vector_view_names_its_weight_and_can_stand_alone():
    assert parse_variant("e5x2=1.0:e5x2") == ("e5x2", (1.0, ("e5x2",)))
    assert variant_views(("e5",)) == (["line"], 1.0)
    assert variant_views(("e5x0.5", "own")) == (["line", "own"], 0.5)
    assert variant_views(("e5", "noline")) == ([], 1.0)  # the dense vector alone
    assert variant_views(()) == (["line"], 0.0)
    with pytest.raises(argparse.ArgumentTypeError):
        parse_variant("x=1.0:e5xheavy")


def test_a_variant_sets_the_line_branches_ranges_the_estimator_and_the_templates_weight():
    assert parse_variant("mix=4:char1-4+words+lr+tpl0.5") == ("mix", (4.0, ("char1-4", "words", "lr", "tpl0.5")))
    assert line_ranges(()) == {"chars": (1, 3), "pinyin": (1, 3)}  # the shipped model's
    assert line_ranges(("char2-4", "pin1-2")) == {"chars": (2, 4), "pinyin": (1, 2)}
    assert line_ranges(("words",))["words"] == (1, 2)
    assert line_ranges(("words1-3",))["words"] == (1, 3)
    assert template_weight(()) == 1.0 and template_weight(("tpl0",)) == 0.0 and template_weight(("tpl2.5",)) == 2.5
    assert isinstance(estimator(4.0, ("lr",), 0), LogisticRegression) and estimator(4.0, ("lr",), 0).C == 4.0
    svm = estimator(0.5, ("svm",), 0)
    assert isinstance(svm, LinearSVC) and svm.C == 0.5 and svm.class_weight == "balanced"
    assert estimator(2.0, (), 0).C == 2.0  # the shipped model's kind at the variant's C
    for bad in ("x=1.0:char1", "x=1.0:tplmany", "x=1.0:logit"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_variant(bad)


def test_the_words_branch_cuts_the_normalised_line_into_words():
    rows = [{"line": text} for text in ("明天 上午，我们去单位找你！", "明天我们去单位", "上午找你单位")]
    ((train, _),) = view_features(rows, rows, "line", {"words": (1, 1)})
    assert train.shape[0] == 3 and 0 < train.shape[1] < len("明天上午我们去单位找你")  # words, not characters


def test_dense_vectors_are_centred_and_scaled_on_the_training_rows_only():
    rng = np.random.default_rng(3)
    train, test = rng.normal(2.0, 1.0, (50, 8)), rng.normal(2.0, 1.0, (5, 8))
    scaled_train, scaled_test = dense_features(train, test)
    assert np.allclose(scaled_train.mean(axis=0), 0.0)
    assert np.isclose(np.linalg.norm(scaled_train, axis=1).mean(), 1.0)  # as each TF-IDF branch's rows
    mean, scale = train.mean(axis=0), np.linalg.norm(train - train.mean(axis=0), axis=1).mean()
    assert np.allclose(scaled_test, (test - mean) / scale)


def test_a_line_is_cached_under_its_normalised_text(tmp_path):
    # spacing and punctuation are the transcriber's: one key, one embedding
    assert key("你 再不还钱，就 等着吧！") == key("你再不还钱就等着吧")
    assert key("你再不还钱就等着吧") != key("你再还钱就等着吧")
    cache = Cache(tmp_path)
    vector = np.arange(384, dtype=np.float32) / 384
    cache.put({key("等着吧"): vector})
    assert np.array_equal(Cache(tmp_path).get([key("等着 吧。")])[key("等着吧")], vector)
    assert embed(["等着吧！"], cache=cache).tolist() == [vector.tolist()]  # from the cache, no model loaded

"""missing_disclosure and the opening model (``pipeline/detect/opening.py``): where the model is
sure, it overrules the disclosure rule, both ways; never a finding the agent's own words make
firm (a pose, an introduction as a person or as a bare kind). Every sentence is written for these
tests."""

from __future__ import annotations

import copy
import json

import pytest
from detect_helpers import make_call

from pipeline.config import load_config
from pipeline.detect import opening
from pipeline.detect.classifier import ModelFileError
from pipeline.detect.recognizers.disclosure import DisclosureRecognizer
from pipeline.detect.registry import default_registry
from pipeline.detect.settings import DetectionSettings
from pipeline.learn.training import _opening_section, train_opening

REST = [("c", "是我。"), ("a", "您那笔三千二逾期十天了，今天能还吗？")]
# the brand heard with a 了 in it (乐豆分期): the rule finds no name, the opening plainly has one
GARBLED = [("a", "喂，您好，了豆分期客服，请问是王磊吗？"), *REST]
NAMED = [("a", "喂，你好，我是青禾消费金融的客服，请问是王磊吗？"), *REST]
AS_A_FRIEND = [
    ("a", "喂，你好，我是他朋友，请问王磊在吗？"),
    ("c", "他不在，你找他干嘛？"),
    ("a", "有点事，让他回个电话。"),
]
AS_A_KIND = [("a", "喂，您好，我是带后部的，请问是王磊吗？"), *REST]  # 贷后部 heard: a bare kind
POSED = [("a", "喂，我是市中院执行局的，请问是王磊吗？"), *REST]


class Sure:
    """Stands in for the model: the same probability for every opening; keeps what it read."""

    def __init__(self, probability: float):
        self.probability = probability
        self.read: list[list[str]] = []

    def unnamed(self, openings: list[str]) -> list[float]:
        self.read.append(openings)
        return [self.probability] * len(openings)


def recognizer(probability: float | None, below: float | None = 0.05, above: float | None = 0.95):
    built = next(d for d in default_registry().detectors if isinstance(d, DisclosureRecognizer))
    changed = copy.copy(built)
    changed.opening = Sure(probability) if probability is not None else None
    changed.unflag_below, changed.flag_above = below, above
    return changed


def found(detector: DisclosureRecognizer, turns) -> list:
    return detector.analyze(default_registry().preparer.view(make_call(turns)))


def test_a_rule_flag_on_no_name_found_yields_to_a_model_sure_a_name_was_said():
    assert found(recognizer(None), GARBLED)
    assert found(recognizer(0.01), GARBLED) == []
    assert found(recognizer(0.5), GARBLED)  # unsure: the rule decides
    assert found(recognizer(0.01, below=None), GARBLED)  # the overrule switched off


def test_what_the_agent_said_keeps_the_rules_flag_however_sure_the_model():
    for turns in (AS_A_FRIEND, AS_A_KIND, POSED):
        assert found(recognizer(0.001), turns), turns[0][1]


def test_a_model_sure_no_name_was_said_flags_where_the_rule_found_one():
    assert found(recognizer(0.99, above=None), NAMED) == []
    [result] = found(recognizer(0.99), NAMED)
    assert result.category == "missing_disclosure" and result.score == 0.99
    [explanation] = result.explanations
    assert "分类器据开场整体判断" in explanation.text and "概率 0.99" in explanation.text
    assert found(recognizer(0.5), NAMED) == []


def test_a_batch_of_calls_is_read_by_the_model_at_once():
    detector = recognizer(0.01)
    views = [default_registry().preparer.view(make_call(t, call_id=f"c{k}")) for k, t in enumerate((GARBLED, NAMED))]
    assert detector.analyze_many(views) == [[], []]
    [openings] = detector.opening.read
    assert openings[0].startswith("A:喂，您好，了豆分期客服") and "C:是我。" in openings[0]


def test_the_shipped_model_reads_openings_and_refuses_a_file_of_another_kind():
    model = opening.opening_model(DetectionSettings())
    assert model is not None
    view = default_registry().preparer.view(make_call(NAMED))
    named = opening.opening_text(view, view.utterances)
    nameless = "A:喂，王磊是吧？ | C:是我。 | A:你那三千二拖了十天了，到底什么时候还？"
    assert model.unnamed([named])[0] < 0.05 < model.unnamed([nameless])[0]
    with pytest.raises(ModelFileError, match="not an opening model"):
        opening.load(DetectionSettings().classifier.model_path)  # the utterance model


def _call(call_id: str, first_line: str, unnamed: bool) -> dict:
    said = [("agent", first_line), ("customer", "是我。"), ("agent", "您那笔钱逾期了，今天能还吗？")]
    return {
        "call_id": call_id,
        "segments": [
            {"speaker": who, "text": text, "start": 3.0 * i, "end": 3.0 * i + 2.5} for i, (who, text) in enumerate(said)
        ],
        "labels": [{"category": "missing_disclosure", "segment_index": None}] if unnamed else [],
    }


BRANDS = ["青禾消费金融", "橙信分期", "麦田借款", "北斗小贷", "石榴钱包", "云杉信用", "海鸥金融", "竹叶分期"]


@pytest.mark.slow  # trains models: out of the fast tier
def test_the_opening_model_is_trained_on_writers_calls_and_scored_by_writer(tmp_path):
    for w in ("wa", "wb", "wc"):
        calls = [_call(f"{w}-{k}", f"喂，你好，我是{brand}的，请问是王磊吗？", False) for k, brand in enumerate(BRANDS)]
        calls += [
            _call(f"{w}-n{k}", f"喂，{name}是吧？", True)
            for k, name in enumerate(["王磊", "李娟", "张伟", "刘洋", "陈静", "赵敏"])
        ]
        (tmp_path / f"{w}.jsonl").write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in calls), "utf-8")
    trained = train_opening(tmp_path, seed=0)
    assert trained is not None and trained.writers == ["wa", "wb", "wc"] and len(trained.out_of_fold) == 42
    assert train_opening(tmp_path, seed=0).out_of_fold == trained.out_of_fold  # seeded
    opening.save(trained.model, tmp_path / "opening.skops")
    again = opening.load(tmp_path / "opening.skops")
    texts = ["A:喂，你好，我是松果分期的，请问是王磊吗？", "A:喂，王磊是吧？"]
    assert again.unnamed(texts) == trained.model.unnamed(texts)
    assert again.unnamed(texts)[0] < again.unnamed(texts)[1]
    (tmp_path / "one").mkdir()
    (tmp_path / "wa.jsonl").rename(tmp_path / "one" / "wa.jsonl")
    assert train_opening(tmp_path / "one") is None  # one writer: no writer-grouped folds
    off = tmp_path / "off.yaml"
    off.write_text("detection:\n  categories:\n    missing_disclosure: {enabled: false}\n", encoding="utf-8")
    assert train_opening(tmp_path, config=load_config(off)) is None  # no missing_disclosure checked
    section = _opening_section(trained)
    assert section.startswith("## The opening model") and "42 calls of\n3 writers" in section

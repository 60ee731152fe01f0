"""The utterance classifier: fit, skops round trip, the detector, determinism, retraining with
reviewer verdicts. Trained on a slice of the corpus to stay fast; the full train is ``callqa train``."""

from __future__ import annotations

import json
import shutil
from types import SimpleNamespace

import numpy as np
import pytest
import skops.io
from click.testing import CliRunner
from detect_helpers import findings_for
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from pipeline.calls import Call, CallRecord, Segment
from pipeline.cli import cli
from pipeline.detect.classifier import (
    CATEGORIES,
    TRUSTED_TYPES,
    ModelFileError,
    TrainedClassifier,
    build_pipeline,
    indicator,
    load,
    normalise,
    save,
)
from pipeline.detect.recognizers.classifier import ClassifierRecognizer
from pipeline.detect.registry import default_registry
from pipeline.detect.settings import DetectionSettings
from pipeline.learn.corpus import (
    CorpusError,
    Utterance,
    read_call_utterances,
    read_corpus,
    read_utterances,
    read_writers,
)
from pipeline.learn.review_labels import reviewed_utterances
from pipeline.learn.training import MODEL_FILE, TARGET_PRECISION, evaluate, retrain_with_reviews, train, train_corpus
from pipeline.store import save_call

THREAT = "你再不还钱，我们就派人去你家门口堵你，让你全家都知道"
IMPERSONATION = "我是朝阳区人民法院执行局的法官，你的案子已经立案了"
EXAGGERATION = "你这就是诈骗，是要坐牢的，至少判三年"
LEAK = "他欠我们八千块，已经逾期三个月了，你让他赶紧还"
HARD_NEGATIVES = [
    "逾期信息会按规定报送征信系统。",
    "我司保留依法起诉的权利。",
    "如果进入诉讼程序，由法院依法判决。",
    "我们不会上门，也不会联系您的家人。",
    "您说有人冒充律师给您打电话？",
    "麻烦您转告他尽快回电，我们是某某金融的。",
    "您这笔账单已经逾期了，今天能处理一下吗？",
]


# The templates hold no line of the money categories (the shipped model learns them from the
# writers' calls): a handful of this test's own, one group each, so that a model trained on the
# templates' slice has positives of every category.
MONEY_LINES = {
    "private_channel": [
        "别走平台了，直接转到我个人的卡上，我这边马上给你销账",
        "你加我私人微信，钱扫我的收款码就行",
        "打到我老婆名下那张建行卡，尾号我发你短信",
        "这个账户是我们经理自己的，你转过来一样算还款",
        "今天转给我个人支付宝，明天系统就显示结清",
    ],
    "illegal_funding": [
        "你去网上随便找个小贷平台借一笔先把我们这个填上",
        "信用卡不是还有额度吗，套出来先还这边",
        "找你同事借几千，先把这个月的窟窿补上",
        "我给你推荐个口子，当天放款，借了马上还我们",
        "你手机上那些借款软件都试一遍，总有能下款的",
    ],
    "extra_fees": [
        "现在要还清得另外交八百的催收服务费",
        "你得先付三百块手续费，我们才给你办停催",
        "减免可以，但要先交一笔五百的审核费",
        "外访的人去一趟要收差旅费，这钱也算你头上",
        "结清证明要开的话，得再交两百的工本费",
    ],
}
MONEY_ROWS = [
    Utterance(text=text, label=category, source="written", group=f"{category}-test-{i}")
    for i in range(5)
    for category, texts in MONEY_LINES.items()
    for text in texts[i : i + 1]
]


def _half_of_the_templates(rows):
    """Every other templated row, and every money line (calibration wants three of each category)."""
    return [u for u in rows if u not in MONEY_ROWS][::2] + MONEY_ROWS


def _write_corpus(folder, train_rows, test_rows):
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("train", train_rows), ("test", test_rows)):
        with (folder / f"{name}.jsonl").open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row.to_json(), ensure_ascii=False) + "\n")
    return folder


@pytest.fixture(scope="module")
def corpus_slice():
    """A third of the training rows (and the money lines) and half the test rows: every label,
    every kind of source."""
    corpus = read_corpus()
    return corpus["train"][::3] + MONEY_ROWS, corpus["test"][::2]


@pytest.fixture(scope="module")
def trained(corpus_slice):
    return train(*corpus_slice, seed=0)


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory, trained):
    """The trained model written once (a skops file of this size takes seconds to write)."""
    path = tmp_path_factory.mktemp("model") / MODEL_FILE
    save(trained.model, path)
    return path


@pytest.fixture
def model_dir(tmp_path, saved_model):
    """A folder of its own holding the saved model, for tests that write beside it."""
    shutil.copyfile(saved_model, tmp_path / MODEL_FILE)
    return tmp_path


def _top(probabilities):
    return max(probabilities, key=probabilities.get)


@pytest.mark.slow  # a model trained for the test (the fixture): out of the fast tier
def test_small_slice_predicts_obvious_cases(trained):
    texts = [THREAT, IMPERSONATION, EXAGGERATION, LEAK]
    tops = [_top(p) for p in trained.model.predict_proba(texts)]
    assert tops == ["threat", "impersonation", "exaggeration", "third_party_leak"]


@pytest.mark.slow  # a model trained for the test (the fixture): out of the fast tier
def test_small_slice_rejects_hard_negatives(trained):
    for text, probabilities in zip(HARD_NEGATIVES, trained.model.predict_proba(HARD_NEGATIVES)):
        assert _top(probabilities) == "none", (text, probabilities)


@pytest.mark.slow  # a model trained for the test (the fixture): out of the fast tier
def test_recognition_errors_still_recognised(trained):
    garbled = ["嗯那个我是发院的就是说你那个案子已经立案了", "你这个就是诈骗要做牢的知道吗"]
    assert [_top(p) for p in trained.model.predict_proba(garbled)] == ["impersonation", "exaggeration"]


@pytest.mark.slow  # a model trained for the test (the fixture): out of the fast tier
def test_thresholds_favour_precision(trained):
    assert set(trained.thresholds) == set(CATEGORIES)
    assert all(0.5 <= t <= 1.0 for t in trained.thresholds.values())
    for category, scores in trained.cv_scores.items():
        if category in MONEY_LINES:  # five lines each in this slice, one a group: none learned out of fold
            continue
        # the lowest threshold reaching the target; the floor above it can cost a little
        assert scores.precision >= TARGET_PRECISION - 0.01, category
    alone = trained.model.alone_thresholds
    assert all(alone[c] >= trained.thresholds[c] for c in trained.thresholds)


@pytest.mark.slow  # a model trained for the test (the fixture): out of the fast tier
def test_skops_round_trip_gives_identical_probabilities(saved_model, trained):
    loaded = load(saved_model)
    texts = [THREAT, IMPERSONATION, LEAK] + HARD_NEGATIVES
    assert loaded.thresholds == trained.model.thresholds
    assert np.array_equal(loaded.pipeline.predict_proba(texts), trained.model.pipeline.predict_proba(texts))
    raw = skops.io.load(saved_model, trusted=TRUSTED_TYPES)  # the vocabularies are stored apart, as arrays
    assert [v.vocabulary_ for _, v in raw["pipeline"].named_steps["features"].transformer_list] == [None, None]
    assert all(isinstance(terms, np.ndarray) for terms in raw["vocabularies"])


@pytest.mark.slow  # a model trained for the test (the fixture): out of the fast tier
def test_a_file_with_the_vocabularies_inside_the_pipeline_still_loads(trained, tmp_path):
    path = tmp_path / "older.skops"
    skops.io.dump({"pipeline": trained.model.pipeline, "thresholds": trained.model.thresholds}, path)
    texts = [THREAT, LEAK] + HARD_NEGATIVES
    assert np.array_equal(load(path).pipeline.predict_proba(texts), trained.model.pipeline.predict_proba(texts))


def _not_in_the_trusted_list(x):
    return x


# The tampered files hold the model's pipeline unfitted: the same types, without the vocabularies
# that make writing a fitted one take seconds.


def test_untrusted_types_are_refused_on_load(tmp_path):
    path = tmp_path / "tampered.skops"
    skops.io.dump(
        {"pipeline": build_pipeline(), "thresholds": {}, "hook": FunctionTransformer(_not_in_the_trusted_list)},
        path,
    )
    with pytest.raises(ModelFileError, match="tampered.skops"):
        load(path)


def test_saving_a_model_with_untrusted_types_fails(tmp_path):
    tampered = TrainedClassifier(
        pipeline=build_pipeline(), thresholds={"hook": FunctionTransformer(_not_in_the_trusted_list)}
    )
    with pytest.raises(ModelFileError, match="_not_in_the_trusted_list"):
        save(tampered, tmp_path / MODEL_FILE)
    assert not (tmp_path / MODEL_FILE).exists()


FEEDS = ("threat", "impersonation", "exaggeration")


def recognizer(model, thresholds=None):
    """The classifier family's recognizer over ``model``, for the categories it feeds."""
    return ClassifierRecognizer(model, FEEDS, thresholds)


def view(call):
    return default_registry().preparer.view(call)


def _call():
    texts = [
        ("agent", "您好，我是安信消费金融的贷后专员，请问是张伟先生吗？"),
        ("customer", "我是。"),
        ("agent", THREAT),
        ("customer", THREAT),  # the customer quoting it: never scored
        ("unknown", IMPERSONATION),
        ("agent", LEAK),  # a disclosure: the dialogue rule's finding, not the classifier's
        ("agent", "逾期信息会按规定报送征信系统。"),
        ("agent", ""),
    ]
    return Call(
        call_id="c1",
        segments=[
            Segment(start=2.0 * i, end=2.0 * i + 1.5, speaker=who, text=text) for i, (who, text) in enumerate(texts)
        ],
    )


@pytest.mark.slow  # a model trained for the test (the fixture): out of the fast tier
def test_detector_findings_have_the_finding_shape(trained):
    detector = recognizer(trained.model)
    findings = detector.analyze(view(_call()))
    assert sorted((f.segment_index, f.category) for f in findings) == [(2, "threat"), (4, "impersonation")]
    threat = next(f for f in findings if f.category == "threat")
    assert threat.call_id == "c1"
    assert threat.detectors == ["classifier"]
    assert (threat.start, threat.end, threat.speaker) == (4.0, 5.5, "agent")
    assert threat.evidence == THREAT
    assert threat.severity == "high"
    assert "GB 5.2.1.2" in threat.clauses
    assert threat.explanation.startswith("分类器判断为威胁恐吓")
    assert f"{threat.score:.2f}" in threat.explanation
    for finding in findings:
        assert finding.score >= detector.thresholds[finding.category]


@pytest.mark.slow  # a model trained for the test (the fixture): out of the fast tier
def test_detector_flags_only_over_threshold(trained):
    probabilities = recognizer(trained.model).predict_proba([THREAT])[0]
    just_above = recognizer(trained.model, {"threat": probabilities["threat"] + 1e-6})
    assert not [f for f in just_above.analyze(view(_call())) if f.category == "threat"]
    at = recognizer(trained.model, {"threat": probabilities["threat"]})
    assert [f.segment_index for f in at.analyze(view(_call())) if f.category == "threat"] == [2]


@pytest.mark.slow  # a model trained for the test (the fixture): out of the fast tier
def test_detector_never_scores_customer_speech_or_reports_leaks(trained):
    detector = recognizer(
        trained.model, {c: 0.0 for c in ("threat", "impersonation", "exaggeration", "third_party_leak")}
    )
    findings = detector.analyze(view(_call()))
    assert {f.segment_index for f in findings}.isdisjoint({1, 3, 7})
    assert all(f.category != "third_party_leak" for f in findings)
    assert _top(detector.predict_proba([LEAK])[0]) == "third_party_leak"


@pytest.mark.slow  # a model trained for the test (the fixture): out of the fast tier
def test_batch_of_calls_gives_the_same_findings_as_one_at_a_time(trained):
    detector = recognizer(trained.model)
    calls = [_call(), Call(call_id="empty", segments=[]), _call()]
    views = [view(call) for call in calls]
    assert detector.analyze_many(views) == [detector.analyze(v) for v in views]


def load_default(config):
    resources = SimpleNamespace(settings=DetectionSettings.from_config(config))
    return ClassifierRecognizer.build(list(FEEDS), resources)


@pytest.mark.slow  # a model trained for the test (the fixture): out of the fast tier
def test_the_family_builds_over_the_configured_model(model_dir):
    config = {
        "detection": {
            "classifier": {"model": str(model_dir / MODEL_FILE), "thresholds": {"threat": 0.99, "exaggeration": None}}
        }
    }
    [detector] = load_default(config)
    assert isinstance(detector, ClassifierRecognizer) and detector.categories == FEEDS
    assert detector.thresholds["threat"] == 0.99
    assert detector.thresholds["exaggeration"] == detector.model.thresholds["exaggeration"]
    assert load_default({"detection": {"classifier": {"model": str(model_dir / "absent.skops")}}}) == []
    assert load_default({"detection": {"classifier": {"enabled": False, "model": str(model_dir / MODEL_FILE)}}}) == []


@pytest.mark.slow  # trains models: out of the fast tier
def test_training_twice_gives_identical_metrics_and_predictions(corpus_slice):
    train_rows, test_rows = _half_of_the_templates(corpus_slice[0]), corpus_slice[1][::2]
    first, second = train(train_rows, test_rows, seed=3), train(train_rows, test_rows, seed=3)
    assert first.cv_scores == second.cv_scores
    assert first.test_scores == second.test_scores
    assert first.thresholds == second.thresholds
    texts = [u.text for u in test_rows]
    assert np.array_equal(first.model.pipeline.predict_proba(texts), second.model.pipeline.predict_proba(texts))


def test_corpus_errors_name_the_file_and_line(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text('{"text": "好的", "label": "none"}\n{"text": "好的", "label": "rude"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"train.jsonl:2: label must be one of"):
        read_utterances(path)


def test_a_line_of_two_categories_is_a_positive_of_both():
    target = indicator([("impersonation", "exaggeration"), ("none",), ("third_party_leak", "extra_fees")])
    assert target.tolist() == [[0, 1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 1]]


@pytest.fixture(scope="module")
def shipped_model():
    """The shipped model as detection loaded it (once per process: loading takes 3 s of CPU)."""
    [detector] = [d for d in default_registry().detectors if isinstance(d, ClassifierRecognizer)]
    return detector.model


def test_the_shipped_model_flags_a_line_of_two_categories_for_both(shipped_model):
    model = shipped_model
    lines = [
        "我们是县法院执行庭的，你再不还，下个月就把你列入失信名单，子女考公都受影响",
        "这边是人民法院，你名下的房子下周就拍卖了",
    ]
    for text, probabilities in zip(lines, model.predict_proba(lines)):
        for category in ("impersonation", "exaggeration"):
            assert probabilities[category] >= model.thresholds[category], (text, probabilities)
        assert probabilities["none"] == pytest.approx(1 - max(probabilities[c] for c in model.thresholds))


def test_a_model_file_of_the_older_one_label_layout_is_refused(tmp_path):
    old = Pipeline([("model", LinearSVC())]).fit([[0.0], [1.0], [2.0], [3.0], [4.0]], list("abcde"))
    path = tmp_path / "old.skops"
    skops.io.dump({"pipeline": old, "thresholds": {}}, path)
    with pytest.raises(ModelFileError, match="older layout.*callqa train"):
        load(path)


# --- retraining with reviewer verdicts ------------------------------------------------------

# Insults in words the corpus does not have (寄生虫, 蛀虫, 吸血鬼, 人渣): what reviewers add as misses.
NEW_INSULTS = [
    "你就是个寄生虫，靠借钱活着",
    "你这种社会蛀虫早该被清理",
    "吸血鬼一样的东西，借了钱就跑",
    "你就是个人渣败类",
    "像你这种蛀虫活着就是浪费粮食",
    "你这个吸血鬼，害了多少人",
    "寄生虫一个，还好意思接电话",
    "败类，你爸妈白养你了",
]
NEW_INSULT_PROBES = ["你这种蛀虫", "寄生虫还好意思说话", "人渣一个，懒得跟你说", "吸血鬼，欠钱不还"]


def _plant_call(db, call_id, texts):
    segments = [
        Segment(start=3.0 * i, end=3.0 * i + 2.5, speaker=who, text=text) for i, (who, text) in enumerate(texts)
    ]
    save_call(
        db, CallRecord(call=Call(call_id=call_id, segments=segments), source_path=f"{call_id}.json", sha256=call_id)
    )


def _finding(db, call_id, category, evidence):
    return (
        db["findings"]
        .insert(
            {
                "call_id": call_id,
                "category": category,
                "severity": "high",
                "score": 0.9,
                "detector": "rule",
                "evidence": evidence,
                "created_at": "2026-03-01T00:00:00+00:00",
            }
        )
        .last_pk
    )


def _review(
    db, call_id, verdict, category, finding_id=None, evidence=None, start=None, end=None, at="2026-03-02T00:00:00+00:00"
):
    db["reviews"].insert(
        {
            "finding_id": finding_id,
            "call_id": call_id,
            "verdict": verdict,
            "category": category,
            "start": start,
            "end": end,
            "evidence": evidence,
            "reviewer": "qa1",
            "created_at": at,
        }
    )


@pytest.fixture
def reviewed_db(db):
    _plant_call(
        db,
        "c1",
        [
            ("agent", "您好，我是安信消费金融的"),
            ("customer", "你们再打我就报警"),
            ("agent", "我们的人今晚就去你家大门上泼红油漆"),
            ("agent", "我是法院的，你的案子立案了"),
        ],
    )
    confirmed = _finding(db, "c1", "impersonation", "我是法院的，你的案子立案了")
    flipped = _finding(db, "c1", "threat", "您好，我是安信消费金融的")
    uncertain = _finding(db, "c1", "exaggeration", "你们再打我就报警")
    disclosure = _finding(db, "c1", "missing_disclosure", "您好")
    _review(db, "c1", "confirmed", "impersonation", confirmed, "我是法院的，你的案子立案了")
    _review(db, "c1", "confirmed", "threat", flipped, "您好，我是安信消费金融的", at="2026-03-02T00:00:00+00:00")
    _review(db, "c1", "dismissed", "threat", flipped, "您好，我是安信消费金融的", at="2026-03-03T00:00:00+00:00")
    _review(db, "c1", "uncertain", "exaggeration", uncertain, "你们再打我就报警")
    _review(db, "c1", "dismissed", "missing_disclosure", disclosure, "您好")
    # the reviewer marks 3.0–8.0 s: the customer's turn and the agent's threat; only the agent's words count
    _review(db, "c1", "missed", "threat", start=3.0, end=8.0)
    return db


def test_reviews_become_labelled_utterances(reviewed_db):
    assert [(u.text, u.label, u.source) for u in reviewed_utterances(reviewed_db)] == [
        ("我是法院的，你的案子立案了", "impersonation", "review:confirmed"),
        ("您好，我是安信消费金融的", "none", "review:dismissed"),  # the newest verdict wins
        ("我们的人今晚就去你家大门上泼红油漆", "threat", "review:missed"),
    ]


def test_missed_span_joins_the_overlapping_agent_segments(db):
    _plant_call(db, "c2", [("agent", "你等着"), ("agent", "我们今晚就去你家"), ("customer", "你敢"), ("agent", "再见")])
    _review(db, "c2", "missed", "threat", start=1.0, end=7.0)
    assert [u.text for u in reviewed_utterances(db)] == ["你等着，我们今晚就去你家"]


def _recall(model, texts):
    return sum(p["threat"] >= model.thresholds["threat"] for p in model.predict_proba(texts)) / len(texts)


@pytest.mark.slow  # trains models: out of the fast tier
def test_retrain_with_planted_misses_improves_recall_on_that_phrasing(tmp_path, db, corpus_slice, model_dir):
    corpus = _write_corpus(tmp_path / "corpus", *corpus_slice)
    for i, text in enumerate(NEW_INSULTS):
        _plant_call(db, f"m{i}", [("customer", "喂"), ("agent", text)])
        _review(db, f"m{i}", "missed", "threat", start=3.0, end=5.5)
    old = load(model_dir / MODEL_FILE)
    outcome = retrain_with_reviews(db, corpus, model_dir, seed=0, force=True, writers_dir=None)
    assert len(outcome.reviewed) == len(NEW_INSULTS)
    assert outcome.replaced
    assert outcome.old_scores == evaluate(old, corpus_slice[1])
    new = load(model_dir / MODEL_FILE)
    assert _recall(new, NEW_INSULT_PROBES) > _recall(old, NEW_INSULT_PROBES)
    assert _recall(new, NEW_INSULT_PROBES) >= 0.75


@pytest.mark.slow  # trains models: out of the fast tier
def test_train_command_with_reviews_compares_old_and_new(tmp_path, reviewed_db, corpus_slice, model_dir):
    corpus = _write_corpus(tmp_path / "corpus", *corpus_slice)
    db_path = reviewed_db.conn.execute("PRAGMA database_list").fetchone()[2]
    args = [
        "train",
        "--with-reviews",
        "--db",
        db_path,
        "--corpus",
        str(corpus),
        "--out",
        str(model_dir),
        "--templates-only",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "3 utterances from reviewer verdicts" in result.output
    assert "current model on held-out test" in result.output and "retrained model on held-out test" in result.output
    assert ("replaced" in result.output) != ("kept the current model" in result.output)
    assert (model_dir / "MODEL_CARD.md").exists() == ("replaced" in result.output)


def test_train_command_needs_a_database_for_reviews():
    result = CliRunner().invoke(cli, ["train", "--with-reviews"])
    assert result.exit_code != 0
    assert "--with-reviews needs --db" in result.output


def test_training_without_a_category_names_it_without_a_traceback(tmp_path):
    out = tmp_path / "model"
    result = CliRunner().invoke(cli, ["train", "--templates-only", "--out", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "no rows labelled private_channel, illegal_funding, extra_fees" in result.output
    assert not (out / "utterance_classifier.skops").exists()


def test_normalise_keeps_exactly_the_letters_and_digits():
    text = "".join(map(chr, range(0x10000)))  # the basic plane: punctuation, digits of every script, CJK, _
    assert normalise(text) == "".join(ch for ch in text if ch.isalnum()).lower()


# --- the writers' calls as training rows (issue 11) -----------------------------------------


def _labelled_call(call_id, writer, lines, labels, variants=()):
    return {
        "call_id": call_id,
        "writer": writer,
        "variants": list(variants),
        "segments": [
            {"start": 2.0 * i, "end": 2.0 * i + 1.5, "speaker": who, "text": text}
            for i, (who, text) in enumerate(lines)
        ],
        "labels": [{"category": c, "segment_index": i} for c, i in labels],
    }


WRITER_CALLS = {
    "wa": [
        _labelled_call(
            "wa-1",
            "wa",
            [
                ("agent", "喂，请问是孙晓梅本人吗？"),
                ("customer", "是我，你哪位？"),
                ("agent", "你要是月底前还不上，我们的人就天天蹲在你们小区门口等你下班。"),
                ("customer", "你们这是吓唬人。"),
                ("agent", "我以区检察院办案人员的身份正式告诉你，你这个已经算经济犯罪了。"),
                ("agent", ""),
            ],
            [("threat", 2), ("impersonation", 4), ("exaggeration", 4), ("recording_notice", None)],
        ),
    ],
    "wb": [
        _labelled_call(
            "wb-1",
            "wb",
            [
                ("unknown", "您好，这边是安心借的贷后专员，找一下刘建国。"),
                ("unknown", "他出门了，我是他邻居。"),
                ("unknown", "那麻烦您跟他说一声，他在我们这欠了一万二，拖了快半年了。"),
            ],
            [("third_party_leak", 2), ("unverified_identity", 2)],
            variants=["mono"],
        ),
    ],
}


@pytest.fixture
def writers_dir(tmp_path):
    folder = tmp_path / "writers"
    folder.mkdir()
    for writer, calls in WRITER_CALLS.items():
        (folder / f"{writer}.jsonl").write_text(
            "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in calls), encoding="utf-8"
        )
    return folder


def test_every_line_of_a_writers_call_becomes_a_row(writers_dir):
    rows = read_writers(writers_dir)
    assert [(u.speaker, u.label, u.categories) for u in rows[:5]] == [
        ("agent", "none", ()),
        ("customer", "none", ()),  # customers' lines are negatives too
        ("agent", "threat", ("threat",)),
        ("customer", "none", ()),
        ("agent", "impersonation", ("impersonation", "exaggeration")),  # trains as the first, scores as both
    ]
    assert len(rows) == 8  # the empty segment is left out; call-level labels give no row
    assert {u.group for u in rows} == {"wa", "wb"}
    leak = rows[-1]
    assert (leak.label, leak.speaker, leak.source, leak.group) == ("third_party_leak", "unknown", "natural+mono", "wb")


def test_a_writers_money_label_makes_its_line_a_positive_of_that_category(tmp_path):
    call = _labelled_call(
        "wm-1",
        "wm",
        [("agent", "手续费另算，先交两百"), ("agent", "钱转我私人卡上"), ("customer", "我没钱")],
        [("extra_fees", 0), ("private_channel", 1), ("illegal_funding", None)],  # a call-level label gives no row
    )
    (tmp_path / "wm.jsonl").write_text(json.dumps(call, ensure_ascii=False) + "\n", encoding="utf-8")
    rows = read_call_utterances(tmp_path / "wm.jsonl")
    assert [u.categories_or_label for u in rows] == [("extra_fees",), ("private_channel",), ("none",)]
    assert indicator(u.categories_or_label for u in rows)[:, -3:].tolist() == [[0, 0, 1], [1, 0, 0], [0, 0, 0]]


def test_a_broken_writers_call_names_the_file_and_line(tmp_path):
    path = tmp_path / "wx.jsonl"
    path.write_text(
        json.dumps(_labelled_call("wx-1", "wx", [("agent", "你好")], [])) + '\n{"call_id": "wx-2"}\n', encoding="utf-8"
    )
    with pytest.raises(CorpusError, match=r"wx.jsonl:2: not a labelled call"):
        read_call_utterances(path)
    with pytest.raises(CorpusError, match="no labelled-call files"):
        read_writers(tmp_path / "absent")


@pytest.mark.slow  # trains models: out of the fast tier
def test_training_with_writers_cross_validates_by_writer_and_is_deterministic(tmp_path, writers_dir, corpus_slice):
    train_rows, test_rows = _half_of_the_templates(corpus_slice[0]), corpus_slice[1][::2]
    corpus = _write_corpus(tmp_path / "corpus", train_rows, test_rows)
    first = train_corpus(corpus, tmp_path / "first", seed=0, writers_dir=writers_dir)
    second = train_corpus(corpus, tmp_path / "second", seed=0, writers_dir=writers_dir, workers=2)
    # the same file byte for byte, whether the folds were fitted one at a time or two at once
    assert (tmp_path / "first" / MODEL_FILE).read_bytes() == (tmp_path / "second" / MODEL_FILE).read_bytes()
    assert set(first.cv_scores_by_writer) == {"wa", "wb"}
    # only the lines the detector scores are judged: agent and unknown speaker, not customers
    assert first.cv_scores["threat"].support == 1 and first.cv_scores["third_party_leak"].support == 1
    assert first.cv_scores["exaggeration"].support == 1  # the second label of a line counts too
    assert all(first.model.alone_thresholds[c] >= first.thresholds[c] for c in first.thresholds)
    card = (tmp_path / "first" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert card == (tmp_path / "second" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "writers held out" in card and "writers' calls sha256" in card and "alone threshold" in card
    texts = [u.text for u in test_rows]
    assert np.array_equal(first.model.pipeline.predict_proba(texts), second.model.pipeline.predict_proba(texts))
    assert load(tmp_path / "first" / MODEL_FILE).alone_thresholds == first.model.alone_thresholds


# The shipped model on lines written for this test (issue 11, mechanism 2): chatty and evasive
# talk with no harm in it stays under the alone thresholds; a veiled threat, a claimed police
# unit and an invented consequence reach them.
HARMLESS_CHAT = [
    "哎呀您别紧张，我就是例行问一下，您最近工作还顺利吧？",
    "行行行，那您先忙，孩子放学了是吧，我晚点再打过来。",
    "您要是手头实在紧，咱们可以聊聊分几期还，不着急一下子凑齐。",
    "这个我真做不了主，得回去问问我们组长，您稍等我两天。",
    "您说的那个情况我理解，谁家还没个难处呢。",
]
FRESH_VIOLATIONS = {
    "你要是再躲着不接，我们就只能天天往你爸妈那边打了，看你脸往哪搁。": "threat",
    "我是市公安局经侦支队的，你这个案子现在归我们管。": "impersonation",
    "再拖下去你这辈子都别想坐高铁了，孩子上学也受影响。": "exaggeration",
}


def test_the_shipped_model_keeps_chat_under_the_alone_thresholds_and_flags_fresh_violations(shipped_model):
    model = shipped_model
    for text, probabilities in zip(HARMLESS_CHAT, model.predict_proba(HARMLESS_CHAT)):
        assert all(probabilities[c] < model.alone_thresholds[c] for c in FEEDS), (text, probabilities)
    for (text, category), probabilities in zip(FRESH_VIOLATIONS.items(), model.predict_proba(list(FRESH_VIOLATIONS))):
        assert probabilities[category] >= model.alone_thresholds[category], (text, probabilities)


# The money categories: the model learns them from the writers' calls only to overrule a lexicon
# rule it is sure is wrong (classifier.overrule_below: 0.02, illegal_funding 0.01), never to find one alone.
MONEY_TALK = {
    "钱别打平台了，转我自己的微信，我这边帮你把账平掉": "private_channel",
    "你找朋友周转一下，或者去别的平台借点，先把这期还了": "illegal_funding",
    "要停催的话得先交一笔三百的加急服务费": "extra_fees",
}
LAWFUL_MONEY_TALK = [
    "还款请认准我们官方APP，任何私人账号让你转钱都别信",
    "您这期账单今天到期，记得在APP里点还款",
    "您手头紧的话我帮您申请一下延期，不收任何费用",
    "好的，那您月底前在官方渠道还上就行",
]
MONEY = ("private_channel", "illegal_funding", "extra_fees")


def test_the_shipped_model_tells_money_talk_from_lawful_talk_about_payment(shipped_model):
    model = shipped_model
    for (text, category), probabilities in zip(MONEY_TALK.items(), model.predict_proba(list(MONEY_TALK))):
        assert probabilities[category] >= 0.5, (text, probabilities)
    for text, probabilities in zip(LAWFUL_MONEY_TALK, model.predict_proba(LAWFUL_MONEY_TALK)):
        assert all(probabilities[c] < 0.02 for c in MONEY), (text, probabilities)


def test_the_classifier_family_finds_money_talk_no_rule_reads_and_keeps_lawful_talk_quiet():
    # the rules read none of these (转到本人名下的卡 heard 转到本人明下的卡); the model reads the line
    garbled = [
        ("a", "喂，您好，我是某某金融的工作人员，本次通话将被录音。"),
        ("c", "嗯。"),
        ("a", "你今天先转两千，转到我本人明下的卡上，我帮你平账。"),
    ]
    [built] = [d for d in default_registry().detectors if isinstance(d, ClassifierRecognizer)]
    assert set(MONEY) <= set(built.categories)
    [found] = findings_for(garbled, "private_channel")
    assert found.segment_index == 2 and found.detector == "classifier"
    for text in LAWFUL_MONEY_TALK:
        assert not {f.category for f in findings_for([("a", text)])} & set(MONEY), text


def test_detection_computes_the_same_probabilities_as_scikit_learn(shipped_model):
    texts = [THREAT, IMPERSONATION, EXAGGERATION, LEAK, *HARD_NEGATIVES, *MONEY_TALK, *LAWFUL_MONEY_TALK]
    expected = shipped_model.pipeline.predict_proba(texts)
    got = [[p[c] for c in CATEGORIES] for p in shipped_model.predict_proba(texts)]
    assert np.array_equal(np.array(got), expected)


def test_each_line_of_a_batch_is_read_by_the_model_once(monkeypatch):
    """The classifier family, the third-party rule and the overrule ask about the same lines; the
    model reads each line once however many of them ask."""
    read: list[str] = []
    predict = TrainedClassifier.predict_proba

    def counted(self, texts):
        read.extend(texts)
        return predict(self, texts)

    monkeypatch.setattr(TrainedClassifier, "predict_proba", counted)
    roommate = Call(
        call_id="roommate",
        segments=[
            Segment(start=3.0 * i, end=3.0 * i + 2.5, speaker=who, text=text)
            for i, (who, text) in enumerate(
                [
                    ("agent", "喂，你好，我是安信消费金融的，找一下李娟。"),
                    ("customer", "她出去了，我是她室友。"),
                    ("agent", "你们住一起，你帮她点一点也要得嘛。"),  # read by the third-party rule and the family
                    ("agent", "不还的话我们就上门去你们宿舍闹。"),  # a threat the family and the overrule read
                ]
            )
        ],
    )
    found = {f.category for f in default_registry().analyze_many([roommate, _call()])[0]}
    assert {"third_party_leak", "threat"} <= found
    assert read and len(read) == len(set(read))

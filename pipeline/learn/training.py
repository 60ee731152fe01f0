"""Training the utterance classifier: cross-validation, thresholds, held-out metrics, the model
card, and retraining with reviewer verdicts (``callqa train``).

Everything is deterministic: folds are fixed (``GroupKFold`` over the corpus groups, so a
template's rows never sit on both sides of a fold), the SVM has a fixed seed, and the model
card holds no timestamps. The same data and seed give the same model, metrics and card.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn
import skops
import sqlite_utils
from sklearn.metrics import precision_recall_curve, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold, cross_val_predict

from ..detect.classifier import CATEGORIES, LABELS, TrainedClassifier, build_pipeline, drop_pruned_terms, load, save
from .corpus import CORPUS_DIR, Utterance, fingerprint, read_corpus
from .review_labels import reviewed_utterances

MODEL_FILE = "utterance_classifier.skops"
CARD_FILE = "MODEL_CARD.md"
CV_FOLDS = 5
# A category is flagged at the lowest probability whose cross-validated precision reaches
# TARGET_PRECISION, but never below THRESHOLD_FLOOR: the synthetic corpus is cleaner than real
# calls, so a flag also needs the category to be likelier than all other labels together.
TARGET_PRECISION = 0.9
THRESHOLD_FLOOR = 0.5


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    support: int


def score_categories(
    labels: list[str], probabilities: list[dict[str, float]], thresholds: dict[str, float]
) -> dict[str, Scores]:
    """Per category: precision, recall and F1 of 'flag when the probability reaches the threshold'."""
    scores = {}
    for category in CATEGORIES:
        truth = [label == category for label in labels]
        flagged = [p[category] >= thresholds[category] for p in probabilities]
        precision, recall, f1, _ = precision_recall_fscore_support(
            truth, flagged, average="binary", zero_division=0.0
        )
        scores[category] = Scores(float(precision), float(recall), float(f1), sum(truth))
    return scores


def macro_f1(scores: dict[str, Scores]) -> float:
    return float(np.mean([s.f1 for s in scores.values()]))


def choose_thresholds(labels: list[str], probabilities: list[dict[str, float]]) -> dict[str, float]:
    thresholds = {}
    for category in CATEGORIES:
        truth = [label == category for label in labels]
        precision, _, cuts = precision_recall_curve(truth, [p[category] for p in probabilities])
        reaching = [cut for cut, p in zip(cuts, precision[:-1]) if p >= TARGET_PRECISION]
        lowest = min(reaching) if reaching else max(cuts)
        thresholds[category] = round(max(THRESHOLD_FLOOR, float(lowest)), 3)
    return thresholds


def cross_validated_probabilities(utterances: list[Utterance], seed: int) -> list[dict[str, float]]:
    """Out-of-fold probabilities: each row scored by a model that never saw its group."""
    texts = [u.text for u in utterances]
    labels = [u.label for u in utterances]
    folds = GroupKFold(n_splits=CV_FOLDS)
    proba = cross_val_predict(
        build_pipeline(seed), texts, labels, groups=[u.group for u in utterances], cv=folds, method="predict_proba"
    )
    classes = sorted(set(labels))  # cross_val_predict orders columns as the sorted labels
    return [dict(zip(classes, map(float, row))) for row in proba]


def fit(utterances: list[Utterance], thresholds: dict[str, float], seed: int) -> TrainedClassifier:
    pipeline = build_pipeline(seed)
    pipeline.fit([u.text for u in utterances], [u.label for u in utterances])
    drop_pruned_terms(pipeline)
    return TrainedClassifier(pipeline=pipeline, thresholds=thresholds)


def evaluate(model: TrainedClassifier, utterances: list[Utterance]) -> dict[str, Scores]:
    probabilities = model.predict_proba([u.text for u in utterances])
    return score_categories([u.label for u in utterances], probabilities, model.thresholds)


@dataclass
class TrainingResult:
    model: TrainedClassifier
    cv_scores: dict[str, Scores]
    test_scores: dict[str, Scores]
    test_scores_by_source: dict[str, dict[str, Scores]]
    train: list[Utterance]
    test: list[Utterance]
    seed: int

    @property
    def thresholds(self) -> dict[str, float]:
        return self.model.thresholds


def train(train_rows: list[Utterance], test_rows: list[Utterance], seed: int = 0) -> TrainingResult:
    """Cross-validate on ``train_rows`` to choose thresholds, fit on all of them, score ``test_rows``."""
    labels = [u.label for u in train_rows]
    missing = [label for label in LABELS if label not in labels]
    if missing:
        raise ValueError(f"the training data has no rows labelled {', '.join(missing)}")
    probabilities = cross_validated_probabilities(train_rows, seed)
    thresholds = choose_thresholds(labels, probabilities)
    model = fit(train_rows, thresholds, seed)
    sources = sorted({u.source for u in test_rows})
    return TrainingResult(
        model=model,
        cv_scores=score_categories(labels, probabilities, thresholds),
        test_scores=evaluate(model, test_rows),
        test_scores_by_source={s: evaluate(model, [u for u in test_rows if u.source == s]) for s in sources},
        train=train_rows,
        test=test_rows,
        seed=seed,
    )


def save_model(result: TrainingResult, out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    save(result.model, out_dir / MODEL_FILE)
    (out_dir / CARD_FILE).write_text(model_card(result), encoding="utf-8")
    return out_dir / MODEL_FILE


def train_corpus(corpus_dir: Path = CORPUS_DIR, out_dir: Path | None = None, seed: int = 0) -> TrainingResult:
    """``callqa train``: train on the corpus and write the model and its card to ``out_dir``."""
    corpus = read_corpus(corpus_dir)
    result = train(corpus["train"], corpus["test"], seed)
    if out_dir is not None:
        save_model(result, out_dir)
    return result


@dataclass
class RetrainOutcome:
    reviewed: list[Utterance]
    old_scores: dict[str, Scores] | None  # None when there was no model to compare with
    new: TrainingResult
    replaced: bool


def retrain_with_reviews(
    db: sqlite_utils.Database, corpus_dir: Path, out_dir: Path, seed: int = 0, force: bool = False
) -> RetrainOutcome:
    """Train on the corpus plus reviewer verdicts; keep the new model only if it is not worse on
    the held-out test split (macro-F1 over the categories), unless ``force``."""
    corpus = read_corpus(corpus_dir)
    reviewed = reviewed_utterances(db)
    new = train(corpus["train"] + reviewed, corpus["test"], seed)
    old_path = Path(out_dir) / MODEL_FILE
    old_scores = evaluate(load(old_path), corpus["test"]) if old_path.exists() else None
    replaced = force or old_scores is None or macro_f1(new.test_scores) >= macro_f1(old_scores)
    if replaced:
        save_model(new, out_dir)
    return RetrainOutcome(reviewed=reviewed, old_scores=old_scores, new=new, replaced=replaced)


# --- the model card -------------------------------------------------------------------------


def scores_table(scores: dict[str, Scores]) -> str:
    lines = ["| category | precision | recall | F1 | positives |", "| --- | ---: | ---: | ---: | ---: |"]
    for category, s in scores.items():
        lines.append(f"| `{category}` | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.support} |")
    lines.append(f"| macro | | | {macro_f1(scores):.3f} | |")
    return "\n".join(lines)


def _counts_table(result: TrainingResult) -> str:
    counts = {name: Counter((u.label, u.source.split(":")[0]) for u in rows) for name, rows in (("train", result.train), ("test", result.test))}
    sources = sorted({source for c in counts.values() for _, source in c})
    header = "| label | " + " | ".join(f"{name} {source}" for name in counts for source in sources) + " |"
    lines = [header, "| --- |" + " ---: |" * (len(counts) * len(sources))]
    for label in LABELS:
        cells = [str(counts[name][(label, source)]) for name in counts for source in sources]
        lines.append(f"| `{label}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _recall_by_source_table(result: TrainingResult) -> str:
    by_source = result.test_scores_by_source
    lines = ["| category | " + " | ".join(by_source) + " |", "| --- |" + " ---: |" * len(by_source)]
    for category in CATEGORIES:
        lines.append(f"| `{category}` | " + " | ".join(f"{scores[category].recall:.3f}" for scores in by_source.values()) + " |")
    return "\n".join(lines)


def model_card(result: TrainingResult) -> str:
    reviewed = sum(u.source.startswith("review") for u in result.train)
    thresholds = "\n".join(f"| `{c}` | {t:.3f} |" for c, t in result.thresholds.items())
    return f"""# Utterance classifier (话术分类模型)

`models/{MODEL_FILE}`, built by `callqa train --seed {result.seed}`{" --with-reviews" if reviewed else ""}.
Rebuilding with the same data and seed gives the same predictions, metrics and this same card
(the file's bytes differ: skops names its arrays by object id).

## What it does

For each agent (坐席) or unknown-speaker utterance of a call it gives the probability of five
labels: `threat` (威胁恐吓/侮辱谩骂), `impersonation` (冒用公检法/律师名义), `exaggeration`
(夸大或虚构后果), `third_party_leak` (the utterance discloses someone's debt: 欠款、逾期、金额)
and `none`. `ClassifierRecognizer` reports a finding (`detector: classifier`) when the probability
of `threat`, `impersonation` or `exaggeration` reaches its threshold. It never reports
`third_party_leak` itself: whether a disclosure is a leak depends on who listens (a third party,
not the debtor), which the dialogue rule knows; that rule asks `predict_proba` for the score.
Customer speech (客户说"我要报警") is never scored.

Features: TF-IDF over character 1–3-grams and toneless pinyin 1–3-grams (a homophone error of
speech recognition, 发院 for 法院, keeps the pinyin); punctuation and spaces are dropped first. Model: `LinearSVC`
(`class_weight=balanced`, C=1.0, chosen among 0.2–2 on the grouped cross-validation) calibrated to probabilities by `CalibratedClassifierCV`
(sigmoid, 3 folds). Saved with skops; loading refuses types outside `TRUSTED_TYPES`.
Built with scikit-learn {sklearn.__version__} and skops {skops.__version__}: load it with the same versions.

## Training data

`fixtures/utterances/` written by `fixtures/make_utterances.py` (seeded): utterances composed from
hand-written building blocks (`composed`), hand-written free sentences (`written`), and copies of
both passed through simulated phone-audio recognition errors (`noised`: same-pinyin character
swaps such as 逾期→预期, accent confusions, fillers 嗯/那个/就是说, lost punctuation and characters).
Hard negatives (`none`) include lawful consequences stated calmly (逾期信息会按规定报送征信系统),
negations (我们不会上门), reported speech (您说有人冒充律师给您打电话？), customer speech
(你们再打我就报警), polite messages to a third party (麻烦您转告他尽快回电), ordinary talk with
the debtor (您这笔账单已经逾期了) and firm but lawful deadlines and follow-ups (下午四点系统截单，
过了就只能明天处理了), which the model alone used to take for threats or consequences.{f" Plus {reviewed} utterances from reviewer verdicts (`review`)." if reviewed else ""}

- train sha256: `{fingerprint(result.train)}`
- test sha256: `{fingerprint(result.test)}`

{_counts_table(result)}

The test split holds whole template and sentence groups (every fifth of each label), never
rows whose template or original sentence is in train.

## Thresholds (判定阈值)

| category | threshold |
| --- | ---: |
{thresholds}

Chosen on {CV_FOLDS}-fold cross-validation over the training groups (`GroupKFold`): the lowest
probability whose out-of-fold precision reaches {TARGET_PRECISION}, but not below {THRESHOLD_FLOOR}
(a flag needs the category to be likelier than every other label together). Override them in
`callqa.yaml` under `detection.classifier.thresholds`.

## Cross-validated metrics on train ({CV_FOLDS}-fold, grouped)

{scores_table(result.cv_scores)}

## Held-out metrics (`test.jsonl`, unseen groups)

{scores_table(result.test_scores)}

Recall by kind of source (hand-written sentences are the hardest: no template shares their wording):

{_recall_by_source_table(result)}

## Intended use and limits

- Use: a second opinion beside the lexicon rules, to catch paraphrases of threats,
  impersonation and exaggerated consequences in transcripts, and to score disclosure of debt
  details for the third-party rule. Every finding goes to a human reviewer (人工复核); the score
  is a calibrated probability on this corpus, not a legal judgement.
- The corpus is synthetic. Held-out groups share building blocks (conditions, openings) with
  training groups, so the figures above are an upper bound; expect lower recall on real calls,
  on dialects it has not seen, and on recognition errors heavier than one character in three.
- It reads one utterance at a time: a threat spread over two turns, or one that depends on
  what was said before, can be missed. Sarcasm and tone are invisible to it.
- One label per utterance: the five probabilities sum to 1, so an utterance that is two
  violations at once (我是公安局经侦的，你涉嫌信用卡诈骗: impersonation and exaggeration) is
  usually flagged as one of them. Threat and exaggeration are the pair it confuses most
  (曝光、通知全家 versus 全社会都会知道).
- Retrain with reviewer verdicts (`callqa train --with-reviews --db qa.db`): confirmed findings
  and added misses become examples, dismissed findings become hard negatives, and the new
  model replaces this one only if its held-out macro-F1 is not lower.
"""

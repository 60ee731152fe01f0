"""Variants of the utterance classifier compared line by line on writer-grouped folds: the
regularisation C, and context views beside the line's own (the other party's previous turn, the
speaker's own previous line).

    python benchmarks/classifier_variants.py NAME=C[:VIEW+VIEW] ...
    python benchmarks/classifier_variants.py base=1.0 other=1.0:other own=1.0:own c05=0.5

Cheaper than `callqa train`'s leave-one-writer-out (27 fits) and than
`benchmarks/leave_writer_out.py` (call level, whole detector): `GroupKFold(5)` over the tune
writers (shuffled, --seed), each fold's model trained as `build_pipeline` builds it on the
templates and the other folds' writers' calls, and every agent and unknown-speaker line of the
held-out writers scored. A context view is a separate pair of TF-IDF branches (characters and
pinyin, the line's own options) over the context's text: `other` is the other party's last line
before this one (for a mono call's unknown speaker, the line before), `own` the same speaker's
last line (mono: the line two before); a templated row has none. Each view's features are fitted
once per fold and the variants stack the ones they name.

The SVM is scored by its margin, without the sigmoid calibration `callqa train` adds: with one
SVM calibrated on cross-validated margins (``ensemble=False``) the probability is an increasing
function of the margin, so a fold's ranking, and with it average precision and the recall at a
precision, are the calibrated model's (pooled over folds they are close, not equal). Prints per
category the average precision and the recall at precision 0.8 (the threshold's target) and 0.9
(the alone threshold's), and the mean average precision of the three categories detection reads.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.metrics import average_precision_score, precision_recall_curve
from sklearn.model_selection import GroupKFold
from sklearn.multiclass import OneVsRestClassifier

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.detect.classifier import CATEGORIES, build_pipeline, indicator, normalise  # noqa: E402
from pipeline.learn.corpus import WRITERS_DIR, read_call_utterances, read_corpus  # noqa: E402
from pipeline.learn.training import SCORED_SPEAKERS  # noqa: E402

DETECTED = ("threat", "impersonation", "exaggeration")  # the categories detection reads from the model
VIEWS = ("line", "other", "own")


def contexts(path: Path) -> list[dict[str, str]]:
    """Per non-empty segment of the calls in ``path`` (the rows of ``read_call_utterances``, in
    order): its text, the other party's previous line and the speaker's own previous line."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        earlier: list[tuple[str, str]] = []  # (speaker, text) of the call's non-empty lines so far
        for segment in json.loads(line)["segments"]:
            speaker, text = str(segment["speaker"]), str(segment["text"])
            if not text.strip():
                continue
            if speaker == "unknown":  # mono: who spoke is not known; take the turns as alternating
                other = earlier[-1][1] if earlier else ""
                own = earlier[-2][1] if len(earlier) > 1 else ""
            else:
                other = next((t for who, t in reversed(earlier) if who != speaker), "")
                own = next((t for who, t in reversed(earlier) if who == speaker), "")
            rows.append({"line": text, "other": other, "own": own})
            earlier.append((speaker, text))
    return rows


def view_reader(view: str):
    return lambda row: normalise(row[view])


def view_features(train: list[dict], test: list[dict], view: str) -> list[tuple]:
    """The line's two TF-IDF branches, reading ``view`` of each row: (train, test) matrices."""
    branches = build_pipeline().named_steps["features"].transformer_list
    fitted = [clone(vectorizer).set_params(preprocessor=view_reader(view)) for _, vectorizer in branches]
    return [(v.fit_transform(train), v.transform(test)) for v in fitted]


def fold_margins(templates, rows, labels, train_index, test_index, variants, seed) -> tuple[np.ndarray, dict]:
    train = templates["rows"] + [rows[i] for i in train_index]
    test = [rows[i] for i in test_index]
    y = np.vstack([templates["y"], labels[train_index]])
    views = {view for _, named in variants.values() for view in ("line", *named)}
    features = {view: view_features(train, test, view) for view in sorted(views)}
    svm = build_pipeline(seed).named_steps["model"].estimator.estimator  # the LinearSVC, uncalibrated
    margins = {}
    for name, (c, named) in variants.items():
        blocks = [block for view in ("line", *named) for block in features[view]]
        x_train, x_test = (sp.hstack([b[k] for b in blocks]).tocsr() for k in (0, 1))
        model = OneVsRestClassifier(clone(svm).set_params(C=c)).fit(x_train, y)
        margins[name] = model.decision_function(x_test)
    return test_index, margins


def recall_at(truth: np.ndarray, scores: np.ndarray, precision: float) -> float:
    p, r, _ = precision_recall_curve(truth, scores)
    reaching = r[p >= precision]
    return float(reaching.max()) if len(reaching) else 0.0


def parse_variant(spec: str) -> tuple[str, tuple[float, tuple[str, ...]]]:
    name, _, rest = spec.partition("=")
    c, _, named = rest.partition(":")
    views = tuple(v for v in named.split("+") if v)
    unknown = [v for v in views if v not in VIEWS[1:]]
    if not name or unknown:
        raise argparse.ArgumentTypeError(f"{spec}: want NAME=C[:VIEW+VIEW], views from {', '.join(VIEWS[1:])}")
    return name, (float(c), views)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variants", nargs="+", type=parse_variant, metavar="NAME=C[:VIEW+VIEW]")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    variants = dict(args.variants)
    corpus = read_corpus()["train"]
    templates = {
        "rows": [{"line": u.text, "other": "", "own": ""} for u in corpus],
        "y": indicator(u.categories_or_label for u in corpus),
    }
    utterances, rows = [], []
    for path in sorted(WRITERS_DIR.glob("*.jsonl")):
        utterances += read_call_utterances(path)
        rows += contexts(path)
    assert [u.text for u in utterances] == [r["line"] for r in rows]
    labels = indicator(u.categories_or_label for u in utterances)
    writers = [u.group for u in utterances]
    print(f"{len(corpus)} templated rows, {len(rows)} lines of {len(set(writers))} writers, {args.folds} folds")
    splits = GroupKFold(n_splits=args.folds, shuffle=True, random_state=args.seed).split(rows, groups=writers)
    folds = Parallel(n_jobs=args.workers)(
        delayed(fold_margins)(templates, rows, labels, train, test, variants, args.seed) for train, test in splits
    )
    scored = np.array([u.speaker in SCORED_SPEAKERS for u in utterances])
    print(f"{scored.sum()} agent and unknown-speaker lines scored")
    for name in variants:
        margins = np.zeros(labels.shape)
        for test_index, by_variant in folds:
            margins[test_index] = by_variant[name]
        figures, precisions = [], []
        for k, category in enumerate(CATEGORIES):
            truth, score = labels[scored, k], margins[scored, k]
            ap = average_precision_score(truth, score)
            if category in DETECTED:
                precisions.append(ap)
            figures.append(
                f"{category} AP {ap:.3f} R@P0.8 {recall_at(truth, score, 0.8):.3f} R@P0.9 {recall_at(truth, score, 0.9):.3f}"
            )
        print(f"{name}: mean AP of {'/'.join(DETECTED)} {np.mean(precisions):.3f} | " + " | ".join(figures), flush=True)


if __name__ == "__main__":
    main()

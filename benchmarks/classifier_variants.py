"""Variants of the utterance classifier compared line by line on writer-grouped folds: the
regularisation C, the n-gram ranges, jieba words, logistic regression against the SVM, the weight
of the templated rows, and context views beside the line's own (the other party's previous turn,
the speaker's own previous line).

    python benchmarks/classifier_variants.py NAME=C[:OPTION+OPTION] ...
    python benchmarks/classifier_variants.py base=1.0 other=1.0:other own=1.0:own c05=0.5
    python benchmarks/classifier_variants.py base=1.0 e5=1.0:e5 e5x2=1.0:e5x2 e5only=1.0:e5+noline --templates both
    python benchmarks/classifier_variants.py base=1.0 c14=1.0:char1-4 words=1.0:words lr=4:lr tpl3=1.0:tpl3

Cheaper than `callqa train`'s leave-one-writer-out (27 fits) and than
`benchmarks/leave_writer_out.py` (call level, whole detector): `GroupKFold(5)` over the tune
writers (shuffled, --seed), each fold's model trained as `build_pipeline` builds it on the
templates and the other folds' writers' calls, and every agent and unknown-speaker line of the
held-out writers scored. A context view is a separate pair of TF-IDF branches (characters and
pinyin, the line's own options) over the context's text: `other` is the other party's last line
before this one (for a mono call's unknown speaker, the line before), `own` the same speaker's
last line (mono: the line two before); a templated row has none. Each view's features are fitted
once per fold and the variants stack the ones they name.

`e5` (or `e5xW`) is a dense branch beside the n-grams: the line's multilingual-e5-small vector
(`pipeline/learn/embeddings.py`, cached on disk, embedded once), centred on the fold's training
mean and scaled so that its rows' mean norm is W (1 by default), the norm of each TF-IDF branch's
rows: neither branch swamps the other. `noline` drops the line's n-gram branches (`e5+noline`:
the e5 vector alone). --templates without trains every variant on the writers' lines only
(no templated rows of fixtures/utterances/), both prints each variant both ways.

Options of the line's own features and of the estimator: `charA-B` and `pinA-B` set the n-gram
range of the character and pinyin branches (1-3 each in the shipped model); `words` adds a third
branch of jieba word 1-2-grams (`wordsA-B` another range); `lr` fits a logistic regression
(balanced, liblinear) and `svm` a LinearSVC (balanced), at the variant's C, in place of the
shipped model's kind; `tplW` weighs every templated row
W times a writer's line (sample weight; tpl0 leaves them out of the fit); `tplown` leaves the
templated rows out of the fit of each category they hold no line of (the money categories,
learned from the writers alone), where the shipped model counts them as its negatives;
`unbalanced` weighs each estimator's classes as they come instead of balanced.
--extra-writers adds the labelled calls of a folder (each file a writer) to the writers the folds
split, for a figure on more voices; the committed model still trains on tune alone.

Besides the pooled figures it prints the shipped model (`models/`, trained on the writers of its
card) on the tune writers it never read, beside each variant's out-of-fold scores of the same
lines: the current model against the recipe retrained on the other folds of all tune writers.

Each linear model is scored by its margin, without the sigmoid calibration `callqa train` adds:
with one model calibrated on cross-validated margins (``ensemble=False``) the probability is an increasing
function of the margin, so a fold's ranking, and with it average precision and the recall at a
precision, are the calibrated model's (pooled over folds they are close, not equal). Prints per
category the average precision and the recall at precision 0.8 (the threshold's target) and 0.9
(the alone threshold's), and the mean average precision of the three categories detection reads.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_recall_curve
from sklearn.model_selection import GroupKFold
from sklearn.svm import LinearSVC

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.detect.classifier import CATEGORIES, build_pipeline, indicator, load, normalise  # noqa: E402
from pipeline.learn.corpus import WRITERS_DIR, read_call_utterances, read_corpus  # noqa: E402
from pipeline.learn.embeddings import embed  # noqa: E402
from pipeline.learn.training import SCORED_SPEAKERS  # noqa: E402

DETECTED = ("threat", "impersonation", "exaggeration")  # the categories detection reads from the model
VIEWS = ("line", "other", "own")
EXTRA = ("e5", "noline", "words", "lr", "svm", "tplown", "unbalanced")
# e5 vector; no line n-grams; jieba words; the estimator; templated rows only in the fits of the
# categories the templates carry; classes weighed as they come
RANGED = re.compile(r"(char|pin|words)(\d)-(\d)")  # an n-gram range of one of the line's branches
WEIGHTED = re.compile(r"(e5x|tpl)(\d+(?:\.\d+)?)")  # the e5 branch's weight, the templated rows'
BRANCHES = {"chars": "char", "pinyin": "pin", "words": "words"}  # branch name -> its range option


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


def jieba_words(text: str) -> list[str]:
    import jieba

    jieba.setLogLevel(60)
    return jieba.lcut(text)


def branch_vectorizer(view: str, branch: str, ngram_range: tuple[int, int]) -> TfidfVectorizer:
    """One TF-IDF branch over ``view`` of each row: the shipped model's chars or pinyin branch
    (its options, this range), or jieba words with the same options."""
    shipped = dict(build_pipeline().named_steps["features"].transformer_list)
    template = shipped.get(branch, shipped["pinyin"])
    options = {"tokenizer": jieba_words} if branch == "words" else {}
    return clone(template).set_params(preprocessor=view_reader(view), ngram_range=ngram_range, **options)


def view_features(train: list[dict], test: list[dict], view: str, ranges: dict | None = None) -> list[tuple]:
    """The line's TF-IDF branches (chars and pinyin, and words where ``ranges`` names them) over
    ``view`` of each row: (train, test) matrices."""
    ranges = ranges or {"chars": (1, 3), "pinyin": (1, 3)}
    fitted = [branch_vectorizer(view, branch, r) for branch, r in ranges.items()]
    return [(v.fit_transform(train), v.transform(test)) for v in fitted]


def dense_features(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The e5 vectors centred on the training mean, scaled to a mean row norm of 1 on train."""
    mean = train.mean(axis=0)
    scale = np.linalg.norm(train - mean, axis=1).mean()
    return (train - mean) / scale, (test - mean) / scale


def variant_views(named: tuple[str, ...]) -> tuple[list[str], float]:
    """The sparse views a variant stacks and the weight of its e5 branch (0: none)."""
    weight = next((float(v[3:]) if v.startswith("e5x") else 1.0 for v in named if v.startswith("e5")), 0.0)
    sparse_views = [v for v in ("line", *named) if v in VIEWS and not ("noline" in named and v == "line")]
    return sparse_views, weight


def line_ranges(named: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """The line's branches and their n-gram ranges: chars and pinyin 1-3 unless the variant says
    otherwise, and jieba words (1-2 by default) where it names them."""
    ranges = {"chars": (1, 3), "pinyin": (1, 3)}
    if any(v == "words" or v.startswith("words") for v in named):
        ranges["words"] = (1, 2)
    for v in named:
        if m := RANGED.fullmatch(v):
            branch = next(b for b, option in BRANCHES.items() if option == m.group(1))
            ranges[branch] = (int(m.group(2)), int(m.group(3)))
    return ranges


def template_weight(named: tuple[str, ...]) -> float:
    return next((float(m.group(2)) for v in named if (m := WEIGHTED.fullmatch(v)) and m.group(1) == "tpl"), 1.0)


def estimator(c: float, named: tuple[str, ...], seed: int):
    """The variant's binary estimator at C ``c``, uncalibrated: a logistic regression (``lr``), a
    LinearSVC (``svm``), else the shipped model's kind."""
    weights = None if "unbalanced" in named else "balanced"
    if "lr" in named:
        return LogisticRegression(C=c, class_weight=weights, solver="liblinear", max_iter=1000)
    if "svm" in named:
        return LinearSVC(C=c, class_weight=weights, random_state=seed)
    return clone(build_pipeline(seed).named_steps["model"].estimator.estimator).set_params(C=c, class_weight=weights)


MARGINS_CACHE = Path.home() / ".cache" / "callqa" / "variants"


def margins_key(variant, train: list[dict], y: np.ndarray, test: list[dict], seed: int) -> Path:
    """Where one variant's margins on one fold are kept: a hash of the variant, the seed and the
    fold's training and test rows (text, context and labels), so a rerun fits only what changed."""
    digest = hashlib.sha256(json.dumps([variant, seed], sort_keys=True).encode())
    for row in train + [{"test": True}] + test:
        digest.update(json.dumps(row, ensure_ascii=False, sort_keys=True).encode())
    digest.update(y.tobytes())
    return MARGINS_CACHE / f"{digest.hexdigest()[:24]}.npy"


def fold_margins(templates, rows, labels, vectors, train_index, test_index, variants, seed, with_templates, speakers):
    tpl = templates if with_templates else {"rows": [], "y": templates["y"][:0], "vectors": templates["vectors"][:0]}
    train_index = train_index[np.isin(train_index, speakers)]
    train = tpl["rows"] + [rows[i] for i in train_index]
    test = [rows[i] for i in test_index]
    y = np.vstack([tpl["y"], labels[train_index]])
    margins, todo = {}, {}
    for name, spec in variants.items():
        path = margins_key(spec, train, y, test, seed)
        if path.exists():
            margins[name] = np.load(path)
        else:
            todo[name] = (spec, path)
    if not todo:
        return test_index, margins
    branches: dict[tuple, tuple] = {}  # (view, branch, range) -> (train, test) matrices, fitted once a fold

    def features(view: str, ranges: dict) -> list[tuple]:
        for branch, r in ranges.items():
            if (view, branch, r) not in branches:
                branches[(view, branch, r)] = view_features(train, test, view, {branch: r})[0]
        return [branches[(view, branch, r)] for branch, r in ranges.items()]

    if any(variant_views(named)[1] for (_, named), _ in todo.values()):
        dense = dense_features(np.vstack([tpl["vectors"], vectors[train_index]]), vectors[test_index])
    for name, ((c, named), path) in todo.items():
        sparse_views, weight = variant_views(named)
        ranges = line_ranges(named)
        blocks = [
            block
            for view in sparse_views
            for block in features(view, ranges if view == "line" else {"chars": (1, 3), "pinyin": (1, 3)})
        ]
        if weight:
            blocks.append(tuple(sp.csr_matrix(weight * d) for d in dense))
        x_train, x_test = (sp.hstack([b[k] for b in blocks]).tocsr() for k in (0, 1))
        sample_weight = np.concatenate([np.full(len(tpl["rows"]), template_weight(named)), np.ones(len(train_index))])
        carried = tpl["y"].any(axis=0) | ("tplown" not in named)  # per category: templated rows in its fit
        fitted = [
            clone(estimator(c, named, seed)).fit(
                x_train,
                y[:, k],
                sample_weight=sample_weight * np.r_[np.full(len(tpl["rows"]), carried[k]), np.ones(len(train_index))],
            )
            for k in range(y.shape[1])
        ]
        margins[name] = np.column_stack([model.decision_function(x_test) for model in fitted])
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, margins[name])
    return test_index, margins


def recall_at(truth: np.ndarray, scores: np.ndarray, precision: float) -> float:
    p, r, _ = precision_recall_curve(truth, scores)
    reaching = r[p >= precision]
    return float(reaching.max()) if len(reaching) else 0.0


def parse_variant(spec: str) -> tuple[str, tuple[float, tuple[str, ...]]]:
    name, _, rest = spec.partition("=")
    c, _, named = rest.partition(":")
    views = tuple(v for v in named.split("+") if v)
    unknown = [v for v in views if v not in VIEWS[1:] + EXTRA and not (WEIGHTED.fullmatch(v) or RANGED.fullmatch(v))]
    if not name or unknown:
        raise argparse.ArgumentTypeError(
            f"{spec}: want NAME=C[:OPTION+OPTION], options from {', '.join(VIEWS[1:] + EXTRA)}, e5xWEIGHT, "
            "tplWEIGHT, charA-B, pinA-B or wordsA-B"
        )
    return name, (float(c), views)


SHIPPED = Path(__file__).resolve().parent.parent / "models" / "utterance_classifier.skops"


def figures(labels: np.ndarray, margins: np.ndarray, rows: np.ndarray) -> dict[str, tuple[float, float, float]]:
    """Per category: average precision, recall at precision 0.8 and 0.9, over ``rows``."""
    out = {}
    for k, category in enumerate(CATEGORIES):
        truth, score = labels[rows, k], margins[rows, k]
        out[category] = (
            average_precision_score(truth, score),
            recall_at(truth, score, 0.8),
            recall_at(truth, score, 0.9),
        )
    return out


def print_table(title: str, results: dict[str, dict[str, tuple[float, float, float]]]) -> None:
    print(f"\n{title}")
    print(f"{'variant':<22}{'mean AP':>8} " + " ".join(f"{c[:14]:>22}" for c in CATEGORIES))
    print(f"{'':<22}{'of 3':>8} " + " ".join(f"{'AP R@.8 R@.9':>22}" for _ in CATEGORIES))
    for name, by_category in results.items():
        mean = np.mean([by_category[c][0] for c in DETECTED])
        cells = " ".join(f"{'%.3f %.3f %.3f' % by_category[c]:>22}" for c in CATEGORIES)
        print(f"{name:<22}{mean:>8.3f} {cells}", flush=True)


def shipped_writers(path: Path) -> set[str]:
    card = (path.parent / "MODEL_CARD.md").read_text(encoding="utf-8")
    listed = re.search(r"calls by the tune writers \(([^)]*)\)", card)
    return set(listed.group(1).split(", ")) if listed else set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variants", nargs="+", type=parse_variant, metavar="NAME=C[:VIEW+VIEW]")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--templates", choices=("with", "without", "both"), default="with")
    parser.add_argument(
        "--train-speakers", choices=("all", "scored"), default="all", help="scored: no customer lines in training"
    )
    parser.add_argument(
        "--shipped", type=Path, default=SHIPPED, help="the current model, scored on writers it never read"
    )
    parser.add_argument(
        "--extra-writers", type=Path, help="a folder of labelled calls (a file a writer) the folds also split"
    )
    parser.add_argument(
        "--second-stage",
        nargs="*",
        default=[],
        metavar="FIRST:SECOND:BOUND",
        help="score with SECOND only the lines FIRST's margin puts at or above BOUND (names as printed)",
    )
    args = parser.parse_args()
    variants = dict(args.variants)
    dense = any(variant_views(named)[1] for _, named in variants.values())
    corpus = read_corpus()["train"]
    templates = {
        "rows": [{"line": u.text, "other": "", "own": ""} for u in corpus],
        "y": indicator(u.categories_or_label for u in corpus),
    }
    utterances, rows = [], []
    extra = sorted(args.extra_writers.glob("*.jsonl")) if args.extra_writers else []
    for path in sorted(WRITERS_DIR.glob("*.jsonl")) + extra:
        utterances += read_call_utterances(path)
        rows += contexts(path)
    assert [u.text for u in utterances] == [r["line"] for r in rows]
    templates["vectors"] = embed(u.text for u in corpus) if dense else np.zeros((len(corpus), 0))
    scored = np.array([u.speaker in SCORED_SPEAKERS for u in utterances])
    speakers = np.flatnonzero(scored) if args.train_speakers == "scored" else np.arange(len(utterances))
    vectors = np.zeros((len(utterances), 384 if dense else 0), dtype=np.float32)
    if dense:
        vectors[speakers] = embed(utterances[i].text for i in speakers)
        vectors[scored] = embed(u.text for u in utterances if u.speaker in SCORED_SPEAKERS)
    labels = indicator(u.categories_or_label for u in utterances)
    writers = [u.group for u in utterances]
    print(f"{len(corpus)} templated rows, {len(rows)} lines of {len(set(writers))} writers, {args.folds} folds")
    splits = list(GroupKFold(n_splits=args.folds, shuffle=True, random_state=args.seed).split(rows, groups=writers))
    settings = {"with": (True,), "without": (False,), "both": (True, False)}[args.templates]
    jobs = [(with_templates, train, test) for with_templates in settings for train, test in splits]
    folds = Parallel(n_jobs=args.workers)(
        delayed(fold_margins)(
            templates, rows, labels, vectors, train, test, variants, args.seed, with_templates, speakers
        )
        for with_templates, train, test in jobs
    )
    print(f"{scored.sum()} agent and unknown-speaker lines scored, trained on {args.train_speakers} speakers' lines")
    margins: dict[str, np.ndarray] = {}
    for with_templates in settings:
        for name in variants:
            label = name + ("" if with_templates else " -tpl") + ("" if args.train_speakers == "all" else " -cust")
            margins[label] = np.zeros(labels.shape)
            for (w, _, _), (test_index, by_variant) in zip(jobs, folds):
                if w == with_templates:
                    margins[label][test_index] = by_variant[name]
    print_table(
        "out of fold, all tune writers (AP, recall at precision 0.8 and 0.9, per category)",
        {name: figures(labels, m, scored) for name, m in margins.items()},
    )
    print(f"\nper fold (held-out writers as GroupKFold splits them), mean AP of {'/'.join(DETECTED)}:")
    for name, m in margins.items():
        per_fold = []
        for _, test in splits:
            rows_fold = np.zeros(len(utterances), dtype=bool)
            rows_fold[test] = True
            rows_fold &= scored
            per_fold.append(np.mean([figures(labels, m, rows_fold)[c][0] for c in DETECTED]))
        print(f"{name:<22}" + " ".join(f"{v:.3f}" for v in per_fold))
    for spec in args.second_stage:
        first, second, bound = spec.split(":")
        base, dense, bound = margins[first], margins[second], float(bound)
        passing = base >= bound  # per line and category: the lines the second stage would embed
        embedded = passing[:, [CATEGORIES.index(c) for c in DETECTED]].any(axis=1) & scored
        two_stage = np.where(passing, dense + 1e3, base)  # below the bound: ranked last, by the n-grams
        lost = {
            c: 1 - passing[scored & (labels[:, k] == 1), k].mean() for k, c in enumerate(CATEGORIES) if c in DETECTED
        }
        print(
            f"\nsecond stage: {second} on the lines where {first}'s margin reaches {bound} (any of "
            f"{'/'.join(DETECTED)}: {embedded.sum()} of {scored.sum()} scored lines, {embedded.mean() / scored.mean():.1%}); "
            "positives below the bound: " + ", ".join(f"{c} {v:.1%}" for c, v in lost.items())
        )
        print_table("", {f"{first}>{second}@{bound}": figures(labels, two_stage, scored)})
    read = shipped_writers(args.shipped) if args.shipped.exists() else set()
    unread = sorted(set(writers) - read) if read else []
    if unread:
        rows_unread = scored & np.isin(writers, unread)
        model = load(args.shipped)
        probabilities = model.predict_proba([u.text for u in utterances])
        shipped = np.array([[p[c] for c in CATEGORIES] for p in probabilities])
        print_table(
            f"the {len(unread)} tune writers the shipped model never read ({' '.join(unread)}), "
            f"{rows_unread.sum()} lines: the shipped model (trained on {len(read)} writers) against the folds",
            {"shipped": figures(labels, shipped, rows_unread)}
            | {name: figures(labels, m, rows_unread) for name, m in margins.items()},
        )


if __name__ == "__main__":
    main()

"""Call-level figures of the whole detector on each tune writer's calls, with the utterance
classifier trained without that writer (leave one writer out): what `callqa evaluate` would
print on calls by a writer the model never read, for every tune writer pooled.

    python benchmarks/leave_writer_out.py [--seed S] [--workers W]
    python benchmarks/leave_writer_out.py --model models/utterance_classifier.skops --writers w9 w10

For each writer of fixtures/labelled/writers/tune/ it trains as `callqa train` does (templates
plus the other writers' calls, thresholds by writer-grouped cross-validation among them), writes
the model to a temporary folder, and runs detection with it on the left-out writer's calls.
With --model it trains nothing: that model file scores the --writers named (writers it never
read, such as ones added after it was trained). With --card-thresholds each fold fits one model
and flags at the shipped model card's thresholds instead of choosing its own on nested
cross-validation: one fit per tune writer (22) instead of one per pair of writers (484), the
figure to iterate with (on eight writers the nested folds chose the same floor of 0.5 for threat
and exaggeration). These fits are the ones `callqa train` makes for its own cross-validation.
Whatever the model file says, the settings in force (callqa.yaml, then CALLQA_CONFIG) win where
they give `classifier.thresholds` or `classifier.alone_thresholds`, as in detection; each
writer's line and the summary print the thresholds used.

Besides the call-level table it prints, pooled over the writers, what the classifier does on
its own: per line (agent and unknown-speaker lines, the model's probability against its
threshold and its alone threshold) and as findings of the whole detector that no rule agrees
with (detector `classifier` alone). Such a finding is right when its segment is at most one
segment from a segment labelled with its category; its recall is the share of labelled
segments it hits, and the calls it decides are the calls flagged for a category only by it:
per category, the labelled calls they gain and the unlabelled calls they add, with the
category's F1 with and without them and at higher alone thresholds (a scratch settings file
with lower alone thresholds shows the trade below the ones in force).

--folds K holds out K groups of writers in turn instead of one writer (scikit-learn's
`GroupKFold`, writers shuffled by --seed): K fits instead of one per writer, the figure to measure
with on a busy machine. --not-trained-on WRITER... leaves those writers out of every fold's
training (they are still scored): with the writers who joined tune last, the same held-out
writers scored by a model trained as before they joined and by one trained with them.

--fold-models DIR keeps each fold's model in DIR, named by a fingerprint of its training rows
and seed, and reuses it on the next run: a change of lexicons or rules is measured
without refitting. --errors CATEGORY lists that category's false alarms (the call's findings of
it, detector and evidence) and misses (the labelled lines) on the tune writers' calls.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import sys
import tempfile
from collections import Counter
from pathlib import Path

from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.config import load_config  # noqa: E402
from pipeline.detect.classifier import CATEGORIES, TrainedClassifier, load, save  # noqa: E402
from pipeline.detect.registry import CORE_CATEGORIES  # noqa: E402
from pipeline.learn.corpus import WRITERS_DIR, Utterance, fingerprint, read_call_utterances, read_corpus  # noqa: E402
from pipeline.learn.evaluate import Counts, Evaluation, LabelledCall, evaluate, read_labelled  # noqa: E402
from pipeline.learn.training import SCORED_SPEAKERS, average_precision, fit, score_categories, train  # noqa: E402
from pipeline.run import detect_stream  # noqa: E402

ALONE = "classifier"
MODEL_CATEGORIES = ("threat", "impersonation", "exaggeration")  # the ones the detector reads from the model
TOLERANCE = 1  # segments, as `callqa evaluate` counts a segment hit


class AloneCounts:
    """Findings of the classifier alone: right (near a labelled segment) or not, labelled
    segments they hit, and the calls flagged for the category by them only (with the highest
    probability among them there: the call stays flagged up to that alone threshold)."""

    def __init__(self):
        self.findings = Counter()
        self.right = Counter()
        self.hit = Counter()
        self.labelled = Counter()
        self.decided: dict[str, list[tuple[bool, float]]] = {c: [] for c in MODEL_CATEGORIES}  # (labelled, score)

    def add(self, item: LabelledCall, findings) -> None:
        for category in MODEL_CATEGORIES:
            wanted = [i for c, i in item.labels if c == category]
            segments = [i for i in wanted if i is not None]
            got = [f for f in findings if f.category == category]
            alone = [f for f in got if f.detector == ALONE]
            self.labelled[category] += len(segments)
            self.findings[category] += len(alone)
            self.right[category] += sum(
                1
                for f in alone
                if (wanted and not segments)
                or any(abs(f.segment_index - i) <= TOLERANCE for i in segments if f.segment_index is not None)
            )
            self.hit[category] += sum(
                1
                for i in segments
                if any(f.segment_index is not None and abs(f.segment_index - i) <= TOLERANCE for f in alone)
            )
            if got and len(alone) == len(got):
                self.decided[category].append((bool(wanted), max(f.score for f in alone)))

    def print(self, pooled: dict[str, Counts], in_force: dict[str, float]) -> None:
        print("findings of the classifier alone (no rule agreeing), whole detector:")
        print(f"{'category':<16}{'findings':>9}{'right':>7}{'precision':>11}{'recall':>8}")
        for c in MODEL_CATEGORIES:
            n, right = self.findings[c], self.right[c]
            precision = right / n if n else 0.0
            recall = self.hit[c] / self.labelled[c] if self.labelled[c] else 0.0
            print(f"{c:<16}{n:>9}{right:>7}{precision:>11.3f}{recall:>8.3f}")
        print(
            "\nthe calls they decide (flagged for the category by them only): gained = labelled calls"
            "\n(true), added = unlabelled calls (false), and the category's call-level F1 with them and"
            "\nwithout them; the rows below the alone threshold in force keep only the calls whose"
            "\nbest alone finding reaches a higher one (run with lower alone_thresholds to see below it):"
        )
        print(f"{'category':<16}{'alone at':>9}{'gained':>8}{'added':>7}{'F1':>7}{'F1 without':>12}")
        for c in MODEL_CATEGORIES:
            total = pooled.get(c, Counts())
            true = [score for labelled, score in self.decided[c] if labelled]
            false = [score for labelled, score in self.decided[c] if not labelled]
            floor = in_force.get(c, 0.0)
            for t in [floor] + [t for t in (0.6, 0.7, 0.8, 0.9, 0.95, 0.98) if t > floor]:
                lost, dropped = sum(s < t for s in true), sum(s < t for s in false)
                at = Counts(tp=total.tp - lost, fp=total.fp - dropped, fn=total.fn + lost)
                if t == floor:
                    without = Counts(tp=total.tp - len(true), fp=total.fp - len(false), fn=total.fn + len(true))
                    print(f"{c:<16}{t:>9.3f}{len(true):>8}{len(false):>7}{at.f1:>7.3f}{without.f1:>12.3f}")
                else:
                    print(f"{'':<16}{t:>9.3f}{len(true) - lost:>8}{len(false) - dropped:>7}{at.f1:>7.3f}")


def print_lines(rows: list[Utterance], probabilities: list[dict[str, float]], models: list[TrainedClassifier]) -> None:
    """The model alone per scored line, pooled; each line against its own fold's thresholds."""
    print("the model alone, per agent or unknown-speaker line (pooled over the writers left out):")
    ap = average_precision(rows, probabilities)
    for name in ("thresholds", "alone_thresholds"):
        flagged = [
            {c: 1.0 if p[c] >= getattr(m, name)[c] else 0.0 for c in CATEGORIES} for p, m in zip(probabilities, models)
        ]
        scores = score_categories(rows, flagged, dict.fromkeys(CATEGORIES, 0.5))
        print(
            f"  at the {name.replace('_', ' ')}: "
            + "  ".join(f"{c} P {scores[c].precision:.3f} R {scores[c].recall:.3f}" for c in MODEL_CATEGORIES)
        )
    print("  average precision: " + "  ".join(f"{c} {ap[c]:.3f}" for c in MODEL_CATEGORIES))


def print_errors(category: str, writer: str, items: list[LabelledCall], detected: list) -> None:
    """The category's false alarms and misses on one writer's calls, call by call."""
    for item, findings in zip(items, detected):
        wanted = [i for c, i in item.labels if c == category]
        got = [f for f in findings if f.category == category]
        segments = item.call.segments
        if got and not wanted:
            for f in got:
                print(
                    f"  FP {writer} {item.call.call_id} #{f.segment_index} {f.speaker} [{f.detector} {f.score:.2f}] "
                    f"{f.evidence}"
                )
        elif wanted and not got:
            for i in wanted:
                line = f"#{i} {segments[i].speaker} {segments[i].text}" if i is not None else "(whole call)"
                print(f"  FN {writer} {item.call.call_id} {line}")


def in_force(written: dict[str, float], configured: dict[str, float | None]) -> dict[str, float]:
    """Thresholds as detection applies them: the settings' value where they give one, else the file's."""
    return {**written, **{c: float(v) for c, v in configured.items() if v is not None}}


def rounded(thresholds: dict[str, float]) -> str:
    return ", ".join(f"{c} {thresholds[c]:.3f}" for c in MODEL_CATEGORIES if c in thresholds)


def held_out_together(writers: list[str], folds: int | None, seed: int) -> dict[str, set[str]]:
    """Per writer, the writers held out with it: itself alone, or its group of ``folds``."""
    if not folds:
        return {w: {w} for w in writers}
    split = GroupKFold(n_splits=folds, shuffle=True, random_state=seed).split(writers, groups=writers)
    return {writers[i]: {writers[j] for j in held} for _, held in split for i in held}


def fold_model(corpus, others: list[Utterance], card: TrainedClassifier | None, seed: int, folder: Path) -> Path:
    """The model trained without one writer, read from ``folder`` when a run with the same rows and
    seed left it there (with ``card`` the thresholds come from the settings, not the file)."""
    rows = corpus["train"] + others
    key = hashlib.sha256(f"{fingerprint(rows)} {seed} {'card' if card else 'nested'}".encode()).hexdigest()[:16]
    path = folder / f"fold-{key}.skops"
    if not path.exists():
        if card:
            model = fit(rows, card.thresholds, card.alone_thresholds, seed)
        else:
            model = train(corpus["train"], corpus["test"], seed, others).model
        save(model, path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--model", type=Path, help="score --writers with this model file instead of training")
    parser.add_argument("--writers", nargs="+", help="tune writers to score (default: all)")
    parser.add_argument(
        "--card-thresholds", type=Path, metavar="MODEL", help="each fold flags at this model file's thresholds"
    )
    parser.add_argument("--folds", type=int, metavar="K", help="hold out K groups of writers, not one writer")
    parser.add_argument("--not-trained-on", nargs="+", default=[], metavar="WRITER", help="scored, never trained on")
    parser.add_argument("--fold-models", type=Path, metavar="DIR", help="keep and reuse the fold models here")
    parser.add_argument("--errors", metavar="CATEGORY", help="list this category's false alarms and misses")
    args = parser.parse_args()
    files = sorted(WRITERS_DIR.glob("*.jsonl"))
    natural = {path.stem: read_call_utterances(path) for path in files}
    scored = [path for path in files if not args.writers or path.stem in args.writers]
    held_out = held_out_together(sorted(natural), args.folds, args.seed)
    if args.folds:
        groups = sorted({tuple(sorted(g)) for g in held_out.values()})
        print("folds: " + "; ".join(" ".join(g) for g in groups))
    corpus = None if args.model else read_corpus()
    card = load(args.card_thresholds) if args.card_thresholds else None
    settings = load_config()  # callqa.yaml, then CALLQA_CONFIG: its classifier thresholds win over any file's
    classifier = settings["detection"]["classifier"]
    pooled: dict[str, Counts] = {}
    alone = AloneCounts()
    lines: list[Utterance] = []
    line_probabilities: list[dict[str, float]] = []
    line_models: list[TrainedClassifier] = []
    floors: dict[str, float] = {}  # the lowest alone threshold of any fold, per category
    calls = 0
    with tempfile.TemporaryDirectory(prefix="callqa-lowo-") as folder:
        for path in scored:
            if args.model:
                model_path = args.model
                model = load(model_path)
            else:
                unread = held_out[path.stem] | set(args.not_trained_on)
                others = [row for writer, rows in natural.items() if writer not in unread for row in rows]
                keep = args.fold_models or Path(folder)
                keep.mkdir(parents=True, exist_ok=True)
                model_path = fold_model(corpus, others, card, args.seed, keep)
                model = load(model_path)
            own = [u for u in natural[path.stem] if u.speaker in SCORED_SPEAKERS]
            lines += own
            line_probabilities += model.predict_proba([u.text for u in own])
            line_models += [model] * len(own)
            config = copy.deepcopy(settings)
            config["detection"]["classifier"]["model"] = str(model_path)
            written = card or model
            model.thresholds = in_force(written.thresholds, classifier["thresholds"])
            model.alone_thresholds = in_force(written.alone_thresholds, classifier["alone_thresholds"])
            config["detection"]["classifier"]["thresholds"] = dict(model.thresholds)
            config["detection"]["classifier"]["alone_thresholds"] = dict(model.alone_thresholds)
            for c, t in model.alone_thresholds.items():
                floors[c] = min(t, floors.get(c, t))
            items = list(read_labelled(path, []))
            detected = []

            def detect_many(batch, detected=detected):
                findings = [r.findings for r in detect_stream(batch, config, args.workers)]
                detected.extend(findings)
                return findings

            found = evaluate(items, detect_many, CORE_CATEGORIES)
            for item, findings in zip(items, detected):
                alone.add(item, findings)
            if args.errors:
                print_errors(args.errors, path.stem, items, detected)
            calls += found.calls
            print(f"{path.stem}: thresholds {rounded(model.thresholds)}, alone {rounded(model.alone_thresholds)}")
            print(
                f"{path.stem}: macro F1 over the core five {found.macro_f1(CORE_CATEGORIES):.3f}  "
                + "  ".join(f"{c} {found.per_category[c].f1:.3f}" for c in CORE_CATEGORIES),
                flush=True,
            )
            for category, counts in found.per_category.items():
                total = pooled.setdefault(category, Counts())
                total.tp, total.fp, total.fn = total.tp + counts.tp, total.fp + counts.fp, total.fn + counts.fn
    all_writers = Evaluation(calls=calls, per_category=pooled)
    how = f"scored by {args.model}" if args.model else "each scored by a model trained without its writer"
    if args.folds and not args.model:
        how += f" and the others of its fold ({args.folds} folds over the writers, seed {args.seed})"
    if args.not_trained_on and not args.model:
        how += f", nor {', '.join(args.not_trained_on)}"
    if card:
        how += f", at the thresholds of {args.card_thresholds}"
    print(f"\n{len(scored)} writers ({', '.join(p.stem for p in scored)}), {calls} calls, {how}")
    print(f"{'category':<22}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}{'F1':>7}")
    for category, c in sorted(pooled.items()):
        print(f"{category:<22}{c.tp:>5}{c.fp:>5}{c.fn:>5}{c.precision:>11.3f}{c.recall:>8.3f}{c.f1:>7.3f}")
    print(f"macro F1 over the core five: {all_writers.macro_f1(CORE_CATEGORIES):.3f}\n")
    print(f"alone thresholds in force: {rounded(floors)}" + ("" if card else " (the lowest of any fold)"))
    alone.print(pooled, floors)
    print()
    print_lines(lines, line_probabilities, line_models)


if __name__ == "__main__":
    main()

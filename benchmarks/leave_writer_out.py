"""Call-level figures of the whole detector on each tune writer's calls, with the utterance
classifier trained without that writer (leave one writer out): what `callqa evaluate` would
print on calls by a writer the model never read, for every tune writer pooled.

    python benchmarks/leave_writer_out.py [--seed S] [--workers W]

For each writer of fixtures/labelled/writers/tune/ it trains as `callqa train` does (templates
plus the other writers' calls, thresholds by writer-grouped cross-validation among them), writes
the model to a temporary folder, and runs detection with it on the left-out writer's calls.
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.config import load_config  # noqa: E402
from pipeline.detect.classifier import save  # noqa: E402
from pipeline.detect.registry import CORE_CATEGORIES  # noqa: E402
from pipeline.learn.corpus import WRITERS_DIR, read_call_utterances, read_corpus  # noqa: E402
from pipeline.learn.evaluate import Counts, Evaluation, evaluate, read_labelled  # noqa: E402
from pipeline.learn.training import train  # noqa: E402
from pipeline.run import detect_stream  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    corpus = read_corpus()
    files = sorted(WRITERS_DIR.glob("*.jsonl"))
    natural = {path.stem: read_call_utterances(path) for path in files}
    pooled: dict[str, Counts] = {}
    calls = 0
    with tempfile.TemporaryDirectory(prefix="callqa-lowo-") as folder:
        for path in files:
            others = [row for writer, rows in natural.items() if writer != path.stem for row in rows]
            result = train(corpus["train"], corpus["test"], args.seed, others)
            model = Path(folder) / f"without-{path.stem}.skops"
            save(result.model, model)
            config = copy.deepcopy(load_config())
            config["detection"]["classifier"]["model"] = str(model)
            found = evaluate(
                read_labelled(path, []),
                lambda batch: [r.findings for r in detect_stream(batch, config, args.workers)],
                CORE_CATEGORIES,
            )
            calls += found.calls
            print(f"{path.stem}: thresholds {result.thresholds}, alone {result.model.alone_thresholds}")
            print(
                f"{path.stem}: macro F1 over the core five {found.macro_f1(CORE_CATEGORIES):.3f}  "
                + "  ".join(f"{c} {found.per_category[c].f1:.3f}" for c in CORE_CATEGORIES),
                flush=True,
            )
            for category, counts in found.per_category.items():
                total = pooled.setdefault(category, Counts())
                total.tp, total.fp, total.fn = total.tp + counts.tp, total.fp + counts.fp, total.fn + counts.fn
    all_writers = Evaluation(calls=calls, per_category=pooled)
    print(f"\nall {len(files)} writers, {calls} calls, each scored by a model trained without its writer")
    print(f"{'category':<22}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}{'F1':>7}")
    for category, c in sorted(pooled.items()):
        print(f"{category:<22}{c.tp:>5}{c.fp:>5}{c.fn:>5}{c.precision:>11.3f}{c.recall:>8.3f}{c.f1:>7.3f}")
    print(f"macro F1 over the core five: {all_writers.macro_f1(CORE_CATEGORIES):.3f}")


if __name__ == "__main__":
    main()

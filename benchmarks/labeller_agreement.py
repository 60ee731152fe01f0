"""How far two careful labellers agree on the multi-writer corpus: the ceiling a detector's F1
against one writer's labels can be read against.

    .venv/bin/python -m benchmarks.labeller_agreement
    .venv/bin/python -m benchmarks.labeller_agreement --write-sample calls.txt

A seeded sample of tune calls (seven from each tune writer, ``--seed 8``) was given, without its
labels or notes, to a second labeller: a separate session that read only the writers' brief and
the category spec, never the engine or the writers' labels. Its labels are
``fixtures/labelled/writers/relabel/second_labeller.txt`` (the writers' format). This prints, per
category and at call level as ``callqa evaluate`` counts: calls both labelled, calls only the
writer labelled, calls only the second labeller labelled, their agreement F1 (symmetric: either
side may be taken as the truth) and Cohen's kappa; then the core five's macro F1.
``--write-sample`` writes the unlabelled sample the second labeller was given.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from benchmarks.writers_corpus import WRITERS, make_calls_module

SECOND = WRITERS / "relabel" / "second_labeller.txt"
CORE_FIVE = ("threat", "impersonation", "exaggeration", "missing_disclosure", "third_party_leak")


def sample(make_calls, seed: int, per_writer: int) -> list[tuple[str, dict]]:
    """(writer, raw call) for the sampled tune calls, in writer order."""
    tune = sorted((w for w, split in make_calls.SPLIT.items() if split == "tune"), key=lambda w: int(w[1:]))
    rng = random.Random(seed)
    picked = []
    for writer in tune:
        calls = make_calls.parse((WRITERS / writer / "dialogues.txt").read_text(encoding="utf-8"), writer)
        picked += [(writer, calls[i]) for i in sorted(rng.sample(range(len(calls)), per_writer))]
    return picked


def unlabelled(picked: list[tuple[str, dict]]) -> str:
    """The sample as the second labeller saw it: the calling company, an id, the lines."""
    blocks = []
    for number, (_, call) in enumerate(picked, 1):
        lines = [f"=== {call['agency']} | r{number:03d}"]
        lines += [
            f"{'A' if who == 'agent' else 'C'}: {'~' if cuts_in else ''}{said}" for who, said, cuts_in in call["lines"]
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def categories(call: dict) -> set[str]:
    return {label["category"] for label in call["labels"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--per-writer", type=int, default=7)
    parser.add_argument("--second", type=Path, default=SECOND, help="the second labeller's file")
    parser.add_argument("--write-sample", type=Path, help="write the unlabelled sample here and stop")
    args = parser.parse_args()

    make_calls = make_calls_module()
    picked = sample(make_calls, args.seed, args.per_writer)
    if args.write_sample:
        args.write_sample.write_text(unlabelled(picked), encoding="utf-8")
        print(f"{len(picked)} calls written to {args.write_sample}")
        return

    second = make_calls.parse(args.second.read_text(encoding="utf-8"), str(args.second))
    if [call["lines"] for call in second] != [call["lines"] for _, call in picked]:
        raise SystemExit(
            f"{args.second}: its calls are not the sample's calls (seed {args.seed}, {args.per_writer} a writer)"
        )
    writer_sets = [categories(call) for _, call in picked]
    second_sets = [categories(call) for call in second]

    print(f"{len(picked)} tune calls, {args.per_writer} from each of {len({w for w, _ in picked})} writers")
    print(f"{'category':22} {'both':>5} {'writer only':>12} {'second only':>12} {'F1':>6} {'kappa':>6}")
    f1s = {}
    for category in make_calls.CATEGORIES:
        a = [category in s for s in writer_sets]
        b = [category in s for s in second_sets]
        both = sum(x and y for x, y in zip(a, b))
        only_a = sum(x and not y for x, y in zip(a, b))
        only_b = sum(y and not x for x, y in zip(a, b))
        f1s[category] = 2 * both / (2 * both + only_a + only_b) if both + only_a + only_b else 1.0
        kappa = cohen_kappa_score(a, b) if any(a) or any(b) else 1.0
        print(f"{category:22} {both:5} {only_a:12} {only_b:12} {f1s[category]:6.3f} {kappa:6.3f}")
    print(f"macro F1 over the core five: {sum(f1s[c] for c in CORE_FIVE) / len(CORE_FIVE):.3f}")


if __name__ == "__main__":
    main()

"""How fast the utterance classifier scores calls: one call at a time, and in batches.

    python benchmarks/classifier_speed.py [TRANSCRIPTS.jsonl] [--batch N] [--rounds R]

Reads the calls (default: the demo transcripts), loads ``models/utterance_classifier.skops``
and prints calls per second and milliseconds per call for ``ClassifierRecognizer.analyze`` (one
predict_proba per call) and ``analyze_many`` (one per batch of N calls), on the calls prepared once
(``CallView``) as the registry gives them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.calls import read_calls  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.detect.recognizers.classifier import ClassifierRecognizer  # noqa: E402
from pipeline.detect.registry import default_registry  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "transcripts" / "demo_2026.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("transcripts", nargs="?", type=Path, default=DEMO)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    registry = default_registry(load_config())
    detector = next((d for d in registry.detectors if isinstance(d, ClassifierRecognizer)), None)
    if detector is None:
        sys.exit("no classifier model: run `callqa train` first")
    calls = [registry.preparer.view(r.call) for r in read_calls(args.transcripts) if r.call]
    utterances = sum(u.segment.speaker != "customer" for c in calls for u in c.utterances)
    print(f"{len(calls)} calls, {utterances} agent/unknown utterances ({utterances / len(calls):.1f} per call)")
    detector.analyze_many(calls[:5])  # warm up: jieba-free, but pypinyin and numpy load lazily

    def timed(run) -> float:
        best = float("inf")
        for _ in range(args.rounds):
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
        return best

    one = timed(lambda: [detector.analyze(call) for call in calls])
    batched = timed(
        lambda: [detector.analyze_many(calls[i : i + args.batch]) for i in range(0, len(calls), args.batch)]
    )
    for name, seconds in (("analyze, one call at a time", one), (f"analyze_many, {args.batch} calls a batch", batched)):
        print(f"{name:<36} {len(calls) / seconds:8.0f} calls/s  {seconds / len(calls) * 1000:6.2f} ms/call")


if __name__ == "__main__":
    main()

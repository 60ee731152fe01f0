"""Prints how many typical 40-segment calls per second detection handles, as ``callqa detect``
and ``redetect`` run it: batches of calls (``run.detect_stream``), in this process and
spread over a pool of worker processes.

Calls are assembled from the dev set's segments (scripted and ASR-noised text): compliant
segments with two violating ones mixed in per call, one call in four mono (speakers
unknown), so homophone repair, sound matching and role guessing all run. The registry
(lexicons, classifier) is built before the timing, as the CLI builds it before the first call;
starting the pool is timed. Both runs must give the same findings.
Usage: python benchmarks/detect_speed.py [--calls 2000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.calls import Call, Segment  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.detect.registry import default_registry  # noqa: E402
from pipeline.run import detect_stream  # noqa: E402

DEV = Path(__file__).resolve().parent.parent / "fixtures" / "labelled" / "dev"


def segment_pools() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(speaker, text) of compliant segments and of labelled (violating) ones."""
    compliant, violating = [], []
    for path in sorted(DEV.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            call = json.loads(line)
            flagged = {label["segment_index"] for label in call["labels"]}
            for i, s in enumerate(call["segments"]):
                if s["speaker"] != "unknown":
                    (violating if i in flagged else compliant).append((s["speaker"], s["text"]))
    return compliant, violating


def typical_calls(count: int, segments_per_call: int = 40, violations_per_call: int = 2) -> list[Call]:
    rng = random.Random(0)
    compliant, violating = segment_pools()
    calls = []
    for k in range(count):
        turns = rng.sample(compliant, segments_per_call - violations_per_call) + rng.sample(
            violating, violations_per_call
        )
        rng.shuffle(turns)
        mono = k % 4 == 0
        calls.append(
            Call(
                call_id=f"bench-{k}",
                segments=[
                    Segment(start=3.0 * i, end=3.0 * i + 2.5, speaker="unknown" if mono else speaker, text=text)
                    for i, (speaker, text) in enumerate(turns)
                ],
            )
        )
    return calls


def timed(calls: list[Call], config: dict, workers: int) -> tuple[list, float, float]:
    """Findings per call, wall seconds, and CPU seconds of this process and its workers."""
    before, started = os.times(), time.perf_counter()
    findings = [record.findings for record in detect_stream(calls, config, workers=workers)]
    elapsed, after = time.perf_counter() - started, os.times()
    # the workers' CPU time is counted in children_* once the pool has joined them
    cpu = sum(getattr(after, f) - getattr(before, f) for f in ("user", "system", "children_user", "children_system"))
    return findings, elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    config = load_config()
    calls = typical_calls(args.calls)
    default_registry(config).analyze_many(calls[:50])  # fill the pinyin tables outside the timing
    results = {}
    for workers in (1, args.workers):
        findings, elapsed, cpu = timed(calls, config, workers)
        results[workers] = findings
        where = "in one process" if workers == 1 else f"on a pool of {workers} workers"
        # CPU time is the steadier figure on a shared machine; wall time is what a user waits.
        print(
            f"{where}: {len(calls) / elapsed:.0f} calls/s wall ({elapsed:.2f} s), {len(calls) / cpu:.0f} calls/s of CPU time"
        )
    segments = sum(len(c.segments) for c in calls)
    print(f"{len(calls)} calls, {segments / len(calls):.0f} segments each, {sum(map(len, results[1]))} findings")
    if results[1] != results[args.workers]:
        sys.exit("the pool's findings differ from the in-process ones")


if __name__ == "__main__":
    main()

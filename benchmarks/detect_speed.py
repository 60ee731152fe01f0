"""Prints how many calls per second ``detect_call`` handles on typical 40-segment calls.

Calls are assembled from the dev set's segments (scripted and ASR-noised text): compliant
segments with two violating ones mixed in per call, one call in four mono (speakers
unknown), so homophone repair, sound matching and role guessing all run.
Usage: python benchmarks/detect_speed.py [--calls 2000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.calls import Call, Segment  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.detect import detect_call  # noqa: E402
from pipeline.text import is_word  # noqa: E402

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
        turns = rng.sample(compliant, segments_per_call - violations_per_call) + rng.sample(violating, violations_per_call)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    config = load_config()
    calls = typical_calls(args.calls)
    is_word("法院")  # load jieba's dictionary outside the timing
    for call in calls[:50]:  # build the registry and the pinyin tables outside the timing
        detect_call(call, config)
    started, started_cpu = time.perf_counter(), time.process_time()
    findings = sum(len(detect_call(call, config)) for call in calls)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    segments = sum(len(c.segments) for c in calls)
    print(f"{len(calls)} calls, {segments / len(calls):.0f} segments each, {findings} findings")
    # CPU time is the steadier figure on a shared machine; wall time is what a user waits.
    print(f"{len(calls) / elapsed:.0f} calls/s wall ({elapsed:.2f} s), {len(calls) / cpu:.0f} calls/s of CPU time")


if __name__ == "__main__":
    main()

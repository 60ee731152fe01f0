"""Prints how many calls per second ``detect_call`` handles on typical 40-segment calls.

Calls are built from the dev set's segments (scripted and ASR-noised text, known and unknown
speakers), 40 segments each, so homophone repair and role guessing are both exercised.
Usage: python benchmarks/detect_speed.py [--calls 2000]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.calls import Call, Segment, read_calls  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.detect import detect_call  # noqa: E402
from pipeline.text import is_word  # noqa: E402

DEV = Path(__file__).resolve().parent.parent / "fixtures" / "labelled" / "dev"


def typical_calls(count: int, segments_per_call: int = 40) -> list[Call]:
    pool = [r.call for f in sorted(DEV.glob("*.jsonl")) for r in read_calls(f) if r.call]
    calls = []
    for k in range(count):
        source = pool[k % len(pool)]
        following = (pool[(k + j) % len(pool)].segments for j in itertools.count())
        flat = list(itertools.islice(itertools.chain.from_iterable(following), segments_per_call))
        speaker = "unknown" if source.segments[0].speaker == "unknown" else None
        calls.append(
            Call(
                call_id=f"bench-{k}",
                segments=[
                    Segment(start=3.0 * i, end=3.0 * i + 2.5, speaker=speaker or s.speaker, text=s.text)
                    for i, s in enumerate(flat)
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

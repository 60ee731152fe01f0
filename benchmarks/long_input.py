"""Prints how long detection takes on hostile text: long runs of digits, of 一, and of Chinese.

First the 金额 (amount) pattern of lexicons/dialogue.yaml against the pattern it replaced, on a
run of N characters (the old one tried the run from every digit: time grows with N squared).
Then one call whose agent and unknown-speaker segments each hold M characters, through the whole
registry, with the shipped settings (segments read up to detection.max_segment_chars) and with
that cap lifted (what the cap saves; the time limit stops a call at detection.time_limit_seconds).
Usage: python benchmarks/long_input.py [--run 10000] [--segment 1000000]
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.calls import Call, Segment  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.detect.registry import build_registry  # noqa: E402

OLD_AMOUNT = (
    r"[0-9][0-9,.]*(?:块钱|块|元|万|千)|[一二两三四五六七八九十几]+(?:块钱|块|元|万块|万元)"
    r"|[一二两三四五六七八九十几]+[千万](?:多|块|元)?"
)
PHRASE = "你欠了我们八千块钱已经逾期三个月了再不还就上门"


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run", type=int, default=10_000, help="characters in a run for the amount pattern")
    parser.add_argument("--segment", type=int, default=1_000_000, help="characters in each long segment")
    args = parser.parse_args()
    shipped = copy.deepcopy(load_config()["detection"])
    registry = build_registry(shipped)
    third_party = next(d for d in registry.detectors if d.name == "rule:third_party_leak")
    new = next(r.regex for r in third_party.rules.reveals if r.label == "金额")
    old = re.compile(OLD_AMOUNT)
    for name, text in (("digits", "1" * args.run), ("一", "一" * args.run)):
        print(
            f"amount pattern, {args.run:,} {name}: old {timed(lambda: old.search(text)):.3f} s, "
            f"new {timed(lambda: new.search(text)):.4f} s"
        )
    uncapped = build_registry({**shipped, "max_segment_chars": 10 * args.segment})
    texts = {
        "digits": "1" * args.segment,
        "一": "一" * args.segment,
        "Chinese": (PHRASE * (args.segment // len(PHRASE) + 1))[: args.segment],
    }
    for label, reg in ((f"read up to {shipped['max_segment_chars']} chars", registry), ("no cap", uncapped)):
        for name, text in texts.items():
            call = Call(
                "long",
                [Segment(0, 1, "agent", text), Segment(1, 2, "customer", "我是他老婆"), Segment(2, 3, "unknown", text)],
            )
            found: list = []
            seconds = timed(lambda: found.extend(reg.analyze_many([call])))
            outcome = "stopped by the time limit" if isinstance(found[0], Exception) else f"{len(found[0])} findings"
            print(f"one call, 2 segments of {args.segment:,} {name}, {label}: {seconds:.2f} s ({outcome})")


if __name__ == "__main__":
    main()

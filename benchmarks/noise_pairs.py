"""What recognition noise alone costs detection: the same call read plain and spoiled.

Takes the plain stereo calls of a folder of labelled calls (no ``variants``: as the writer wrote
them), spoils copies of each with the multi-writer corpus's own noise functions
(``fixtures/labelled/writers/make_calls.py``, seeded per call and copy), runs detection on both
and counts, per category, the calls whose call-level outcome differs: right when plain and wrong
when spoiled (a failure of the mechanism every unseen writer meets), and the reverse.

Spoilers (``--spoil``, one or more):

- ``noise``: as the corpus does it (resegmentation, misheard words, dropped particles and fillers,
  one of its punctuation styles, Whisper's spacing on some segments);
- ``reseg``: only the resegmentation (segments split and merged, labels following their words);
- ``misheard``: only ``asr_noise`` with the punctuation kept (misheard words, particles, fillers);
- ``bare``: only the punctuation removed (``asr_noise``'s ``none`` style without its other noise
  is not separable, so this strips punctuation itself);
- ``spacing``: only Whisper's spacing (punctuation gone, spaces between words or characters);
- ``mono``: only the speakers hidden.

``--show N`` prints N differing pairs per category and spoiler (the labelled or flagged segments,
plain then spoiled); run it on folders you may read (tune, the round's read writers).
Usage: python benchmarks/noise_pairs.py fixtures/labelled/writers/tune [--spoil noise mono]
       [--copies 2] [--show 5] [--category threat]
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import zlib
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.writers_corpus import make_calls_module  # noqa: E402
from pipeline.calls import call_from_json  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.detect.registry import CORE_CATEGORIES  # noqa: E402
from pipeline.run import detect_stream  # noqa: E402

SPOILERS = ("noise", "reseg", "misheard", "bare", "spacing", "mono")


def plain_calls(folder: Path) -> list[dict]:
    calls = []
    for file in sorted(folder.glob("*.jsonl")):
        for line in file.read_text(encoding="utf-8").splitlines():
            call = json.loads(line)
            if not call.get("variants"):
                calls.append(call)
    return calls


def spoiled(call: dict, spoiler: str, seed: int, make) -> dict:
    """A copy of the plain ``call`` with ``spoiler`` applied; labels follow their words."""
    heldout = make.heldout
    rng = random.Random(seed)
    lines = [(s["speaker"], s["text"], False) for s in call["segments"]]
    segments = [{**s, "lines": [n]} for n, s in enumerate(copy.deepcopy(call["segments"]))]
    labelled = {label["segment_index"] for label in call["labels"] if label["segment_index"] is not None}
    if spoiler in ("noise", "reseg"):
        segments = heldout.resegment(heldout.timed_segments(lines, rng), labelled, False, rng)
    if spoiler == "noise":
        punctuation = rng.choice(("none", "spaces", "commas", "kept", "whisper_spacing"))
        for segment in segments:
            if punctuation == "whisper_spacing":
                segment["text"] = heldout.asr_noise(segment["text"], "kept", rng)
                if rng.random() < make.SPACED_SEGMENT_SHARE:
                    segment["text"] = make.spaced(segment["text"], rng)
            else:
                segment["text"] = heldout.asr_noise(segment["text"], punctuation, rng)
    elif spoiler == "misheard":
        for segment in segments:
            segment["text"] = heldout.asr_noise(segment["text"], "kept", rng)
    elif spoiler == "bare":
        for segment in segments:
            segment["text"] = make.PUNCTUATION.sub("", segment["text"]) or segment["text"]
    elif spoiler == "spacing":
        for segment in segments:
            segment["text"] = make.spaced(segment["text"], rng)
    elif spoiler == "mono":
        for segment in segments:
            segment["speaker"] = "unknown"
    labels = make.labels_following(call["labels"], segments)
    out = {**call, "segments": [{k: v for k, v in s.items() if k != "lines"} for s in segments], "labels": labels}
    out["variants"] = [spoiler]
    return out


def findings_of(calls: list[dict], config, workers: int) -> list[dict[str, list]]:
    records = detect_stream([call_from_json(c) for c in calls], config, workers)
    out = []
    for record in records:
        by_category: dict[str, list] = defaultdict(list)
        for finding in record.findings:
            by_category[finding.category].append(finding)
        out.append(by_category)
    return out


def shown(call: dict, indices: set[int | None]) -> str:
    """The segments at ``indices``; for a call-level label or finding, the call's opening."""
    rows = []
    at = {i for i in indices if i is not None}
    if None in indices:
        at |= set(range(6))
    for n in sorted(at):
        if 0 <= n < len(call["segments"]):
            segment = call["segments"][n]
            rows.append(f"      [{n}] {segment['speaker'][:1]}: {segment['text']}")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--spoil", nargs="+", choices=SPOILERS, default=["noise", "mono"])
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--category", nargs="*", default=list(CORE_CATEGORIES))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--writers", nargs="*", help="only these writers' calls")
    args = parser.parse_args()
    make = make_calls_module()
    config = load_config()
    calls = plain_calls(args.folder)
    if args.writers:
        calls = [c for c in calls if c.get("writer") in args.writers]
    plain_found = findings_of(calls, config, args.workers)
    for spoiler in args.spoil:
        copies = [
            spoiled(call, spoiler, zlib.crc32(f"{call['call_id']}/{spoiler}/{k}".encode()), make)
            for k in range(args.copies)
            for call in calls
        ]
        spoiled_found = findings_of(copies, config, args.workers)
        lost, gained, total = Counter(), Counter(), Counter()
        examples: dict[str, list[str]] = defaultdict(list)
        for n, copy_ in enumerate(copies):
            call = calls[n % len(calls)]
            before, after = plain_found[n % len(calls)], spoiled_found[n]
            for category in args.category:
                wanted = any(label["category"] == category for label in call["labels"])
                right_before = bool(before.get(category)) == wanted
                right_after = bool(after.get(category)) == wanted
                total[category] += 1
                if right_before == right_after:
                    continue
                kind = ("miss" if wanted else "false alarm") if right_before else ("found" if wanted else "cleared")
                (lost if right_before else gained)[category] += 1
                if right_before and len(examples[category]) < args.show:
                    plain_at = {label["segment_index"] for label in call["labels"] if label["category"] == category}
                    spoiled_at = {label["segment_index"] for label in copy_["labels"] if label["category"] == category}
                    plain_at |= {f.segment_index for f in before.get(category, [])}
                    spoiled_at |= {f.segment_index for f in after.get(category, [])}
                    if category in make.CALL_LEVEL:
                        plain_at.add(None)
                        spoiled_at.add(None)
                    examples[category].append(
                        f"  {call['call_id']} {category} {kind} "
                        f"(plain: {[f.detector for f in before.get(category, [])][:2]})\n"
                        f"    plain:\n{shown(call, plain_at)}\n    {spoiler}:\n{shown(copy_, spoiled_at)}"
                    )
        print(f"== {spoiler}: {len(copies)} spoiled copies of {len(calls)} plain calls")
        for category in args.category:
            print(f"  {category:<20} lost {lost[category]:>4}  gained {gained[category]:>4}  of {total[category]}")
        for category in args.category:
            for example in examples[category]:
                print(example)


if __name__ == "__main__":
    main()

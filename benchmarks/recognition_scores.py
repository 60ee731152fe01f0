"""Recognition scores shared by the benchmarks: CER per channel, domain-word recall, turn fidelity,
short lines, and the findings of the reference text that the recognised text keeps.

Texts are compared as Whisper and the reference would be read by a reviewer: simplified
script, without spaces and punctuation. CER is the edit distance summed over channels divided by
the reference length summed over channels (so long channels weigh more).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from pipeline.calls import Finding
from pipeline.text import to_simplified

# A line this short (characters, normalised) is a short answer or call (是我，什么事？ / 行吧 / 喂？):
# scored alone as well, since a misheard one decides a finding (是我 heard 指握: no confirmation).
SHORT_LINE = 8

# Words the detectors depend on that Whisper base tends to miss on phone audio.
DOMAIN_WORDS = ("逾期", "还款", "欠款", "征信", "录音", "法院", "律师", "起诉", "借款", "账单")


def normalise(text: str) -> str:
    return "".join(ch for ch in to_simplified(text) if unicodedata.category(ch)[0] in "LN")


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def channel_texts(segments: list[dict], speakers=("agent", "customer")) -> dict[str, str]:
    """Each speaker's words in time order, normalised."""
    ordered = sorted(segments, key=lambda s: s["start"])
    return {who: normalise("".join(s["text"] for s in ordered if s["speaker"] == who)) for who in speakers}


class Tally:
    """Sums over calls: edit distance and reference length per speaker, domain-word counts,
    the same over all speakers' words in time order (a mono call's segments have no speaker),
    hypothesis segments that span a turn of the other party, and reference lines with no
    hypothesis segment over them (lost whole, whoever the segments are given to)."""

    def __init__(self):
        self.errors: dict[str, int] = {}
        self.length: dict[str, int] = {}
        self.words_said: dict[str, int] = {w: 0 for w in DOMAIN_WORDS}
        self.words_heard: dict[str, int] = {w: 0 for w in DOMAIN_WORDS}
        self.segments = 0
        self.spanning = 0
        self.short_lines = 0
        self.short_exact = 0
        self.short_errors = 0
        self.short_length = 0
        self.lines = 0
        self.unheard = 0
        self.merged_errors = 0
        self.merged_length = 0

    def add(self, reference: list[dict], heard: list[dict]) -> None:
        ref, hyp = channel_texts(reference), channel_texts(heard)
        for who in ref:
            self.errors[who] = self.errors.get(who, 0) + edit_distance(ref[who], hyp[who])
            self.length[who] = self.length.get(who, 0) + len(ref[who])
        # Domain words over every segment heard, a mono call's (speaker unknown) included.
        others = normalise(
            "".join(s["text"] for s in sorted(heard, key=lambda s: s["start"]) if s["speaker"] not in hyp)
        )
        ref_all, hyp_all = "".join(ref.values()), "".join(hyp.values()) + others
        said_in_order, heard_in_order = (
            normalise("".join(s["text"] for s in sorted(segments, key=lambda s: s["start"])))
            for segments in (reference, heard)
        )
        self.merged_errors += edit_distance(said_in_order, heard_in_order)
        self.merged_length += len(said_in_order)
        for word in DOMAIN_WORDS:
            said = ref_all.count(word)
            self.words_said[word] += said
            self.words_heard[word] += min(said, hyp_all.count(word))
        self.segments += len(heard)
        self.spanning += sum(spans_other_turn(s, reference) for s in heard)
        self.lines += len(reference)
        self.unheard += sum(
            not any(s["start"] < line["end"] and s["end"] > line["start"] for s in heard) for line in reference
        )
        for line in reference:
            said = normalise(line["text"])
            if len(said) <= SHORT_LINE:
                got = heard_during(line, heard)
                self.short_lines += 1
                self.short_exact += got == said
                self.short_errors += edit_distance(said, got)
                self.short_length += len(said)

    def cer(self, who: str | None = None) -> float:
        keys = [who] if who else list(self.errors)
        length = sum(self.length[k] for k in keys)
        return sum(self.errors[k] for k in keys) / length if length else 0.0

    def merged_cer(self) -> float:
        """CER over all speakers' words in time order: what a mono call is scored by."""
        return self.merged_errors / self.merged_length if self.merged_length else 0.0

    def short(self) -> str:
        """Short lines heard exactly, and their CER."""
        cer = self.short_errors / self.short_length if self.short_length else 0.0
        return f"short lines (at most {SHORT_LINE} characters) heard exactly {self.short_exact}/{self.short_lines}, CER {cer:.3f}"

    def recall(self) -> float:
        said = sum(self.words_said.values())
        return sum(self.words_heard.values()) / said if said else 0.0

    def recall_by_word(self) -> str:
        return " ".join(f"{w} {self.words_heard[w]}/{n}" for w, n in self.words_said.items() if n)


def spans_other_turn(segment: dict, reference: list[dict]) -> bool:
    """Whether ``segment`` covers the middle of a line the other party said."""
    return any(
        line["speaker"] != segment["speaker"] and segment["start"] < (line["start"] + line["end"]) / 2 < segment["end"]
        for line in reference
    )


def heard_during(line: dict, heard: list[dict], slack: float = 0.4) -> str:
    """What ``heard`` holds of the line's speaker while it was said (a segment whose middle lies
    within the line, give or take ``slack`` s), normalised."""
    return normalise(
        "".join(
            s["text"]
            for s in sorted(heard, key=lambda s: s["start"])
            if s["speaker"] == line["speaker"]
            and line["start"] - slack <= (s["start"] + s["end"]) / 2 <= line["end"] + slack
        )
    )


def findings_kept(text: list[list[Finding]], heard: list[list[Finding]]) -> dict[str, tuple[int, int]]:
    """Per category, of the findings the detectors make on the calls' reference text that point
    at a line: how many the scan of the audio made too (a finding of the category overlapping the
    line's time), and how many there were. Finer than call-level F1, where another line of the
    same category hides each line that recognition lost."""
    counts: dict[str, tuple[int, int]] = {}
    for text_findings, heard_findings in zip(text, heard):
        for f in text_findings:
            if f.segment_index is None:
                continue
            kept = any(
                h.category == f.category and h.segment_index is not None and h.start < f.end and h.end > f.start
                for h in heard_findings
            )
            done, made = counts.get(f.category, (0, 0))
            counts[f.category] = (done + kept, made + 1)
    return dict(sorted(counts.items()))


@dataclass(frozen=True)
class Spread:
    """A bootstrap over calls of the macro F1 lost to recognition (text minus audio)."""

    rounds: int
    seed: int
    target: float
    median: float
    low: float  # 2.5th percentile of the loss
    high: float  # 97.5th
    under: float  # share of resamples whose loss is under ``target``
    audio_low: float  # the same interval for the macro F1 from audio
    audio_high: float


def macro_f1(labels: list[set[str]], flagged: list[set[str]], categories, calls: list[int]) -> float:
    """Call-level macro F1 over ``categories`` of the calls at ``calls`` (indices, repeats
    allowed), as ``pipeline.learn.evaluate`` scores it (a category with no labels and no flags
    scores 0)."""
    scores = []
    for category in categories:
        tp = fp = fn = 0
        for i in calls:
            wanted, got = category in labels[i], category in flagged[i]
            tp += wanted and got
            fp += got and not wanted
            fn += wanted and not got
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def bootstrap_loss(
    labels: list[set[str]],
    text: list[set[str]],
    audio: list[set[str]],
    categories,
    rounds: int = 2000,
    seed: int = 20261204,
    target: float = 0.05,
) -> Spread:
    """Resample the calls with replacement ``rounds`` times (paired: each resample scores text and
    audio on the same calls) and read the loss's percentiles. With a few calls per category one
    call moves a category's F1 by 0.1-0.3; this says how far the macro loss could move with
    another draw of as many calls like these."""
    categories = tuple(categories)
    rng = random.Random(seed)
    n = len(labels)
    losses, audios = [], []
    for _ in range(rounds):
        calls = [rng.randrange(n) for _ in range(n)]
        heard = macro_f1(labels, audio, categories, calls)
        losses.append(macro_f1(labels, text, categories, calls) - heard)
        audios.append(heard)
    losses.sort()
    audios.sort()

    def pick(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, int(q * len(values)))]

    return Spread(
        rounds=rounds,
        seed=seed,
        target=target,
        median=pick(losses, 0.5),
        low=pick(losses, 0.025),
        high=pick(losses, 0.975),
        under=sum(loss < target for loss in losses) / rounds,
        audio_low=pick(audios, 0.025),
        audio_high=pick(audios, 0.975),
    )

"""Precision, recall and F1 of the detectors against labelled calls.

Labelled calls are transcripts with a ``labels`` list (see briefs/labels.md):
``{"category": "threat", "segment_index": 4}`` or, for call-level categories,
``{"category": "missing_disclosure", "segment_index": null}``.

Precision, recall and F1 are call-level, as reviewers meet them: a call labelled with a category
and flagged for it is a true positive, wherever in the call the finding lies. The segment-level
hit rate then says how many segment labels a finding pointed at, by default with a tolerance of
one segment: a violation said across a segment boundary is one occurrence whichever half the
labeller or the recogniser put it in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.calls import Call, Finding, read_calls


@dataclass
class LabelledCall:
    call: Call
    labels: list[tuple[str, int | None]]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass
class Evaluation:
    """Call-level counts per category (is the call flagged for it, is it labelled with it) and,
    per category, how many of its segment labels a finding hit."""

    calls: int = 0
    per_category: dict[str, Counts] = field(default_factory=dict)
    segment_hits: dict[str, list[int]] = field(default_factory=dict)  # category -> [hit, labelled]
    unscored: dict[str, int] = field(default_factory=dict)  # flagged calls of categories never labelled here
    false_alarms: list[Finding] = field(default_factory=list)  # the first finding of each call-level FP
    misses: list[tuple[str, str, list[int | None]]] = field(default_factory=list)  # (call_id, category, labels)
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> Counts:
        return Counts(
            tp=sum(c.tp for c in self.per_category.values()),
            fp=sum(c.fp for c in self.per_category.values()),
            fn=sum(c.fn for c in self.per_category.values()),
        )

    def macro_f1(self, categories: Iterable[str]) -> float:
        scores = [self.per_category[c].f1 for c in categories if c in self.per_category]
        return sum(scores) / len(scores) if scores else 0.0

    def hit_rate(self, category: str) -> float | None:
        hit, labelled = self.segment_hits.get(category, (0, 0))
        return hit / labelled if labelled else None

    def to_json(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "categories": {
                k: {**v.to_json(), "segment_hit_rate": _rounded(self.hit_rate(k))}
                for k, v in sorted(self.per_category.items())
            },
            "total": self.total.to_json(),
            "unscored": dict(sorted(self.unscored.items())),
            "errors": self.errors,
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _labels(raw: Any, call: Call) -> list[tuple[str, int | None]]:
    if not isinstance(raw, dict) or not isinstance(raw.get("labels"), list):
        raise ValueError(f"call {call.call_id!r}: field 'labels' is required and must be a list")
    labels = []
    for i, label in enumerate(raw["labels"]):
        where = f"call {call.call_id!r}: field 'labels[{i}]'"
        if not isinstance(label, dict) or not isinstance(label.get("category"), str):
            raise ValueError(f"{where} must be an object with a category")
        index = label.get("segment_index")
        if index is not None and (
            isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(call.segments)
        ):
            raise ValueError(f"{where}.segment_index must be null or a segment index below {len(call.segments)}")
        labels.append((label["category"], index))
    return labels


def labelled_files(path: str | Path) -> list[Path]:
    path = Path(path)
    return sorted(path.glob("*.jsonl")) if path.is_dir() else [path]


def read_labelled(path: str | Path, errors: list[str]) -> Iterable[LabelledCall]:
    """Labelled calls from a .jsonl file or a folder of them; bad calls go to ``errors``."""
    for file in labelled_files(path):
        for result in read_calls(file):
            if result.error:
                errors.append(result.error)
                continue
            try:
                yield LabelledCall(result.call, _labels(result.raw, result.call))
            except ValueError as exc:
                errors.append(f"{result.location}: {exc}")


def _close(label: int, position: int | None, distance: int) -> bool:
    return position is not None and abs(position - label) == distance


def _segment_hits(labels: list[int], found: list[int | None], tolerance: int) -> int:
    """Segment labels hit by a finding at most ``tolerance`` segments away, matched one-to-one
    (exact positions first), so one finding never counts for two labels."""
    free_labels = list(labels)
    free_found = list(range(len(found)))
    hits = 0
    for distance in range(tolerance + 1):
        for label in list(free_labels):
            for k in free_found:
                if _close(label, found[k], distance):
                    free_labels.remove(label)
                    free_found.remove(k)
                    hits += 1
                    break
    return hits


def evaluate(
    labelled: Iterable[LabelledCall],
    detect_many: Callable[[list[Call]], list[list[Finding]]],
    categories: Iterable[str] = (),
    tolerance: int = 1,
) -> Evaluation:
    """Scores ``categories`` and every category some call of the set is labelled with; findings of
    other categories are only counted (``unscored``): the set says nothing about them.
    ``detect_many`` gets all calls at once (see ``detect_calls``); a call it gives a
    ``DetectionError`` for is listed in ``errors`` and counts as flagged for nothing."""
    items = list(labelled)
    scored = set(categories) | {c for item in items for c, _ in item.labels}
    result = Evaluation(calls=len(items), per_category={c: Counts() for c in sorted(scored)})
    for item, findings in zip(items, detect_many([item.call for item in items])):
        if isinstance(findings, Exception):  # a call whose detection failed: reported, scored as found nothing
            result.errors.append(str(findings))
            findings = []
        for category in sorted({c for c, _ in item.labels} | {f.category for f in findings}):
            wanted = [i for c, i in item.labels if c == category]
            got = [f for f in findings if f.category == category]
            if category not in scored:
                result.unscored[category] = result.unscored.get(category, 0) + 1
                continue
            counts = result.per_category[category]
            if wanted and got:
                counts.tp += 1
            elif got:
                counts.fp += 1
                result.false_alarms.append(got[0])
            else:
                counts.fn += 1
                result.misses.append((item.call.call_id, category, wanted))
            segments = [i for i in wanted if i is not None]
            if segments:
                hits = result.segment_hits.setdefault(category, [0, 0])
                hits[0] += _segment_hits(segments, [f.segment_index for f in got], tolerance)
                hits[1] += len(segments)
    return result


def evaluate_labelled(
    path: str | Path,
    config: dict[str, Any] | None = None,
    categories: Iterable[str] = (),
    tolerance: int = 1,
    workers: int = 2,
) -> Evaluation:
    """``callqa evaluate``: the detectors with ``config`` over the labelled calls of ``path`` (a
    .jsonl file or a folder of them), ``workers`` processes. A call that cannot be read, or whose
    detection failed, is listed in ``errors`` (those read first)."""
    from pipeline.run import detect_stream

    errors: list[str] = []

    def findings_of(calls: list[Call]) -> list[list[Finding]]:
        records = list(detect_stream(calls, config, workers))
        errors.extend(r.error for r in records if r.error)
        return [r.findings for r in records]

    result = evaluate(read_labelled(path, errors), findings_of, categories, tolerance)
    result.errors = errors
    return result

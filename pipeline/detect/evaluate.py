"""Precision, recall and F1 of the detectors against labelled calls.

Labelled calls are transcripts with a ``labels`` list (see briefs/labels.md):
``{"category": "threat", "segment_index": 4}`` or, for call-level categories,
``{"category": "missing_disclosure", "segment_index": null}``.

Segment-level labels match findings on (call, category, segment_index), by default with a
tolerance of one segment: a violation said across a segment boundary is one occurrence whichever
half the labeller or the recogniser put it in. Matching is one-to-one (exact positions first), so
one finding never counts for two labels. Call-level labels match on (call, category).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..calls import Call, Finding, read_calls


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
    calls: int = 0
    per_category: dict[str, Counts] = field(default_factory=dict)
    false_alarms: list[Finding] = field(default_factory=list)
    misses: list[tuple[str, str, int | None]] = field(default_factory=list)  # (call_id, category, segment)
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> Counts:
        return Counts(
            tp=sum(c.tp for c in self.per_category.values()),
            fp=sum(c.fp for c in self.per_category.values()),
            fn=sum(c.fn for c in self.per_category.values()),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "categories": {k: v.to_json() for k, v in sorted(self.per_category.items())},
            "total": self.total.to_json(),
            "errors": self.errors,
        }


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


def _close(label: int | None, position: int | None, distance: int) -> bool:
    if label is None or position is None:  # call-level: both must be call-level
        return distance == 0 and label is None and position is None
    return abs(position - label) == distance


def _match(labels: list[int | None], found: list[int | None], tolerance: int) -> tuple[int, list[int | None], list[int]]:
    """One-to-one matching of label positions to finding positions: (matched, unmatched labels,
    indices of unmatched findings). Exact positions pair first, then neighbours."""
    free_labels = list(labels)
    free_found = list(range(len(found)))
    matched = 0
    for distance in range(tolerance + 1):
        for label in list(free_labels):
            for k in free_found:
                if _close(label, found[k], distance):
                    free_labels.remove(label)
                    free_found.remove(k)
                    matched += 1
                    break
    return matched, free_labels, free_found


def evaluate(
    labelled: Iterable[LabelledCall],
    detect_many: Callable[[list[Call]], list[list[Finding]]],
    categories: Iterable[str] = (),
    tolerance: int = 1,
) -> Evaluation:
    """Counts per category; ``detect_many`` gets all calls at once (see ``detect_calls``)."""
    items = list(labelled)
    result = Evaluation(calls=len(items), per_category={c: Counts() for c in categories})
    for item, findings in zip(items, detect_many([item.call for item in items])):
        for category in {c for c, _ in item.labels} | {f.category for f in findings}:
            wanted = [i for c, i in item.labels if c == category]
            got = [f for f in findings if f.category == category]
            matched, missed, spare = _match(wanted, [f.segment_index for f in got], tolerance)
            counts = result.per_category.setdefault(category, Counts())
            counts.tp += matched
            counts.fn += len(missed)
            counts.fp += len(spare)
            result.misses.extend((item.call.call_id, category, i) for i in missed)
            result.false_alarms.extend(got[k] for k in spare)
    return result

"""How well the detectors do, measured from reviewer verdicts (GB 5.5.2.1: automated
inspection is monitored regularly).

- Precision per category, overall and by month of the call: confirmed / (confirmed + dismissed)
  over each finding's latest review; ``uncertain`` is left out.
- Recall per category, estimated on sampled calls a reviewer worked on (random calls, so
  misses there stand for misses everywhere): confirmed findings / (confirmed + ``missed``),
  each weighted by its call's design weight (``sample_design_weights``), so a sample that
  drew flagged calls at a higher rate (``--oversample-flagged``), and so holds more confirmed
  findings than the population, does not make recall look better than it is.
- A warning for each category, overall or in a month, whose precision is below
  ``monitoring.min_precision`` on at least ``monitoring.min_reviews`` verdicts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import sqlite_utils

from pipeline.config import MonitoringOptions
from pipeline.present.labels import category_label, category_order
from pipeline.selfcheck.stats import Proportion, weighted_wilson, wilson
from pipeline.selfcheck.verdicts import (
    Scope,
    latest_verdicts,
    missed_reviews,
    reviewed_sample_call_ids,
    sample_design_weights,
)


@dataclass(frozen=True)
class PrecisionRow:
    category: str
    month: str | None  # None: all months
    confirmed: int
    dismissed: int
    uncertain: int
    precision: Proportion


@dataclass(frozen=True)
class RecallRow:
    category: str
    confirmed: int
    missed: int
    recall: Proportion


@dataclass(frozen=True)
class PrecisionWarning:
    category: str
    month: str | None
    precision: float
    reviews: int

    def message(self, min_precision: float) -> str:
        when = f"{self.month} " if self.month else ""
        return (
            f"{category_label(self.category)}：{when}精确率 {self.precision:.1%} 低于 {min_precision:.0%}"
            f"（{self.reviews} 条复核）"
        )


@dataclass
class MonitorResult:
    precision: list[PrecisionRow]  # per category (month None) first, then per category and month
    recall: list[RecallRow]
    warnings: list[PrecisionWarning]
    min_precision: float
    min_reviews: int
    reviewed_sample_calls: int

    def overall_precision(self) -> list[PrecisionRow]:
        return [row for row in self.precision if row.month is None]

    def to_json(self) -> dict:
        return {
            "settings": {"min_precision": self.min_precision, "min_reviews": self.min_reviews},
            "precision": [
                {
                    "category": r.category,
                    "label": category_label(r.category),
                    "month": r.month,
                    "confirmed": r.confirmed,
                    "dismissed": r.dismissed,
                    "uncertain": r.uncertain,
                    "precision": r.precision.to_json(),
                }
                for r in self.precision
            ],
            "recall": [
                {
                    "category": r.category,
                    "label": category_label(r.category),
                    "confirmed": r.confirmed,
                    "missed": r.missed,
                    "recall": r.recall.to_json(),
                }
                for r in self.recall
            ],
            "reviewed_sample_calls": self.reviewed_sample_calls,
            "warnings": [
                {
                    "category": w.category,
                    "month": w.month,
                    "precision": w.precision,
                    "reviews": w.reviews,
                    "message": w.message(self.min_precision),
                }
                for w in self.warnings
            ],
        }


def monitor(
    db: sqlite_utils.Database,
    scope: Scope = Scope(),
    min_precision: float = MonitoringOptions.min_precision,
    min_reviews: int = MonitoringOptions.min_reviews,
    confidence: float = 0.95,
) -> MonitorResult:
    verdicts = latest_verdicts(db, scope)
    counts = Counter((v.category, v.month, v.verdict) for v in verdicts)
    counts.update((v.category, None, v.verdict) for v in verdicts)
    categories = category_order({v.category for v in verdicts})
    months = sorted({v.month for v in verdicts if v.month})

    precision = []
    for month in [None, *months]:
        for category in categories:
            confirmed = counts[category, month, "confirmed"]
            dismissed = counts[category, month, "dismissed"]
            uncertain = counts[category, month, "uncertain"]
            if confirmed + dismissed + uncertain == 0:
                continue
            precision.append(
                PrecisionRow(
                    category,
                    month,
                    confirmed,
                    dismissed,
                    uncertain,
                    wilson(confirmed, confirmed + dismissed, confidence),
                )
            )
    warnings = [
        PrecisionWarning(row.category, row.month, row.precision.rate, row.precision.n)
        for row in precision
        if row.precision.n >= min_reviews and row.precision.rate < min_precision
    ]

    sampled = reviewed_sample_call_ids(db)
    weights = sample_design_weights(db)  # a sample recorded without its strata counts each call once
    caught: dict[str, list[float]] = defaultdict(list)
    missed: dict[str, list[float]] = defaultdict(list)
    for v in verdicts:
        if v.call_id in sampled and v.verdict == "confirmed":
            caught[v.category].append(weights.get(v.call_id, 1.0))
    for m in missed_reviews(db, scope):
        if m.call_id in sampled:
            missed[m.category].append(weights.get(m.call_id, 1.0))
    recall = [
        RecallRow(
            category,
            len(caught[category]),
            len(missed[category]),
            weighted_wilson(caught[category], missed[category], confidence),
        )
        for category in category_order(set(caught) | set(missed))
    ]
    return MonitorResult(precision, recall, warnings, min_precision, min_reviews, len(sampled))


def monitor_with_config(db: sqlite_utils.Database, config: dict, scope: Scope = Scope()) -> MonitorResult:
    """``monitor`` with the thresholds of the ``monitoring:`` settings."""
    settings = MonitoringOptions.from_config(config)
    return monitor(db, scope, min_precision=settings.min_precision, min_reviews=settings.min_reviews)

"""The console's dashboard: what was inspected, what is still open, how precise each category
has proved under review, how each agency's findings per call move month by month, and appeals."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from pipeline.present.labels import category_order
from pipeline.review import appeals


@dataclass
class Precision:
    category: str
    confirmed: int
    dismissed: int

    @property
    def decided(self) -> int:
        return self.confirmed + self.dismissed

    @property
    def rate(self) -> float | None:
        return self.confirmed / self.decided if self.decided else None


@dataclass
class Dashboard:
    calls: int
    calls_with_findings: int
    findings: int
    open_findings: int
    reviewed_calls: int  # calls with any review
    precision: list[Precision]
    months: list[str]
    agency_trend: dict[str, dict[str, float]]  # agency -> month -> findings per call
    appeals: dict[str, int]


def summary(db: sqlite_utils.Database, months: int = 6) -> Dashboard:
    calls, with_findings = db.execute(
        "SELECT COUNT(*), SUM(EXISTS (SELECT 1 FROM findings f WHERE f.call_id = c.id)) FROM calls c "
        "WHERE c.status = 'ok'"
    ).fetchone()
    findings = db.execute("SELECT COUNT(*) FROM findings").fetchone()[0]
    open_findings = db.execute("SELECT COALESCE(SUM(findings), 0) FROM call_queue").fetchone()[0]
    reviewed = db.execute("SELECT COUNT(DISTINCT call_id) FROM reviews").fetchone()[0]
    by_category = {
        category: Precision(category, confirmed or 0, dismissed or 0)
        for category, confirmed, dismissed in db.execute(
            "SELECT f.category, SUM(r.verdict = 'confirmed'), SUM(r.verdict = 'dismissed') "
            "FROM latest_reviews r JOIN findings f ON f.id = r.finding_id GROUP BY f.category"
        )
    }
    precision = [by_category[c] for c in category_order(by_category) if by_category[c].decided]
    # Findings per call per agency and month, by the call's recorded start (its own local time).
    trend: dict[str, dict[str, float]] = {}
    for agency, month, n_calls, n_findings in db.execute(
        "SELECT c.agency, substr(c.started_at, 1, 7) AS month, COUNT(*), "
        "SUM((SELECT COUNT(*) FROM findings f WHERE f.call_id = c.id)) FROM calls c "
        "WHERE c.status = 'ok' AND c.agency IS NOT NULL AND c.started_at IS NOT NULL GROUP BY c.agency, month"
    ):
        trend.setdefault(agency, {})[month] = n_findings / n_calls
    recent = sorted({m for per in trend.values() for m in per})[-months:]
    return Dashboard(
        calls or 0,
        with_findings or 0,
        findings,
        open_findings,
        reviewed,
        precision,
        recent,
        {agency: {m: per[m] for m in recent if m in per} for agency, per in sorted(trend.items())},
        appeals.counts(db),
    )

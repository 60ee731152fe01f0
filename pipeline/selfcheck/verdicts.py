"""What the reviewers decided, read from ``findings`` and ``reviews``, and the counting rule.

The newest review of a finding is its verdict: the store's ``latest_reviews`` view.
Counting rule used everywhere in the self-check: a call violates a category when it has a
finding of that category not dismissed by its latest review, or a reviewer's ``missed``
review of that category.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlite_utils

COUNTING_RULE = (
    "一通通话只要存在某类别的机器发现且其最新复核结论不是“误报”，或复核员为该通话补录了该类别的“漏检”，"
    "即计为该类别违规通话；未复核的机器发现按违规计入。"
)


@dataclass(frozen=True)
class Scope:
    """Which calls a self-check covers: ok calls started in ``year`` (all years when None),
    optionally of one agency."""

    year: int | None = None
    agency: str | None = None

    def where(self, alias: str = "c") -> tuple[str, list]:
        clauses = [f"{alias}.status = 'ok'"]
        params: list = []
        if self.year is not None:
            clauses.append(f"substr({alias}.started_at, 1, 4) = ?")
            params.append(f"{self.year:04d}")
        if self.agency is not None:
            clauses.append(f"{alias}.agency = ?")
            params.append(self.agency)
        return " AND ".join(clauses), params


@dataclass(frozen=True)
class ReviewedFinding:
    """A machine finding with its call's details and its latest verdict (None: not reviewed)."""

    finding_id: int
    call_id: str
    category: str
    score: float
    evidence: str
    month: str | None
    agency: str | None
    agent_id: str | None
    verdict: str | None


@dataclass(frozen=True)
class MissedReview:
    call_id: str
    category: str
    evidence: str | None
    month: str | None


def reviewed_findings(db: sqlite_utils.Database, scope: Scope) -> list[ReviewedFinding]:
    where, params = scope.where()
    rows = db.execute(
        "SELECT f.id, f.call_id, f.category, f.score, coalesce(f.evidence, ''), "
        "substr(c.started_at, 1, 7), c.agency, c.agent_id, lr.verdict "
        "FROM findings f JOIN calls c ON c.id = f.call_id "
        "LEFT JOIN latest_reviews lr ON lr.finding_id = f.id "
        f"WHERE {where} ORDER BY f.id",
        params,
    ).fetchall()
    return [ReviewedFinding(*row) for row in rows]


@dataclass(frozen=True)
class Verdict:
    """The latest review of one finding, from ``reviews`` alone (it survives a redetect)."""

    finding_id: int
    call_id: str
    category: str
    month: str | None
    verdict: str


def latest_verdicts(db: sqlite_utils.Database, scope: Scope) -> list[Verdict]:
    where, params = scope.where()
    rows = db.execute(
        "SELECT lr.finding_id, lr.call_id, lr.category, substr(c.started_at, 1, 7), lr.verdict "
        "FROM latest_reviews lr JOIN calls c ON c.id = lr.call_id "
        f"WHERE lr.finding_id IS NOT NULL AND {where} ORDER BY lr.finding_id",
        params,
    ).fetchall()
    return [Verdict(*row) for row in rows]


def missed_reviews(db: sqlite_utils.Database, scope: Scope) -> list[MissedReview]:
    where, params = scope.where()
    rows = db.execute(
        "SELECT r.call_id, r.category, r.evidence, substr(c.started_at, 1, 7) "
        "FROM reviews r JOIN calls c ON c.id = r.call_id "
        f"WHERE r.verdict = 'missed' AND {where} ORDER BY r.id",
        params,
    ).fetchall()
    return [MissedReview(*row) for row in rows]


@dataclass(frozen=True)
class AppealCount:
    """Appeals (申诉) of confirmed findings of one category: filed, still pending, upheld (the
    finding stays confirmed) and overturned (the second reviewer dismissed it)."""

    category: str
    filed: int
    pending: int
    upheld: int
    overturned: int


def appeal_counts(db: sqlite_utils.Database, scope: Scope) -> list[AppealCount]:
    """Per category (of the confirmed verdict appealed, which survives a redetect), in category
    id order, the appeals on the calls in ``scope``."""
    where, params = scope.where()
    rows = db.execute(
        "SELECT r.category, COUNT(*), SUM(a.decision IS NULL), SUM(a.decision IS 'upheld'), "
        "SUM(a.decision IS 'overturned') FROM appeals a JOIN reviews r ON r.id = a.review_id "
        f"JOIN calls c ON c.id = a.call_id WHERE {where} GROUP BY r.category ORDER BY r.category",
        params,
    ).fetchall()
    return [AppealCount(*row) for row in rows]


def violations_by_call(findings: list[ReviewedFinding], misses: list[MissedReview]) -> dict[str, set[str]]:
    """Call id -> the categories it violates under the counting rule."""
    violated: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        if f.verdict != "dismissed":
            violated[f.call_id].add(f.category)
    for m in misses:
        violated[m.call_id].add(m.category)
    return dict(violated)


def sample_design_weights(db: sqlite_utils.Database) -> dict[str, float]:
    """Each sampled call's design weight: its stratum's population over the calls drawn from it
    (N_h / n_h), in the newest sample that holds the call. Calls of a stratum drawn at a higher
    rate (``--oversample-flagged``) stand for fewer calls of the population."""
    rows = db.execute(
        "SELECT sc.call_id, CAST(json_extract(st.value, '$.population') AS REAL) / json_extract(st.value, '$.sample') "
        "FROM sample_calls sc JOIN samples s ON s.id = sc.sample_id "
        "JOIN json_each(s.population, '$.strata') st ON json_extract(st.value, '$.stratum') = sc.stratum "
        "WHERE json_extract(st.value, '$.sample') > 0 ORDER BY s.created_at, s.id"
    )
    return {call_id: weight for call_id, weight in rows}


def reviewed_sample_call_ids(db: sqlite_utils.Database, sample_id: int | None = None) -> set[str]:
    """Sampled calls (of one sample, or of any) a reviewer has recorded at least one review on:
    a verdict, a miss, or the whole-call check ("checked") that is the only trace of a sampled
    call found clean."""
    sample_filter, params = ("AND s.sample_id = ?", [sample_id]) if sample_id is not None else ("", [])
    return {
        row[0]
        for row in db.execute(
            "SELECT DISTINCT s.call_id FROM sample_calls s "
            f"WHERE EXISTS (SELECT 1 FROM reviews r WHERE r.call_id = s.call_id) {sample_filter}",
            params,
        )
    }

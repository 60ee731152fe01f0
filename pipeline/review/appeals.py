"""Appeals (申诉/复议): an appellant account (an agent or agency) appeals a confirmed finding
on one of its agency's calls with a reason; a reviewer other than the one who confirmed it
decides. Upheld leaves the verdict as it is; overturned adds a ``dismissed`` review by the
second reviewer, so the finding's history shows both and every report counts the new verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from pipeline.review import queries
from pipeline.review.queries import ReviewError
from pipeline.selfcheck.verdicts import Scope, appeal_counts
from pipeline.store import now_iso, writing

DECISIONS = {"upheld": "维持原结论", "overturned": "撤销，改判误报"}
STATUS_LABELS = {None: "待复议", "upheld": "维持原结论", "overturned": "已撤销（改判误报）"}


@dataclass
class Appeal:
    id: int
    finding_id: int
    call_id: str
    category: str
    evidence: str | None
    confirmed_by: str
    appellant: str
    reason: str
    created_at: str
    decision: str | None
    decided_by: str | None
    decision_comment: str | None
    decided_at: str | None


_APPEAL_SELECT = (
    "SELECT a.id, a.finding_id, a.call_id, f.category, f.evidence, r.reviewer, a.appellant, a.reason, "
    "a.created_at, a.decision, a.decided_by, a.decision_comment, a.decided_at "
    "FROM appeals a JOIN findings f ON f.id = a.finding_id JOIN reviews r ON r.id = a.review_id "
)


def appeals(db: sqlite_utils.Database, agency: str | None = None, pending: bool | None = None) -> list[Appeal]:
    """Appeals, newest first: of one agency's calls, and only pending or decided ones if asked."""
    where, params = ["1"], []
    if agency is not None:
        where.append("a.call_id IN (SELECT id FROM calls WHERE agency = ?)")
        params.append(agency)
    if pending is not None:
        where.append("a.decision IS NULL" if pending else "a.decision IS NOT NULL")
    sql = f"{_APPEAL_SELECT} WHERE {' AND '.join(where)} ORDER BY a.id DESC"
    return [Appeal(*row) for row in db.execute(sql, params)]


@dataclass
class Appealable:
    finding_id: int
    call_id: str
    started_at: str | None
    category: str
    evidence: str | None
    confirmed_by: str
    confirmed_at: str
    appeal: Appeal | None


def appealable(db: sqlite_utils.Database, agency: str) -> list[Appealable]:
    """The confirmed findings on ``agency``'s calls, with the newest appeal of each if any."""
    by_finding: dict[int, Appeal] = {}
    for appeal in reversed(appeals(db, agency)):
        by_finding[appeal.finding_id] = appeal  # the newest wins
    rows = db.execute(
        "SELECT f.id, c.id, c.started_at, f.category, f.evidence, r.reviewer, r.created_at "
        "FROM findings f JOIN calls c ON c.id = f.call_id JOIN latest_reviews r ON r.finding_id = f.id "
        "WHERE c.agency = ? AND r.verdict = 'confirmed' ORDER BY r.created_at DESC",
        [agency],
    )
    found = [Appealable(*row, appeal=by_finding.get(row[0])) for row in rows]
    # overturned ones are no longer confirmed but their appeal is still the agency's to see
    listed = {a.finding_id for a in found}
    found += [
        Appealable(a.finding_id, a.call_id, None, a.category, a.evidence, a.confirmed_by, a.created_at, a)
        for a in by_finding.values()
        if a.finding_id not in listed
    ]
    return found


def file_appeal(db: sqlite_utils.Database, finding_id: int, appellant: str, agency: str, reason: str) -> int:
    reason = reason.strip()
    if not reason:
        raise ReviewError("an appeal needs a reason")
    with writing(db):
        row = db.execute(
            "SELECT f.call_id, c.agency FROM findings f JOIN calls c ON c.id = f.call_id WHERE f.id = ?", [finding_id]
        ).fetchone()
        if row is None or row[1] != agency:
            raise ReviewError(f"no finding {finding_id} on a call of {agency}")
        current = queries.latest_review(db, finding_id)
        if current is None or current.verdict != "confirmed":
            raise ReviewError("only a confirmed finding can be appealed")
        if db.execute("SELECT 1 FROM appeals WHERE finding_id = ? AND decision IS NULL", [finding_id]).fetchone():
            raise ReviewError("this finding already has an appeal waiting for a decision")
        table = db["appeals"].insert(
            {
                "finding_id": finding_id,
                "call_id": row[0],
                "review_id": current.id,
                "appellant": appellant,
                "reason": reason,
                "created_at": now_iso(),
            }
        )
    return table.last_pk


def decide(db: sqlite_utils.Database, appeal_id: int, decision: str, reviewer: str, comment: str = "") -> int | None:
    """Decide a pending appeal; returns the id of the overturning review, if any."""
    if decision not in DECISIONS:
        raise ReviewError(f"decision must be one of {', '.join(DECISIONS)}, got {decision!r}")
    with writing(db):
        row = db.execute(
            "SELECT a.finding_id, a.decision, r.reviewer, a.appellant FROM appeals a "
            "JOIN reviews r ON r.id = a.review_id WHERE a.id = ?",
            [appeal_id],
        ).fetchone()
        if row is None:
            raise ReviewError(f"no appeal {appeal_id}")
        finding_id, decided, confirmed_by, appellant = row
        if decided is not None:
            raise ReviewError(f"appeal {appeal_id} was already decided")
        if reviewer in (confirmed_by, appellant):
            raise ReviewError("an appeal is decided by a second reviewer, not the one who confirmed the finding")
        review_id = None
        if decision == "overturned":
            current = queries.latest_review(db, finding_id)
            note = f"申诉 {appeal_id} 复议改判" + (f"：{comment.strip()}" if comment.strip() else "")
            review_id = queries.record_verdict(db, finding_id, "dismissed", reviewer, note, current.id)
        db.execute(
            "UPDATE appeals SET decision = ?, decided_by = ?, decision_comment = ?, decided_at = ? WHERE id = ?",
            [decision, reviewer, comment.strip() or None, now_iso(), appeal_id],
        )
    return review_id


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Appeals filed, pending, upheld and overturned, over every call (the dashboard; the
    self-check report counts its year's by category with the same ``appeal_counts``)."""
    by_category = appeal_counts(db, Scope())
    return {name: sum(getattr(c, name) for c in by_category) for name in ("filed", "pending", "upheld", "overturned")}

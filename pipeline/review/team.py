"""Reviewers working as a team: who holds a call (an admin's assignment or a reviewer's claim
with a lock that expires), and what each reviewer did (workload per day, agreement where two
reviewers decided the same finding).

A claim keeps other reviewers' default queue clear of the call until it expires; each verdict
on the call renews it. An admin's assignment does not expire. Other reviewers may still open
and decide a held call (the page warns them); their verdicts are checked against the
finding's newest review like anyone's (``queries.record_verdict``), so nothing is overwritten
silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlite_utils

from pipeline.review.queries import ReviewError
from pipeline.store import now_iso, writing

CLAIM_LIFETIME = timedelta(minutes=30)


@dataclass
class Holder:
    assignee: str
    assigned_by: str
    assigned_at: str
    expires_at: str | None  # None: assigned by an admin

    @property
    def claimed(self) -> bool:
        return self.expires_at is not None


def _expiry() -> str:
    return (datetime.now(timezone.utc) + CLAIM_LIFETIME).isoformat(timespec="seconds")


def holder(db: sqlite_utils.Database, call_id: str) -> Holder | None:
    row = db.execute(
        "SELECT assignee, assigned_by, assigned_at, expires_at FROM assignments "
        "WHERE call_id = ? AND (expires_at IS NULL OR expires_at > ?)",
        [call_id, now_iso()],
    ).fetchone()
    return Holder(*row) if row else None


def claim(db: sqlite_utils.Database, call_id: str, reviewer: str) -> Holder:
    """Take ``call_id`` for ``reviewer`` for CLAIM_LIFETIME (renewed when already theirs).
    Refused while another reviewer holds it."""
    with writing(db):
        _require_call(db, call_id)
        current = holder(db, call_id)
        if current and current.assignee != reviewer:
            raise ReviewError(f"call {call_id} is held by {current.assignee}")
        if current and not current.claimed:  # an admin's assignment to this reviewer stays
            return current
        _put(db, call_id, reviewer, reviewer, _expiry())
    return holder(db, call_id)


def renew(db: sqlite_utils.Database, call_id: str, reviewer: str) -> None:
    """A verdict by the claimant keeps the claim alive."""
    with writing(db):
        db.execute(
            "UPDATE assignments SET expires_at = ? WHERE call_id = ? AND assignee = ? AND expires_at IS NOT NULL",
            [_expiry(), call_id, reviewer],
        )


def assign(db: sqlite_utils.Database, call_id: str, assignee: str, admin: str) -> Holder:
    """An admin gives ``call_id`` to ``assignee`` (an active reviewer or admin) until reassigned."""
    with writing(db):
        _require_call(db, call_id)
        row = db.execute("SELECT role FROM users WHERE username = ? AND active = 1", [assignee]).fetchone()
        if row is None or row[0] not in ("reviewer", "admin"):
            raise ReviewError(f"no active reviewer {assignee!r}")
        _put(db, call_id, assignee, admin, None)
    return holder(db, call_id)


def release(db: sqlite_utils.Database, call_id: str, username: str, is_admin: bool) -> None:
    """Give a call back: its holder may, and an admin may release anyone's."""
    with writing(db):
        current = holder(db, call_id)
        if current is None:
            return
        if current.assignee != username and not is_admin:
            raise ReviewError(f"call {call_id} is held by {current.assignee}")
        db.execute("DELETE FROM assignments WHERE call_id = ?", [call_id])


def _put(db, call_id: str, assignee: str, by: str, expires_at: str | None) -> None:
    db["assignments"].upsert(
        {
            "call_id": call_id,
            "assignee": assignee,
            "assigned_by": by,
            "assigned_at": now_iso(),
            "expires_at": expires_at,
        },
        pk="call_id",
    )


def _require_call(db, call_id: str) -> None:
    if db.execute("SELECT 1 FROM calls WHERE id = ?", [call_id]).fetchone() is None:
        raise ReviewError(f"no call {call_id!r}")


def reviewers(db: sqlite_utils.Database) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT username FROM users WHERE active = 1 AND role IN ('reviewer', 'admin') ORDER BY username"
        )
    ]


# --- what each reviewer did ------------------------------------------------------------------


@dataclass
class Workload:
    reviewer: str
    day: str  # the day in this machine's time zone
    verdicts: int
    confirmed: int
    dismissed: int
    uncertain: int
    missed: int
    calls: int


def workload(db: sqlite_utils.Database, days: int = 14) -> list[Workload]:
    """Reviews per reviewer per local day over the last ``days`` days, newest day first."""
    since = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat(timespec="seconds")
    counts: dict[tuple[str, str], dict] = {}
    for reviewer, created_at, verdict, call_id in db.execute(
        "SELECT reviewer, created_at, verdict, call_id FROM reviews WHERE created_at >= ?", [since]
    ):
        day = datetime.fromisoformat(created_at).astimezone().date().isoformat()
        entry = counts.setdefault(
            (reviewer, day),
            {"verdicts": 0, "calls": set(), "confirmed": 0, "dismissed": 0, "uncertain": 0, "missed": 0},
        )
        entry["calls"].add(call_id)
        if verdict in ("confirmed", "dismissed", "uncertain", "missed"):
            entry[verdict] += 1
        if verdict in ("confirmed", "dismissed", "uncertain"):
            entry["verdicts"] += 1
    rows = [
        Workload(
            reviewer, day, e["verdicts"], e["confirmed"], e["dismissed"], e["uncertain"], e["missed"], len(e["calls"])
        )
        for (reviewer, day), e in counts.items()
    ]
    return sorted(rows, key=lambda w: (w.day, w.reviewer), reverse=True)


@dataclass
class Agreement:
    reviewer: str
    other: str
    findings: int  # decided (confirmed or dismissed) by both
    agreed: int

    @property
    def rate(self) -> float:
        return self.agreed / self.findings if self.findings else 0.0


def agreement(db: sqlite_utils.Database) -> list[Agreement]:
    """Pairs of reviewers over the findings both decided (each one's own newest confirmed or
    dismissed verdict): how often they agreed. Findings decided by one reviewer do not count."""
    decided: dict[int, dict[str, str]] = {}
    for finding_id, reviewer, verdict in db.execute(
        "SELECT finding_id, reviewer, verdict FROM reviews WHERE finding_id IS NOT NULL "
        "AND verdict IN ('confirmed', 'dismissed') ORDER BY created_at, id"
    ):
        decided.setdefault(finding_id, {})[reviewer] = verdict  # later rows win: each one's newest
    pairs: dict[tuple[str, str], list[int]] = {}
    for by_reviewer in decided.values():
        names = sorted(by_reviewer)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                tally = pairs.setdefault((a, b), [0, 0])
                tally[0] += 1
                tally[1] += by_reviewer[a] == by_reviewer[b]
    return [Agreement(a, b, n, agreed) for (a, b), (n, agreed) in sorted(pairs.items())]

"""Self-check samples worked to the end: each sampled call's review state, the sample's
progress, the next call still to review, and whether the sample is done.

A sampled call is reviewed when a reviewer confirmed listening to it whole (整通复核, a
``checked`` review): only that says a call without findings was found clean, which the
recall estimate needs. Before that it is in progress once any verdict or miss was recorded on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

STATE_LABELS = {"todo": "未复核", "started": "复核中", "done": "已复核"}


@dataclass
class SampledCall:
    call_id: str
    position: int
    stratum: str
    started_at: str | None
    findings: int
    open_findings: int
    state: str  # a STATE_LABELS key
    checked_by: str | None


@dataclass
class SampleProgress:
    id: int
    created_at: str
    created_by: str | None
    size: int
    calls: list[SampledCall]

    @property
    def reviewed(self) -> int:
        return sum(c.state == "done" for c in self.calls)

    @property
    def closed(self) -> bool:
        """Every sampled call reviewed: the sample's work is over."""
        return bool(self.calls) and self.reviewed == len(self.calls)

    def next_call(self, after: str | None = None) -> SampledCall | None:
        """The first call not yet reviewed after ``after`` in sample order, going round."""
        todo = [c for c in self.calls if c.state != "done"]
        if not todo:
            return None
        positions = {c.call_id: c.position for c in self.calls}
        here = positions.get(after, -1)
        return next((c for c in todo if c.position > here), todo[0])


def progress(db: sqlite_utils.Database, sample_id: int) -> SampleProgress | None:
    row = db.execute("SELECT id, created_at, created_by, size FROM samples WHERE id = ?", [sample_id]).fetchone()
    if row is None:
        return None
    calls = [
        SampledCall(
            call_id,
            position,
            stratum,
            started_at,
            findings,
            open_findings,
            "done" if checked_by else "started" if reviews else "todo",
            checked_by,
        )
        for call_id, position, stratum, started_at, findings, open_findings, reviews, checked_by in db.execute(
            "SELECT sc.call_id, sc.position, sc.stratum, c.started_at, "
            "(SELECT COUNT(*) FROM findings f WHERE f.call_id = sc.call_id), "
            "COALESCE((SELECT q.findings FROM call_queue q WHERE q.call_id = sc.call_id), 0), "
            "(SELECT COUNT(*) FROM reviews r WHERE r.call_id = sc.call_id), "
            "(SELECT r.reviewer FROM reviews r WHERE r.call_id = sc.call_id AND r.verdict = 'checked' "
            " ORDER BY r.id DESC LIMIT 1) "
            "FROM sample_calls sc LEFT JOIN calls c ON c.id = sc.call_id WHERE sc.sample_id = ? ORDER BY sc.position",
            [sample_id],
        )
    ]
    return SampleProgress(*row, calls=calls)


def every_sample(db: sqlite_utils.Database) -> list[SampleProgress]:
    return [progress(db, sample_id) for (sample_id,) in db.execute("SELECT id FROM samples ORDER BY id DESC")]

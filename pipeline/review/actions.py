"""Reviewer actions that leave a trace: each runs one write and records it in the audit log,
whether it succeeded or was refused. The command line calls these; the console's routes use
``audited`` too (``web.audited_review``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import sqlite_utils

from pipeline.errors import CallqaError
from pipeline.review import audit, auth, export, queries

T = TypeVar("T")


def audited(
    db: sqlite_utils.Database,
    username: str,
    action: tuple[str, str, object],
    do: Callable[[], T],
    detail: Callable[[T], str],
    via: str,
) -> T:
    """``do()``, logged as ``action`` (action, object type, object id); a refusal is logged too
    and raised again."""
    try:
        result = do()
    except CallqaError as exc:
        audit.record(db, username, *action, result="failed", detail=f"{via}: {exc}")
        raise
    audit.record(db, username, *action, detail=f"{via}: {detail(result)}")
    return result


def review_finding(
    db: sqlite_utils.Database, finding_id: int, verdict: str, reviewer: str, comment: str = "", via: str = "cli"
) -> int:
    """Record ``reviewer``'s verdict on one finding; returns the review's id."""
    if auth.load_user(db, reviewer) is None:
        raise queries.ReviewError(f"no active user {reviewer!r} (add one with: callqa user add {reviewer} --db ...)")
    return audited(
        db,
        reviewer,
        ("verdict", "finding", finding_id),
        lambda: queries.record_verdict(db, finding_id, verdict, reviewer, comment),
        lambda review_id: f"{verdict} (review {review_id})",
        via,
    )


def export_findings(
    db: sqlite_utils.Database, out: str, username: str, status: str = "all", category: str = "", via: str = "cli"
) -> int:
    """Write findings with their newest verdict to ``out`` (.xlsx or .csv, personal data masked);
    returns the number of rows.

    The audit row is written before the file, so an export the audit log cannot record (a
    read-only database) is never written; a file that cannot be written is logged as failed.
    """
    rows = audited(
        db,
        username,
        ("export", "findings", out),
        lambda: (export.check_format(out), queries.export_rows(db, status=status, category=category))[1],
        lambda rows: f"{len(rows)} rows, status={status}, category={category or 'all'}",
        via,
    )
    try:
        export.write(rows, out)
    except CallqaError as exc:
        audit.record(db, username, "export", "findings", out, result="failed", detail=f"{via}: {exc}")
        raise
    return len(rows)

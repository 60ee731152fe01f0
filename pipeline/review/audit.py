"""The audit trail: who did what to which object, when, and with what result.

``audit_log`` is append-only (triggers in ``store.SCHEMA`` refuse updates and deletes);
this is the one function that writes it.
"""

from __future__ import annotations

import sqlite_utils

from pipeline.store import now_iso, writing


def record(
    db: sqlite_utils.Database,
    username: str | None,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    result: str = "ok",
    detail: str | None = None,
) -> None:
    with writing(db):
        db["audit_log"].insert(
            {
                "at": now_iso(),
                "username": username,
                "action": action,
                "object_type": object_type,
                "object_id": None if object_id is None else str(object_id),
                "result": result,
                "detail": detail,
            }
        )

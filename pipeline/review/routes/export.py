"""Findings with their newest verdict as a spreadsheet download (personal data masked)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from .. import audit, auth, export, queries
from ..web import current_user, get_db

router = APIRouter()


@router.get("/export.{fmt}")
def export_file(
    request: Request,
    fmt: str,
    status: str = Query("all", max_length=20),
    category: str = Query("", max_length=50),
    user: auth.User = Depends(current_user),
    db=Depends(get_db),
):
    if f".{fmt}" not in export.FORMATS:
        raise HTTPException(status_code=404, detail="只能导出 xlsx 或 csv")
    try:
        rows = queries.export_rows(db, status=status, category=category)
    except queries.ReviewError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    # Recorded before the file is written: no export leaves without its audit row.
    detail = f"{fmt}, {len(rows)} rows, status={status}, category={category or 'all'}"
    audit.record(db, user.username, "export", "findings", None, detail=detail)
    tmp = tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False)
    tmp.close()
    export.write(rows, tmp.name)
    return FileResponse(
        tmp.name,
        filename=f"callqa-findings.{fmt}",
        background=BackgroundTask(Path(tmp.name).unlink),
    )

"""Findings with their newest verdict as a spreadsheet download (personal data masked)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from pipeline.review import audit, auth, export, queries
from pipeline.review.web import current_user, get_db, may_unmask

router = APIRouter()


@router.get("/export.{fmt}")
def export_file(request: Request, fmt: str, user: auth.User = Depends(current_user), db=Depends(get_db)):
    """The findings of the calls the queue lists under the same filters (every one of them,
    not one page), with a link back to each call."""
    if f".{fmt}" not in export.FORMATS:
        raise HTTPException(status_code=404, detail="只能导出 xlsx 或 csv")
    filters = queries.QueueFilters.from_params(request.query_params)
    if "status" not in request.query_params:  # a bare /export.xlsx: every finding
        filters.status = "all"
    rows = queries.export_rows(db, filters=filters, masked=not may_unmask(user), user=user.username)
    # Recorded before the file is written: no export leaves without its audit row.
    described = ", ".join(f"{k}={v}" for k, v in filters.to_params().items()) or "default filters"
    audit.record(db, user.username, "export", "findings", None, detail=f"{fmt}, {len(rows)} rows, {described}")
    tmp = tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False)
    tmp.close()
    export.write(rows, tmp.name, base_url=str(request.base_url))
    return FileResponse(
        tmp.name,
        filename=f"callqa-findings.{fmt}",
        background=BackgroundTask(Path(tmp.name).unlink),
    )
